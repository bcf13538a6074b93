package camera

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/draw"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"strings"
	"testing"

	"golang.org/x/image/bmp"
	"golang.org/x/image/tiff"

	"github.com/edgeconv/edgeconv/camera/internal/frametest"
)

// meanChroma is the reference for the chroma of ToFrame: the colour of
// each 2x2 pixels (past an odd edge the last row or column again),
// averaged in float64 and converted with the JFIF equations.
func meanChroma(img image.Image, p, q int) (cb, cr float64) {
	b := img.Bounds()
	var r, g, bl float64
	for _, d := range [4][2]int{{0, 0}, {1, 0}, {0, 1}, {1, 1}} {
		x, y := b.Min.X+min(2*p+d[0], b.Dx()-1), b.Min.Y+min(2*q+d[1], b.Dy()-1)
		cr, cg, cb, _ := img.At(x, y).RGBA()
		r, g, bl = r+float64(cr>>8), g+float64(cg>>8), bl+float64(cb>>8)
	}
	r, g, bl = r/4, g/4, bl/4
	cb = 128 - 0.168736*r - 0.331264*g + 0.5*bl
	cr = 128 + 0.5*r - 0.418688*g - 0.081312*bl
	return min(max(cb, 0), 255), min(max(cr, 0), 255)
}

// TestToFrame checks ToFrame's luma against draw.Draw into an *image.Gray
// (color.GrayModel) and its chroma against meanChroma, for RGBA, NRGBA and
// grey images, whole and as sub-images at odd origins; and a YCbCr image's
// planes, copied or brought to 4:2:0.
func TestToFrame(t *testing.T) {
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
			nrgba.Pix[i] = 255 // opaque: draw.Draw's 8-bit premultiplication is exact
		}
	}
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
		got := ToFrame(tc.img)
		if got.Rect != want.Rect || checkFrame(got) != nil {
			t.Fatalf("%s: frame %v", tc.name, got.Rect)
		}
		for y := range b.Dy() {
			if !bytes.Equal(got.Y[y*got.YStride:][:b.Dx()], want.Pix[y*want.Stride:][:b.Dx()]) {
				t.Fatalf("%s: luma row %d differs from draw.Draw's", tc.name, y)
			}
		}
		for q := range (b.Dy() + 1) / 2 {
			for p := range (b.Dx() + 1) / 2 {
				cb, cr := meanChroma(tc.img, p, q)
				gb, gr := float64(got.Cb[q*got.CStride+p]), float64(got.Cr[q*got.CStride+p])
				if math.Abs(gb-cb) > 1 || math.Abs(gr-cr) > 1 {
					t.Fatalf("%s: chroma (%d,%d) = %v,%v, want %.1f,%.1f", tc.name, p, q, gb, gr, cb, cr)
				}
			}
		}
	}

	for _, ratio := range []image.YCbCrSubsampleRatio{image.YCbCrSubsampleRatio420, image.YCbCrSubsampleRatio444, image.YCbCrSubsampleRatio422} {
		ycc := image.NewYCbCr(r, ratio)
		for i := range ycc.Y {
			ycc.Y[i] = uint8(rng.IntN(256))
		}
		for i := range ycc.Cb {
			ycc.Cb[i], ycc.Cr[i] = uint8(rng.IntN(256)), uint8(rng.IntN(256))
		}
		for _, rect := range []image.Rectangle{r, sub, image.Rect(4, 6, 90, 51)} {
			m := ycc.SubImage(rect).(*image.YCbCr)
			got := ToFrame(m)
			w, h := rect.Dx(), rect.Dy()
			for y := range h {
				for x := range w {
					if g, e := got.Y[y*got.YStride+x], m.Y[m.YOffset(rect.Min.X+x, rect.Min.Y+y)]; g != e {
						t.Fatalf("ycbcr %v %v: Y(%d,%d) = %d, want %d", ratio, rect, x, y, g, e)
					}
				}
			}
			for q := range (h + 1) / 2 {
				for p := range (w + 1) / 2 {
					var sb, sr int
					for _, d := range [4][2]int{{0, 0}, {1, 0}, {0, 1}, {1, 1}} {
						o := m.COffset(rect.Min.X+min(2*p+d[0], w-1), rect.Min.Y+min(2*q+d[1], h-1))
						sb, sr = sb+int(m.Cb[o]), sr+int(m.Cr[o])
					}
					if ratio == image.YCbCrSubsampleRatio420 && rect.Min.X%2 == 0 && rect.Min.Y%2 == 0 {
						// Copied as it is: the mean of four equal samples,
						// except past an odd edge.
						sb, sr = 4*int(m.Cb[m.COffset(rect.Min.X+2*p, rect.Min.Y+2*q)]), 4*int(m.Cr[m.COffset(rect.Min.X+2*p, rect.Min.Y+2*q)])
					}
					if g, e := got.Cb[q*got.CStride+p], uint8((sb+2)>>2); g != e {
						t.Fatalf("ycbcr %v %v: Cb(%d,%d) = %d, want %d", ratio, rect, p, q, g, e)
					}
					if g, e := got.Cr[q*got.CStride+p], uint8((sr+2)>>2); g != e {
						t.Fatalf("ycbcr %v %v: Cr(%d,%d) = %d, want %d", ratio, rect, p, q, g, e)
					}
				}
			}
		}
	}
}

// TestReadFrameJPEG: a colour JPEG comes back with exactly image/jpeg's
// planes, a grey one with its luma and neutral chroma.
func TestReadFrameJPEG(t *testing.T) {
	rgba := image.NewRGBA(image.Rect(0, 0, 61, 47))
	rng := rand.New(rand.NewPCG(8, 9))
	for i := range rgba.Pix {
		rgba.Pix[i] = uint8(rng.IntN(256))
		if i%4 == 3 {
			rgba.Pix[i] = 255
		}
	}
	var colour, grey bytes.Buffer
	if err := jpeg.Encode(&colour, rgba, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	if err := jpeg.Encode(&grey, fixtureFrame(0, 61, 47), nil); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"colour": colour.Bytes(), "grey": grey.Bytes()} {
		got, err := ReadFrame(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		img, err := jpeg.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		want := ToFrame(img)
		if d, plane, x, y := frametest.MaxDiff(got, want); d != 0 {
			t.Errorf("%s: %s (%d,%d) differs from image/jpeg's by %d", name, plane, x, y, d)
		}
	}
}

// TestReadFrameEXIF reads a photo with each of the 8 EXIF orientations,
// written by exiftool, and wants it upright as ImageMagick turns it
// (internal/jpeg420/testdata/README): the same picture within the
// differences of two JPEG decoders, luma and chroma.
func TestReadFrameEXIF(t *testing.T) {
	for o := 1; o <= 8; o++ {
		got := readFile(t, fmt.Sprintf("internal/jpeg420/testdata/orient-%d.jpg", o))
		want := readFile(t, fmt.Sprintf("internal/jpeg420/testdata/upright-%d.png", o))
		if got.Rect != want.Rect {
			t.Fatalf("orientation %d: %v, want %v", o, got.Rect, want.Rect)
		}
		for _, pl := range []struct {
			name       string
			a, b       []byte
			sa, sb     int
			w, h       int
			mean, peak float64
		}{
			{"Y", got.Y, want.Y, got.YStride, want.YStride, got.Rect.Dx(), got.Rect.Dy(), 1.5, 16},
			{"Cb", got.Cb, want.Cb, got.CStride, want.CStride, (got.Rect.Dx() + 1) / 2, (got.Rect.Dy() + 1) / 2, 3.5, 28},
			{"Cr", got.Cr, want.Cr, got.CStride, want.CStride, (got.Rect.Dx() + 1) / 2, (got.Rect.Dy() + 1) / 2, 3.5, 28},
		} {
			var sum, peak float64
			for y := range pl.h {
				for x := range pl.w {
					d := math.Abs(float64(pl.a[y*pl.sa+x]) - float64(pl.b[y*pl.sb+x]))
					sum, peak = sum+d, max(peak, d)
				}
			}
			if mean := sum / float64(pl.w*pl.h); mean > pl.mean || peak > pl.peak {
				t.Errorf("orientation %d: %s differs from ImageMagick's by %.2f on average, %v at most", o, pl.name, mean, peak)
			}
		}
	}
}

// TestReadFrameRGBJPEG: a JPEG coded as RGB goes through image/jpeg and
// is still turned upright by its EXIF orientation (6: a quarter turn
// clockwise).
func TestReadFrameRGBJPEG(t *testing.T) {
	stored := readFile(t, "internal/jpeg420/testdata/video-001.rgb.jpeg")
	got := readFile(t, "internal/jpeg420/testdata/rgb-orient-6.jpg")
	w, h := stored.Rect.Dx(), stored.Rect.Dy()
	if got.Rect != image.Rect(0, 0, h, w) {
		t.Fatalf("bounds %v, want %dx%d", got.Rect, h, w)
	}
	for y := range h {
		for x := range w {
			if g, e := got.Y[x*got.YStride+h-1-y], stored.Y[y*stored.YStride+x]; g != e {
				t.Fatalf("Y(%d,%d) turned = %d, want %d", x, y, g, e)
			}
		}
	}
	img, err := jpeg.Decode(bytes.NewReader(mustReadFile(t, "internal/jpeg420/testdata/video-001.rgb.jpeg")))
	if err != nil {
		t.Fatal(err)
	}
	if d, plane, x, y := frametest.MaxDiff(stored, ToFrame(img)); d != 0 {
		t.Fatalf("%s (%d,%d) differs from image/jpeg's by %d", plane, x, y, d)
	}
}

func mustReadFile(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func readFile(t *testing.T, name string) *image.YCbCr {
	t.Helper()
	f, err := ReadFrame(bytes.NewReader(mustReadFile(t, name)))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return f
}

// TestReadFrameRefusesHugeImages: a JPEG or PNG header that claims
// 20000x20000 pixels is refused before anything of that size is
// allocated.
func TestReadFrameRefusesHugeImages(t *testing.T) {
	var j, p bytes.Buffer
	small := image.NewGray(image.Rect(0, 0, 16, 16))
	if err := jpeg.Encode(&j, small, nil); err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(&p, small); err != nil {
		t.Fatal(err)
	}
	jdata := j.Bytes()
	sof := bytes.Index(jdata, []byte{0xFF, 0xC0})
	// SOF0: marker, length (2), precision (1), height (2), width (2).
	jdata[sof+5], jdata[sof+6], jdata[sof+7], jdata[sof+8] = 0x4E, 0x20, 0x4E, 0x20
	pdata := p.Bytes()
	// IHDR: length (4), "IHDR", width (4), height (4), 5 more bytes, CRC.
	ihdr := bytes.Index(pdata, []byte("IHDR"))
	binary.BigEndian.PutUint32(pdata[ihdr+4:], 20000)
	binary.BigEndian.PutUint32(pdata[ihdr+8:], 20000)
	binary.BigEndian.PutUint32(pdata[ihdr+17:], crc32.ChecksumIEEE(pdata[ihdr:ihdr+17]))
	for name, data := range map[string][]byte{"jpeg": jdata, "png": pdata} {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := ReadFrame(bytes.NewReader(data))
		runtime.ReadMemStats(&after)
		if err == nil || !strings.Contains(err.Error(), "megapixels") {
			t.Fatalf("%s: err = %v, want the size refused", name, err)
		}
		if grown := after.TotalAlloc - before.TotalAlloc; grown > 1<<20 {
			t.Errorf("%s: allocated %d bytes before refusing", name, grown)
		}
	}
}

// inks are the colours of TestInk, as RGB on white paper.
var inks = []struct {
	name string
	c    color.RGBA
}{
	{"red", color.RGBA{200, 30, 30, 255}},
	{"orange", color.RGBA{240, 140, 20, 255}},
	{"green", color.RGBA{40, 150, 60, 255}},
}

// inkPicture returns a 64x48 picture of white paper with a bar of each
// ink, 8 pixels high, at rows 8, 20 and 32, from x = 6 to 58.
func inkPicture() *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	draw.Draw(img, img.Rect, image.NewUniform(color.RGBA{245, 245, 240, 255}), image.Point{}, draw.Src)
	for i, ink := range inks {
		draw.Draw(img, image.Rect(6, 8+12*i, 58, 16+12*i), image.NewUniform(ink.c), image.Point{}, draw.Src)
	}
	return img
}

// checkInk fails t unless each ink bar of inkPicture arrived in f with its
// colour: the mean chroma inside the bar within 6 of the ink's, and the
// paper beside it neutral within 6.
func checkInk(t *testing.T, source string, f *image.YCbCr) {
	t.Helper()
	mean := func(r image.Rectangle) (cb, cr float64) {
		for q := r.Min.Y / 2; q < r.Max.Y/2; q++ {
			for p := r.Min.X / 2; p < r.Max.X/2; p++ {
				cb += float64(f.Cb[q*f.CStride+p])
				cr += float64(f.Cr[q*f.CStride+p])
			}
		}
		n := float64(r.Dx() / 2 * r.Dy() / 2)
		return cb / n, cr / n
	}
	for i, ink := range inks {
		_, wb, wr := color.RGBToYCbCr(ink.c.R, ink.c.G, ink.c.B)
		// The bar without its edges, where JPEG rings.
		cb, cr := mean(image.Rect(10, 10+12*i, 54, 14+12*i))
		if math.Abs(cb-float64(wb)) > 6 || math.Abs(cr-float64(wr)) > 6 {
			t.Errorf("%s: %s ink has chroma %.1f,%.1f, want %d,%d", source, ink.name, cb, cr, wb, wr)
		}
	}
	_, pb, pr := color.RGBToYCbCr(245, 245, 240)
	if cb, cr := mean(image.Rect(0, 44, 64, 48)); math.Abs(cb-float64(pb)) > 6 || math.Abs(cr-float64(pr)) > 6 {
		t.Errorf("%s: paper has chroma %.1f,%.1f, want %d,%d", source, cb, cr, pb, pr)
	}
}

// inkStreams returns inkPicture in the recording formats: Y4M, raw I420
// and rpicam-style padded I420 (three frames each).
func inkStreams(t *testing.T) (y4m, i420, padded []byte) {
	f := ToFrame(inkPicture())
	frames := []*image.YCbCr{f, f, f}
	var b bytes.Buffer
	if err := WriteY4M(&b, frames, 0); err != nil {
		t.Fatal(err)
	}
	y4m = bytes.Clone(b.Bytes())
	b.Reset()
	if err := WriteI420(&b, frames); err != nil {
		t.Fatal(err)
	}
	return y4m, b.Bytes(), rpicamBytes(frames, 128)
}

// TestInk reads a picture with red, orange and green ink through every
// kind of source and wants the colours in the frame's chroma. The Pi
// camera's pipe is in TestInkRPiCam.
func TestInk(t *testing.T) {
	pic := inkPicture()
	y4m, i420, padded := inkStreams(t)
	var j, p bytes.Buffer
	if err := jpeg.Encode(&j, pic, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(&p, pic); err != nil {
		t.Fatal(err)
	}
	replay := func(r *Replay, err error) *image.YCbCr {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		f := NewFrame(r)
		if err := r.Capture(f); err != nil {
			t.Fatal(err)
		}
		return f
	}
	checkInk(t, "Y4M", replay(NewY4M(bytes.NewReader(y4m), nil)))
	checkInk(t, "I420", replay(NewI420(bytes.NewReader(i420), 64, 48, 0, nil)))
	checkInk(t, "I420 with rpicam's stride", replay(NewI420(bytes.NewReader(padded), 64, 48, 128, nil)))
	jf, err := ReadFrame(bytes.NewReader(j.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	checkInk(t, "JPEG", jf)
	pf, err := ReadFrame(bytes.NewReader(p.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	checkInk(t, "PNG", pf)

	var m mjpegDecoder
	mf := newFrame(64, 48)
	if err := m.decode(mf, stripDHT(t, j.Bytes())); err != nil {
		t.Fatal(err)
	}
	checkInk(t, "MJPEG", mf)
	// The decoders agree with image/jpeg exactly (4:2:0).
	img, err := jpeg.Decode(bytes.NewReader(j.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	for name, f := range map[string]*image.YCbCr{"JPEG": jf, "MJPEG": mf} {
		if d, plane, x, y := frametest.MaxDiff(f, ToFrame(img)); d != 0 {
			t.Errorf("%s: %s (%d,%d) differs from image/jpeg's by %d", name, plane, x, y, d)
		}
	}

	// YUYV, as a webcam sends it: 4:2:2 chroma of each pixel pair.
	buf := make([]byte, 2*64*48)
	for y := range 48 {
		for x := 0; x < 64; x += 2 {
			var ys [2]uint8
			var cb, cr int
			for k := range 2 {
				c := pic.RGBAAt(x+k, y)
				yy, b, r := color.RGBToYCbCr(c.R, c.G, c.B)
				ys[k], cb, cr = yy, cb+int(b), cr+int(r)
			}
			o := y*128 + 2*x
			buf[o], buf[o+1], buf[o+2], buf[o+3] = ys[0], uint8(cb/2), ys[1], uint8(cr/2)
		}
	}
	yf := newFrame(64, 48)
	yuyvToFrame(yf, buf, 128, 64, 48)
	checkInk(t, "YUYV", yf)
}

// TestReadFrameTransparent: a PNG whose pixels are partly transparent (a
// digit drawn in a paint program or on an HTML canvas) is laid over a
// backdrop its marks stand out on: dark strokes over white, light ones over
// black, a half-transparent stroke halfway; opaque images are not changed.
func TestReadFrameTransparent(t *testing.T) {
	r := image.Rect(0, 0, 40, 30)
	for _, tc := range []struct {
		name             string
		stroke           color.NRGBA
		ground, inStroke uint8 // the luma wanted
	}{
		{"black stroke", color.NRGBA{0, 0, 0, 255}, 255, 0},
		{"half-transparent black stroke", color.NRGBA{0, 0, 0, 128}, 255, 127},
		{"white stroke", color.NRGBA{255, 255, 255, 255}, 0, 255},
	} {
		img := image.NewNRGBA(r) // all transparent black, as a canvas starts
		draw.Draw(img, image.Rect(10, 5, 16, 25), image.NewUniform(tc.stroke), image.Point{}, draw.Src)
		var buf bytes.Buffer
		if err := png.Encode(&buf, img); err != nil {
			t.Fatal(err)
		}
		f, err := ReadFrame(&buf)
		if err != nil {
			t.Fatal(err)
		}
		ground, stroke := f.YCbCrAt(2, 2).Y, f.YCbCrAt(12, 15).Y
		if d := int(ground) - int(tc.ground); d < -1 || d > 1 {
			t.Errorf("%s: ground %d, want %d", tc.name, ground, tc.ground)
		}
		if d := int(stroke) - int(tc.inStroke); d < -1 || d > 1 {
			t.Errorf("%s: stroke %d, want %d", tc.name, stroke, tc.inStroke)
		}
		if cb, cr := f.Cb[0], f.Cr[0]; cb != 128 || cr != 128 {
			t.Errorf("%s: the backdrop's chroma is %d, %d: not neutral", tc.name, cb, cr)
		}
	}
	// Opaque: as before, whatever its colours.
	img := image.NewNRGBA(r)
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 7)
		if i%4 == 3 {
			img.Pix[i] = 255
		}
	}
	if got, want := ToFrame(img), ToFrame(onBackdrop(img)); !bytes.Equal(got.Y, want.Y) || !bytes.Equal(got.Cb, want.Cb) {
		t.Error("an opaque image changed on a backdrop")
	}
}

// TestReadFrameFormats: BMP, TIFF and GIF files of a picture decode to the
// frame its PNG does, a lossy WebP to nearly that, and a phone's HEIF or
// AVIF photo (testdata/formats/make.sh) or a file in no image format to
// an error that names the formats read and, for the phone's, what to do.
func TestReadFrameFormats(t *testing.T) {
	pngData, err := os.ReadFile("../firmware/testdata/scene00.png")
	if err != nil {
		t.Fatal(err)
	}
	want, err := ReadFrame(bytes.NewReader(pngData))
	if err != nil {
		t.Fatal(err)
	}
	gray := &image.Gray{Pix: want.Y, Stride: want.YStride, Rect: want.Rect}
	greys := make(color.Palette, 256)
	for i := range greys {
		greys[i] = color.Gray{uint8(i)}
	}
	paletted := image.NewPaletted(gray.Rect, greys)
	copy(paletted.Pix, gray.Pix)
	encoders := map[string]func(io.Writer) error{
		"bmp":  func(w io.Writer) error { return bmp.Encode(w, gray) },
		"tiff": func(w io.Writer) error { return tiff.Encode(w, gray, &tiff.Options{Compression: tiff.Deflate}) },
		"gif":  func(w io.Writer) error { return gif.Encode(w, paletted, nil) },
	}
	for name, encode := range encoders {
		var buf bytes.Buffer
		if err := encode(&buf); err != nil {
			t.Fatal(err)
		}
		got, err := ReadFrame(&buf)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if got.Rect != want.Rect || !bytes.Equal(got.Y, want.Y) {
			t.Errorf("%s: luma differs from the PNG's", name)
		}
	}

	f, err := os.Open("testdata/formats/scene00.webp")
	if err != nil {
		t.Fatal(err)
	}
	got, err := ReadFrame(f)
	f.Close()
	if err != nil {
		t.Fatalf("webp: %v", err)
	}
	var diff int
	for i, v := range got.Y {
		diff += max(int(v)-int(want.Y[i]), int(want.Y[i])-int(v))
	}
	if got.Rect != want.Rect || diff > 3*len(got.Y) {
		t.Errorf("webp: %v, luma off by %.1f on average", got.Rect, float64(diff)/float64(len(got.Y)))
	}

	for file, name := range map[string]string{"scene00.heic": "a HEIF (HEIC) image", "scene00.avif": "an AVIF image"} {
		data, err := os.ReadFile("testdata/formats/" + file)
		if err != nil {
			t.Fatal(err)
		}
		_, err = ReadFrame(bytes.NewReader(data))
		if err == nil || !strings.Contains(err.Error(), name) || !strings.Contains(err.Error(), "convert it to JPEG") {
			t.Errorf("%s: %v", file, err)
		}
	}
	_, err = ReadFrame(strings.NewReader("%PDF-1.7 not a picture"))
	if err == nil || !strings.Contains(err.Error(), "JPEG, PNG, WebP, TIFF, BMP or GIF") {
		t.Errorf("a PDF: %v", err)
	}
	for _, name := range []string{"a.WEBP", "b.tif", "c.TIFF", "d.bmp", "e.gif", "f.JPG"} {
		if !IsImageFile(name) {
			t.Errorf("%s is not an image file", name)
		}
	}
}
