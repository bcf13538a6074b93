package pool

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/edgeconv/edgeconv/internal/alloctest"
)

// TestRun checks that Run calls the function once per worker, with every
// index, and that the shares of a batch cover it without overlap.
func TestRun(t *testing.T) {
	for _, workers := range []int{1, 2, 3, 8} {
		p := New(workers)
		if p.Workers() != workers {
			t.Fatalf("Workers() = %d, want %d", p.Workers(), workers)
		}
		calls := make([]atomic.Int32, workers)
		for range 3 {
			p.Run(func(w int) { calls[w].Add(1) })
		}
		for w := range calls {
			if got := calls[w].Load(); got != 3 {
				t.Errorf("workers=%d: worker %d ran %d times, want 3", workers, w, got)
			}
		}
		for _, n := range []int{0, 1, 2, 7, 100} {
			next := 0
			for w := range workers {
				lo, hi := p.Share(w, n)
				if lo != next || hi < lo || hi-lo > n/workers+1 {
					t.Errorf("workers=%d n=%d: worker %d has [%d, %d), want it to start at %d", workers, n, w, lo, hi, next)
				}
				next = hi
			}
			if next != n {
				t.Errorf("workers=%d n=%d: the shares end at %d", workers, n, next)
			}
		}
		p.Close()
		p.Close()
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("workers=%d: Run after Close did not panic", workers)
				}
			}()
			p.Run(func(int) {})
		}()
	}
}

// TestRunAllocs checks that a Run of a func value made once allocates
// nothing.
func TestRunAllocs(t *testing.T) {
	p := New(3)
	defer p.Close()
	var sink [3]int
	fn := func(w int) { sink[w]++ }
	alloctest.Zero(t, "Run", 0, 100, func() { p.Run(fn) })
}

// TestRunAfterSleep hands out work while the workers still poll for it
// (Runs back to back) and after they have gone to sleep (a pause longer
// than spin), and closes the pool in both states: every worker runs each
// job once, whether it was awake or woken.
func TestRunAfterSleep(t *testing.T) {
	for _, pause := range []time.Duration{0, 3 * spin} {
		p := New(4)
		var calls [4]atomic.Int32
		for range 5 {
			p.Run(func(w int) { calls[w].Add(1) })
			time.Sleep(pause)
		}
		for w := range calls {
			if got := calls[w].Load(); got != 5 {
				t.Errorf("pause %v: worker %d ran %d times, want 5", pause, w, got)
			}
		}
		p.Close()
	}
}
