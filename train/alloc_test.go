//go:build !race

package train

import "testing"

// TestStepZeroAlloc proves that a whole training step (batch assembly,
// forward with dropout, loss, backward, gradient reduction, Adam update)
// allocates nothing once the trainer exists.
func TestStepZeroAlloc(t *testing.T) {
	trainSet := loadOrSkip(t, Train).Subset(0, 1000)
	cfg := smallConfig(t, 1000)
	for _, workers := range []int{1, 2} {
		cfg.Workers = workers
		cfg.Augment = workers == 2
		tr, err := NewTrainer(cfg, trainSet, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got := testing.AllocsPerRun(20, func() { tr.Step() }); got != 0 {
			t.Errorf("workers=%d: %v allocations per step, want 0", workers, got)
		}
		tr.Close()
	}
}
