//go:build !race

package metrics

import (
	"strings"
	"testing"

	"github.com/edgeconv/edgeconv/firmware"
	"github.com/edgeconv/edgeconv/internal/alloctest"
	"github.com/edgeconv/edgeconv/internal/looptest"
)

// TestLoopAllocs proves that the metrics keep the camera loop free of
// allocations: the readings, their confidences and the stage timings are
// counted without allocating.
func TestLoopAllocs(t *testing.T) {
	alloctest.SkipShort(t)
	m := New(Options{})
	_, step := looptest.Stepper(t, firmware.Output(m))
	alloctest.Zero(t, "one loop iteration with the metrics", 4, 20, step)
	if out := scrape(t, m); !strings.Contains(out, "edgeconv_readings_total 25\n") {
		t.Errorf("the readings were not all counted:\n%s", out)
	}
}
