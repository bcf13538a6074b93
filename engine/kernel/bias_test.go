package kernel

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestAddBias compares AddBias with the Go reference for biases shorter
// than, as long as and longer than x, lengths below, at and above the SIMD
// block, with and without the ReLU, sums that are negative, zero or NaN,
// inside guard bands that must not change.
func TestAddBias(t *testing.T) {
	eachImpl(t, familyFloat32, func(t *testing.T, _ string) {
		rng := rand.New(rand.NewPCG(12, 13))
		for _, relu := range []bool{false, true} {
			for n := range 4*reluBlock + 3 {
				for _, nb := range []int{1, 6, 8, 12, 24, n, n + 5} {
					if nb == 0 {
						continue
					}
					all, x := windowBuf(rng, n)
					bias := make([]float32, nb)
					for i := range bias {
						bias[i] = rng.Float32()*2 - 1
					}
					if n > 2 {
						x[1], bias[1%nb] = float32(math.NaN()), 0.5
					}
					want := slices.Clone(x)
					for j := 0; j < n; j += nb {
						addBiasGeneric(want[j:min(j+nb, n)], bias, relu)
					}
					base := slices.Clone(all)
					AddBias(x, bias, relu)
					checkWindowGuards(t, all, base, n)
					for i := range x {
						g, w := x[i], want[i]
						if g != w && !(g != g && w != w) { // NaN stays NaN; −0 may become +0 (FMAX)
							t.Fatalf("relu %v, n %d, bias %d: x[%d] = %v, want %v", relu, n, nb, i, g, w)
						}
						orig := base[windowGuard+i]
						sum := orig + bias[i%nb]
						if relu && sum < 0 {
							sum = 0
						}
						if orig == orig && g != sum {
							t.Fatalf("relu %v, n %d, bias %d: x[%d] = %v, want %v + %v", relu, n, nb, i, g, orig, bias[i%nb])
						}
					}
				}
			}
		}
		wantPanic(t, "empty bias", errShortSlice, func() { AddBias(make([]float32, 3), nil, true) })
	})
}
