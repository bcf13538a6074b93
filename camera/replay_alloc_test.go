//go:build !race

package camera

import (
	"bytes"
	"image/jpeg"
	"testing"
)

// TestReplayAllocs proves that capturing from a recording allocates nothing
// once it runs (the race detector allocates, hence the build tag).
func TestReplayAllocs(t *testing.T) {
	for _, tc := range replayCases() {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.mustOpen(t, &ReplayOpts{Loop: true})
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

// TestMJPEGAllocs proves that decoding webcam MJPEG frames, without Huffman
// tables as webcams send them, allocates nothing once the first is done.
func TestMJPEGAllocs(t *testing.T) {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, fixtureFrame(2, 64, 48), &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	data := stripDHT(t, b.Bytes())
	var m mjpegDecoder
	dst := newFrame(64, 48)
	if err := m.decode(dst, data); err != nil {
		t.Fatal(err)
	}
	var err error
	if n := testing.AllocsPerRun(20, func() { err = m.decode(dst, data) }); n != 0 || err != nil {
		t.Fatalf("%v allocations per frame (err %v), want 0", n, err)
	}
}

// TestYUYVAllocs proves that converting a webcam's YUYV frame allocates
// nothing (the V4L2 Capture around it needs a device to test).
func TestYUYVAllocs(t *testing.T) {
	const w, h = 640, 480
	buf := make([]byte, 2*w*h)
	dst := newFrame(w, h)
	if n := testing.AllocsPerRun(10, func() { yuyvToFrame(dst, buf, 2*w, w, h) }); n != 0 {
		t.Fatalf("%v allocations per frame, want 0", n)
	}
}
