package camera

import (
	"bytes"
	"errors"
	"image"
	"image/jpeg"
	"testing"

	"github.com/edgeconv/edgeconv/camera/internal/frametest"
)

// TestYUYVToFrame converts YUYV frames whose 4:2:2 chroma averages, pair
// of rows by pair of rows, to the fixture's 4:2:0 chroma (fixtureChroma),
// odd heights and padded rows included.
func TestYUYVToFrame(t *testing.T) {
	for _, size := range [][2]int{{6, 3}, {80, 60}, {10, 5}} {
		w, h := size[0], size[1]
		for _, stride := range []int{2 * w, 2*w + 4} {
			buf := make([]byte, stride*h)
			for i := range buf {
				buf[i] = 0xEE // Padding.
			}
			want := fixtureFrame(1, w, h)
			for y := 0; y < h; y++ {
				for x := 0; x < w; x++ {
					buf[y*stride+2*x] = want.Y[y*want.YStride+x]
				}
				for x := 0; x < w; x += 2 {
					// The 4:2:2 sample of the pair: exactly its mean.
					b0, r0 := fixtureChroma(1, x, y, w, h)
					b1, r1 := fixtureChroma(1, x+1, y, w, h)
					buf[y*stride+2*x+1] = uint8((int(b0) + int(b1)) / 2)
					buf[y*stride+2*x+3] = uint8((int(r0) + int(r1)) / 2)
				}
			}
			dst, guard := frametest.Guarded(w, h)
			yuyvToFrame(dst, buf, stride, w, h)
			if d, plane, x, y := frametest.MaxDiff(dst, want); d != 0 {
				t.Fatalf("%dx%d stride %d: %s sample (%d, %d) differs by %d", w, h, stride, plane, x, y, d)
			}
			if g := guard(); g != "" {
				t.Fatal(g)
			}
		}
	}
}

// stripDHT removes the Huffman tables of a JPEG, as MJPEG webcams send it.
func stripDHT(t *testing.T, data []byte) []byte {
	var out []byte
	out = append(out, data[:2]...)
	i := 2
	for data[i+1] != 0xDA {
		n := int(data[i+2])<<8 | int(data[i+3])
		if data[i+1] != 0xC4 {
			out = append(out, data[i:i+2+n]...)
		}
		i += 2 + n
	}
	out = append(out, data[i:]...)
	if _, hasDHT, _, err := scanJPEG(out); err != nil || hasDHT {
		t.Fatalf("stripping: %v %v", hasDHT, err)
	}
	return out
}

func TestMJPEG(t *testing.T) {
	frame := fixtureFrame(2, 64, 48)
	var colour, grey bytes.Buffer
	if err := jpeg.Encode(&colour, frame, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	luma := &image.Gray{Pix: frame.Y, Stride: frame.YStride, Rect: frame.Rect}
	if err := jpeg.Encode(&grey, luma, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	greyFrame := fixtureFrame(2, 64, 48)
	fillChroma(greyFrame)
	cases := []struct {
		name string
		data []byte
		want *image.YCbCr
	}{
		{"colour", colour.Bytes(), frame},
		{"colour-without-DHT", stripDHT(t, colour.Bytes()), frame},
		{"grey", grey.Bytes(), greyFrame},
		{"grey-without-DHT", stripDHT(t, grey.Bytes()), greyFrame},
	}
	var m mjpegDecoder
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dst, guard := frametest.Guarded(64, 48)
			if err := m.decode(dst, tc.data); err != nil {
				t.Fatal(err)
			}
			if d, plane, x, y := frametest.MaxDiff(dst, tc.want); d > 16 {
				t.Fatalf("%s sample (%d, %d) differs by %d", plane, x, y, d)
			}
			if g := guard(); g != "" {
				t.Fatal(g)
			}
			if err := m.decode(newFrame(8, 8), tc.data); !errors.Is(err, ErrSize) {
				t.Fatalf("wrong size: %v", err)
			}
		})
	}
	bad := []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"not-jpeg", []byte("hello, world")},
		{"no-sos", []byte{0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0, 0}},
		{"bad-length", []byte{0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x01, 0, 0}},
		{"no-marker", []byte{0xFF, 0xD8, 0x12, 0x34, 0x00, 0x01, 0, 0}},
		{"cut", colour.Bytes()[:colour.Len()/2]},
		{"no-sof", []byte{0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x02, 0, 0}},
		{"short-sof", []byte{0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x04, 0, 0}},
		{"huge", func() []byte { // A corrupt frame header claiming 65535x65535.
			b := bytes.Clone(colour.Bytes())
			i := bytes.Index(b, []byte{0xFF, 0xC0})
			b[i+5], b[i+6], b[i+7], b[i+8] = 0xFF, 0xFF, 0xFF, 0xFF
			return b
		}()},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			err := m.decode(newFrame(64, 48), tc.data)
			if err == nil {
				t.Fatal("no error")
			}
			if got := err.Error(); len(got) < 8 || got[:8] != "camera: " {
				t.Fatalf("error %q lacks the camera: prefix", got)
			}
		})
	}
}
