package kernel

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestRelu compares Relu with the Go reference on lengths below, at and
// above the SIMD block, with NaN, ±0 and ±Inf among the values, inside guard
// bands that must not change.
func TestRelu(t *testing.T) {
	eachImpl(t, familyFloat32, func(t *testing.T, _ string) {
		rng := rand.New(rand.NewPCG(8, 9))
		special := []float32{0, float32(math.Copysign(0, -1)), float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)), -1e-40, 1e-40}
		for n := range 3*reluBlock*4 + 3 {
			all, x := windowBuf(rng, n)
			sprinkle(rng, x, special)
			want := slices.Clone(x)
			reluGeneric(want)
			base := slices.Clone(all)
			Relu(x)
			checkWindowGuards(t, all, base, n)
			for i := range x {
				g, w := x[i], want[i]
				if g != w && !(g != g && w != w) { // NaN stays NaN; −0 may become +0 (FMAX)
					t.Fatalf("n=%d: x[%d] = %v, want %v", n, i, g, w)
				}
			}
		}
	})
}

// TestReluGrad compares ReluGrad with the Go reference on lengths below, at
// and above the SIMD block, out holding ReLU outputs (positive, ±0, +Inf,
// subnormals) and also negatives, inside guard bands that must not change.
func TestReluGrad(t *testing.T) {
	eachImpl(t, familyFloat32, func(t *testing.T, _ string) {
		rng := rand.New(rand.NewPCG(10, 11))
		special := []float32{0, float32(math.Copysign(0, -1)), float32(math.Inf(1)), float32(math.Inf(-1)), -1e-40, 1e-40, -1}
		for n := range 3*reluBlock*4 + 3 {
			_, out := windowBuf(rng, n)
			sprinkle(rng, out, special)
			all, d := windowBuf(rng, n)
			want := slices.Clone(d)
			reluGradGeneric(want, out)
			base := slices.Clone(all)
			ReluGrad(d, out)
			checkWindowGuards(t, all, base, n)
			for i := range d {
				if math.Float32bits(d[i]) != math.Float32bits(want[i]) {
					t.Fatalf("n=%d: d[%d] = %v, want %v (out %v)", n, i, d[i], want[i], out[i])
				}
				orig := base[windowGuard+i]
				if keep := out[i] > 0; keep && d[i] != orig || !keep && math.Float32bits(d[i]) != 0 {
					t.Fatalf("n=%d: d[%d] = %v for out %v, gradient %v", n, i, d[i], out[i], orig)
				}
			}
		}
	})
}
