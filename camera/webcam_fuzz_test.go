package camera

import (
	"bytes"
	"image/jpeg"
	"testing"
)

// FuzzMJPEG feeds arbitrary frames to the MJPEG decoder: errors are fine,
// panics are not.
func FuzzMJPEG(f *testing.F) {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, fixtureFrame(1, 32, 24), nil); err != nil {
		f.Fatal(err)
	}
	f.Add(b.Bytes())
	f.Add([]byte{0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x0B, 8, 0, 24, 0, 32, 1, 1, 0x11, 0, 0xFF, 0xDA})
	var m mjpegDecoder
	dst := newFrame(32, 24)
	f.Fuzz(func(t *testing.T, data []byte) {
		m.decode(dst, data)
	})
}
