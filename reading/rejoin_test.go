package reading_test

import (
	"fmt"
	"image"
	"testing"

	"github.com/edgeconv/edgeconv/extract"
	"github.com/edgeconv/edgeconv/internal/testscenes"
	"github.com/edgeconv/edgeconv/model"
	"github.com/edgeconv/edgeconv/model/modeltest"
	"github.com/edgeconv/edgeconv/reading"
)

// TestRejoin reads a line of digits whose first is a 0 written wide and
// open at its top, as a faint stretch of a ballpoint leaves it: as wide as
// two digits and joined at one thin place only, it meets the extractor's
// rule for digits that touch and is cut in two, a C and a mirrored C that
// the model calls no digits. The reader reads it whole. Two 0s that do
// touch, which the model reads as two 0s, stay cut.
func TestRejoin(t *testing.T) {
	g := wideZeroLine(220)
	// Line two: two 0s joined by a bar at mid-height, then a 1 and a 0.
	ring(g, 40, 140, 26, 40, 4, 0, 0)
	ring(g, 70, 140, 26, 40, 4, 0, 0)
	bar(g, 64, 158, 4, 8)
	bar(g, 130, 140, 40, 4)
	ring(g, 160, 140, 26, 40, 4, 0, 0)

	// The premise: the extractor cuts both wide candidates.
	ex := extract.NewExtractor(extract.Options{})
	ds := ex.Extract(g, nil)
	if len(ds) != 9 {
		t.Fatalf("extracted %d candidates, want 9 (both wide ones cut in two): %v", len(ds), boxesOf(ds))
	}
	for _, pair := range [][2]int{{0, 1}, {5, 6}} {
		a, b := &ds[pair[0]], &ds[pair[1]]
		if ex.CutFrom(a) == 0 || ex.CutFrom(a) != ex.CutFrom(b) {
			t.Fatalf("candidates %v and %v: cuts %d and %d, want one cut", a.Box, b.Box, ex.CutFrom(a), ex.CutFrom(b))
		}
	}
	if ex.CutFrom(&ds[2]) != 0 {
		t.Errorf("an uncut candidate reports cut %d", ex.CutFrom(&ds[2]))
	}
	whole := ex.Uncut(&ds[1], nil)
	if want := image.Rect(40, 40, 104, 80); len(whole) != 1 || whole[0].Box.Inset(-2).Intersect(want) != want || !whole[0].Box.In(want.Inset(-2)) {
		t.Fatalf("Uncut gave %v, want about %v", boxesOf(whole), want)
	}

	r := newReader(t, modeltest.Default(t), reading.Options{})
	rd := r.Read(g)
	if got, want := string(rd.Text), "0010\n0010"; got != want {
		t.Errorf("read %q, want %q", got, want)
	}
	checkProbs(t, rd)
	if n := testing.AllocsPerRun(10, func() { r.Read(g) }); n != 0 {
		t.Errorf("Read of a frame with a rejoined cut allocates %v times", n)
	}
}

// TestRejoinDisowned reads the wide open 0 of TestRejoin with the embedded
// network's logits divided by four: every class is the same, with less
// confidence, so the whole reads as a 0 under 0.9 while both pieces stay
// not digits. A cut whose pieces are all disowned made nothing, and the
// whole is taken if it is a digit at all (disownedWhole).
func TestRejoinDisowned(t *testing.T) {
	flat := modeltest.DefaultCopy(t)
	last := flat.Layers()[len(flat.Layers())-1]
	for _, p := range [][]float32{last.Weights, last.Bias} {
		for i := range p {
			p[i] /= 4
		}
	}
	flat.ParamsChanged()
	m, err := model.FromNetwork(flat, "flat")
	if err != nil {
		t.Fatal(err)
	}
	g := wideZeroLine(120)
	r := newReader(t, m, reading.Options{})
	rd := r.Read(g)
	if got := string(rd.Text); got != "0010" {
		t.Errorf("read %q, want %q", got, "0010")
	}
	if len(rd.Digits) > 0 && rd.Digits[0].Confidence >= 0.9 {
		t.Errorf("the whole read with %v: the test needs it under 0.9", rd.Digits[0].Confidence)
	}
}

// boxesOf returns the digits' boxes.
func boxesOf(ds []extract.Digit) []image.Rectangle {
	var bs []image.Rectangle
	for _, d := range ds {
		bs = append(bs, d.Box)
	}
	return bs
}

// wideZeroLine returns a frame 400 px wide and h tall whose first line,
// 40 px from the top, reads 0010: a 0 written wide, an ellipse 64x40 px
// with a 4 px stroke open between 80° and 100° (its top), then two 0s and
// a 1 of the usual width, which set the line's typical width.
func wideZeroLine(h int) *image.Gray {
	g := plainGray(400, h, 225)
	ring(g, 40, 40, 64, 40, 4, 80, 100)
	ring(g, 130, 40, 26, 40, 4, 0, 0)
	bar(g, 185, 40, 40, 4)
	ring(g, 215, 40, 26, 40, 4, 0, 0)
	return g
}

// ring draws an ellipse w x h at (x, y) with a stroke of sw pixels (at
// the ends of its vertical axis), left open between the angles a0 and a1.
func ring(g *image.Gray, x, y, w, h int, sw float64, a0, a1 float64) {
	testscenes.Ring(g, image.Rect(x, y, x+w, y+h), 2*sw/float64(h), 30, a0, a1)
}

// bar draws an upright stroke h tall and sw wide at (x, y).
func bar(g *image.Gray, x, y, h, sw int) {
	for yy := y; yy < y+h; yy++ {
		for xx := x; xx < x+sw; xx++ {
			g.Pix[yy*g.Stride+xx] = 30
		}
	}
}

// TestRejoinKeepsLine reads the wide open 0 of TestRejoin on the top line
// of a page whose second line starts further left. The extractor numbers
// lines as it finds them, left to right, and then top to bottom; the
// whole of a cut kept the first number, so that the 0, read whole, stood
// on a line of its own and broke its line apart (a photo of
// ../shared/photos stretched by 8% upright read "1392\n4\n579693").
func TestRejoinKeepsLine(t *testing.T) {
	g := wideZeroLine(200)
	bar(g, 12, 130, 40, 4)
	ring(g, 50, 130, 26, 40, 4, 0, 0)
	bar(g, 110, 130, 40, 4)

	ex := extract.NewExtractor(extract.Options{})
	ds := ex.Extract(g, nil)
	if len(ds) < 2 || ex.CutFrom(&ds[0]) == 0 {
		t.Fatalf("extracted %v, want the wide 0 cut first", boxesOf(ds))
	}
	if whole := ex.Uncut(&ds[0], nil); len(whole) != 1 || whole[0].Line != ds[0].Line {
		t.Fatalf("Uncut of a piece on line %d gave %v, want one digit on that line", ds[0].Line, linesOf(whole))
	}
	r := newReader(t, modeltest.Default(t), reading.Options{})
	if got, want := string(r.Read(g).Text), "0010\n101"; got != want {
		t.Errorf("read %q, want %q", got, want)
	}
}

// linesOf returns the boxes and lines of ds, for messages.
func linesOf(ds []extract.Digit) []string {
	var s []string
	for _, d := range ds {
		s = append(s, fmt.Sprintf("%v on line %d", d.Box, d.Line))
	}
	return s
}
