package reading_test

import (
	"fmt"
	"image"
	"testing"

	"github.com/edgeconv/edgeconv/internal/score"
	"github.com/edgeconv/edgeconv/internal/testscenes"
)

// TestTouchingDigits writes 150 lines of five MNIST test digits (3,000 on)
// at 56 pixels, the second and third written into each other: the third's
// ink starts where the second's ends, or 2 or 6 pixels inside it; the
// others stand 16 pixels apart. Each line is read as a photo. A pair that
// touches is one mark, which the model reads as no digit; cut at the
// columns of least ink and read piece by piece (Reader.readTouching), it
// reads as its two digits. Digits right of 750, before and now: touching
// 660 → 705, 2 pixels in 611 → 675, 6 pixels in 556 → 591; apart 747
// either way (696, 665 and 590 while no piece read as a 1 counted). What
// is left are pairs whose joint is as thick as a stroke, and pairs with a
// 1 that reads short or unsure.
func TestTouchingDigits(t *testing.T) {
	m := testscenes.MNIST(t)
	r := defaultReader(t)
	for _, tc := range []struct {
		into  int // pixels of the third digit inside the second's ink
		floor int // digits of 750 right, at least
	}{{-16, 740}, {0, 690}, {2, 660}, {6, 575}} {
		var all score.Counts
		for k := range 150 {
			line := image.NewGray(image.Rect(0, 0, 480, 120))
			for i := range line.Pix {
				line.Pix[i] = 255
			}
			want := ""
			x := 10
			for j := range 5 {
				i := 3000 + 5*k + j
				g := descending(m, i, 2, 28, 1)
				x0, x1 := inkColumns(g)
				px := x - x0
				for y := 0; y < g.Rect.Dy(); y++ {
					for gx := 0; gx < g.Rect.Dx(); gx++ {
						if lx := px + gx; lx >= 0 && lx < line.Rect.Dx() {
							p := &line.Pix[(20+y)*line.Stride+lx]
							*p = min(*p, g.Pix[y*g.Stride+gx])
						}
					}
				}
				want += fmt.Sprint(m.Labels[i])
				x = px + x1 + 16
				if j == 1 {
					x = px + x1 - tc.into
				}
			}
			got := ""
			for _, d := range readPhoto(r, line).Digits {
				got += fmt.Sprint(d.Digit)
			}
			all.Add(score.Reading(got, want))
		}
		t.Logf("the third digit %d pixels into the second: %v", tc.into, all)
		if all.Right < tc.floor {
			t.Errorf("the third digit %d pixels into the second: %d of %d digits right, want %d or more", tc.into, all.Right, all.Labelled, tc.floor)
		}
	}
}

// inkColumns returns the first and last-but-one columns of g (ink dark on
// white) that hold ink darker than mid-grey.
func inkColumns(g *image.Gray) (x0, x1 int) {
	x0 = g.Rect.Dx()
	for y := 0; y < g.Rect.Dy(); y++ {
		for x := 0; x < g.Rect.Dx(); x++ {
			if g.Pix[y*g.Stride+x] < 128 {
				x0, x1 = min(x0, x), max(x1, x+1)
			}
		}
	}
	return x0, x1
}
