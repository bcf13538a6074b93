//go:build unix

package camera

import (
	"fmt"
	"testing"
)

// BenchmarkRPiCam measures one Capture through the pipe from the stand-in,
// which writes frames as fast as they are read: the cost of the pipe and of
// the copy of the Y plane, not of a camera.
func BenchmarkRPiCam(b *testing.B) {
	exe := buildFake(b)
	for _, size := range [][2]int{{640, 480}, {780, 360}} {
		w, h := size[0], size[1]
		b.Run(fmt.Sprintf("%dx%d", w, h), func(b *testing.B) {
			o := fakeOpts(exe, "FAKERPICAM_FRAMES="+writeFakeFrames(b, 2, w, h))
			o.Width, o.Height = w, h
			c, err := NewRPiCam(o)
			if err != nil {
				b.Fatal(err)
			}
			defer c.Close()
			dst := NewFrame(c)
			if err := c.Capture(dst); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.SetBytes(int64(c.lay.frameSize()))
			for b.Loop() {
				if err := c.Capture(dst); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
