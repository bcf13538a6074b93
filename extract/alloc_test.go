//go:build !race

package extract_test

import (
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/edgeconv/edgeconv/extract"
	"github.com/edgeconv/edgeconv/internal/scenegen"
)

// benchFrame returns a w x h frame with digits to extract: a generated
// scene when MNIST is available, else a real photograph scaled to size,
// else synthetic strokes.
func benchFrame(tb testing.TB, w, h, digitH int) *image.Gray {
	if dir, err := scenegen.FindDataDir(); err == nil {
		if m, err := scenegen.LoadTest(dir); err == nil {
			rng := rand.New(rand.NewPCG(uint64(w), 99))
			p := scenegen.Hard(w, h)
			p.MinDigitH, p.MaxDigitH = digitH, digitH+digitH/4
			return scenegen.Generate(rng, m, p).Gray
		}
	}
	if dir := photosDir(); dir != "" {
		src := loadGray(tb, filepath.Join(dir, "2_A4.png"))
		dst := image.NewGray(image.Rect(0, 0, w, h))
		sb := src.Bounds()
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				dst.Pix[y*dst.Stride+x] = src.GrayAt(sb.Min.X+x*sb.Dx()/w, sb.Min.Y+y*sb.Dy()/h).Y
			}
		}
		return dst
	}
	g := image.NewGray(image.Rect(0, 0, w, h))
	for i := range g.Pix {
		g.Pix[i] = 220
	}
	rng := rand.New(rand.NewPCG(3, 4))
	dh := h / 20
	for y := h / 8; y+dh < h*7/8; y += 2 * dh {
		for x := w / 10; x+dh < w*9/10; x += dh {
			sw := max(2, dh/8)
			x0 := x + rng.IntN(dh/4+1)
			for yy := y; yy < y+dh; yy++ {
				for xx := x0; xx < x0+sw; xx++ {
					g.Pix[yy*g.Stride+xx] = 30
				}
			}
		}
	}
	return g
}

// TestExtractAllocs proves that Extract allocates nothing once warmed up on
// a frame of the same size: a page of small digits, a close-up of large
// ones (which takes the coarser paper grid), a noisy page (smoothed), a
// page under a shadow with a sharp edge (the paper followed pixel by pixel
// across it), and a real photograph.
func TestExtractAllocs(t *testing.T) {
	if testing.Short() {
		t.Skip("allocation test skipped in -short mode")
	}
	sheet := benchFrame(t, 640, 480, 24)
	frames := map[string]image.Image{
		"sheet":  sheet,
		"live":   benchFrame(t, 640, 480, 70),
		"colour": toYCbCr(tintInk(sheet)),
		"tilted": rotateGray(sheet, 30),
		"noisy":  addNoise(sheet, 20), // smoothed first
		"shadow": hardShadow(sheet),   // the paper followed across a step
	}
	if dir := photosDir(); dir != "" {
		frames["photo"] = loadGray(t, filepath.Join(dir, "3_A4.png"))
	}
	for name, frame := range frames {
		ex := extract.NewExtractor(extract.Options{})
		digits := ex.Extract(frame, nil)
		if len(digits) == 0 {
			t.Fatalf("%s: no digits in the test frame", name)
		}
		allocs := testing.AllocsPerRun(20, func() {
			digits = ex.Extract(frame, digits)
		})
		if allocs != 0 {
			t.Errorf("%s: Extract: %v allocations per call after warm-up, want 0", name, allocs)
		}
	}
}

// addNoise returns a copy of g with Gaussian noise of deviation sigma.
func addNoise(g *image.Gray, sigma float64) *image.Gray {
	rng := rand.New(rand.NewPCG(5, 6))
	out := image.NewGray(g.Rect)
	for i, v := range g.Pix {
		out.Pix[i] = uint8(min(max(float64(v)+sigma*rng.NormFloat64()+0.5, 0), 255))
	}
	return out
}

// hardShadow returns a copy of g under a shadow with a sharp edge: half
// the light beyond a slanted line through the middle, a ramp of about 2
// pixels.
func hardShadow(g *image.Gray) *image.Gray {
	out := image.NewGray(g.Rect)
	b := g.Rect
	w, h := float64(b.Dx()), float64(b.Dy())
	for y := range b.Dy() {
		for x := range b.Dx() {
			d := (float64(x) - 0.45*w - 0.3*(float64(y)-h/2)) / math.Sqrt(1.09)
			light := 0.5 + 0.25*(1+math.Erf(d/(2*math.Sqrt2)))
			out.Pix[y*out.Stride+x] = uint8(float64(g.Pix[y*g.Stride+x])*light + 0.5)
		}
	}
	return out
}

// tintInk returns g in colour: its paper a pale yellow, its ink orange.
func tintInk(g *image.Gray) *image.RGBA {
	out := image.NewRGBA(g.Rect)
	for y := g.Rect.Min.Y; y < g.Rect.Max.Y; y++ {
		for x := g.Rect.Min.X; x < g.Rect.Max.X; x++ {
			d := 1 - float64(g.GrayAt(x, y).Y)/255
			mix := func(p, i float64) uint8 { return uint8((1-d)*p + d*i) }
			out.SetRGBA(x, y, color.RGBA{mix(250, 255), mix(240, 150), mix(180, 0), 255})
		}
	}
	return out
}

// toYCbCr converts img to a 4:2:0 frame, as a camera delivers it.
func toYCbCr(img image.Image) *image.YCbCr {
	b := img.Bounds()
	f := image.NewYCbCr(b, image.YCbCrSubsampleRatio420)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			yy, cb, cr := color.RGBToYCbCr(uint8(r>>8), uint8(g>>8), uint8(bl>>8))
			f.Y[f.YOffset(x, y)] = yy
			if (x-b.Min.X)%2 == 0 && (y-b.Min.Y)%2 == 0 {
				f.Cb[f.COffset(x, y)], f.Cr[f.COffset(x, y)] = cb, cr
			}
		}
	}
	return f
}

// BenchmarkExtract times Extract on generated frames: "sheet" is a page
// of small digits (20-25 px tall, 60-200 digits), "live" a camera held
// over a few large ones (about 70 px tall, well under 20 digits).
func BenchmarkExtract(b *testing.B) {
	for _, c := range []struct {
		name       string
		w, h, digH int
	}{
		{"live", 640, 480, 70},
		{"sheet", 640, 480, 20},
		{"sheet", 1280, 960, 40},
		{"shadow", 640, 480, 20},
	} {
		frame := benchFrame(b, c.w, c.h, c.digH)
		if c.name == "shadow" {
			frame = hardShadow(frame)
		}
		b.Run(c.name+"/"+fmtSize(c.w, c.h), func(b *testing.B) {
			ex := extract.NewExtractor(extract.Options{})
			digits := ex.Extract(frame, nil)
			b.ReportAllocs()
			for b.Loop() {
				digits = ex.Extract(frame, digits)
			}
			b.ReportMetric(float64(len(digits)), "digits")
		})
	}
}

func fmtSize(w, h int) string {
	return itoa(w) + "x" + itoa(h)
}

func itoa(v int) string {
	if v == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for v > 0 {
		i--
		b[i] = byte('0' + v%10)
		v /= 10
	}
	return string(b[i:])
}
