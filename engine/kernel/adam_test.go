package kernel

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestAdam compares Adam with the Go reference bit for bit on lengths
// below, at and above the SIMD block, over several steps (so that the
// moments carry over), with zero, tiny (subnormal squares) and large
// gradients among the values, inside guard bands that must not change.
func TestAdam(t *testing.T) {
	special := []float32{0, float32(math.Copysign(0, -1)), 1e-30, -3e-25, 1e4, -7e5}
	const b1, b2, eps = 0.9, 0.999, 1e-8
	eachImplSeeded(t, familyFloat32, 12, func(t *testing.T, rng *rand.Rand) {
		for n := range 4*adamBlock + 3 {
			withGuards(t, rng, n, 3, func(x [][]float32) {
				p, m, v := x[0], x[1], x[2]
				clear(m)
				clear(v)
				wantP, wantM, wantV := slices.Clone(p), slices.Clone(m), slices.Clone(v)
				for step := range 3 {
					_, g := windowBuf(rng, n)
					sprinkle(rng, g, special)
					lrt := float32(0.003) * float32(step+1)
					adamGeneric(wantP, g, wantM, wantV, b1, b2, eps, lrt)
					Adam(p, g, m, v, b1, b2, eps, lrt)
					for i := range p {
						if math.Float32bits(p[i]) != math.Float32bits(wantP[i]) ||
							math.Float32bits(m[i]) != math.Float32bits(wantM[i]) ||
							math.Float32bits(v[i]) != math.Float32bits(wantV[i]) {
							t.Fatalf("n=%d step %d: [%d] params, m, v = %v %v %v, want %v %v %v",
								n, step, i, p[i], m[i], v[i], wantP[i], wantM[i], wantV[i])
						}
					}
				}
			})
		}
	})
}

// TestAdamShort checks that Adam panics when a slice is shorter than
// params.
func TestAdamShort(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("no panic")
		}
	}()
	Adam(make([]float32, 9), make([]float32, 9), make([]float32, 8), make([]float32, 9), 0.9, 0.999, 1e-8, 1)
}

// BenchmarkAdam times Adam on one worker's share of seed99's parameters
// (about 122,000 of 244,000 with two workers), each implementation.
func BenchmarkAdam(b *testing.B) {
	const n = 122_000
	p, g, m, v := make([]float32, n), make([]float32, n), make([]float32, n), make([]float32, n)
	for i := range g {
		g[i] = float32(i%97) * 1e-3
	}
	eachImpl(b, familyFloat32, func(b *testing.B, _ string) {
		b.SetBytes(5 * 4 * n)
		for b.Loop() {
			Adam(p, g, m, v, 0.9, 0.999, 1e-8, 1e-3)
		}
	})
}
