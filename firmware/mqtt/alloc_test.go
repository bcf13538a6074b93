//go:build !race

package mqtt

import (
	"testing"

	"github.com/edgeconv/edgeconv/internal/looptest"
)

// TestLoopAllocs proves that the publisher keeps the camera loop free of
// allocations: iterations whose reading changes every frame, queued for a
// broker that is away and dropped from the full queue, allocate nothing.
func TestLoopAllocs(t *testing.T) {
	if testing.Short() {
		t.Skip("allocation test skipped in -short mode")
	}
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
	if allocs := testing.AllocsPerRun(runs, step); allocs != 0 {
		t.Errorf("one loop iteration with the publisher: %v allocations, want 0", allocs)
	}
	// AllocsPerRun runs the function once more to warm up.
	if st := p.State(); st.Queued != 4 || st.Dropped != before.Dropped+runs+1 {
		t.Errorf("the readings were not all queued: %+v, then %+v", before, st)
	}
}
