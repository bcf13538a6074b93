package reading

import (
	"image"
	"math/rand/v2"
	"testing"
)

// TestBoxBlur compares blurAcross and blurDown with the
// plain average over the clamped window, on odd sizes, radii larger than
// the lines, and rows one pixel longer than the window (no middle).
func TestBoxBlur(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, size := range []image.Point{{1, 1}, {7, 3}, {3, 11}, {64, 5}, {2, 9}, {4, 3}, {6, 2}, {12, 4}, {13, 13}} {
		w, h := size.X, size.Y
		src := make([]uint8, w*h)
		for i := range src {
			src[i] = uint8(rng.IntN(256))
		}
		for _, rad := range []int{0, 1, 2, 5} {
			for _, across := range []bool{true, false} {
				got := make([]uint8, w*h)
				if across {
					blurAcross(got, src, w, h, rad)
				} else {
					blurDown(got, src, w, h, rad, make([]int32, w))
				}
				for y := range h {
					for x := range w {
						sum := 0
						for d := -rad; d <= rad; d++ {
							if across {
								sum += int(src[y*w+min(max(x+d, 0), w-1)])
							} else {
								sum += int(src[min(max(y+d, 0), h-1)*w+x])
							}
						}
						win := 2*rad + 1
						if want := uint8((sum + win/2) / win); got[y*w+x] != want {
							t.Fatalf("%dx%d, radius %d, across %v: (%d,%d) = %d, want %d", w, h, rad, across, x, y, got[y*w+x], want)
						}
					}
				}
			}
		}
	}
}

// TestUnsharp: unsharp's integers are the unsharp mask's formula in
// float32, y + sharpenAmount·(y − blur) rounded half up and clamped to a
// byte, for every pair of bytes.
func TestUnsharp(t *testing.T) {
	for v := range 256 {
		for b := range 256 {
			y := float32(v)
			want := uint8(min(max(y+sharpenAmount*(y-float32(b))+0.5, 0), 255))
			if got := unsharp(uint8(v), uint8(b)); got != want {
				t.Fatalf("luma %d, blur %d: %d, want %d", v, b, got, want)
			}
		}
	}
}

// TestSharpenLuma: the unsharp mask leaves flat paper as it is, deepens a
// blurred stroke's core and lifts the paper beside it, in a frame whose
// rectangle does not start at the origin, its chroma shared.
func TestSharpenLuma(t *testing.T) {
	frame := image.NewYCbCr(image.Rect(5, 7, 45, 27), image.YCbCrSubsampleRatio420)
	for i := range frame.Y {
		frame.Y[i] = 200
	}
	// A soft vertical stroke: columns 20 to 24 darkening toward 22.
	for y := frame.Rect.Min.Y; y < frame.Rect.Max.Y; y++ {
		for x, v := range map[int]uint8{20: 170, 21: 130, 22: 110, 23: 130, 24: 170} {
			frame.Y[frame.YOffset(x, y)] = v
		}
	}
	var r Reader
	r.sharpenLuma(frame)
	s := &r.sharpened
	if s.Rect != frame.Rect || &s.Cb[0] != &frame.Cb[0] {
		t.Fatalf("sharpened frame %v, want %v with the frame's chroma", s.Rect, frame.Rect)
	}
	at := func(x int) uint8 { return s.Y[s.YOffset(x, 15)] }
	if at(8) != 200 || at(40) != 200 {
		t.Errorf("flat paper: %d and %d, want 200", at(8), at(40))
	}
	if at(22) >= 110 {
		t.Errorf("stroke's core %d, want darker than 110", at(22))
	}
	if at(18) <= 200 || at(26) <= 200 {
		t.Errorf("paper beside the stroke %d and %d, want lighter than 200", at(18), at(26))
	}
}

// BenchmarkSharpenLuma times the unsharp mask of a 1280x960 frame, what a
// blurred photo's second reading (readSharpened) pays before it reads.
func BenchmarkSharpenLuma(b *testing.B) {
	frame := image.NewYCbCr(image.Rect(0, 0, 1280, 960), image.YCbCrSubsampleRatio420)
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range frame.Y {
		frame.Y[i] = uint8(150 + rng.IntN(60))
	}
	var r Reader
	for b.Loop() {
		r.sharpenLuma(frame)
	}
}

// TestSharpenPart: the part read again sharpened is the marks' box with
// three of the tallest mark's heights around it, at least 320 pixels each
// way, moved inside the photo, its size kept, where it would cross the
// photo's sides, and never larger than the photo.
func TestSharpenPart(t *testing.T) {
	photo := image.Rect(0, 0, 1280, 960)
	for _, c := range []struct {
		marks image.Rectangle
		tall  int
		b     image.Rectangle
		want  image.Rectangle
	}{
		// One 46x48 mark near the top: 144 pixels around it, moved down
		// by the 42 above the photo.
		{image.Rect(504, 102, 550, 150), 48, photo, image.Rect(360, 0, 694, 336)},
		// Two marks far apart: their box, 180 pixels around it, moved
		// right by the 80 left of the photo.
		{image.Rect(100, 200, 900, 260), 60, photo, image.Rect(0, 20, 1160, 440)},
		// A small mark: 320 pixels each way around it.
		{image.Rect(600, 500, 610, 510), 10, photo, image.Rect(445, 345, 765, 665)},
		// At the photo's corner: moved inside.
		{image.Rect(1250, 930, 1280, 960), 30, photo, image.Rect(960, 640, 1280, 960)},
		// A photo smaller than the least part: the photo.
		{image.Rect(100, 50, 140, 90), 40, image.Rect(0, 0, 300, 200), image.Rect(0, 0, 300, 200)},
		// A photo whose rectangle does not start at the origin.
		{image.Rect(1010, 1010, 1030, 1030), 20, image.Rect(1000, 1000, 1400, 1300), image.Rect(1000, 1000, 1320, 1300)},
	} {
		if got := sharpenPart(c.marks, c.tall, c.b); got != c.want {
			t.Errorf("marks %v, tallest %d, photo %v: %v, want %v", c.marks, c.tall, c.b, got, c.want)
		}
	}
}
