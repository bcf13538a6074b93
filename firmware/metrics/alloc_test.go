//go:build !race

package metrics

import (
	"strings"
	"testing"

	"github.com/edgeconv/edgeconv/firmware"
	"github.com/edgeconv/edgeconv/internal/looptest"
)

// TestLoopAllocs proves that the metrics keep the camera loop free of
// allocations: the readings, their confidences and the stage timings are
// counted without allocating.
func TestLoopAllocs(t *testing.T) {
	if testing.Short() {
		t.Skip("allocation test skipped in -short mode")
	}
	m := New(Options{})
	_, step := looptest.Stepper(t, firmware.Output(m))
	for range 4 {
		step()
	}
	if allocs := testing.AllocsPerRun(20, step); allocs != 0 {
		t.Errorf("one loop iteration with the metrics: %v allocations, want 0", allocs)
	}
	if out := scrape(t, m); !strings.Contains(out, "edgeconv_readings_total 25\n") {
		t.Errorf("the readings were not all counted:\n%s", out)
	}
}
