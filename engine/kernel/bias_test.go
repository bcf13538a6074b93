package kernel

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestAddBias compares AddBias with the Go reference for biases shorter
// than, as long as and longer than x, lengths below, at and above the SIMD
// block, with and without the ReLU, sums that are negative, zero or NaN,
// inside guard bands that must not change.
func TestAddBias(t *testing.T) {
	eachImplSeeded(t, familyFloat32, 12, func(t *testing.T, rng *rand.Rand) {
		for _, relu := range []bool{false, true} {
			for n := range 4*reluBlock + 3 {
				for _, nb := range []int{1, 6, 8, 12, 24, n, n + 5} {
					if nb == 0 {
						continue
					}
					bias := make([]float32, nb)
					for i := range bias {
						bias[i] = rng.Float32()*2 - 1
					}
					nan := func(x []float32) {
						if n > 2 {
							x[1], bias[1%nb] = float32(math.NaN()), 0.5
						}
					}
					ref := func(x []float32) {
						for j := 0; j < n; j += nb {
							addBiasGeneric(x[j:min(j+nb, n)], bias, relu)
						}
					}
					x, want, orig := inPlace(t, rng, n, nan, ref, func(x []float32) { AddBias(x, bias, relu) })
					for i, g := range x {
						if !sameOrNaN(g, want[i]) {
							t.Fatalf("relu %v, n %d, bias %d: x[%d] = %v, want %v", relu, n, nb, i, g, want[i])
						}
						sum := orig[i] + bias[i%nb]
						if relu && sum < 0 {
							sum = 0
						}
						if orig[i] == orig[i] && g != sum {
							t.Fatalf("relu %v, n %d, bias %d: x[%d] = %v, want %v + %v", relu, n, nb, i, g, orig[i], bias[i%nb])
						}
					}
				}
			}
		}
		wantPanic(t, "empty bias", errShortSlice, func() { AddBias(make([]float32, 3), nil, true) })
	})
}
