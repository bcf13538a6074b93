package extract

import (
	"image"
	"testing"

	"github.com/edgeconv/edgeconv/internal/testscenes"
)

// bindingPage returns a page of four lines of five crude 0s, 40 pixels
// tall, from x = 80 with a gap after the third, and a column of spiral
// rings 12 by 20 pixels, one every 30 pixels from top to bottom, at x;
// and the 0s' boxes in reading order.
func bindingPage(x int) (*image.Gray, []image.Rectangle) {
	g := page(440, 480, 230)
	var digits []image.Rectangle
	for line := range 4 {
		for k := range 5 {
			dx := 80 + k*50
			if k >= 3 {
				dx += 60
			}
			digits = append(digits, strokeDigit(g, dx, 40+line*110, 40, true, 30))
		}
	}
	for y := 5; y+20 <= 480; y += 30 {
		testscenes.Ring(g, image.Rect(x, y, x+12, y+20), 0.3, 40, 0, 0)
	}
	return g, digits
}

// TestBinding: a spiral's rings down the sheet's left or right side, a
// column of marks alike and evenly spaced, each alone at its height, are
// no writing (markBinding); the same column in the gap between the
// writing, at no side of it, is left to the reader.
func TestBinding(t *testing.T) {
	for _, x := range []int{20, 410} {
		g, digits := bindingPage(x)
		wantBoxes(t, NewExtractor(Options{}).Extract(g, nil), digits)
	}
	g, digits := bindingPage(252)
	ds := NewExtractor(Options{}).Extract(g, nil)
	if rings := len(ds) - len(digits); rings < 10 {
		t.Errorf("a column of 16 rings between the writing: %d candidates besides the %d digits, want the rings among them", rings, len(digits))
	}
}
