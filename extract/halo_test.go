package extract

import (
	"image"
	"math"
	"testing"

	"github.com/edgeconv/edgeconv/internal/testscenes"
)

// sharpened returns g sharpened as a camera does: each pixel moved away
// from its blur (two passes of a 3x3 box, a Gaussian of about 1.15 px) by
// amount times the difference.
func sharpened(g *image.Gray, amount float64) *image.Gray {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	blur, tmp := make([]uint8, w*h), make([]uint8, w*h)
	for y := range h {
		copy(blur[y*w:(y+1)*w], g.Pix[y*g.Stride:])
	}
	for range 2 {
		box3Rows(tmp, blur, w, h)
		box3Cols(blur, tmp, w, h)
	}
	out := image.NewGray(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			v, b := float64(g.Pix[y*g.Stride+x]), float64(blur[y*w+x])
			out.Pix[y*w+x] = uint8(min(max(math.Round(v+amount*(v-b)), 0), 255))
		}
	}
	return out
}

// haloPage is a grey webcam page (paper 130) of eight large digits with
// thick strokes.
func haloPage() (*image.Gray, []image.Rectangle) {
	g := page(640, 480, 130)
	var boxes []image.Rectangle
	for i := range 8 {
		boxes = append(boxes, strokeDigit(g, 30+75*i, 150+40*(i%2), 90, i%2 == 0, 10))
	}
	return g, boxes
}

// TestHaloMeasure: a page as it is shows no halo; sharpened, its halo is
// measured about as much as the sharpening lifts the paper beside the
// strokes, more for more sharpening.
func TestHaloMeasure(t *testing.T) {
	g, _ := haloPage()
	e := NewExtractor(Options{})
	var last float32
	for _, amount := range []float64{0, 0.5, 1, 2} {
		p := sharpened(g, amount)
		e.Extract(p, nil)
		got := e.halo.level
		switch {
		case amount == 0 && got >= haloMin:
			t.Errorf("unsharpened: halo %.3f, want under %.2f", got, haloMin)
		case amount > 0 && (got < haloMin || got <= last):
			t.Errorf("sharpened by %.1f: halo %.3f, want %.2f or more and more than %.3f", amount, got, haloMin, last)
		}
		last = got
	}
}

// TestHaloDigits: sharpened, the page gives the digits it gives as it is,
// each in the same box give or take two pixels; without dehalo, the
// paper beside the strokes turns to ink round the digits.
func TestHaloDigits(t *testing.T) {
	g, boxes := haloPage()
	e := NewExtractor(Options{})
	clean := e.Extract(g, nil)
	if len(clean) != len(boxes) {
		t.Fatalf("as it is: %d digits, want %d", len(clean), len(boxes))
	}
	for _, amount := range []float64{1, 2} {
		e := NewExtractor(Options{})
		ds := e.Extract(sharpened(g, amount), nil)
		if len(ds) != len(clean) {
			t.Errorf("sharpened by %.1f: %d digits, want %d", amount, len(ds), len(clean))
			continue
		}
		for i, d := range ds {
			if !near(d.Box, clean[i].Box, 2) {
				t.Errorf("sharpened by %.1f: digit %d at %v, as it is at %v", amount, i, d.Box, clean[i].Box)
			}
		}
	}
}

// near reports whether every side of a is within d pixels of b's.
func near(a, b image.Rectangle, d int) bool {
	abs := func(v int) int { return max(v, -v) }
	return abs(a.Min.X-b.Min.X) <= d && abs(a.Min.Y-b.Min.Y) <= d && abs(a.Max.X-b.Max.X) <= d && abs(a.Max.Y-b.Max.Y) <= d
}

func BenchmarkHaloMeasure(b *testing.B) {
	sc := testscenes.Load(b)[1]
	e := NewExtractor(Options{})
	e.Extract(sc.Gray, nil)
	var s haloStage
	for b.Loop() {
		s.measure(sc.Gray, e.paper.bg, e.paper.blk, e.paper.bgw)
	}
}
