//go:build !race

package quant

import "testing"

// TestForwardZeroAlloc proves that a planned integer forward pass allocates
// nothing, with one worker and with several.
func TestForwardZeroAlloc(t *testing.T) {
	q := loadFixture(t)
	pixels := make([]uint8, 8*q.InputSize())
	for i := range pixels {
		pixels[i] = uint8(i * 7)
	}
	for _, workers := range []int{1, 2} {
		p := NewPlan(q, 8, workers)
		for _, n := range []int{1, 8} {
			if got := testing.AllocsPerRun(50, func() { p.Forward(pixels, n) }); got != 0 {
				t.Errorf("workers %d batch %d: %v allocations per Forward, want 0", workers, n, got)
			}
		}
		p.Close()
	}
}
