package kernel

import (
	"testing"
	"time"
)

func TestPeakFMA(t *testing.T) {
	perIter := peakFMA(1)
	switch perIter {
	case 16, 128, 192:
	default:
		t.Fatalf("peakFMA(1) = %v FLOPs, want 16 (Go), 128 (NEON) or 192 (AVX2)", perIter)
	}
	for _, n := range []int{-3, 0, 1, 7, 1000} {
		want := 0.0
		if n > 0 {
			want = perIter * float64(n)
		}
		if got := PeakFMA(n); got != want {
			t.Errorf("PeakFMA(%d) = %v, want %v", n, got, want)
		}
	}
	selectImpl(familyFloat32, "")
	if got := PeakFMA(10); got != 160 {
		t.Errorf("PeakFMA(10) on the Generic path = %v, want 160", got)
	}
	resetImpls(familyFloat32)
	start := time.Now()
	flops := PeakFMA(1_000_000)
	t.Logf("peak: %.1f GFLOP/s (%v FLOPs per iteration)", flops/time.Since(start).Seconds()/1e9, perIter)
}

// BenchmarkPeakFMA reports one core's float32 FMA peak.
func BenchmarkPeakFMA(b *testing.B) {
	b.ReportAllocs()
	var flops float64
	for b.Loop() {
		flops += PeakFMA(10_000)
	}
	b.ReportMetric(flops/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}
