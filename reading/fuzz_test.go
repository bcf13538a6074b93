package reading_test

import (
	"image"
	"math/rand/v2"
	"testing"
)

// scribble returns a w×h photo of paper with n random strokes of ink,
// some of them thick, some touching the border: the shapes of digits,
// pieces of them and marks that are not.
func scribble(rng *rand.Rand, w, h, n int) *image.Gray {
	g := image.NewGray(image.Rect(0, 0, w, h))
	for i := range g.Pix {
		g.Pix[i] = uint8(200 + rng.IntN(40))
	}
	for range n {
		x, y := rng.Float64()*float64(w), rng.Float64()*float64(h)
		dx, dy := rng.NormFloat64(), rng.NormFloat64()
		pen := 1 + rng.IntN(1+min(w, h)/8)
		ink := uint8(rng.IntN(120))
		for range 4 + rng.IntN(4*max(w, h)) {
			for py := int(y); py < int(y)+pen; py++ {
				for px := int(x); px < int(x)+pen; px++ {
					if px >= 0 && py >= 0 && px < w && py < h {
						g.Pix[py*w+px] = ink
					}
				}
			}
			x, y = x+dx, y+dy
			dx, dy = dx+0.2*rng.NormFloat64(), dy+0.2*rng.NormFloat64()
		}
	}
	return g
}

// FuzzReadPhoto reads two scribbled photos of any sizes, from 1x1 on,
// one after the other with one Reader, as `read` and `eval --photos` do,
// and a camera frame after them: no size, shape or order of photos makes
// the reader (its second looks at the extractor's candidates: splitting,
// joining, reading whole, padding, turning) panic, and every box is in
// its photo.
func FuzzReadPhoto(f *testing.F) {
	for _, s := range [][5]uint16{{14, 76, 5, 46, 1}, {200, 200, 3, 3, 2}, {640, 480, 40, 60, 3}, {1, 1, 300, 20, 4},
		{60, 8, 8, 60, 5}, {120, 90, 7, 200, 6}} {
		f.Add(s[0], s[1], s[2], s[3], uint64(s[4]))
	}
	r := defaultReader(f)
	f.Fuzz(func(t *testing.T, w1, h1, w2, h2 uint16, seed uint64) {
		rng := rand.New(rand.NewPCG(seed, 7))
		for _, wh := range [][2]uint16{{w1, h1}, {w2, h2}} {
			w, h := 1+int(wh[0])%700, 1+int(wh[1])%700
			g := scribble(rng, w, h, rng.IntN(12))
			rd := readPhoto(r, g)
			for _, d := range rd.Digits {
				if !d.Box.In(g.Rect) {
					t.Errorf("%dx%d photo: a digit at %v", w, h, d.Box)
				}
			}
		}
		r.Read(scribble(rng, 64, 48, 3))
	})
}
