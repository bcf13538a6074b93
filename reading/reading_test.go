package reading_test

import (
	"image"
	"image/draw"
	"math"
	"strings"
	"testing"

	xdraw "golang.org/x/image/draw"
	"golang.org/x/image/math/f64"

	"github.com/edgeconv/edgeconv/camera"
	"github.com/edgeconv/edgeconv/internal/testscenes"
	"github.com/edgeconv/edgeconv/model"
	"github.com/edgeconv/edgeconv/model/modeltest"
	"github.com/edgeconv/edgeconv/reading"
)

// loadScenes returns the test scenes (internal/testscenes).
func newReader(t testing.TB, m *model.Model, opts reading.Options) *reading.Reader {
	t.Helper()
	r, err := reading.New(m, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Close)
	return r
}

// defaultReader returns a reader of the embedded model with the default
// options.
func defaultReader(t testing.TB) *reading.Reader {
	return newReader(t, modeltest.Default(t), reading.Options{})
}

// readPhoto reads img as a photo, converted to the frame a camera
// delivers.
func readPhoto(r *reading.Reader, img image.Image) *reading.Reading {
	return r.ReadPhoto(camera.ToFrame(img))
}

// TestRead reads the scenes with the embedded model, int8 and dequantised,
// from grey, RGBA and YCbCr frames of the same picture: the text is the
// truth, the digits are the candidates with their classes, Low follows the
// minimum confidence, and every kind of frame reads the same.
func TestRead(t *testing.T) {
	m := modeltest.Default(t)
	for _, float := range []bool{false, true} {
		r := newReader(t, m, reading.Options{Classifier: model.Options{Float: float}, MinConfidence: 0.999})
		for _, sc := range testscenes.Load(t) {
			rgba := image.NewRGBA(sc.Gray.Rect)
			draw.Draw(rgba, rgba.Rect, sc.Gray, sc.Gray.Rect.Min, draw.Src)
			var first string
			for _, img := range []image.Image{sc.Frame, sc.Gray, rgba} {
				rd := r.Read(img)
				if string(rd.Text) != sc.Text {
					t.Fatalf("%s: read %q, want %q", r.Classifier(), rd.Text, sc.Text)
				}
				if len(rd.Candidates) != len(rd.Digits) || len(rd.Results) != len(rd.Candidates) {
					t.Fatalf("%d digits, %d candidates, %d results", len(rd.Digits), len(rd.Candidates), len(rd.Results))
				}
				checkProbs(t, rd)
				low := false
				for i, d := range rd.Digits {
					c, res := rd.Candidates[i], rd.Results[i]
					if d.Digit != res.Class || d.Confidence != res.Confidence || d.Box != c.Box || d.Line != c.Line || d.Space != c.Space {
						t.Errorf("digit %d: %+v, candidate %v %+v", i, d, c.Box, res)
					}
					if d.Low != (d.Confidence < 0.999) {
						t.Errorf("digit %d: confidence %v, low %v", i, d.Confidence, d.Low)
					}
					low = low || d.Low
				}
				if rd.Confident == low {
					t.Errorf("confident %v with a low digit %v", rd.Confident, low)
				}
				if rd.ExtractTime <= 0 || rd.ClassifyTime <= 0 {
					t.Errorf("times %v %v", rd.ExtractTime, rd.ClassifyTime)
				}
				got := ""
				for _, d := range rd.Digits {
					got += string(rune('0'+d.Digit)) + " " + d.Box.String()
				}
				if first == "" {
					first = got
				} else if got != first {
					t.Errorf("a %T reads differently from the frame:\n%s\n%s", img, got, first)
				}
			}
		}
	}
	if _, err := reading.New(m, reading.Options{MinConfidence: 1.5}); err == nil {
		t.Error("a minimum confidence of 1.5: no error")
	}
}

// checkProbs checks that rd.Probs holds each candidate's probabilities:
// its class the most probable, with its confidence.
func checkProbs(t *testing.T, rd *reading.Reading) {
	t.Helper()
	k := rd.Classes
	if k < model.Digits || len(rd.Probs) != k*len(rd.Candidates) {
		t.Fatalf("%d probabilities of %d classes for %d candidates", len(rd.Probs), k, len(rd.Candidates))
	}
	for i, res := range rd.Results {
		p := rd.Probs[i*k : (i+1)*k]
		for c, v := range p {
			if v > p[res.Class] || p[res.Class] != res.Confidence {
				t.Fatalf("candidate %d read %d (%v): probabilities %v; class %d more probable", i, res.Class, res.Confidence, p, c)
			}
		}
	}
}

// TestNotDigit reads the scenes with an 11-class model, float32 and int8,
// that calls every 7 "not a digit": the 7s leave the text, leaving a break,
// and stay among the candidates with class NotDigit.
func TestNotDigit(t *testing.T) {
	net11, m11 := modeltest.NotDigitModel(t, 7, 3)
	// Calibrate the int8 network on the scenes' own digits.
	r := defaultReader(t)
	var px []uint8
	for _, sc := range testscenes.Load(t) {
		for _, c := range r.Read(sc.Frame).Candidates {
			px = append(px, c.Pixels[:]...)
		}
	}
	q, err := modeltest.Quantize(net11, px)
	if err != nil {
		t.Fatal(err)
	}
	m11q := modeltest.Int8(t, q)
	for _, mm := range []*model.Model{m11, m11q} {
		r := newReader(t, mm, reading.Options{})
		for _, sc := range testscenes.Load(t) {
			rd := r.Read(sc.Frame)
			if want := sevensOut(sc.Text); string(rd.Text) != want {
				t.Errorf("%s: read %q, want %q", r.Classifier(), rd.Text, want)
			}
			dropped := 0
			for _, res := range rd.Results {
				if res.Class == model.NotDigit {
					dropped++
				}
			}
			if sevens := strings.Count(sc.Text, "7"); dropped != sevens || len(rd.Candidates) != len(rd.Digits)+sevens {
				t.Errorf("%s: %d candidates, %d digits, %d not digits; the text has %d sevens", r.Classifier(),
					len(rd.Candidates), len(rd.Digits), dropped, sevens)
			}
		}
	}
}

// TestNotDigitAmongDigits reads the scenes with 11-class models that call
// every 7 "not a digit", at 1.35 to 1 odds (a margin of 0.3 in logits), at
// 2.7 to 1 (a margin of 1) and at 20 to 1 (a margin of 3). Each neighbour
// on its line that is a digit read with confidence halves the odds: at the
// first, a 7 with such digits on both sides, or on one at the line's end,
// is read as a 7; at the second, only one with digits on both sides
// (quartered); beside another 7, or at the third, it stays not a digit.
func TestNotDigitAmongDigits(t *testing.T) {
	for _, margin := range []float32{0.3, 1, 3} {
		_, m := modeltest.NotDigitModel(t, 7, margin)
		r := newReader(t, m, reading.Options{})
		// want is what the reader reads of text.
		want := func(text string) string {
			switch {
			case margin < 0.5:
				return strings.ReplaceAll(sevensOut(sevensAmongDigits(text, 1)), "k", "7")
			case margin < 2:
				return strings.ReplaceAll(sevensOut(sevensAmongDigits(text, 2)), "k", "7")
			}
			return sevensOut(text)
		}
		for _, sc := range testscenes.Load(t) {
			rd := r.Read(sc.Frame)
			checkProbs(t, rd)
			if w := want(sc.Text); string(rd.Text) != w {
				t.Errorf("margin %v: read %q, want %q", margin, rd.Text, w)
			}
		}
		// The first scene with the 9 after its first 7 erased: the 7 ends
		// its line, a 9 on its left.
		sc := testscenes.Load(t)[0]
		if !strings.HasPrefix(sc.Text, "979\n") {
			t.Fatalf("scene %s: text %q, want it to start 979", sc.Name, sc.Text)
		}
		g := image.NewGray(sc.Gray.Rect)
		copy(g.Pix, sc.Gray.Pix)
		erase(g, image.Rect(270, 50, 314, 114)) // the 9's box, from its JSON, and a margin
		text := strings.Replace(sc.Text, "979", "97", 1)
		w := want(text)
		if rd := r.Read(g); string(rd.Text) != w || !strings.HasPrefix(w, "9") {
			t.Errorf("margin %v, the 9 erased: read %q, want %q", margin, rd.Text, w)
		}
		if margin > 0.5 && margin < 2 && strings.HasPrefix(w, "97") {
			t.Errorf("margin %v, the 9 erased: want %q has the 7 that ends its line", margin, w)
		}
	}
}

// erase paints r of g with the brightest level on its border: paper.
func erase(g *image.Gray, r image.Rectangle) {
	var paper uint8
	for x := r.Min.X; x < r.Max.X; x++ {
		paper = max(paper, g.GrayAt(x, r.Min.Y).Y, g.GrayAt(x, r.Max.Y-1).Y)
	}
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			g.Pix[g.PixOffset(x, y)] = paper
		}
	}
}

// sevensAmongDigits returns text with each 7 that amongDigits reads as a
// 7 written as 'k', which sevensOut keeps: a 7 with digits other than 7
// on both sides on its line (spaces aside), or, when sides is 1, on one
// side at the line's end.
func sevensAmongDigits(text string, sides int) string {
	b := []byte(text)
	// side is 1 for a digit other than 7 next to i in direction step, 0
	// for the line's end, -1 for a 7.
	side := func(i, step int) int {
		for i += step; i >= 0 && i < len(b) && b[i] == ' '; i += step {
		}
		switch {
		case i < 0 || i >= len(b) || b[i] == '\n':
			return 0
		case b[i] == '7':
			return -1
		}
		return 1
	}
	var keep []int
	for i, c := range b {
		if l, r := side(i, -1), side(i, 1); c == '7' && l >= 0 && r >= 0 && l+r >= sides {
			keep = append(keep, i)
		}
	}
	for _, i := range keep {
		b[i] = 'k'
	}
	return string(b)
}

// sevensOut returns text with its 7s dropped as Reader drops a not-a-digit
// candidate: a break (a space) where digits stand on both sides on its
// line.
func sevensOut(text string) string {
	var lines []string
	for _, l := range strings.Split(text, "\n") {
		words := strings.FieldsFunc(l, func(r rune) bool { return r == ' ' || r == '7' })
		if len(words) > 0 {
			lines = append(lines, strings.Join(words, " "))
		}
	}
	return strings.Join(lines, "\n")
}

// TestSheetOnTable reads the scenes as a camera sees a sheet lying on a
// table: a border of the table's grey around the page, and the page's
// shadowed edge a dark outline round it. The outline encloses the writing
// and is not read (as a giant 7 whose box swallows the first line); the
// digits read as they do without the table.
func TestSheetOnTable(t *testing.T) {
	r := defaultReader(t)
	for _, sc := range testscenes.Load(t) {
		const border, edge = 40, 2
		b := sc.Gray.Rect
		g := image.NewGray(image.Rect(0, 0, b.Dx()+2*border, b.Dy()+2*border))
		for i := range g.Pix {
			g.Pix[i] = 90 // the table
		}
		page := image.Rect(border, border, border+b.Dx(), border+b.Dy())
		draw.Draw(g, page, sc.Gray, b.Min, draw.Src)
		for y := page.Min.Y; y < page.Max.Y; y++ {
			for x := page.Min.X; x < page.Max.X; x++ {
				if x < page.Min.X+edge || x >= page.Max.X-edge || y < page.Min.Y+edge || y >= page.Max.Y-edge {
					g.Pix[g.PixOffset(x, y)] = 50 // the shadowed edge
				}
			}
		}
		if rd := r.Read(g); string(rd.Text) != sc.Text {
			t.Errorf("%s on a table: read %q, want %q", sc.Name, rd.Text, sc.Text)
		}
	}
}

// TestSheetBesideTable reads the scenes with a mid-grey table over the
// sheet's left margin, its edge slanting as a sheet's does in perspective:
// a table more than half as bright as the paper is kept as paper (a
// shadow), and the strip of its edge that the paper grid makes ink is a
// step, dark on one side, not a stroke; it is not read as a 1.
func TestSheetBesideTable(t *testing.T) {
	r := defaultReader(t)
	for _, sc := range testscenes.Load(t) {
		// The scene's left margin is blank paper: the table covers it
		// from x = 0 to its edge at 30 to 50 pixels.
		g := image.NewGray(sc.Gray.Rect)
		copy(g.Pix, sc.Gray.Pix)
		h := g.Rect.Dy()
		for y := range h {
			for x := range 30 + y*20/h {
				g.Pix[g.PixOffset(x, y)] = 150
			}
		}
		if rd := r.Read(g); string(rd.Text) != sc.Text {
			t.Errorf("%s beside a table: read %q, want %q", sc.Name, rd.Text, sc.Text)
		}
	}
}

// TestTiltedSheet reads the scenes turned by 4 to 12 degrees either way,
// as a sheet held at an angle, read on coordinates sheared by the lines'
// slope. The lines and their digits must read as upright; the breaks
// between numbers may move, as the gaps of a turned line are measured on a
// turned grid.
func TestTiltedSheet(t *testing.T) {
	r := defaultReader(t)
	for _, sc := range testscenes.Load(t) {
		want := strings.ReplaceAll(sc.Text, " ", "")
		for _, deg := range []float64{-12, -8, -4, 4, 8, 12} {
			rd := r.Read(turned(sc.Gray, deg))
			if got := strings.ReplaceAll(string(rd.Text), " ", ""); got != want {
				t.Errorf("%s turned by %v°: read %q, want %q", sc.Name, deg, got, want)
			}
		}
	}
}

// turned returns g turned by deg degrees (clockwise, y down) about its
// centre, on a canvas a sixth larger on each side (so that no digit leaves
// it) filled with g's top-left pixel.
func turned(g *image.Gray, deg float64) *image.Gray {
	b := g.Rect
	mx, my := b.Dx()/6, b.Dy()/6
	dst := image.NewGray(image.Rect(0, 0, b.Dx()+2*mx, b.Dy()+2*my))
	for i := range dst.Pix {
		dst.Pix[i] = g.Pix[0]
	}
	s, c := math.Sincos(deg * math.Pi / 180)
	// Source to canvas: about the source's centre, moved to the canvas's.
	cx, cy := float64(b.Min.X+b.Max.X)/2, float64(b.Min.Y+b.Max.Y)/2
	dx, dy := float64(dst.Rect.Dx())/2, float64(dst.Rect.Dy())/2
	m := f64.Aff3{c, -s, dx - c*cx + s*cy, s, c, dy - s*cx - c*cy}
	xdraw.BiLinear.Transform(dst, m, g, b, xdraw.Src, nil)
	return dst
}

// TestJoinBroken reads scene03 with its first 5 broken in two by a band
// of paper across it (a faint stroke lost under the threshold), high or
// low: the model rejects both pieces, and read together (joinBroken) they
// are the 5 again.
func TestJoinBroken(t *testing.T) {
	r := defaultReader(t)
	sc := testscenes.Load(t)[1]
	five := image.Rect(53, 260, 94, 314) // its box, as read
	if sc.Name != "scene03" || !strings.Contains(sc.Text, "51900") {
		t.Fatalf("scene %s %q: want scene03 with its 51900", sc.Name, sc.Text)
	}
	for _, frac := range []float64{0.3, 0.6} {
		g := image.NewGray(sc.Gray.Rect)
		copy(g.Pix, sc.Gray.Pix)
		y := five.Min.Y + int(frac*float64(five.Dy()))
		erase(g, image.Rect(five.Min.X-2, y, five.Max.X+2, y+3))
		if rd := r.Read(g); string(rd.Text) != sc.Text {
			t.Errorf("the 5 broken at %v of its height: read %q, want %q", frac, rd.Text, sc.Text)
		}
	}
}
