package glyphs

import (
	"image"
	"image/png"
	"math"
	"os"
	"strings"
	"testing"

	"golang.org/x/image/font/gofont/goregular"
)

// ink returns the sum of an image's coverage in pixels of full ink.
func ink(img *image.Alpha) float64 {
	s := 0.0
	for _, v := range img.Pix {
		s += float64(v) / 255
	}
	return s
}

func TestStrokeWidth(t *testing.T) {
	// A horizontal stroke 40 px long: its ink is the pen's width times
	// the length plus the round caps (a disc of the pen's diameter).
	for _, pen := range []float64{0.7, 1, 2.5, 6, 11} {
		g := &Glyph{Strokes: [][]Point{{{10, 30}, {50, 30}}}}
		img := image.NewAlpha(image.Rect(0, 0, 64, 64))
		g.Draw(img, Identity, pen)
		want := pen*40 + math.Pi*pen*pen/4
		if got := ink(img); math.Abs(got-want) > 0.06*want+1 {
			t.Errorf("pen %g: ink %.1f, want %.1f", pen, got, want)
		}
	}
}

func TestFillAndBold(t *testing.T) {
	// A 20x10 rectangle, filled, then with its outline moved out by 1
	// and in by 1 (pen ±2).
	sq := &Glyph{Fill: [][]Point{{{0, 0}, {20, 0}, {20, 10}, {0, 10}}}}
	for _, c := range []struct{ pen, want float64 }{{0, 200}, {2, 22*12 - 4 + math.Pi}, {-2, 18 * 8}} {
		img := image.NewAlpha(image.Rect(0, 0, 40, 40))
		sq.Draw(img, Translate(10, 10), c.pen)
		if got := ink(img); math.Abs(got-c.want) > 0.03*c.want {
			t.Errorf("pen %g: ink %.1f, want %.1f", c.pen, got, c.want)
		}
	}
	// Winding: the same square drawn either way round fills alike.
	rev := &Glyph{Fill: [][]Point{{{0, 10}, {20, 10}, {20, 0}, {0, 0}}}}
	a, b := image.NewAlpha(image.Rect(0, 0, 40, 40)), image.NewAlpha(image.Rect(0, 0, 40, 40))
	sq.Draw(a, Translate(5, 5), 0)
	rev.Draw(b, Translate(5, 5), 0)
	if string(a.Pix) != string(b.Pix) {
		t.Error("a contour's direction changes its fill")
	}
}

func TestAffine(t *testing.T) {
	m := Scale(2, 3).Then(Rotate(math.Pi / 2)).Then(Translate(1, 1))
	p := m.Apply(Point{1, 1})
	// (1,1) → (2,3) → rotated a quarter turn: (-3, 2) → (-2, 3).
	if math.Abs(p.X+2) > 1e-12 || math.Abs(p.Y-3) > 1e-12 {
		t.Errorf("got %v, want (-2, 3)", p)
	}
}

func TestEmbedded(t *testing.T) {
	names := Names()
	if len(names) < 10 {
		t.Fatalf("only %d embedded fonts: %v", len(names), names)
	}
	for _, name := range names {
		f, err := Embedded(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := License(name); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		for r := '0'; r <= '9'; r++ {
			if !f.Has(r) {
				t.Errorf("%s has no %c", name, r)
			}
		}
		if c := f.CapHeight(); c < 0.4 || c > 1.2 {
			t.Errorf("%s: cap height %.2f em", name, c)
		}
		// Every digit is drawn: about as tall as a capital, and with
		// ink in an image of 40 pixels a cap height.
		for r := '0'; r <= '9'; r++ {
			g, _ := f.Glyph(r)
			b := g.Bounds(Identity, 0)
			if h := b.Dy() / f.CapHeight(); h < 0.5 || h > 1.6 {
				t.Errorf("%s: %c is %.2f cap heights tall", name, r, h)
			}
			s := 40 / f.CapHeight()
			img := image.NewAlpha(image.Rect(0, 0, 80, 80))
			g.Draw(img, Scale(s, s).Then(Translate(20, 60)), 2)
			if ink(img) < 20 {
				t.Errorf("%s: %c drew %.1f pixels of ink", name, r, ink(img))
			}
		}
	}
	if _, err := Embedded("none.ttf"); err == nil {
		t.Error("Embedded found a font that does not exist")
	}
	if _, err := Embedded("LICENSE-hershey.txt"); err == nil {
		t.Error("Embedded parsed a licence as a font")
	}
	math, _ := Embedded("mathlow.jhf")
	greek, _ := Embedded("greeks.jhf")
	for _, c := range []struct {
		f  *Font
		rs string
	}{{math, "∫√×÷±≠∞∂abcxyz"}, {greek, "πΣΩαβμ"}} {
		for _, r := range c.rs {
			if !c.f.Has(r) {
				t.Errorf("%s has no %c", c.f.Name(), r)
			}
		}
	}
	if math.Has('A') || greek.Has('A') {
		t.Error("a Hershey file with its own charset also maps ASCII capitals")
	}
}

func TestParseHershey(t *testing.T) {
	// The record of Roman simplex '1' (the bounds, four vertices) with a
	// pen-up and a base of two more: the count includes the bounds and
	// the pen-up.
	rec := "  501  8H\\NJPISFS[ RNZVZ\n"
	f, err := ParseHershey("one", []byte(rec), []rune{'1'})
	if err != nil {
		t.Fatal(err)
	}
	g, ok := f.Glyph('1')
	if !ok || len(g.Strokes) != 2 || len(g.Strokes[0]) != 4 || len(g.Strokes[1]) != 2 {
		t.Fatalf("glyph %+v", g)
	}
	// 'S','[' is (1, 9): the baseline, 11 units right of the left bound.
	if p := g.Strokes[0][3]; math.Abs(p.X-11.0/32) > 1e-12 || p.Y != 0 {
		t.Errorf("last point %v, want (11/32, 0)", p)
	}
	for _, bad := range []string{"  501  9H\\NJPI\n", "  501  xH\\NJ\n", "1\n"} {
		if _, err := ParseHershey("bad", []byte(bad), []rune{'1'}); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
	// A record wrapped over two lines, as some files have them.
	wrapped := "  501  8H\\NJPISFS[\n RNZVZ\n"
	if f, err := ParseHershey("w", []byte(wrapped), []rune{'1'}); err != nil || len(f.strk['1'].Strokes) != 2 {
		t.Errorf("wrapped record: %v", err)
	}
}

func TestParseOutline(t *testing.T) {
	f, err := ParseOutline("goregular", goregular.TTF)
	if err != nil {
		t.Fatal(err)
	}
	if !f.Has('g') || f.Has(' ') || f.Kind() != Outline {
		t.Error("Go Regular: wrong runes")
	}
	// 'o' has two contours, and its hole stays empty.
	g, _ := f.Glyph('o')
	if len(g.Fill) != 2 {
		t.Fatalf("'o' has %d contours", len(g.Fill))
	}
	img := image.NewAlpha(image.Rect(0, 0, 100, 100))
	g.Draw(img, Scale(100, 100).Then(Translate(10, 80)), 0)
	b := g.Bounds(Scale(100, 100).Then(Translate(10, 80)), 0)
	cx, cy := int((b.Min.X+b.Max.X)/2), int((b.Min.Y+b.Max.Y)/2)
	if img.AlphaAt(cx, cy).A != 0 {
		t.Error("the hole of 'o' is inked")
	}
	if _, err := ParseOutline("junk", []byte("not a font")); err == nil || !strings.Contains(err.Error(), "junk") {
		t.Errorf("junk font: %v", err)
	}
}

// TestContactSheet writes every embedded font's digits and a few letters
// to the PNG named by EDGECONV_GLYPHS_SHEET, for a person to look at.
func TestContactSheet(t *testing.T) {
	out := os.Getenv("EDGECONV_GLYPHS_SHEET")
	if out == "" {
		t.Skip("EDGECONV_GLYPHS_SHEET not set")
	}
	const cell = 40
	text := []rune("0123456789aAbdex+=(?∫√π")
	names := Names()
	img := image.NewAlpha(image.Rect(0, 0, cell*len(text), cell*len(names)))
	for i, name := range names {
		f, _ := Embedded(name)
		s := 0.6 * cell / f.CapHeight()
		for j, r := range text {
			if g, ok := f.Glyph(r); ok {
				g.Draw(img, Scale(s, s).Then(Translate(float64(j*cell)+6, float64(i*cell)+0.8*cell)), 1.5)
			}
		}
	}
	fh, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	grey := image.NewGray(img.Rect)
	for i, v := range img.Pix {
		grey.Pix[i] = 255 - v
	}
	if err := png.Encode(fh, grey); err != nil {
		t.Fatal(err)
	}
}
