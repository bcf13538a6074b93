//go:build !race

package mqtt

import (
	"testing"

	"github.com/edgeconv/edgeconv/internal/alloctest"
	"github.com/edgeconv/edgeconv/internal/looptest"
)

// TestLoopAllocs proves that the publisher keeps the camera loop free of
// allocations: iterations whose reading changes every frame, queued for a
// broker that is away and dropped from the full queue, allocate nothing.
func TestLoopAllocs(t *testing.T) {
	alloctest.SkipShort(t)
	p, err := New(Options{Broker: "tcp://127.0.0.1:1", Device: "meter1", Queue: 4})
	if err != nil {
		t.Fatal(err)
	}
	_, step := looptest.Stepper(t, p)
	for range 8 {
		step()
	}
	before := p.State()
	const runs = 20
	alloctest.Zero(t, "one loop iteration with the publisher", 0, runs, step)
	// Zero's AllocsPerRun runs the function once more to warm up.
	if st := p.State(); st.Queued != 4 || st.Dropped != before.Dropped+runs+1 {
		t.Errorf("the readings were not all queued: %+v, then %+v", before, st)
	}
}
