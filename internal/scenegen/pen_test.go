package scenegen

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestEDT compares the distance transform with brute force.
func TestEDT(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, sz := range [][2]int{{1, 1}, {7, 5}, {16, 16}, {33, 9}} {
		w, h := sz[0], sz[1]
		b := make([]bool, w*h)
		for i := range b {
			b[i] = rng.IntN(9) == 0
		}
		b[rng.IntN(w*h)] = true
		d := make([]float32, w*h)
		edt(b, w, h, d)
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				best := math.Inf(1)
				for j := 0; j < h; j++ {
					for i := 0; i < w; i++ {
						if b[j*w+i] {
							best = math.Min(best, float64((x-i)*(x-i)+(y-j)*(y-j)))
						}
					}
				}
				if float64(d[y*w+x]) != best {
					t.Fatalf("%dx%d: edt at (%d,%d) = %v, want %v", w, h, x, y, d[y*w+x], best)
				}
			}
		}
	}
}

// TestPenField thins a bar and a ring to their middle lines.
func TestPenField(t *testing.T) {
	m := fakeMNIST(4)
	bar := newPenField(m.Image(1)) // columns 12..15 (i=1: x in [12,16)), rows 4..23
	// The bar's middle line is near x = 14; its skeleton runs down it.
	if d := bar.at(14, 14); d > 0.5 {
		t.Errorf("distance at the bar's middle %.2f", d)
	}
	if d := bar.at(20, 14); math.Abs(d-6) > 0.6 {
		t.Errorf("distance 6 px beside the bar's middle is %.2f", d)
	}
	if d := bar.at(-10, 14); d < 20 {
		t.Errorf("distance outside the field %.2f", d)
	}
	ring := newPenField(m.Image(0)) // radius 6..9 around (13.5, 13.5)
	if d := ring.at(14, 14); math.Abs(d-7.5) > 1 {
		t.Errorf("distance from the ring's centre to its skeleton %.2f, want about 7.5", d)
	}
}

// TestPenFieldKeepsBlobsAndFaintStrokes draws a 6 whose loop is filled (a
// bar with a disc at its foot) and a bar at a third of full ink: the pen
// path keeps the disc, which thinning alone takes down to a spur, and the
// faint bar, which a threshold at half ink loses.
func TestPenFieldKeepsBlobsAndFaintStrokes(t *testing.T) {
	six := make([]uint8, 784)
	faint := make([]uint8, 784)
	for y := range 28 {
		for x := range 28 {
			if x >= 9 && x < 12 && y >= 4 && y < 18 || math.Hypot(float64(x)+0.5-14, float64(y)+0.5-19) <= 4.5 {
				six[y*28+x] = 255
			}
			if x >= 12 && x < 15 && y >= 4 && y < 24 {
				faint[y*28+x] = 100
			}
		}
	}
	f := newPenField(six)
	// A pen 2 px wide (radius 1) covers the disc's body, not only a spur:
	// points 2.5 px from its centre on either side.
	for _, p := range [][2]float64{{11.5, 19}, {16.5, 19}, {14, 16.5}, {14, 21.5}} {
		if d := f.at(p[0], p[1]); d > 1 {
			t.Errorf("the filled loop: distance %.2f at %v, want within a 2 px pen", d, p)
		}
	}
	if d := newPenField(faint).at(13.5, 14); d > 0.5 {
		t.Errorf("the faint bar: distance %.2f at its middle, want on its path", d)
	}
}
