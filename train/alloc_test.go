//go:build !race

package train

import "testing"

// TestStepZeroAlloc proves that a whole training step (batch assembly,
// forward with dropout, loss, backward, gradient reduction, Adam update)
// allocates nothing once the trainer exists, also with augmentation and
// with synthetic samples and the stroke augmentation of an 11-class run,
// and with the elastic distortion.
func TestStepZeroAlloc(t *testing.T) {
	trainSet := loadOrSkip(t, Train).Subset(0, 1000)
	for _, c := range []struct {
		workers int
		augment bool
		elastic float64
		synth   Synth
	}{{1, false, 0, Synth{}}, {2, true, 0, Synth{}}, {2, true, 2, Synth{}}, {2, true, 0, Synth{Negatives: 200, Digits: 100, Strokes: true}}} {
		cfg := smallConfig(t, 1000)
		cfg.Workers, cfg.Augment, cfg.Elastic, cfg.Synth = c.workers, c.augment, c.elastic, c.synth
		if c.synth.Negatives > 0 {
			cfg.Spec = elevenClasses(t)
		}
		tr, err := NewTrainer(cfg, trainSet, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got := testing.AllocsPerRun(20, func() { tr.Step() }); got != 0 {
			t.Errorf("%+v: %v allocations per step, want 0", c, got)
		}
		tr.Close()
	}
}
