package kernel

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestRelu compares Relu with the Go reference on lengths below, at and
// above the SIMD block, with NaN, ±0 and ±Inf among the values, inside guard
// bands that must not change.
func TestRelu(t *testing.T) {
	special := []float32{0, float32(math.Copysign(0, -1)), float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)), -1e-40, 1e-40}
	eachImplSeeded(t, familyFloat32, 8, func(t *testing.T, rng *rand.Rand) {
		for n := range 3*reluBlock*4 + 3 {
			x, want, _ := inPlace(t, rng, n, func(x []float32) { sprinkle(rng, x, special) }, reluGeneric, Relu)
			for i, g := range x {
				if !sameOrNaN(g, want[i]) {
					t.Fatalf("n=%d: x[%d] = %v, want %v", n, i, g, want[i])
				}
			}
		}
	})
}

// TestReluGrad compares ReluGrad with the Go reference on lengths below, at
// and above the SIMD block, out holding ReLU outputs (positive, ±0, +Inf,
// subnormals) and also negatives, inside guard bands that must not change.
func TestReluGrad(t *testing.T) {
	special := []float32{0, float32(math.Copysign(0, -1)), float32(math.Inf(1)), float32(math.Inf(-1)), -1e-40, 1e-40, -1}
	eachImplSeeded(t, familyFloat32, 10, func(t *testing.T, rng *rand.Rand) {
		for n := range 3*reluBlock*4 + 3 {
			_, out := windowBuf(rng, n)
			sprinkle(rng, out, special)
			d, want, orig := inPlace(t, rng, n, nil,
				func(d []float32) { reluGradGeneric(d, out) },
				func(d []float32) { ReluGrad(d, out) })
			for i := range d {
				if math.Float32bits(d[i]) != math.Float32bits(want[i]) {
					t.Fatalf("n=%d: d[%d] = %v, want %v (out %v)", n, i, d[i], want[i], out[i])
				}
				if keep := out[i] > 0; keep && d[i] != orig[i] || !keep && math.Float32bits(d[i]) != 0 {
					t.Fatalf("n=%d: d[%d] = %v for out %v, gradient %v", n, i, d[i], out[i], orig[i])
				}
			}
		}
	})
}
