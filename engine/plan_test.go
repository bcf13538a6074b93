package engine

import (
	"slices"
	"testing"
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
