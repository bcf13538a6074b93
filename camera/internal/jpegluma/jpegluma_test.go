package jpegluma

import (
	"bytes"
	"errors"
	"image"
	"image/jpeg"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// stdLuma decodes data with image/jpeg and returns its luma plane, or ok
// false where image/jpeg fails or the image is neither grey nor YCbCr.
func stdLuma(data []byte) (g *image.Gray, ok bool) {
	img, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, false
	}
	switch m := img.(type) {
	case *image.Gray:
		return m, true
	case *image.YCbCr:
		return &image.Gray{Pix: m.Y, Stride: m.YStride, Rect: m.Rect}, true
	}
	return nil, false
}

// sameGray reports whether a and b have the same bounds and pixels.
func sameGray(a, b *image.Gray) bool {
	if a.Rect != b.Rect {
		return false
	}
	for y := a.Rect.Min.Y; y < a.Rect.Max.Y; y++ {
		ra := a.Pix[a.PixOffset(a.Rect.Min.X, y):][:a.Rect.Dx()]
		rb := b.Pix[b.PixOffset(b.Rect.Min.X, y):][:b.Rect.Dx()]
		if !bytes.Equal(ra, rb) {
			return false
		}
	}
	return true
}

// TestDecodeGrayMatchesImageJPEG decodes Go's own JPEG test images
// (baseline and progressive; 4:4:4, 4:4:0, 4:2:2, 4:2:0, 4:1:1 and 4:1:0;
// restart markers; grey) and a noisy colour photo-sized image, and wants
// exactly the luma that image/jpeg decodes.
func TestDecodeGrayMatchesImageJPEG(t *testing.T) {
	files, err := filepath.Glob("testdata/*.jpeg")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test images: %v", err)
	}
	cases := map[string][]byte{}
	for _, f := range files {
		if strings.Contains(f, "truncated") || strings.Contains(f, "rgb") || strings.Contains(f, "cmyk") {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		cases[filepath.Base(f)] = data
	}
	cases["noisy-1283x961-q90"] = noisyJPEG(t, 1283, 961, 90)
	for name, data := range cases {
		want, ok := stdLuma(data)
		if !ok {
			t.Fatalf("%s: image/jpeg cannot decode it", name)
		}
		got, err := DecodeGray(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !sameGray(got, want) {
			t.Errorf("%s: luma differs from image/jpeg's", name)
		}
	}
}

// TestDecodeGrayRefusesOtherColourSpaces: RGB- and CMYK-coded files have
// no luma component.
func TestDecodeGrayRefusesOtherColourSpaces(t *testing.T) {
	for _, f := range []string{"testdata/video-001.rgb.jpeg", "testdata/video-001.cmyk.jpeg"} {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := DecodeGray(bytes.NewReader(data)); !errors.Is(err, ErrNotLuma) {
			t.Errorf("%s: err = %v, want ErrNotLuma", f, err)
		}
	}
}

// TestDecodeGrayTruncated: every prefix of a file is an error, never a
// panic or a half image.
func TestDecodeGrayTruncated(t *testing.T) {
	for _, f := range []string{"testdata/video-001.q50.420.jpeg", "testdata/video-001.q50.420.progressive.jpeg",
		"testdata/video-001.progressive.truncated.jpeg"} {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		step := 1
		if testing.Short() {
			step = 7
		}
		for n := 0; n < len(data)-2; n += step {
			if _, err := DecodeGray(bytes.NewReader(data[:n])); err == nil {
				t.Fatalf("%s cut at %d bytes: no error", f, n)
			}
		}
	}
}

// noisyJPEG encodes a w×h colour image of gradients and noise, odd sizes
// included, as image/jpeg does (4:2:0).
func noisyJPEG(t testing.TB, w, h, quality int) []byte {
	rng := rand.New(rand.NewPCG(uint64(w), uint64(h)))
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			p := img.Pix[img.PixOffset(x, y):]
			p[0] = uint8(x*255/w + rng.IntN(20))
			p[1] = uint8(y*255/h + rng.IntN(20))
			p[2] = uint8((x+y)*127/(w+h) + rng.IntN(40))
			p[3] = 255
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: quality}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// FuzzDecodeGray: on any input, DecodeGray does not panic, and where
// image/jpeg decodes a grey or YCbCr image, DecodeGray gives its luma.
func FuzzDecodeGray(f *testing.F) {
	for _, name := range []string{"video-001.q50.420.jpeg", "video-001.q50.444.jpeg", "video-001.q50.420.progressive.jpeg",
		"video-005.gray.q50.2x2.progressive.jpeg", "video-001.restart2.jpeg"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		// Headers that claim a huge image only make both decoders
		// allocate it; callers check the size first (camera.ReadGray).
		if cfg, err := jpeg.DecodeConfig(bytes.NewReader(data)); err == nil && cfg.Width*cfg.Height > 1<<18 {
			return
		}
		got, err := DecodeGray(bytes.NewReader(data))
		want, ok := stdLuma(data)
		if !ok || err != nil {
			return // ours may fail where image/jpeg's colour half succeeds, e.g. RGB files
		}
		if !sameGray(got, want) {
			t.Fatal("luma differs from image/jpeg's")
		}
	})
}

func BenchmarkDecodeGray(b *testing.B) {
	data := noisyJPEG(b, 1280, 960, 90)
	b.Run("jpegluma", func(b *testing.B) {
		for b.Loop() {
			if _, err := DecodeGray(bytes.NewReader(data)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("image-jpeg", func(b *testing.B) {
		for b.Loop() {
			if _, err := jpeg.Decode(bytes.NewReader(data)); err != nil {
				b.Fatal(err)
			}
		}
	})
}
