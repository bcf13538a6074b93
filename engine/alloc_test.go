//go:build !race

package engine

import (
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/edgeconv/edgeconv/internal/alloctest"
)

// TestZeroAlloc proves DESIGN.md's memory-plan claim: once a plan exists, a
// forward pass and a whole backward pass allocate nothing, with one worker
// and with several.
func TestZeroAlloc(t *testing.T) {
	for _, spec := range []string{
		seed99Spec,
		"conv 6x6 8 s1 bn relu; maxpool 2x2; conv 5x5 12 s1 bn relu; conv 4x4 16 s2 bn relu; dense 50 bn relu keep=0.75; dense 10",
	} {
		zeroAlloc(t, spec)
	}
}

func zeroAlloc(t *testing.T, spec string) {
	net := testNet(t, spec)
	const n = 8
	x := make([]float32, n*net.InputSize())
	labels := make([]uint8, n)
	for i := range x {
		x[i] = float32(i%255) / 255
	}
	for _, workers := range []int{1, 2} {
		infer := NewPlan(net, n, PlanOptions{Workers: workers})
		trainPlan := NewPlan(net, n, PlanOptions{Workers: workers, Training: true})
		seed := uint64(0)
		var updated atomic.Int64 // the workers call update concurrently
		update := func(lo, hi int) { updated.Add(int64(hi - lo)) }
		cases := []struct {
			desc string
			fn   func()
		}{
			{"Forward batch 1", func() { infer.Forward(x, 1) }},
			{"Forward batch 8", func() { infer.Forward(x, n) }},
			{"ForwardTrain+Loss+Backward", func() {
				seed++
				trainPlan.ForwardTrain(x, n, seed)
				trainPlan.Loss(labels)
				trainPlan.Backward()
			}},
			{"ForwardTrain+Loss+BackwardUpdate", func() {
				seed++
				trainPlan.ForwardTrain(x, n, seed)
				trainPlan.Loss(labels)
				trainPlan.BackwardUpdate(update)
			}},
		}
		for _, c := range cases {
			alloctest.Zero(t, fmt.Sprintf("%s: workers=%d %s", spec, workers, c.desc), 0, 20, c.fn)
		}
		if updated.Load() == 0 {
			t.Fatal("BackwardUpdate did not call its function")
		}
		infer.Close()
		trainPlan.Close()
	}
}
