// Package benchmedian reports the median time of a benchmark's calls beside
// the mean that testing prints: on a shared machine a few slow calls move
// the mean, and the figures the project quotes are medians.
package benchmedian

import (
	"slices"
	"testing"
	"time"
)

// Run calls fn once to warm up (buffers sized for the input), then b.N
// times under the timer, and reports the median time per call as
// "median-ms" (of the first 1,024 calls) and the allocations.
func Run(b *testing.B, fn func()) {
	b.ReportAllocs()
	times := make([]time.Duration, 0, 1024)
	fn()
	b.ResetTimer()
	for b.Loop() {
		t := time.Now()
		fn()
		if len(times) < cap(times) {
			times = append(times, time.Since(t))
		}
	}
	slices.Sort(times)
	if len(times) > 0 {
		b.ReportMetric(float64(times[len(times)/2])/1e6, "median-ms")
	}
}
