//go:build unix && !race

package camera

import "testing"

// TestRPiCamAllocs proves that reading frames from the camera program's pipe
// allocates nothing.
func TestRPiCamAllocs(t *testing.T) {
	exe := buildFake(t)
	for _, size := range [][2]int{{fixW, fixH}, {640, 480}} {
		o := fakeOpts(exe, "FAKERPICAM_FRAMES="+writeFakeFrames(t, 2, size[0], size[1]))
		o.Width, o.Height = size[0], size[1]
		c := openFake(t, o)
		dst := NewFrame(c)
		if err := c.Capture(dst); err != nil { // Past the start.
			t.Fatal(err)
		}
		var cerr error
		got := testing.AllocsPerRun(50, func() {
			if err := c.Capture(dst); err != nil {
				cerr = err
			}
		})
		if cerr != nil {
			t.Fatal(cerr)
		}
		if got != 0 {
			t.Fatalf("%dx%d: Capture allocates %v times per frame, want 0", size[0], size[1], got)
		}
	}
}
