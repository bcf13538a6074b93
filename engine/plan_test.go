package engine

import (
	"math"
	"slices"
	"testing"

	"github.com/edgeconv/edgeconv/engine/kernel"
)

// TestPlanRepacks checks the packing contract: an inference plan keeps the
// weights it packed until Network.ParamsChanged, then computes with the new
// ones exactly as a fresh plan does; a training plan always uses the current
// weights.
func TestPlanRepacks(t *testing.T) {
	net := testNet(t, "input 9x9x2; conv 3x3 4 s2 relu; dense 5 relu; dense 3")
	net.Init(1)
	const n = 2
	x := make([]float32, n*net.InputSize())
	for i := range x {
		x[i] = float32(i%7) / 7
	}
	infer := NewPlan(net, n, PlanOptions{Workers: 1})
	defer infer.Close()
	trainPlan := NewPlan(net, n, PlanOptions{Workers: 1, Training: true})
	defer trainPlan.Close()
	before := slices.Clone(infer.Forward(x, n))

	for i := range net.Params {
		net.Params[i] *= -1.5
	}
	if got := infer.Forward(x, n); !slices.Equal(got, before) {
		t.Error("an inference plan changed its result before ParamsChanged")
	}
	fresh := NewPlan(net, n, PlanOptions{Workers: 1})
	defer fresh.Close()
	want := slices.Clone(fresh.Forward(x, n))
	if slices.Equal(want, before) {
		t.Fatal("the change of parameters does not change the logits; the test proves nothing")
	}
	if got := trainPlan.Forward(x, n); !slices.Equal(got, want) {
		t.Errorf("training plan: got %v, want %v", got, want)
	}
	net.ParamsChanged()
	if got := infer.Forward(x, n); !slices.Equal(got, want) {
		t.Errorf("after ParamsChanged: got %v, want %v", got, want)
	}
}

// TestGroupedConv checks the pixel grouping of the forward pass against
// plain im2col, whatever group the kernels of this build would choose: for
// g adjacent pixels per row, cols_g · groupedWeights = cols_1 · w, on
// stride 1 and 2, SAME and VALID padding and several channel counts.
func TestGroupedConv(t *testing.T) {
	specs := []string{
		"input 28x28x1; conv 6x6 6 s1 relu; dense 2",
		"input 12x12x3; conv 5x5 4 s2; dense 2",
		"input 9x12x2; conv 3x4 3 s1 valid; dense 2",
		"input 8x8x5; conv 2x2 2 s2 valid; dense 2",
	}
	for _, text := range specs {
		net := testNet(t, text)
		net.Init(4)
		l := &net.layers[0]
		const n = 2
		x := make([]float32, n*net.InputSize())
		for i := range x {
			x[i] = float32((i*37)%101)/50 - 1
		}
		w := net.Params[l.wOff : l.wOff+l.wLen]
		rows := n * l.out.H * l.out.W
		want := make([]float32, rows*l.out.C)
		cols := make([]float32, rows*l.k()+copyBlock)
		pad := make([]float32, paddedLen(l))
		padded := -1
		im2col(l, 1, x, 0, rows, cols, pad, &padded)
		kernel.Sgemm(false, false, rows, l.out.C, l.k(), cols, l.k(), w, l.out.C, want, l.out.C, false,
			make([]float32, kernel.SgemmScratchLen(rows, l.out.C, l.k())))
		for g := 2; g <= 4; g++ {
			if l.out.W%g != 0 {
				continue
			}
			K, N, m := groupedK(l, g), g*l.out.C, rows/g
			wg := make([]float32, K*N)
			groupedWeights(l, g, w, wg)
			colsG := make([]float32, m*K+copyBlock)
			padded = -1
			im2col(l, g, x, 0, rows, colsG, pad, &padded)
			got := make([]float32, rows*l.out.C)
			kernel.Sgemm(false, false, m, N, K, colsG, K, wg, N, got, N, false,
				make([]float32, kernel.SgemmScratchLen(m, N, K)))
			for i := range want {
				if d := math.Abs(float64(got[i] - want[i])); d > 1e-5 {
					t.Fatalf("%s, g=%d: output %d = %v, want %v", text, g, i, got[i], want[i])
				}
			}
		}
	}
}
