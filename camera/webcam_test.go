package camera

import (
	"bytes"
	"errors"
	"image"
	"image/jpeg"
	"runtime"
	"testing"
)

func TestYUYVToGray(t *testing.T) {
	const w, h = 6, 3
	for _, stride := range []int{2 * w, 2*w + 4} {
		buf := make([]byte, stride*h)
		for i := range buf {
			buf[i] = 0xEE // Chroma and padding.
		}
		want := fixtureFrame(1, w, h)
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				buf[y*stride+2*x] = want.Pix[y*want.Stride+x]
			}
		}
		dst := image.NewGray(image.Rect(0, 0, w, h))
		yuyvToGray(dst, buf, stride, w, h)
		if d, x, y := maxDiff(dst, want); d != 0 {
			t.Fatalf("stride %d: pixel (%d, %d) differs by %d", stride, x, y, d)
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
	rgba := image.NewRGBA(frame.Rect)
	for i, v := range frame.Pix {
		rgba.Pix[4*i], rgba.Pix[4*i+1], rgba.Pix[4*i+2], rgba.Pix[4*i+3] = v, v, v, 255
	}
	if err := jpeg.Encode(&colour, rgba, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	if err := jpeg.Encode(&grey, frame, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		data []byte
	}{
		{"colour", colour.Bytes()},
		{"colour-without-DHT", stripDHT(t, colour.Bytes())},
		{"grey", grey.Bytes()},
		{"grey-without-DHT", stripDHT(t, grey.Bytes())},
	}
	var m mjpegDecoder
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dst := image.NewGray(frame.Rect)
			if err := m.decode(dst, tc.data); err != nil {
				t.Fatal(err)
			}
			if d, x, y := maxDiff(dst, frame); d > 16 {
				t.Fatalf("pixel (%d, %d) differs by %d", x, y, d)
			}
			if err := m.decode(image.NewGray(image.Rect(0, 0, 8, 8)), tc.data); !errors.Is(err, ErrSize) {
				t.Fatalf("wrong size: %v", err)
			}
		})
	}
	t.Run("allocations", func(t *testing.T) {
		// image/jpeg allocates per frame; check that it stays bounded.
		data := stripDHT(t, colour.Bytes())
		dst := image.NewGray(frame.Rect)
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		const n = 20
		for range n {
			if err := m.decode(dst, data); err != nil {
				t.Fatal(err)
			}
		}
		runtime.ReadMemStats(&after)
		perFrame := (after.TotalAlloc - before.TotalAlloc) / n
		t.Logf("MJPEG %dx%d: %d allocations, %d bytes per frame",
			frame.Rect.Dx(), frame.Rect.Dy(), (after.Mallocs-before.Mallocs)/n, perFrame)
		if limit := uint64(64<<10 + 4*64*48); perFrame > limit {
			t.Fatalf("%d bytes per frame, want at most %d", perFrame, limit)
		}
	})
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
			err := m.decode(image.NewGray(frame.Rect), tc.data)
			if err == nil {
				t.Fatal("no error")
			}
			if got := err.Error(); len(got) < 8 || got[:8] != "camera: " {
				t.Fatalf("error %q lacks the camera: prefix", got)
			}
		})
	}
}
