//go:build !purego

package kernel

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestSgemmTileAdjacent checks that sgemm12x6AdjAVX2 computes the bits of
// sgemm12x6AVX2 on rows of A adjacent in memory (rsa = 1), for odd step
// counts and column strides, storing and accumulating, with zeros and
// negative zeros among the values, and that sgemmTileAdjacent takes it
// exactly for that shape.
func TestSgemmTileAdjacent(t *testing.T) {
	if !useAVX2 {
		t.Skip("no AVX2")
	}
	rng := rand.New(rand.NewPCG(14, 15))
	value := func() float32 {
		switch rng.IntN(8) {
		case 0:
			return 0
		case 1:
			return float32(math.Copysign(0, -1))
		}
		return rng.Float32()*2 - 1
	}
	for _, k := range []int{0, 1, 2, 7, 31, 256} {
		for _, csa := range []int{12, 13, 36, 37} {
			for _, load := range []bool{false, true} {
				a := make([]float32, max(k, 1)*csa)
				for i := range a {
					a[i] = value()
				}
				const rsb, ldc = 6, 7
				b := make([]float32, max(k, 1)*rsb)
				for i := range b {
					b[i] = value()
				}
				want, got := make([]float32, 12*ldc), make([]float32, 12*ldc)
				for i := range want {
					want[i] = value()
					got[i] = want[i]
				}
				sgemm12x6AVX2(k, 1, &a[0], 1, csa, 0, &b[0], rsb, &want[0], ldc, 6, load, 0)
				if !sgemmTileAdjacent(6, 12, k, &a[0], 1, csa, &b[0], rsb, &got[0], ldc, 6, load) {
					t.Fatal("sgemmTileAdjacent did not take the 12×6 tile with rsa = 1")
				}
				for i := range want {
					if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
						t.Fatalf("k=%d csa=%d load=%v: c[%d] = %v, want sgemm12x6AVX2's %v", k, csa, load, i, got[i], want[i])
					}
				}
			}
		}
	}
	for _, c := range []struct{ w, mr, rsa int }{{6, 11, 1}, {6, 12, 2}, {12, 6, 1}} {
		var x float32
		if sgemmTileAdjacent(c.w, c.mr, 1, &x, c.rsa, 1, &x, 1, &x, 1, c.w, false) {
			t.Errorf("sgemmTileAdjacent took a %d×%d tile with rsa = %d", c.mr, c.w, c.rsa)
		}
	}
}
