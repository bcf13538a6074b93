package jpeg420

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/edgeconv/edgeconv/camera/internal/frametest"
)

// std decodes data with image/jpeg, or returns ok false where image/jpeg
// fails or the image is neither grey nor YCbCr.
func std(data []byte) (img image.Image, ok bool) {
	m, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, false
	}
	switch m.(type) {
	case *image.Gray, *image.YCbCr:
		return m, true
	}
	return nil, false
}

// want420 returns what Decode should give for image/jpeg's decoding m: its
// luma, and its chroma brought to 4:2:0 by the rule of the package
// documentation, computed here from image/jpeg's own planes: each 4:2:0
// sample is the rounded mean of the chroma samples of its four pixels.
// Grey images get chroma 128.
func want420(m image.Image) *image.YCbCr {
	b := m.Bounds()
	w, h := b.Dx(), b.Dy()
	out := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	switch m := m.(type) {
	case *image.Gray:
		for y := range h {
			copy(out.Y[y*out.YStride:][:w], m.Pix[y*m.Stride:][:w])
		}
		for i := range out.Cb {
			out.Cb[i], out.Cr[i] = 128, 128
		}
	case *image.YCbCr:
		for y := range h {
			copy(out.Y[y*out.YStride:][:w], m.Y[y*m.YStride:][:w])
		}
		// The chroma index of a pixel for each subsampling, as image.YCbCr
		// (COffset) computes it; pixels just past an odd edge read the
		// decoder's padding, which image/jpeg's planes hold.
		cx, cy := func(x int) int { return x / 2 }, func(y int) int { return y / 2 }
		switch m.SubsampleRatio {
		case image.YCbCrSubsampleRatio444:
			cx, cy = func(x int) int { return x }, func(y int) int { return y }
		case image.YCbCrSubsampleRatio422:
			cy = func(y int) int { return y }
		case image.YCbCrSubsampleRatio440:
			cx = func(x int) int { return x }
		case image.YCbCrSubsampleRatio411:
			cx, cy = func(x int) int { return x / 4 }, func(y int) int { return y }
		case image.YCbCrSubsampleRatio410:
			cx = func(x int) int { return x / 4 }
		}
		for q := range (h + 1) / 2 {
			for p := range (w + 1) / 2 {
				var sb, sr int
				for _, d := range [4][2]int{{0, 0}, {1, 0}, {0, 1}, {1, 1}} {
					i := cy(2*q+d[1])*m.CStride + cx(2*p+d[0])
					sb += int(m.Cb[i])
					sr += int(m.Cr[i])
				}
				out.Cb[q*out.CStride+p] = uint8((sb + 2) >> 2)
				out.Cr[q*out.CStride+p] = uint8((sr + 2) >> 2)
			}
		}
	}
	return out
}

// diffFrames describes the first difference between two 4:2:0 frames of
// one size, or returns "".
func diffFrames(got, want *image.YCbCr) string {
	if got.Rect.Size() != want.Rect.Size() {
		return fmt.Sprintf("size %v, want %v", got.Rect.Size(), want.Rect.Size())
	}
	g := frametest.Planes(got)
	for i, e := range frametest.Planes(want) {
		for y := range e.H {
			for x := range e.W {
				if g[i].At(x, y) != e.At(x, y) {
					return fmt.Sprintf("%s(%d,%d) = %d, want %d", e.Name, x, y, g[i].At(x, y), e.At(x, y))
				}
			}
		}
	}
	return ""
}

// testImages returns Go's JPEG test images that image/jpeg decodes to grey
// or YCbCr (baseline and progressive; 4:4:4, 4:4:0, 4:2:2, 4:2:0, 4:1:1
// and 4:1:0; restart markers; grey) and encodings of noisy colour images of
// odd sizes.
func testImages(t testing.TB) map[string][]byte {
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
	for _, s := range [][3]int{{1283, 961, 90}, {17, 9, 75}, {1, 1, 90}, {33, 2, 50}} {
		cases[fmt.Sprintf("noisy-%dx%d-q%d", s[0], s[1], s[2])] = noisyJPEG(t, s[0], s[1], s[2])
	}
	cases["paper-641x479-q90"] = paperJPEG(t, 641, 479, 90)
	return cases
}

// TestDecodeMatchesImageJPEG wants image/jpeg's luma exactly, and its
// chroma exactly for 4:2:0 files and brought to 4:2:0 by the documented
// rule for others, written only inside the destination; and with LumaOnly
// the same luma and chroma 128.
func TestDecodeMatchesImageJPEG(t *testing.T) {
	var dec Decoder // reused: no state may leak from image to image
	for name, data := range testImages(t) {
		m, ok := std(data)
		if !ok {
			t.Fatalf("%s: image/jpeg cannot decode it", name)
		}
		want := want420(m)
		w, h := want.Rect.Dx(), want.Rect.Dy()
		cfg, err := DecodeConfig(data)
		if err != nil || cfg.Width != w || cfg.Height != h || cfg.Orientation != 1 || !cfg.Supported {
			t.Fatalf("%s: DecodeConfig = %+v, %v", name, cfg, err)
		}
		dst, guard := frametest.Guarded(w, h)
		if err := dec.Decode(dst, data, Options{}); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if d := diffFrames(dst, want); d != "" {
			t.Errorf("%s: %s", name, d)
		}
		if g := guard(); g != "" {
			t.Errorf("%s: %s", name, g)
		}
		luma := image.NewYCbCr(want.Rect, image.YCbCrSubsampleRatio420)
		if err := dec.Decode(luma, data, Options{LumaOnly: true}); err != nil {
			t.Fatalf("%s: luma only: %v", name, err)
		}
		for i := range want.Cb {
			want.Cb[i], want.Cr[i] = 128, 128
		}
		if d := diffFrames(luma, want); d != "" {
			t.Errorf("%s: luma only: %s", name, d)
		}
	}
}

// TestDecodeOtherColourSpaces: RGB- and CMYK-coded files are refused, for
// callers to decode with image/jpeg.
func TestDecodeOtherColourSpaces(t *testing.T) {
	for _, f := range []string{"testdata/video-001.rgb.jpeg", "testdata/video-001.cmyk.jpeg"} {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if cfg, err := DecodeConfig(data); err != nil || cfg.Supported || cfg.Width != 150 || cfg.Height != 103 {
			t.Errorf("%s: DecodeConfig = %+v, %v; want unsupported 150x103", f, cfg, err)
		}
		var dec Decoder
		if err := dec.Decode(image.NewYCbCr(image.Rect(0, 0, 150, 103), image.YCbCrSubsampleRatio420), data, Options{}); !errors.Is(err, ErrUnsupportedColour) {
			t.Errorf("%s: Decode: err = %v, want ErrUnsupportedColour", f, err)
		}
	}
}

// TestDecodeDestination: a destination of the wrong size, subsampling or
// origin is refused before anything is written.
func TestDecodeDestination(t *testing.T) {
	data := noisyJPEG(t, 20, 10, 90)
	var dec Decoder
	odd := image.NewYCbCr(image.Rect(0, 0, 22, 12), image.YCbCrSubsampleRatio420).SubImage(image.Rect(1, 1, 21, 11)).(*image.YCbCr)
	short := image.NewYCbCr(image.Rect(0, 0, 20, 10), image.YCbCrSubsampleRatio420)
	short.Cb = short.Cb[:10]
	for name, dst := range map[string]*image.YCbCr{
		"nil":      nil,
		"size":     image.NewYCbCr(image.Rect(0, 0, 10, 20), image.YCbCrSubsampleRatio420),
		"444":      image.NewYCbCr(image.Rect(0, 0, 20, 10), image.YCbCrSubsampleRatio444),
		"odd":      odd,
		"short-cb": short,
	} {
		if err := dec.Decode(dst, data, Options{}); !errors.Is(err, ErrDstSize) {
			t.Errorf("%s: err = %v, want ErrDstSize", name, err)
		}
	}
	// Turned a quarter, the frame is 10x20.
	if err := dec.Decode(image.NewYCbCr(image.Rect(0, 0, 10, 20), image.YCbCrSubsampleRatio420), data, Options{Orientation: 6}); err != nil {
		t.Errorf("orientation 6 into 10x20: %v", err)
	}
	if err := dec.Decode(short, data, Options{Orientation: 9}); err == nil {
		t.Error("orientation 9: no error")
	}
}

// orientedAt returns the position in the upright image of the sample (x,
// y) of a w×h plane stored in orientation o, as EXIF defines them (written
// out here for each value, independently of newPlane).
func orientedAt(x, y, w, h, o int) (int, int) {
	switch o {
	case 2:
		return w - 1 - x, y
	case 3:
		return w - 1 - x, h - 1 - y
	case 4:
		return x, h - 1 - y
	case 5:
		return y, x
	case 6:
		return h - 1 - y, x
	case 7:
		return h - 1 - y, w - 1 - x
	case 8:
		return y, w - 1 - x
	}
	return x, y
}

// TestOrientation decodes images in each of the 8 orientations and wants
// every plane sample where orientedAt puts it, and Orient to turn a frame
// the same way.
func TestOrientation(t *testing.T) {
	var dec Decoder
	for _, s := range [][2]int{{37, 21}, {16, 16}, {40, 24}} {
		w, h := s[0], s[1]
		data := noisyJPEG(t, w, h, 90)
		up := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
		if err := dec.Decode(up, data, Options{}); err != nil {
			t.Fatal(err)
		}
		for o := 1; o <= 8; o++ {
			size := Config{Width: w, Height: h}.Size(o)
			got, guard := frametest.Guarded(size.X, size.Y)
			if err := dec.Decode(got, data, Options{Orientation: o}); err != nil {
				t.Fatalf("%dx%d orientation %d: %v", w, h, o, err)
			}
			if g := guard(); g != "" {
				t.Fatalf("%dx%d orientation %d: %s", w, h, o, g)
			}
			turned := image.NewYCbCr(image.Rectangle{Max: size}, image.YCbCrSubsampleRatio420)
			if err := Orient(turned, up, o); err != nil {
				t.Fatal(err)
			}
			if d := diffFrames(turned, got); d != "" {
				t.Fatalf("%dx%d orientation %d: Orient differs from Decode: %s", w, h, o, d)
			}
			dst := frametest.Planes(got)
			for i, src := range frametest.Planes(up) {
				for y := range src.H {
					for x := range src.W {
						ox, oy := orientedAt(x, y, src.W, src.H, o)
						if g, e := dst[i].At(ox, oy), src.At(x, y); g != e {
							t.Fatalf("%dx%d orientation %d: %s (%d,%d) -> (%d,%d) = %d, want %d", w, h, o, src.Name, x, y, ox, oy, g, e)
						}
					}
				}
			}
		}
	}
}

// TestEXIFOrientation reads the orientation that exiftool wrote into
// testdata/orient-N.jpg (see testdata/README) and refuses broken EXIF.
func TestEXIFOrientation(t *testing.T) {
	for o := 1; o <= 8; o++ {
		data, err := os.ReadFile(fmt.Sprintf("testdata/orient-%d.jpg", o))
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := DecodeConfig(data)
		if err != nil {
			t.Fatal(err)
		}
		if cfg.Orientation != o || cfg.Components != 3 || !cfg.Supported {
			t.Errorf("orient-%d.jpg: %+v", o, cfg)
		}
	}
	le := []byte("Exif\x00\x00II*\x00\x08\x00\x00\x00\x01\x00\x12\x01\x03\x00\x01\x00\x00\x00\x06\x00\x00\x00")
	be := []byte("Exif\x00\x00MM\x00*\x00\x00\x00\x08\x00\x01\x01\x12\x00\x03\x00\x00\x00\x01\x00\x03\x00\x00")
	for name, tc := range map[string]struct {
		seg []byte
		o   int
	}{
		"little-endian": {le, 6},
		"big-endian":    {be, 3},
		"not-exif":      {[]byte("http://ns.adobe.com/xap/1.0/\x00<x/>"), 0},
		"short":         {le[:20], 0},
		"cut-entry":     {le[:len(le)-6], 0},
		"bad-ifd":       {append(bytes.Clone(le[:10]), append([]byte{0xFF, 0xFF, 0, 0}, le[14:]...)...), 0},
		"value-9":       {bytes.Replace(le, []byte{6, 0, 0, 0}, []byte{9, 0, 0, 0}, 1), 0},
		"type-long":     {bytes.Replace(le, []byte{0x03, 0x00, 0x01, 0x00}, []byte{0x04, 0x00, 0x01, 0x00}, 1), 0},
		"byte-order":    {bytes.Replace(le, []byte("II"), []byte("IM"), 1), 0},
	} {
		o, ok := exifOrientation(tc.seg)
		if o != tc.o || ok != (tc.o != 0) {
			t.Errorf("%s: got %d %v, want %d", name, o, ok, tc.o)
		}
	}
}

// TestDecodeTruncated: every prefix of a file is an error, never a panic
// or a half image.
func TestDecodeTruncated(t *testing.T) {
	var dec Decoder
	for _, f := range []string{"testdata/video-001.q50.420.jpeg", "testdata/video-001.q50.420.progressive.jpeg",
		"testdata/video-001.progressive.truncated.jpeg", "testdata/video-001.restart2.jpeg"} {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		dst := image.NewYCbCr(image.Rect(0, 0, 150, 103), image.YCbCrSubsampleRatio420)
		step := 1
		if testing.Short() {
			step = 7
		}
		for n := 0; n < len(data)-2; n += step {
			if err := dec.Decode(dst, data[:n], Options{}); err == nil {
				t.Fatalf("%s cut at %d bytes: no error", f, n)
			}
		}
	}
}

// TestDecodeShortScan: a scan whose entropy-coded data stops early (a
// marker in its middle) is an error, as in image/jpeg, although the bit
// reader reads zeros past it.
func TestDecodeShortScan(t *testing.T) {
	data := noisyJPEG(t, 64, 64, 90)
	sos := bytes.Index(data, []byte{0xFF, 0xDA})
	cut := append(bytes.Clone(data[:sos+(len(data)-sos)/2]), 0xFF, 0xD9)
	var dec Decoder
	if err := dec.Decode(image.NewYCbCr(image.Rect(0, 0, 64, 64), image.YCbCrSubsampleRatio420), cut, Options{}); err == nil {
		t.Fatal("no error")
	}
	if _, err := jpeg.Decode(bytes.NewReader(cut)); err == nil {
		t.Fatal("image/jpeg: no error")
	}
}

func mustRead(t testing.TB, name string) []byte {
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// noisyJPEG encodes a w×h colour image of gradients and noise as image/jpeg
// does (4:2:0): the worst case for the entropy decoder.
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
	return encode(t, img, quality)
}

// paperJPEG encodes a w×h photo-like image: slightly uneven cream paper
// with little noise and strokes of coloured ink, the kind of picture the
// camera package reads.
func paperJPEG(t testing.TB, w, h, quality int) []byte {
	rng := rand.New(rand.NewPCG(7, uint64(w)))
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	inks := []color.RGBA{{20, 20, 30, 255}, {200, 30, 30, 255}, {30, 60, 200, 255}, {40, 150, 60, 255}, {240, 140, 20, 255}}
	for y := range h {
		for x := range w {
			shade := 235 - (x+y)*30/(w+h)
			v := uint8(shade + rng.IntN(3))
			p := img.Pix[img.PixOffset(x, y):]
			p[0], p[1], p[2], p[3] = v, v, uint8(int(v)*9/10), 255
		}
	}
	for i := 0; i < w*h/4000; i++ {
		ink := inks[i%len(inks)]
		cx, cy, r := rng.IntN(w), rng.IntN(h), 8+rng.IntN(20)
		for a := 0; a < 400; a++ {
			fa := float64(a) / 400 * 6.3
			x := cx + int(float64(r)*math.Cos(fa))
			y := cy + int(float64(r)*math.Sin(2*fa)/2)
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					if (image.Point{x + dx, y + dy}).In(img.Rect) {
						img.SetRGBA(x+dx, y+dy, ink)
					}
				}
			}
		}
	}
	return encode(t, img, quality)
}

func encode(t testing.TB, img image.Image, quality int) []byte {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: quality}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// FuzzDecode: on any input, Decode does not panic, and where image/jpeg
// decodes a grey or YCbCr image, Decode gives it as want420 does.
func FuzzDecode(f *testing.F) {
	for _, name := range []string{"video-001.q50.420.jpeg", "video-001.q50.444.jpeg", "video-001.q50.420.progressive.jpeg",
		"video-005.gray.q50.2x2.progressive.jpeg", "video-001.restart2.jpeg", "video-001.q50.411.progressive.jpeg", "orient-6.jpg"} {
		f.Add(mustRead(f, filepath.Join("testdata", name)))
	}
	var dec Decoder
	f.Fuzz(func(t *testing.T, data []byte) {
		// Headers that claim a huge image only make both decoders
		// allocate it; callers check the size first (camera.ReadFrame).
		cfg, err := DecodeConfig(data)
		if err != nil || cfg.Width*cfg.Height > 1<<18 || cfg.Width == 0 || cfg.Height == 0 {
			return
		}
		dst := image.NewYCbCr(image.Rect(0, 0, cfg.Width, cfg.Height), image.YCbCrSubsampleRatio420)
		err = dec.Decode(dst, data, Options{})
		m, ok := std(data)
		if !ok || err != nil {
			return // ours may fail where image/jpeg succeeds, e.g. on a bad Huffman table
		}
		if d := diffFrames(dst, want420(m)); d != "" {
			t.Fatal(d)
		}
	})
}

// BenchmarkDecode decodes 1280x960 photos, noisy (the worst case for the
// entropy decoder) and paper-like (what the camera package reads), with
// image/jpeg, with Decode in luma-only mode and with Decode in full.
func BenchmarkDecode(b *testing.B) {
	for _, img := range []struct {
		name string
		data []byte
	}{{"noisy", noisyJPEG(b, 1280, 960, 90)}, {"paper", paperJPEG(b, 1280, 960, 90)}} {
		dst := image.NewYCbCr(image.Rect(0, 0, 1280, 960), image.YCbCrSubsampleRatio420)
		var dec Decoder
		b.Run(img.name+"/image-jpeg", func(b *testing.B) {
			for b.Loop() {
				if _, err := jpeg.Decode(bytes.NewReader(img.data)); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(img.name+"/luma", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := dec.Decode(dst, img.data, Options{LumaOnly: true}); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(img.name+"/colour", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := dec.Decode(dst, img.data, Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
