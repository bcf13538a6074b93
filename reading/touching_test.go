package reading_test

import (
	"fmt"
	"image"
	"testing"

	"github.com/edgeconv/edgeconv/internal/scenegen"
	"github.com/edgeconv/edgeconv/internal/score"
	"github.com/edgeconv/edgeconv/internal/testscenes"
	"github.com/edgeconv/edgeconv/reading"
	xdraw "golang.org/x/image/draw"
)

// TestTouchingDigits writes 150 lines of five MNIST test digits (3,000 on)
// at 56 pixels, the second and third written into each other: the third's
// ink starts where the second's ends, or 2 or 6 pixels inside it; the
// others stand 16 pixels apart. Each line is read as a photo. A pair that
// touches is one mark, which the model reads as no digit; cut at the
// columns of least ink and read piece by piece (Reader.readTouching), it
// reads as its two digits. Digits right of 750, before and now: touching
// 660 → 705, 2 pixels in 611 → 678, 6 pixels in 556 → 596; apart 747
// either way (696, 665 and 590 while no piece read as a 1 counted). What
// is left are pairs whose joint is as thick as a stroke, and pairs with a
// 1 that reads short or unsure.
//
// The same lines with a blot after the fifth digit, an ink smudge the
// model calls no digit, are read too: one mark in six that is no digit
// makes the page's share of non-digits about 0.15, as blurred photos of
// digits measure (their blots and smudged pairs), under which the pair
// must still be cut (touchOthers). Touching and 2 pixels in, with
// touchOthers 0.1 and now: 657 → 703 and 607 → 670.
//
// And in a narrow hand, the digits scaled to 0.6 of their width, where a
// pair is less wide than its height (touchWide): touching and 2 pixels
// in, with touchWide 0.8 and now, 600 → 639 and 533 → 559 (apart 722
// either way); with the third digit a 9 or a 7 whose stem descends, its
// lower part stretched 1.6 times, so that the pair is taller than the
// line (the width is judged against the line's height), 570 → 578.
//
// MNIST's digits, enlarged twice, have soft edges: the lines measure as a
// blurred photo does, and a pair the cut at the least ink leaves whole
// is read again sharpened (Reader.readSharpened), where the gap between
// the two opens. Without it and with it: touching 705 → 721, 2 pixels in
// 678 → 705, 6 pixels in 596 → 622; beside a blot 703 → 717 and 670 →
// 695; in a narrow hand 639 → 664, 559 → 578 and, descending, 578 → 584.
// Apart, 747 either way. A line that reads poorly is read again with its
// ink thresholds raised toward its typical stroke (Reader.readRaised),
// where the soft joint of two digits written into each other may fall
// away: touching 721 → 723, 6 pixels in 622 → 625; in a narrow hand 664 →
// 666, 578 → 594 and, descending, 584 → 589.
func TestTouchingDigits(t *testing.T) {
	m := testscenes.MNIST(t)
	r := defaultReader(t)
	for _, tc := range []struct {
		touchingLines
		floor int // digits of 750 right, at least
	}{
		{touchingLines{into: -16}, 740}, {touchingLines{into: 0}, 718}, {touchingLines{into: 2}, 700},
		{touchingLines{into: 6}, 605}, {touchingLines{into: 0, blot: true}, 713}, {touchingLines{into: 2, blot: true}, 690},
		{touchingLines{into: -16, narrow: 0.6}, 715}, {touchingLines{into: 0, narrow: 0.6}, 650},
		{touchingLines{into: 2, narrow: 0.6}, 565}, {touchingLines{into: 0, narrow: 0.6, descend: 1.6}, 572},
	} {
		all := tc.read(r, m)
		what := fmt.Sprintf("the third digit %d pixels into the second", tc.into)
		if tc.descend > 0 {
			what = fmt.Sprintf("the third digit a 9 or a 7 whose stem descends %.1f times, %d pixels into the second", tc.descend, tc.into)
		}
		if tc.blot {
			what = "beside a blot, " + what
		}
		if tc.narrow > 0 {
			what = fmt.Sprintf("%.1f as wide, %s", tc.narrow, what)
		}
		t.Logf("%s: %v", what, all)
		if all.Right < tc.floor {
			t.Errorf("%s: %d of %d digits right, want %d or more", what, all.Right, all.Labelled, tc.floor)
		}
	}
}

// touchingLines are lines of five MNIST test digits at 56 pixels, the
// third written into the second.
type touchingLines struct {
	into int  // pixels of the third digit inside the second's ink (negative: apart)
	blot bool // a filled ellipse after the fifth digit
	// descend, when set, makes the third digit a 9 or a 7 whose lower
	// part is stretched by it: a stem that descends below the line.
	descend float64
	// narrow, when set, scales the digits' width by it: a narrow hand.
	narrow float64
}

// read reads 150 such lines (MNIST test digits from 3,000 on), each as a
// photo, the digits other than the pair 16 pixels apart, and returns the
// score against the digits.
func (s touchingLines) read(r *reading.Reader, m *scenegen.MNIST) score.Counts {
	into, blot := s.into, s.blot
	var all score.Counts
	var byLabel map[uint8][]int
	if s.descend > 0 {
		byLabel, _ = mnistByLabel(m, 0, 0, 0)
	}
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
			if j == 2 && s.descend > 0 {
				if k%2 == 0 {
					i = byLabel[9][k/2]
					g = descending(m, i, 2, 14, s.descend)
				} else {
					i = byLabel[7][k/2]
					g = descending(m, i, 2, 12, s.descend)
				}
			}
			if s.narrow > 0 {
				n := image.NewGray(image.Rect(0, 0, int(float64(g.Rect.Dx())*s.narrow), g.Rect.Dy()))
				xdraw.BiLinear.Scale(n, n.Rect, g, g.Rect, xdraw.Src, nil)
				g = n
			}
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
				x = px + x1 - into
			}
		}
		if blot {
			// A smudge 24 by 16 pixels, on the line's middle.
			cx, cy := float64(x+12), 60.0
			for y := 52; y < 68; y++ {
				for bx := x; bx < x+24 && bx < line.Rect.Dx(); bx++ {
					if dx, dy := (float64(bx)-cx)/12, (float64(y)-cy)/8; dx*dx+dy*dy <= 1 {
						line.Pix[y*line.Stride+bx] = 40
					}
				}
			}
		}
		got := ""
		for _, d := range readPhoto(r, line).Digits {
			got += fmt.Sprint(d.Digit)
		}
		all.Add(score.Reading(got, want))
	}
	return all
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
