package extract

import (
	"image"
	"math/rand/v2"
	"testing"
)

// TestWindowsMatchReference compares rowWindow and colWindow (maxMinBytes:
// AVX2 on amd64, SWAR elsewhere) with the plain maximum and minimum over the
// clipped window, on random rows of odd lengths, segments at the ends of
// the row, and radii from 1 to 9.
func TestWindowsMatchReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for trial := range 300 {
		w, h := 1+rng.IntN(150), 1+rng.IntN(20)
		r := 1 + rng.IntN(9)
		isMax := trial%2 == 0
		src := make([]uint8, w*h)
		for i := range src {
			src[i] = uint8(rng.IntN(256))
		}
		pick := func(a, b uint8) uint8 {
			if isMax {
				return max(a, b)
			}
			return min(a, b)
		}
		x0 := rng.IntN(w)
		x1 := x0 + 1 + rng.IntN(w-x0)
		y := rng.IntN(h)
		// Across.
		dst := make([]uint8, x1-x0)
		rowWindow(dst, src[y*w:y*w+w], make([]uint8, w), x0, r, isMax)
		for x := x0; x < x1; x++ {
			want := src[y*w+x]
			for d := max(x-r, 0); d <= min(x+r, w-1); d++ {
				want = pick(want, src[y*w+d])
			}
			if dst[x-x0] != want {
				t.Fatalf("rowWindow w=%d r=%d max=%v x=%d: %d, want %d", w, r, isMax, x, dst[x-x0], want)
			}
		}
		// Down.
		plane := make([]uint8, w*h)
		colWindow(plane, src, make([]uint8, w), w, h, y, x0, x1, r, isMax)
		for x := x0; x < x1; x++ {
			want := src[y*w+x]
			for yy := max(y-r, 0); yy <= min(y+r, h-1); yy++ {
				want = pick(want, src[yy*w+x])
			}
			if plane[y*w+x] != want {
				t.Fatalf("colWindow w=%d h=%d r=%d max=%v (%d,%d): %d, want %d", w, h, r, isMax, x, y, plane[y*w+x], want)
			}
		}
	}
}

// TestDilateBlocks compares dilateBlocks with the 3x3 neighbourhood
// looked at block by block, over the whole grid and over the box of the
// marked blocks grown by one.
func TestDilateBlocks(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for range 100 {
		bw, bh := 1+rng.IntN(12), 1+rng.IntN(12)
		src := make([]bool, bw*bh)
		for i := range src {
			src[i] = rng.IntN(6) == 0
		}
		dst, tmp := make([]bool, bw*bh), make([]bool, bw*bh)
		box := image.Rect(0, 0, bw, bh)
		if rng.IntN(2) == 0 {
			// Only the marked blocks' box, grown by one, as findSteps
			// calls it.
			var marked image.Rectangle
			for p, v := range src {
				if v {
					marked = marked.Union(image.Rect(p%bw, p/bw, p%bw+1, p/bw+1))
				}
			}
			box = marked.Inset(-1).Intersect(box)
		}
		dilateBlocks(dst, src, tmp, bw, box)
		for j := range bh {
			for i := range bw {
				want := false
				for dj := max(j-1, 0); dj <= min(j+1, bh-1); dj++ {
					for di := max(i-1, 0); di <= min(i+1, bw-1); di++ {
						want = want || src[dj*bw+di]
					}
				}
				if dst[j*bw+i] != want {
					t.Fatalf("%dx%d block (%d,%d): %v, want %v", bw, bh, i, j, dst[j*bw+i], want)
				}
			}
		}
	}
}

// TestDownsample compares downsample with the brightest pixel of each 2x2
// taken one by one, on frames of odd and even sizes and rows cut
// anywhere.
func TestDownsample(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for range 300 {
		w, h := 1+rng.IntN(90), 1+rng.IntN(9)
		g := image.NewGray(image.Rect(0, 0, w, h))
		for i := range g.Pix {
			g.Pix[i] = uint8(rng.IntN(256))
		}
		hw, hh := (w+1)/2, (h+1)/2
		y := rng.IntN(hh)
		x0 := rng.IntN(hw)
		x1 := x0 + 1 + rng.IntN(hw-x0)
		dst := make([]uint8, x1-x0)
		downsample(dst, g, x0, y, make([]uint8, 2*w+2))
		for i := range dst {
			want := uint8(0)
			for yy := 2 * y; yy < min(2*y+2, h); yy++ {
				for xx := 2 * (x0 + i); xx < min(2*(x0+i)+2, w); xx++ {
					want = max(want, g.Pix[yy*w+xx])
				}
			}
			if dst[i] != want {
				t.Fatalf("%dx%d row %d column %d: %d, want %d", w, h, y, x0+i, dst[i], want)
			}
		}
	}
}
