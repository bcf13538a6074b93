package train

import (
	"image"
	"image/png"
	"math"
	"os"
	"testing"
)

func TestWarpIdentityAndShift(t *testing.T) {
	const rows, cols = 9, 11
	src := make([]float32, rows*cols)
	for i := range src {
		src[i] = float32(i%7) / 7
	}
	dst := make([]float32, len(src))
	warp(dst, src, rows, cols, 0, 1, 0, 0, nil)
	for i := range src {
		if math.Abs(float64(dst[i]-src[i])) > 1e-6 {
			t.Fatalf("identity warp changed pixel %d: %v -> %v", i, src[i], dst[i])
		}
	}
	warp(dst, src, rows, cols, 0, 1, 2, 1, nil) // right 2, down 1
	for y := 1; y < rows; y++ {
		for x := 2; x < cols; x++ {
			if math.Abs(float64(dst[y*cols+x]-src[(y-1)*cols+x-2])) > 1e-6 {
				t.Fatalf("shifted pixel (%d,%d) = %v, want %v", x, y, dst[y*cols+x], src[(y-1)*cols+x-2])
			}
		}
	}
	// A quarter turn about the centre maps the top-left corner to the
	// bottom-left corner (image y points down, positive angles turn
	// clockwise on screen) or the top-right; either way the corner value
	// moves to another corner and nothing is lost.
	sq := make([]float32, 25)
	sq[0] = 1
	out := make([]float32, 25)
	warp(out, sq, 5, 5, math.Pi/2, 1, 0, 0, nil)
	var sum float32
	for _, v := range out {
		sum += v
	}
	if math.Abs(float64(sum-1)) > 1e-5 || out[0] != 0 || (out[4] < 0.99 && out[20] < 0.99) {
		t.Errorf("quarter turn of a corner pixel: %v", out)
	}
}

// TestWarpElastic: a field that moves every grid point by the same
// amount is a shift; one that moves only the bottom-right point leaves the
// top-left corner alone and moves the pixels near that corner most.
func TestWarpElastic(t *testing.T) {
	const rows, cols = 10, 10
	src := make([]float32, rows*cols)
	for i := range src {
		src[i] = float32(i%cols) / cols // brightness grows across
	}
	var field [2][elasticGrid * elasticGrid]float64
	for i := range field[0] {
		field[0][i] = 2 // every pixel sampled 2 to the right
	}
	dst := make([]float32, len(src))
	warp(dst, src, rows, cols, 0, 1, 0, 0, &field)
	for y := range rows {
		for x := range cols - 2 {
			if math.Abs(float64(dst[y*cols+x]-src[y*cols+x+2])) > 1e-6 {
				t.Fatalf("uniform field: pixel (%d,%d) = %v, want %v", x, y, dst[y*cols+x], src[y*cols+x+2])
			}
		}
	}
	field = [2][elasticGrid * elasticGrid]float64{}
	field[0][len(field[0])-1] = 1
	if ex, ey := displacement(&field, 0, 0); ex != 0 || ey != 0 {
		t.Errorf("top-left displacement (%v, %v), want none", ex, ey)
	}
	if ex, _ := displacement(&field, 1, 1); ex != 1 {
		t.Errorf("bottom-right displacement %v, want 1", ex)
	}
	if ex, _ := displacement(&field, 5.0/6, 5.0/6); math.Abs(ex-0.25) > 1e-12 {
		t.Errorf("displacement halfway into the last cell %v, want 0.25", ex)
	}
}

func TestMorphAndBlur(t *testing.T) {
	img := make([]float32, 25)
	img[12] = 1 // centre of 5x5
	tmp := make([]float32, 25)
	morph(img, tmp, 5, 5, true)
	if count(img) != 5 {
		t.Errorf("dilating a dot gave %d lit pixels, want 5 (a plus)", count(img))
	}
	morph(img, tmp, 5, 5, false)
	if count(img) != 1 || img[12] != 1 {
		t.Errorf("eroding the plus gave %d lit pixels, want the centre only", count(img))
	}
	blur3(img, tmp, 5, 5)
	var sum float32
	for _, v := range img {
		sum += v
	}
	if math.Abs(float64(sum-1)) > 1e-6 || img[12] != 0.25 {
		t.Errorf("blurring a dot: sum %v, centre %v; want 1 and 0.25", sum, img[12])
	}
}

// TestMarkerAndHairline checks the stroke augmentation on MNIST digits: a
// marker's strokes carry more ink than the same draw without it, a
// hairline's less, and DefaultAugment's draws are unchanged by the new
// fields being zero.
func TestMarkerAndHairline(t *testing.T) {
	test := loadOrSkip(t, Test)
	ink := func(a Augment, i int, key uint64) float64 {
		img := make([]float32, 784)
		test.Batch(img, nil, []int{i})
		newAugmenter(a, 784).apply(img, 28, 28, key)
		s := 0.0
		for _, v := range img {
			s += float64(v)
		}
		return s
	}
	base := StrokeAugment
	base.PIdentity, base.PMarker, base.PHairline = 0, 0, 0
	marker, hair := base, base
	marker.PMarker, hair.PHairline = 1, 1
	for i := range 50 {
		key := uint64(1000 + i)
		b := ink(base, i, key)
		if m, h := ink(marker, i, key), ink(hair, i, key); !(m > 1.3*b) || !(h < b) {
			t.Errorf("digit %d: ink %.1f plain, %.1f with a marker, %.1f with a hairline", i, b, m, h)
		}
	}
	d := DefaultAugment
	if d.PMarker != 0 || d.PHairline != 0 || ink(d, 3, 77) != ink(Augment{MaxShift: 3, MaxRotate: 15, MinScale: 0.8,
		MaxScale: 1.15, PThicken: 0.2, PThin: 0.1, PBlur: 0.2, PIdentity: 0.2}, 3, 77) {
		t.Error("DefaultAugment changed")
	}
}

func count(img []float32) int {
	n := 0
	for _, v := range img {
		if v > 0 {
			n++
		}
	}
	return n
}

// TestAugmentSheet draws augmented MNIST digits into a contact sheet for a
// person to look at when AUGMENT_SHEET names a PNG file to write.
func TestAugmentSheet(t *testing.T) {
	path := os.Getenv("AUGMENT_SHEET")
	if path == "" {
		t.Skip("set AUGMENT_SHEET=file.png to draw augmented digits")
	}
	ds := loadOrSkip(t, Train)
	a := newAugmenter(DefaultAugment, 784)
	const n = 8
	sheet := image.NewGray(image.Rect(0, 0, 28*n, 28*n))
	x := make([]float32, 784)
	for i := range n * n {
		ds.Batch(x, nil, []int{i % n})
		if i >= n {
			a.apply(x, 28, 28, splitmix(uint64(i)))
		}
		for p, v := range x {
			sheet.Pix[(i/n*28+p/28)*sheet.Stride+i%n*28+p%28] = uint8(math.Min(255, float64(v)*255))
		}
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	png.Encode(f, sheet)
}
