package reading

import (
	"image"
	"testing"
)

// TestSmoothBilevel: a frame whose luma holds two levels (a sub-image, its
// stride wider than it) has its luma averaged over 3x3 pixels, the edges
// clamped, its chroma kept; a frame of three levels or more is read as it
// is, and so is a tight crop.
func TestSmoothBilevel(t *testing.T) {
	full := image.NewYCbCr(image.Rect(0, 0, 212, 9), image.YCbCrSubsampleRatio420)
	for i := range full.Y {
		full.Y[i] = 255
	}
	for i := range full.Cb {
		full.Cb[i], full.Cr[i] = 100, 150
	}
	f := full.SubImage(image.Rect(2, 1, 210, 8)).(*image.YCbCr)
	f.Y[f.YOffset(5, 4)] = 0 // one black pixel among white
	var r Reader
	got := r.smoothBilevel(f)
	if got == f {
		t.Fatal("a frame of two levels was read as it is")
	}
	if got.Rect != f.Rect || got.Cb[got.COffset(5, 4)] != 100 || got.Cr[got.COffset(5, 4)] != 150 {
		t.Errorf("bounds %v, chroma %d %d; want %v, 100 150", got.Rect, got.Cb[got.COffset(5, 4)], got.Cr[got.COffset(5, 4)], f.Rect)
	}
	for y := f.Rect.Min.Y; y < f.Rect.Max.Y; y++ {
		for x := f.Rect.Min.X; x < f.Rect.Max.X; x++ {
			want := uint8(255)
			if x >= 4 && x <= 6 && y >= 3 && y <= 5 {
				want = 227 // (8·255 + 0) / 9, rounded
			}
			if v := got.Y[got.YOffset(x, y)]; v != want {
				t.Errorf("luma at (%d,%d) = %d, want %d", x, y, v, want)
			}
		}
	}
	if n := testing.AllocsPerRun(10, func() { r.smoothBilevel(f) }); n != 0 {
		t.Errorf("smoothBilevel allocates %v times once its buffers are grown", n)
	}
	crop := full.SubImage(image.Rect(0, 0, 200, 9)).(*image.YCbCr) // two levels
	if r.smoothBilevel(crop) != crop {
		t.Error("a tight crop was smoothed")
	}
	f.Y[f.YOffset(2, 1)] = 128 // a third level
	if r.smoothBilevel(f) != f {
		t.Error("a frame of three levels was smoothed")
	}
}
