package reading_test

import (
	"image"
	"slices"
	"strings"
	"testing"

	"github.com/edgeconv/edgeconv/extract"
	"github.com/edgeconv/edgeconv/internal/testscenes"
)

// TestPenOnSheet reads the scenes with a pen lying on the sheet clear of
// the writing: a dark bar three times as wide as the writing's median
// stroke (a pen's body seen beside digits about three times its width
// tall), 120 and 200 pixels long (three to five of the scenes' lines),
// upright and slanting by a tenth. The model reads it, or the pieces the
// extractor cuts it into where it reaches into each line, as 1s; they are
// not digits (dropObjects), and the scene reads as it does without the
// pen.
func TestPenOnSheet(t *testing.T) {
	r := defaultReader(t)
	for _, sc := range testscenes.Load(t) {
		rd := r.Read(sc.Gray)
		var writing []image.Rectangle
		var strokes []float32
		for i, c := range rd.Candidates {
			writing = append(writing, c.Box)
			if rd.Results[i].Confidence >= 0.8 {
				strokes = append(strokes, c.Stroke)
			}
		}
		slices.Sort(strokes)
		w := int(3*strokes[len(strokes)/2] + 0.5)
		for _, slant := range []float64{0, 0.1} {
			for _, long := range []int{120, 200} {
				g := image.NewGray(sc.Gray.Rect)
				copy(g.Pix, sc.Gray.Pix)
				if !addPen(g, writing, w, long, slant) {
					t.Fatalf("%s: no room for a pen %d pixels long", sc.Name, long)
				}
				if rd := r.Read(g); string(rd.Text) != sc.Text {
					t.Errorf("%s with a pen %d pixels wide and %d long, slanting by %v: read %q, want %q", sc.Name, w, long, slant, rd.Text, sc.Text)
				}
			}
		}
	}
}

// addPen draws a pen w pixels wide and h long, upright or slanting across
// by slant of its length, where it lies 8 pixels clear of the boxes of
// writing and 40 clear of the frame's sides (a strip along a side is the
// sheet's edge), the last such place in reading order (a scene's right
// margin), and reports whether there was one.
func addPen(g *image.Gray, writing []image.Rectangle, w, h int, slant float64) bool {
	b := g.Rect
	across := int(slant*float64(h)) + w
	for y := b.Max.Y - h - 8; y >= b.Min.Y+8; y -= 4 {
		for x := b.Max.X - across - 40; x >= b.Min.X+40; x -= 4 {
			at := image.Rect(x, y, x+across, y+h).Inset(-8)
			if slices.ContainsFunc(writing, at.Overlaps) {
				continue
			}
			for yy := range h {
				x0 := x + int(slant*float64(yy))
				for xx := x0; xx < x0+w; xx++ {
					g.Pix[g.PixOffset(xx, y+yy)] = 30
				}
			}
			return true
		}
	}
	return false
}

// TestSpiralBinding reads the scenes with a notebook's spiral down the
// left margin: rings 2 pixels thick, 12 by 18 pixels, one every 25
// pixels from top to bottom, which the model reads as 0s (and two that the
// reader joins, as an 8). A column so even, each mark alone in the
// margin, is no writing (dropBinding), and the scene reads as it does
// without it.
func TestSpiralBinding(t *testing.T) {
	r := defaultReader(t)
	for _, sc := range testscenes.Load(t) {
		g := image.NewGray(sc.Gray.Rect)
		copy(g.Pix, sc.Gray.Pix)
		for y := 20; y+10 < g.Rect.Dy(); y += 25 {
			ring(g, 16, y-9, 12, 18, 2, 0, 0)
		}
		if rd := r.Read(g); string(rd.Text) != sc.Text {
			t.Errorf("%s beside a spiral: read %q, want %q", sc.Name, rd.Text, sc.Text)
		}
	}
}

// TestRingAroundDigit reads the scenes with a ring drawn round digits, as
// a hand circles an answer: round the first digit of each line that
// stands clear of the others, 1.9 times its box (wider round a 1). The
// ring, which the model reads as a 0 (and which takes the digit into it
// as one mark), is no writing (extract's dropEnclosures); the digits read
// as without it (a break may stand where the ring was).
func TestRingAroundDigit(t *testing.T) {
	r := defaultReader(t)
	for _, sc := range testscenes.Load(t) {
		rd := r.Read(sc.Gray)
		g := image.NewGray(sc.Gray.Rect)
		copy(g.Pix, sc.Gray.Pix)
		rings, line := 0, -1
		for _, c := range rd.Candidates {
			// An ellipse through the box's corners is √2 times its size:
			// 1.9 times clears them by a thick stroke; a hand circles a
			// narrow 1 with a ring as wide as 1.2 times its height.
			mid := c.Box.Min.Add(c.Box.Max).Div(2)
			rx, ry := max(c.Box.Dx()*95/100, c.Box.Dy()*6/10), c.Box.Dy()*95/100
			around := image.Rect(mid.X-rx, mid.Y-ry, mid.X+rx, mid.Y+ry)
			if c.Line == line || !around.In(g.Rect) || slices.ContainsFunc(rd.Candidates, func(o extract.Digit) bool {
				return o.Box != c.Box && o.Box.Inset(-4).Overlaps(around)
			}) {
				continue
			}
			ring(g, around.Min.X, around.Min.Y, around.Dx(), around.Dy(), 2, 0, 0)
			rings, line = rings+1, c.Line
		}
		if rings < 2 {
			t.Fatalf("%s: %d digits stand clear enough to circle, want 2 or more", sc.Name, rings)
		}
		want := strings.ReplaceAll(sc.Text, " ", "")
		if got := strings.ReplaceAll(string(r.Read(g).Text), " ", ""); got != want {
			t.Errorf("%s with %d digits circled: read %q, want %q", sc.Name, rings, got, want)
		}
	}
}
