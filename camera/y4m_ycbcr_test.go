package camera

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"testing"
)

// TestWriteYCbCr writes colour frames with WriteFrame (odd sizes too) and checks the
// stream byte by byte: header, Y rows, then Cb and Cr rows; the Y planes
// replay as the frames, chroma included.
func TestWriteYCbCr(t *testing.T) {
	for _, sz := range [][2]int{{6, 4}, {7, 5}} {
		w, h := sz[0], sz[1]
		// A sub-image, so that strides and offsets are not the trivial ones.
		big := image.NewYCbCr(image.Rect(0, 0, w+4, h+4), image.YCbCrSubsampleRatio420)
		for i := range big.Y {
			big.Y[i] = byte(i)
		}
		for i := range big.Cb {
			big.Cb[i], big.Cr[i] = byte(100+i), byte(200+i)
		}
		img := big.SubImage(image.Rect(2, 2, 2+w, 2+h)).(*image.YCbCr)
		var b bytes.Buffer
		yw, err := NewY4MWriter(&b, w, h, 0)
		if err != nil {
			t.Fatal(err)
		}
		for range 2 {
			if err := yw.WriteFrame(img); err != nil {
				t.Fatal(err)
			}
		}
		var want bytes.Buffer
		fmt.Fprintf(&want, "YUV4MPEG2 W%d H%d F0:0 Ip A1:1 C420jpeg\n", w, h)
		for range 2 {
			want.WriteString("FRAME\n")
			for y := 2; y < 2+h; y++ {
				for x := 2; x < 2+w; x++ {
					want.WriteByte(big.Y[big.YOffset(x, y)])
				}
			}
			for _, p := range [][]byte{big.Cb, big.Cr} {
				for y := 2; y < 2+h; y += 2 {
					for x := 2; x < 2+w; x += 2 {
						want.WriteByte(p[big.COffset(x, y)])
					}
				}
			}
		}
		if !bytes.Equal(b.Bytes(), want.Bytes()) {
			t.Fatalf("%dx%d: stream\n%q\nwant\n%q", w, h, b.Bytes(), want.Bytes())
		}
		r, err := NewY4M(bytes.NewReader(b.Bytes()), nil)
		if err != nil {
			t.Fatal(err)
		}
		g := NewFrame(r)
		if err := r.Capture(g); err != nil {
			t.Fatal(err)
		}
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				if g.Y[g.YOffset(x, y)] != big.Y[big.YOffset(x+2, y+2)] {
					t.Fatalf("%dx%d: replayed Y differs at (%d,%d)", w, h, x, y)
				}
				if g.Cb[g.COffset(x, y)] != big.Cb[big.COffset(x+2, y+2)] {
					t.Fatalf("%dx%d: replayed Cb differs at (%d,%d)", w, h, x, y)
				}
			}
		}
	}
	var b bytes.Buffer
	yw, _ := NewY4MWriter(&b, 6, 4, 0)
	if err := yw.WriteFrame(image.NewYCbCr(image.Rect(0, 0, 8, 4), image.YCbCrSubsampleRatio420)); !errors.Is(err, ErrSize) {
		t.Errorf("wrong size: %v", err)
	}
	if err := yw.WriteFrame(image.NewYCbCr(image.Rect(0, 0, 6, 4), image.YCbCrSubsampleRatio444)); err == nil {
		t.Error("4:4:4 accepted")
	}
	if err := yw.WriteFrame(nil); err == nil {
		t.Error("nil accepted")
	}
}
