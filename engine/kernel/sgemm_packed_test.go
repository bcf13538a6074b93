package kernel

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/edgeconv/edgeconv/internal/alloctest"
)

// packedRunner returns a function with Sgemm's signature that packs B with
// PackB into a guarded buffer, checks the guards, and calls SgemmPacked.
func packedRunner(t testing.TB) func(transA, transB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int, accumulate bool, scratch []float32) {
	return func(transA, transB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int, accumulate bool, scratch []float32) {
		t.Helper()
		size := PackedBLen(k, n)
		buf := make([]float32, size+2*guardLen)
		for i := range buf {
			buf[i] = sentinel
		}
		packed := buf[guardLen : guardLen+size : guardLen+size]
		PackB(transB, k, n, b, ldb, packed)
		for _, i := range []int{0, guardLen - 1, guardLen + size, len(buf) - 1} {
			if math.Float32bits(buf[i]) != math.Float32bits(sentinel) {
				t.Fatalf("PackB wrote outside PackedBLen at %d (k=%d n=%d transB=%v)", i-guardLen, k, n, transB)
			}
		}
		SgemmPacked(transA, m, n, k, a, lda, packed, c, ldc, accumulate)
	}
}

func TestSgemmPacked(t *testing.T) {
	cases := sweepCases()
	for _, s := range netShapes {
		if !bigShape(s) {
			cases = append(cases, sgemmCase{name: s.name, transA: s.transA, transB: s.transB, m: s.m, n: s.n, k: s.k, accumulate: true})
		}
	}
	eachImpl(t, familyFloat32, func(t *testing.T, impl string) {
		run := packedRunner(t)
		for ci, tc := range cases {
			// The Go tiles are slow under emulation: keep them to small
			// products, and all of them to the non-big net shapes.
			if impl == "Generic" && tc.flops() > 2e6 || testing.Short() && tc.flops() > 20e6 {
				continue
			}
			newSgemmOperands(tc, testSeed+uint64(ci)).run(t, "SgemmPacked/"+impl, run)
		}
	})
}

// TestPackBPart checks that PackBPart's parts together pack what PackB
// packs, bit for bit, on shapes of several blocks of columns and slices of k
// with tails, both transpositions, into the same PackedBLen, and that they
// leave alone what PackB leaves alone (PackedBLen is an upper bound).
func TestPackBPart(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 7))
	for _, sh := range [][2]int{{1, 1}, {5, 7}, {37, 29}, {300, 250}, {200, 1176}, {513, 491}} {
		k, n := sh[0], sh[1]
		for _, transB := range []bool{false, true} {
			ldb := n + 3
			if transB {
				ldb = k + 3
			}
			b := newGuarded(rng, max(k, n), ldb, ldb).view()
			want := make([]float32, PackedBLen(k, n))
			for i := range want {
				want[i] = sentinel
			}
			PackB(transB, k, n, b, ldb, want)
			for parts := 1; parts <= 5; parts++ {
				got := make([]float32, len(want))
				for i := range got {
					got[i] = sentinel
				}
				for part := range parts {
					PackBPart(transB, k, n, b, ldb, got, part, parts)
				}
				for i := range got {
					if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
						t.Fatalf("k=%d n=%d transB=%v parts=%d: packed[%d] = %v, want %v", k, n, transB, parts, i, got[i], want[i])
					}
				}
			}
		}
	}
}

func TestSgemmPackedAllocs(t *testing.T) {
	if testing.CoverMode() != "" {
		t.Skip("coverage instrumentation")
	}
	const m, n, k = 30, 200, 300
	rng := rand.New(rand.NewPCG(4, 5))
	a := newGuarded(rng, m, k, k).view()
	b := newGuarded(rng, k, n, n).view()
	c := make([]float32, m*n)
	packed := make([]float32, PackedBLen(k, n))
	alloctest.Zero(t, "PackB+SgemmPacked", 0, 20, func() {
		PackB(false, k, n, b, n, packed)
		SgemmPacked(false, m, n, k, a, k, packed, c, n, true)
	})
}

func TestSgemmPackedPanics(t *testing.T) {
	a := make([]float32, 12)
	b := make([]float32, 12)
	c := make([]float32, 9)
	packed := make([]float32, PackedBLen(4, 3))
	wantPanics(t, []panicCase{
		{errNegativeDim, func() { PackB(false, -1, 3, b, 3, packed) }},
		{errShortSlice, func() { PackB(true, 4, 3, b[:11], 4, packed) }},
		{errShortPacked, func() { PackB(false, 4, 3, b, 3, packed[:len(packed)-1]) }},
		{errBadPart, func() { PackBPart(false, 4, 3, b, 3, packed, 2, 2) }},
		{errBadPart, func() { PackBPart(false, 4, 3, b, 3, packed, 0, 0) }},
		{errShortPacked, func() { SgemmPacked(false, 3, 3, 4, a, 4, packed[:len(packed)-1], c, 3, false) }},
		{errShortSlice, func() { SgemmPacked(true, 3, 3, 4, a[:11], 3, packed, c, 3, false) }},
		{errBadStride, func() { SgemmPacked(false, 3, 3, 4, a, 4, packed, c, 2, false) }},
	})
}

// BenchmarkSgemmPacked times SgemmPacked (B packed once, outside the loop)
// on the seed99 forward shapes, with each implementation's tiles (Go tiles
// for Generic).
func BenchmarkSgemmPacked(b *testing.B) {
	eachImpl(b, familyFloat32, func(b *testing.B, _ string) {
		for _, s := range netShapes {
			if !strings.HasPrefix(s.name, "seed99-") || !strings.Contains(s.name, "-fwd") {
				continue
			}
			b.Run(strings.TrimPrefix(s.name, "seed99-"), func(b *testing.B) {
				rng := rand.New(rand.NewPCG(1, 2))
				a := newGuarded(rng, s.m, s.k, s.k).view()
				bm := newGuarded(rng, s.k, s.n, s.n).view()
				c := make([]float32, s.m*s.n)
				packed := make([]float32, PackedBLen(s.k, s.n))
				PackB(false, s.k, s.n, bm, s.n, packed)
				b.ReportAllocs()
				for b.Loop() {
					SgemmPacked(false, s.m, s.n, s.k, a, s.k, packed, c, s.n, false)
				}
				b.ReportMetric(s.flops()*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		}
	})
}
