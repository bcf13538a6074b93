package camera_test

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"

	"github.com/edgeconv/edgeconv/camera"
)

// TestToGray checks ToGray against draw.Draw into an *image.Gray (the
// reference for colour) for RGBA, NRGBA and grey images, whole and as
// sub-images off the origin, and that a YCbCr image gives its Y plane.
func TestToGray(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 5))
	r := image.Rect(0, 0, 97, 61)
	rgba, nrgba, gray := image.NewRGBA(r), image.NewNRGBA(r), image.NewGray(r)
	for i := range rgba.Pix {
		rgba.Pix[i] = uint8(rng.IntN(256))
		nrgba.Pix[i] = uint8(rng.IntN(256))
	}
	for i := range rgba.Pix {
		if i%4 == 3 { // premultiplied: alpha at least every channel
			rgba.Pix[i] = max(rgba.Pix[i-3], rgba.Pix[i-2], rgba.Pix[i-1], rgba.Pix[i])
		}
	}
	rgba.Pix[3] = 255 // and one opaque pixel for certain
	for i := range gray.Pix {
		gray.Pix[i] = uint8(rng.IntN(256))
	}
	sub := image.Rect(3, 5, 90, 51)
	for _, tc := range []struct {
		name string
		img  image.Image
	}{
		{"rgba", rgba}, {"rgba/sub", rgba.SubImage(sub)},
		{"nrgba", nrgba}, {"nrgba/sub", nrgba.SubImage(sub)},
		{"gray", gray}, {"gray/sub", gray.SubImage(sub)},
	} {
		b := tc.img.Bounds()
		want := image.NewGray(image.Rectangle{Max: b.Size()})
		draw.Draw(want, want.Rect, tc.img, b.Min, draw.Src)
		got := camera.ToGray(tc.img)
		if got.Rect != want.Rect || !bytes.Equal(got.Pix, want.Pix) {
			t.Errorf("%s: ToGray differs from draw.Draw", tc.name)
		}
	}

	ycc := image.NewYCbCr(r, image.YCbCrSubsampleRatio420)
	for i := range ycc.Y {
		ycc.Y[i] = uint8(rng.IntN(256))
	}
	for i := range ycc.Cb {
		ycc.Cb[i], ycc.Cr[i] = uint8(rng.IntN(256)), uint8(rng.IntN(256))
	}
	for _, f := range []struct {
		name string
		fn   func(image.Image) *image.Gray
	}{{"ToGray", camera.ToGray}, {"GrayOf", camera.GrayOf}} {
		for _, rect := range []image.Rectangle{r, sub} {
			img := ycc.SubImage(rect)
			got := f.fn(img)
			if got.Rect != image.Rect(0, 0, rect.Dx(), rect.Dy()) {
				t.Fatalf("%s(ycbcr %v): bounds %v", f.name, rect, got.Rect)
			}
			for y := range rect.Dy() {
				for x := range rect.Dx() {
					if g, w := got.GrayAt(x, y), (color.Gray{ycc.Y[ycc.YOffset(rect.Min.X+x, rect.Min.Y+y)]}); g != w {
						t.Fatalf("%s(ycbcr %v): (%d,%d) = %v, want the Y sample %v", f.name, rect, x, y, g, w)
					}
				}
			}
		}
	}
	if g := camera.GrayOf(gray); g != gray {
		t.Error("GrayOf copied a grey image at the origin")
	}
	if g := camera.GrayOf(gray.SubImage(sub)).Bounds(); g != image.Rect(0, 0, sub.Dx(), sub.Dy()) {
		t.Errorf("GrayOf(grey sub-image) has bounds %v, want the origin", g)
	}
}

// TestReadGrayRefusesHugeImages: a header that claims 20000x20000 pixels
// is refused before anything of that size is allocated.
func TestReadGrayRefusesHugeImages(t *testing.T) {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, image.NewGray(image.Rect(0, 0, 16, 16)), nil); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	sof := bytes.Index(data, []byte{0xFF, 0xC0})
	if sof < 0 {
		t.Fatal("no SOF0 marker")
	}
	// SOF0: marker, length (2), precision (1), height (2), width (2).
	data[sof+5], data[sof+6], data[sof+7], data[sof+8] = 0x4E, 0x20, 0x4E, 0x20
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := camera.ReadGray(bytes.NewReader(data))
	runtime.ReadMemStats(&after)
	if err == nil || !strings.Contains(err.Error(), "megapixels") {
		t.Fatalf("err = %v, want the size refused", err)
	}
	if grown := after.TotalAlloc - before.TotalAlloc; grown > 1<<20 {
		t.Errorf("allocated %d bytes before refusing", grown)
	}
}
