package extract

import (
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
// looked at block by block.
func TestDilateBlocks(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for range 100 {
		bw, bh := 1+rng.IntN(12), 1+rng.IntN(12)
		src := make([]bool, bw*bh)
		for i := range src {
			src[i] = rng.IntN(6) == 0
		}
		dst, tmp := make([]bool, bw*bh), make([]bool, bw*bh)
		dilateBlocks(dst, src, tmp, bw, bh)
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
