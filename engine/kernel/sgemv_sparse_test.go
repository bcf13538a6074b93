package kernel

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/edgeconv/edgeconv/internal/alloctest"
)

// TestSgemvPackedSparse checks that SgemvPackedSparse gives SgemmPacked's
// bits for one row, whatever share of the row is zero (some of the zeros
// −0), over widths that end on every tile (sparse twins and exact tiles
// without one), several slices of k, and a second block of columns.
func TestSgemvPackedSparse(t *testing.T) {
	ns := []int{1, 4, 6, 8, 10, 12, 16, 20, 24, 36, 200, 250, 490}
	ks := []int{1, 3, 7, 8, 100, 256, 257, 600, 1176}
	if testing.Short() {
		ns, ks = []int{6, 10, 12, 200, 250}, []int{3, 257, 1176}
	}
	eachImpl(t, familyFloat32, func(t *testing.T, impl string) {
		rng := rand.New(rand.NewPCG(7, 8))
		for _, n := range ns {
			for _, k := range ks {
				b := make([]float32, k*n)
				for i := range b {
					b[i] = rng.Float32()*2 - 1
				}
				packed := make([]float32, PackedBLen(k, n))
				PackB(false, k, n, b, n, packed)
				a := make([]float32, k)
				for _, zeros := range []float64{0, 0.5, 0.9, 1} {
					for i := range a {
						switch r := rng.Float64(); {
						case r < zeros/2:
							a[i] = float32(math.Copysign(0, -1))
						case r < zeros:
							a[i] = 0
						default:
							a[i] = rng.Float32()*2 - 1
						}
					}
					for _, acc := range []bool{false, true} {
						want := make([]float32, n+1)
						got := make([]float32, n+1)
						for j := range want {
							want[j] = float32(j) / 7
							got[j] = want[j]
						}
						SgemmPacked(false, 1, n, k, a, k, packed, want, n, acc)
						SgemvPackedSparse(n, k, a, packed, got[:n+1], acc)
						for j := range want {
							if math.Float32bits(got[j]) != math.Float32bits(want[j]) {
								t.Fatalf("%s n=%d k=%d zeros=%v accumulate=%v: c[%d] = %v, SgemmPacked %v",
									impl, n, k, zeros, acc, j, got[j], want[j])
							}
						}
					}
				}
			}
		}
	})
}

func TestSgemvPackedSparseAllocs(t *testing.T) {
	if testing.CoverMode() != "" {
		t.Skip("coverage instrumentation")
	}
	const n, k = 200, 1176
	rng := rand.New(rand.NewPCG(4, 5))
	a := newGuarded(rng, 1, k, k).view()
	for i := range a {
		a[i] = max(a[i], 0)
	}
	b := newGuarded(rng, k, n, n).view()
	c := make([]float32, n)
	packed := make([]float32, PackedBLen(k, n))
	PackB(false, k, n, b, n, packed)
	alloctest.Zero(t, "SgemvPackedSparse", 0, 20, func() {
		SgemvPackedSparse(n, k, a, packed, c, false)
	})
}

func TestSgemvPackedSparsePanics(t *testing.T) {
	a := make([]float32, 4)
	c := make([]float32, 3)
	packed := make([]float32, PackedBLen(4, 3))
	wantPanics(t, []panicCase{
		{errNegativeDim, func() { SgemvPackedSparse(-1, 4, a, packed, c, false) }},
		{errShortSlice, func() { SgemvPackedSparse(3, 4, a[:3], packed, c, false) }},
		{errShortSlice, func() { SgemvPackedSparse(3, 4, a, packed, c[:2], false) }},
		{errShortPacked, func() { SgemvPackedSparse(3, 4, a, packed[:len(packed)-1], c, false) }},
	})
}

// BenchmarkSgemvPackedSparse times seed99's first dense layer at batch 1
// (1176×200) with a quarter of its inputs nonzero, as on MNIST, against
// SgemmPacked on the same row.
func BenchmarkSgemvPackedSparse(b *testing.B) {
	const n, k = 200, 1176
	rng := rand.New(rand.NewPCG(1, 2))
	bm := newGuarded(rng, k, n, n).view()
	c := make([]float32, n)
	packed := make([]float32, PackedBLen(k, n))
	PackB(false, k, n, bm, n, packed)
	a := make([]float32, k)
	for _, dense := range []float32{0, 0.1, 0.25, 0.5, 1} {
		for i := range a {
			a[i] = 0
			if rng.Float32() < dense {
				a[i] = rng.Float32()
			}
		}
		b.Run(fmt.Sprintf("sparse-%v", dense), func(b *testing.B) {
			for b.Loop() {
				SgemvPackedSparse(n, k, a, packed, c, false)
			}
		})
	}
	b.Run("dense", func(b *testing.B) {
		for b.Loop() {
			SgemmPacked(false, 1, n, k, a, k, packed, c, n, false)
		}
	})
}
