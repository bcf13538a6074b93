package extract

import "testing"

// TestWiden: a factor of 1 copies the image; a vertical bar in the middle
// widens by the factor, keeps its rows and its middle, and no ink leaves
// or enters the rows above and below it.
func TestWiden(t *testing.T) {
	var src, dst [784]uint8
	for y := 4; y < 24; y++ {
		for x := 12; x < 16; x++ {
			src[y*28+x] = 255
		}
	}
	src[5*28+3] = 77 // a speck off the bar
	Widen(&dst, &src, 1)
	if dst != src {
		t.Fatal("Widen by 1 changed the image")
	}
	Widen(&dst, &src, 1.5)
	for y := range 28 {
		ink := 0
		for x := range 28 {
			if dst[y*28+x] >= 128 {
				ink++
			}
		}
		switch {
		case y < 4 || y >= 24:
			if ink != 0 {
				t.Errorf("row %d: %d inked pixels outside the bar", y, ink)
			}
		case ink != 6:
			t.Errorf("row %d: the bar is %d pixels wide, want 6 (4 widened by 1.5)", y, ink)
		}
		if dst[y*28+13] != src[y*28+13] || dst[y*28+14] != src[y*28+14] {
			t.Errorf("row %d: the middle moved", y)
		}
	}
}
