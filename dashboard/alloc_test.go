//go:build !race

package dashboard

import (
	"testing"

	"github.com/edgeconv/edgeconv/internal/alloctest"
)

// TestStepHookZeroAlloc: the recorder's Step hook adds nothing to the
// training step's allocations (none) between its points; only a step that
// ends a point may allocate (the point's append and the clients' wake-up).
func TestStepHookZeroAlloc(t *testing.T) {
	trainSet, testSet := data(t)
	tr := smallTrainer(t, 1000, 1, trainSet, testSet)
	const every = 100 // more than the steps AllocsPerRun takes
	rec := NewRecorder(&History{}, tr.Net, testSet, tr.Batch, every)
	rec.Start(0)
	step := func() {
		loss, correct := tr.Step()
		rec.Step(tr.Iter, loss, tr.LearningRate(), correct)
	}
	alloctest.Zero(t, "a training step with the recorder's hook", 0, 50, step)
	// The point itself is recorded outside the zero-allocation steps.
	for tr.Iter%every != every-1 {
		step()
	}
	step()
	if h := rec.History(); len(h.Train) != 1 || h.Train[0].Iter != every {
		t.Errorf("%d training points: want one at %d", len(h.Train), every)
	}
}
