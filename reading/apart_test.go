package reading_test

import (
	"image"
	"math/rand/v2"
	"testing"
)

// TestSevenOverOne reads lines of a 7 whose bar reaches past its stem
// over the 1 after it, the 1 standing under the bar's end a few pixels
// clear of it, then a 0 and a 1 of the usual width; the 7's bar, stem and
// the 1's height vary from line to line. The extractor takes the 7 and
// the 1, whose columns overlap, for the pieces of one digit, which the
// model reads as no digit or doubts; the reader reads them apart
// (Reader.readApart). Without it 0 of 20 lines read "7101", with it 19;
// 20 since a photo of two grey levels, as these lines are drawn, is read
// with its luma averaged (Reader.smoothBilevel).
func TestSevenOverOne(t *testing.T) {
	r := defaultReader(t)
	rng := rand.New(rand.NewPCG(7, 1))
	right := 0
	const n = 20
	for k := range n {
		g := plainGray(400, 160, 225)
		const top, h, sw = 40, 60, 5
		x0 := 30
		bar := 40 + rng.IntN(8)        // the bar's length
		over := 9 + rng.IntN(3)        // how far it reaches past the stem
		slant := 16 + rng.IntN(10)     // how far left the stem's foot lies
		stem := x0 + bar - over - sw/2 // where the stem leaves the bar
		stroke(g, x0, top, x0+bar, top, sw)
		stroke(g, stem, top, stem-slant, top+h, sw)
		// The 1, under the bar's end, clear of the stem and the bar.
		one := x0 + bar - sw/2 - 1 - rng.IntN(2)
		stroke(g, one, top+sw+3+rng.IntN(4), one, top+h, sw)
		ring(g, x0+bar+30, top, 30, h, 5, 0, 0)
		stroke(g, x0+bar+90, top, x0+bar+90, top+h, sw)
		got := string(readPhoto(r, g).Text)
		if got == "7101" {
			right++
		} else {
			t.Logf("line %d: read %q", k, got)
		}
	}
	t.Logf("%d of %d lines read right", right, n)
	if right < n-2 {
		t.Errorf("%d of %d lines read right, want %d or more", right, n, n-2)
	}
}

// stroke draws a straight pen stroke sw pixels wide from (x0, y0) to
// (x1, y1), dark on the paper.
func stroke(g *image.Gray, x0, y0, x1, y1, sw int) {
	steps := max(abs(x1-x0), abs(y1-y0), 1)
	for s := 0; s <= steps; s++ {
		x, y := x0+(x1-x0)*s/steps, y0+(y1-y0)*s/steps
		fillBox(g, image.Rect(x-sw/2, y, x-sw/2+sw, y+sw))
	}
}

// fillBox darkens the pixels of r within g to ink.
func fillBox(g *image.Gray, r image.Rectangle) {
	r = r.Intersect(g.Rect)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			g.Pix[y*g.Stride+x] = 30
		}
	}
}

// abs returns |v|.
func abs(v int) int { return max(v, -v) }
