package extract

import (
	"image"
	"testing"

	"github.com/edgeconv/edgeconv/internal/testscenes"
)

// TestCutAtPieces: two 0s written 4 pixels into each other are one
// candidate, which the extractor's own cuts leave whole (two strokes
// cross every column of the joint). CutColumns offers a column at the
// joint; cut there (CutAt), the pieces on either side (Piece) are the two
// 0s, and the pieces of a candidate that was not the last cut are none.
func TestCutAtPieces(t *testing.T) {
	g := page(200, 120, 230)
	a, b := image.Rect(40, 30, 72, 80), image.Rect(68, 30, 100, 80)
	testscenes.Ring(g, a, 0.25, 30, 0, 0)
	testscenes.Ring(g, b, 0.25, 30, 0, 0)
	testscenes.Ring(g, image.Rect(130, 30, 160, 80), 0.25, 30, 0, 0) // a 0 apart
	e := NewExtractor(Options{})
	ds := e.Extract(g, nil)
	if len(ds) != 2 {
		t.Fatalf("%d candidates, want the pair and the 0 apart: %v", len(ds), boxesOf(ds))
	}
	pair := &ds[0]
	cols := e.CutColumns(pair, nil)
	joint := -1
	for i, x := range cols {
		if x >= 66 && x <= 74 {
			joint = i
		}
	}
	if joint < 0 {
		t.Fatalf("cut columns %v, want one at the joint, 66 to 74", cols)
	}
	if !e.CutAt(pair, cols) {
		t.Fatal("CutAt refused the columns CutColumns gave")
	}
	left := e.Piece(pair, 0, joint+1, nil)
	right := e.Piece(pair, joint+1, len(cols)+1, nil)
	if len(left) != 1 || len(right) != 1 {
		t.Fatalf("pieces %v and %v, want one each", boxesOf(left), boxesOf(right))
	}
	for _, c := range []struct {
		got, want image.Rectangle
	}{{left[0].Box, a}, {right[0].Box, b}} {
		if abs(c.got.Min.X-c.want.Min.X) > 5 || abs(c.got.Max.X-c.want.Max.X) > 5 || abs(c.got.Dy()-c.want.Dy()) > 3 {
			t.Errorf("piece %v, want about %v", c.got, c.want)
		}
	}
	if p := e.Piece(&ds[1], 0, 1, nil); len(p) != 0 {
		t.Errorf("a piece %v of a candidate that was not cut", boxesOf(p))
	}
}

func boxesOf(ds []Digit) []image.Rectangle {
	bs := make([]image.Rectangle, len(ds))
	for i, d := range ds {
		bs[i] = d.Box
	}
	return bs
}
