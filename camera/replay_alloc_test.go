//go:build !race

package camera

import (
	"testing"
)

// TestReplayAllocs proves that capturing from a recording allocates nothing
// once it runs (the race detector allocates, hence the build tag).
func TestReplayAllocs(t *testing.T) {
	for _, tc := range replayCases() {
		t.Run(tc.name, func(t *testing.T) {
			r, err := tc.open(&ReplayOpts{Loop: true})
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			dst := NewFrame(r)
			var cerr error
			got := testing.AllocsPerRun(3*tc.n, func() {
				if err := r.Capture(dst); err != nil {
					cerr = err
				}
			})
			if cerr != nil {
				t.Fatal(cerr)
			}
			if got != 0 {
				t.Fatalf("Capture allocates %v times per frame, want 0", got)
			}
		})
	}
}
