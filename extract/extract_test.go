package extract

import (
	"image"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/edgeconv/edgeconv/internal/testscenes"
)

// page returns a w x h frame of paper at brightness v.
func page(w, h int, v uint8) *image.Gray {
	g := image.NewGray(image.Rect(0, 0, w, h))
	for i := range g.Pix {
		g.Pix[i] = v
	}
	return g
}

// fillRect darkens r of g to v.
func fillRect(g *image.Gray, r image.Rectangle, v uint8) {
	r = r.Intersect(g.Rect)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			g.Pix[y*g.Stride+x] = v
		}
	}
}

// strokeDigit draws a crude digit-like glyph of height h at (x, y): a
// ring (a 0) when ring is true, else a vertical bar with a foot (a 1).
func strokeDigit(g *image.Gray, x, y, h int, ring bool, v uint8) image.Rectangle {
	w := h * 6 / 10
	sw := max(2, h/8)
	if !ring {
		fillRect(g, image.Rect(x+w/2-sw/2, y, x+w/2-sw/2+sw, y+h), v)
		return image.Rect(x+w/2-sw/2, y, x+w/2-sw/2+sw, y+h)
	}
	testscenes.Ring(g, image.Rect(x, y, x+w, y+h), 2*float64(sw)/float64(w), v, 0, 0)
	return image.Rect(x, y, x+w, y+h)
}

func TestBackgroundFlattensGradient(t *testing.T) {
	// A strong left-to-right gradient (60 → 240) with a shadowed band: the
	// paper estimate must follow it within a few per cent, so no paper
	// pixel counts as ink.
	const w, h = 320, 240
	g := image.NewGray(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := 60 + 180*float64(x)/w
			if y > 150 {
				v *= 0.6
			}
			g.Pix[y*g.Stride+x] = uint8(v)
		}
	}
	e := NewExtractor(Options{})
	e.setup(w, h)
	e.estimatePaper(g)
	worst := 0.0
	for y := 0; y < h; y++ {
		if y > 140 && y < 160 {
			continue // the shadow's edge itself
		}
		for x := 0; x < w; x++ {
			p := float64(e.paperAt(x, y))
			v := float64(g.Pix[y*g.Stride+x])
			worst = max(worst, math.Abs(p-v)/v)
		}
	}
	if worst > 0.06 {
		t.Errorf("paper estimate off by %.1f%% somewhere, want <= 6%%", 100*worst)
	}
	e.labelRuns(g)
	for _, r := range e.lab.runs {
		if r.y < 140 || r.y >= 160 {
			t.Errorf("ink run on blank paper under a gradient: %+v", r)
		}
	}
	if ds := e.Extract(g, nil); len(ds) != 0 {
		t.Errorf("found %d digits on blank paper, want 0", len(ds))
	}
}

func TestThresholdFindsInkUnderGradient(t *testing.T) {
	// Ink at 45% of the local paper brightness is found in both the bright
	// and the dark half of the frame.
	const w, h = 320, 240
	g := image.NewGray(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			g.Pix[y*g.Stride+x] = uint8(80 + 160*float64(x)/w)
		}
	}
	for _, x := range []int{40, 260} {
		r := image.Rect(x, 100, x+4, 140)
		for y := r.Min.Y; y < r.Max.Y; y++ {
			for xx := r.Min.X; xx < r.Max.X; xx++ {
				g.Pix[y*g.Stride+xx] = uint8(float64(g.Pix[y*g.Stride+xx]) * 0.45)
			}
		}
	}
	e := NewExtractor(Options{})
	e.setup(w, h)
	e.estimatePaper(g)
	e.labelRuns(g)
	e.collectComponents()
	if len(e.lab.comps) != 2 {
		t.Fatalf("%d components, want 2", len(e.lab.comps))
	}
	for _, c := range e.lab.comps {
		if c.h() != 40 || c.w() != 4 || !c.strong {
			t.Errorf("component %+v, want 4x40 and strong", c)
		}
	}
}

func TestLabelling8Connected(t *testing.T) {
	g := page(64, 64, 230)
	// A diagonal line (one component by 8-connectivity only), a U shape
	// whose arms join at the bottom (one component met as two runs first),
	// and a separate dot.
	for i := 0; i < 12; i++ {
		g.Pix[(5+i)*g.Stride+5+i] = 20
	}
	fillRect(g, image.Rect(30, 10, 33, 30), 20)
	fillRect(g, image.Rect(40, 10, 43, 30), 20)
	fillRect(g, image.Rect(30, 30, 43, 33), 20)
	fillRect(g, image.Rect(50, 50, 53, 53), 20)
	e := NewExtractor(Options{Block: 16})
	e.setup(64, 64)
	e.estimatePaper(g)
	e.labelRuns(g)
	e.collectComponents()
	if len(e.lab.comps) != 3 {
		t.Fatalf("%d components, want 3: %+v", len(e.lab.comps), e.lab.comps)
	}
	want := []image.Rectangle{image.Rect(5, 5, 17, 17), image.Rect(30, 10, 43, 33), image.Rect(50, 50, 53, 53)}
	for i, c := range e.lab.comps {
		got := image.Rect(int(c.x0), int(c.y0), int(c.x1), int(c.y1))
		if got != want[i] {
			t.Errorf("component %d: box %v, want %v", i, got, want[i])
		}
	}
	if e.lab.comps[1].area != 3*20*2+13*3 {
		t.Errorf("U area %d, want %d", e.lab.comps[1].area, 3*20*2+13*3)
	}
}

func TestLinesAndOrder(t *testing.T) {
	// Two lines of digits, the page tilted by about 6 degrees; the second
	// line is indented. Expect 5 + 3 digits in reading order.
	g := page(400, 300, 225)
	slope := 0.1
	var want []image.Rectangle
	put := func(x, y int, ring bool) {
		dy := int(slope * float64(x))
		want = append(want, strokeDigit(g, x, y+dy, 30, ring, 30))
	}
	for i := 0; i < 5; i++ {
		put(40+i*40, 60, i%2 == 0)
	}
	for i := 0; i < 3; i++ {
		put(120+i*40, 140, i%2 == 1)
	}
	e := NewExtractor(Options{})
	ds := e.Extract(g, nil)
	if len(ds) != 8 {
		t.Fatalf("found %d digits, want 8", len(ds))
	}
	for i, d := range ds {
		wantLine := 0
		if i >= 5 {
			wantLine = 1
		}
		if d.Line != wantLine || d.Box != want[i] {
			t.Errorf("digit %d: line %d box %v, want line %d box %v", i, d.Line, d.Box, wantLine, want[i])
		}
	}
}

func TestMergeBrokenPieces(t *testing.T) {
	// A "5" drawn in two strokes: a top bar apart from the body, and a "7"
	// with a separate stem; each must come out as one digit.
	g := page(300, 200, 230)
	fillRect(g, image.Rect(50, 50, 72, 54), 25)   // 5: bar
	fillRect(g, image.Rect(50, 57, 54, 70), 25)   // 5: left stem
	fillRect(g, image.Rect(50, 68, 72, 72), 25)   // 5: middle
	fillRect(g, image.Rect(68, 68, 72, 86), 25)   // 5: right side
	fillRect(g, image.Rect(50, 82, 72, 86), 25)   // 5: bottom
	fillRect(g, image.Rect(100, 50, 124, 54), 25) // 7: bar
	fillRect(g, image.Rect(116, 57, 120, 86), 25) // 7: stem, apart from the bar
	fillRect(g, image.Rect(150, 50, 154, 86), 25) // a 1 beside them
	e := NewExtractor(Options{})
	ds := e.Extract(g, nil)
	if len(ds) != 3 {
		t.Fatalf("found %d digits, want 3: %v", len(ds), boxes(ds))
	}
	want := []image.Rectangle{image.Rect(50, 50, 72, 86), image.Rect(100, 50, 124, 86), image.Rect(150, 50, 154, 86)}
	for i, d := range ds {
		if d.Box != want[i] {
			t.Errorf("digit %d: box %v, want %v", i, d.Box, want[i])
		}
	}
}

func TestSplitTouching(t *testing.T) {
	// Two rings joined by a short bridge at mid-height form one blob twice
	// as wide as a digit: it must be cut into two digits at the bridge.
	g := page(300, 200, 230)
	a, b := joinedRings(g, 3, 78, 82)
	e := NewExtractor(Options{})
	ds := e.Extract(g, nil)
	if len(ds) != 5 {
		t.Fatalf("found %d digits, want 5: %v", len(ds), boxes(ds))
	}
	if IoU(ds[0].Box, a) < 0.7 || IoU(ds[1].Box, b) < 0.7 {
		t.Errorf("split into %v and %v, want about %v and %v", ds[0].Box, ds[1].Box, a, b)
	}
}

// joinedRings draws two rings 40 px tall, 6 px apart, at (40, 60) on g,
// joined by a bar between each pair of rows y0, y1 in bars, then n single
// digits on the same line, a bar and a ring in turn, which set its typical
// size. It returns the rings' boxes.
func joinedRings(g *image.Gray, n int, bars ...int) (a, b image.Rectangle) {
	a = strokeDigit(g, 40, 60, 40, true, 25)
	b = strokeDigit(g, 40+24+6, 60, 40, true, 25)
	for i := 0; i+1 < len(bars); i += 2 {
		fillRect(g, image.Rect(a.Max.X-2, bars[i], b.Min.X+2, bars[i+1]), 25)
	}
	for i := range n {
		strokeDigit(g, 150+40*i, 60, 40, i%2 == 1, 25)
	}
	return a, b
}

func TestNormalizeMNISTGeometry(t *testing.T) {
	// Digits of several sizes and shapes: in the 28x28 image the longer
	// side of the ink is 20 px (±1) and the centre of mass at (14, 14) ±1
	// (continuous coordinates: pixel i covers [i, i+1)).
	rng := rand.New(rand.NewPCG(1, 2))
	for _, h := range []int{16, 24, 40, 60, 90} {
		for _, ring := range []bool{true, false} {
			g := page(320, 240, 220)
			x, y := 100+rng.IntN(20), 80+rng.IntN(20)
			strokeDigit(g, x, y, h, ring, 40)
			// A companion so the line has a typical height.
			strokeDigit(g, x+h, y, h, !ring, 40)
			e := NewExtractor(Options{})
			ds := e.Extract(g, nil)
			if len(ds) != 2 {
				t.Fatalf("h=%d: found %d digits, want 2", h, len(ds))
			}
			p := &ds[0].Pixels
			var m, sx, sy float64
			x0, y0, x1, y1 := 28, 28, 0, 0
			for i, b := range p {
				v := float64(b) / 255
				if v > 0.1 {
					x0, y0 = min(x0, i%28), min(y0, i/28)
					x1, y1 = max(x1, i%28+1), max(y1, i/28+1)
				}
				m += v
				sx += v * (float64(i%28) + 0.5)
				sy += v * (float64(i/28) + 0.5)
			}
			cx, cy := sx/m, sy/m
			long := max(x1-x0, y1-y0)
			if math.Abs(cx-14) > 1 || math.Abs(cy-14) > 1 {
				t.Errorf("h=%d ring=%v: centre of mass (%.2f, %.2f), want (14, 14) ±1", h, ring, cx, cy)
			}
			if long < 19 || long > 21 {
				t.Errorf("h=%d ring=%v: longer side %d px, want 20 ±1", h, ring, long)
			}
		}
	}
}

// TestNormalizeStrokeWidth draws a ring 60 px tall with a 2 px pen, a
// hairline of 0.7 px at MNIST scale, one with an 18 px marker, 6 px at
// MNIST scale, and a small one, 10 px tall with a 2 px pen: the extractor
// thickens the first toward MNIST's 2.3 px, thins the second toward it by
// whole pixels (about 3.7 px; 6.1 unthinned) and the third, magnified to 4
// px and its hole to a dot, by a pixel each side of the 28x28 image (about
// 1.9 px).
func TestNormalizeStrokeWidth(t *testing.T) {
	for _, tc := range []struct {
		name       string
		w, h       int             // the frame
		ring       image.Rectangle // the ring's box
		band       float64         // its stroke, of each half-axis
		minW, maxW float64         // the stroke's width at 28x28
	}{
		{"hairline", 320, 240, image.Rect(108, 80, 152, 140), 2.0 / 22, 1.6, 3.5},
		{"marker", 640, 480, image.Rect(300, 180, 360, 240), 18.0 / 30, 1.6, 4},
		{"small", 320, 240, image.Rect(150, 110, 157, 120), 2.0 / 3.5, 1.6, 4},
	} {
		g := page(tc.w, tc.h, 220)
		testscenes.Ring(g, tc.ring, tc.band, 40, 0, 0)
		e := NewExtractor(Options{})
		ds := e.Extract(g, nil)
		if len(ds) != 1 {
			t.Fatalf("%s: found %d digits, want 1", tc.name, len(ds))
		}
		// The ink's mass over the length of the ring's middle line, whose
		// radius is the ink's mean distance from its centre.
		var mass, sx, sy, sr float64
		for i, v := range ds[0].Pixels {
			mass += float64(v) / 255
			sx += float64(v) / 255 * (float64(i%28) + 0.5)
			sy += float64(v) / 255 * (float64(i/28) + 0.5)
		}
		for i, v := range ds[0].Pixels {
			sr += float64(v) / 255 * math.Hypot(float64(i%28)+0.5-sx/mass, float64(i/28)+0.5-sy/mass)
		}
		if width := mass / (2 * math.Pi * sr / mass); width < tc.minW || width > tc.maxW {
			t.Errorf("%s: stroke width %.2f px at 28x28, want %.1f..%.1f", tc.name, width, tc.minW, tc.maxW)
		}
	}
}

// TestMinMaxFilter checks the separable filters against the minimum and
// maximum over each square, within odd rectangles.
func TestMinMaxFilter(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const w, h = 23, 17
	for _, rc := range []image.Rectangle{image.Rect(0, 0, w, h), image.Rect(3, 2, 20, 15), image.Rect(5, 5, 6, 9)} {
		for r := 1; r <= 4; r++ {
			img := make([]float32, w*h)
			for i := range img {
				img[i] = rng.Float32()
			}
			for _, f := range []struct {
				name string
				run  func(img, tmp []float32, w int, rc image.Rectangle, r int)
				pick func(a, b float32) float32
			}{{"max", maxFilter, func(a, b float32) float32 { return max(a, b) }}, {"min", minFilter, func(a, b float32) float32 { return min(a, b) }}} {
				got := slices.Clone(img)
				f.run(got, make([]float32, w*h), w, rc, r)
				for y := 0; y < h; y++ {
					for x := 0; x < w; x++ {
						want := img[y*w+x]
						if image.Pt(x, y).In(rc) {
							for yy := max(y-r, rc.Min.Y); yy <= min(y+r, rc.Max.Y-1); yy++ {
								for xx := max(x-r, rc.Min.X); xx <= min(x+r, rc.Max.X-1); xx++ {
									want = f.pick(want, img[yy*w+xx])
								}
							}
						}
						if got[y*w+x] != want {
							t.Fatalf("%s r=%d in %v at (%d,%d): %v, want %v", f.name, r, rc, x, y, got[y*w+x], want)
						}
					}
				}
			}
		}
	}
}

func TestNoDigitsOnBlankOrTinyFrames(t *testing.T) {
	e := NewExtractor(Options{})
	for _, g := range []*image.Gray{page(640, 480, 200), page(4, 4, 0), page(0, 0, 0)} {
		if ds := e.Extract(g, nil); len(ds) != 0 {
			t.Errorf("%v frame: found %d digits, want 0", g.Rect, len(ds))
		}
	}
}

// TestTinyFrameAfterACrop: a frame too small to read, after a tight crop
// that read, leaves nothing for Whole, Split or Join to work on (they once
// cut the new frame's rows from the last one's paper, and panicked).
func TestTinyFrameAfterACrop(t *testing.T) {
	e := NewExtractor(Options{})
	crop := page(14, 76, 230)
	fillRect(crop, image.Rect(5, 4, 9, 72), 30) // a 1
	if ds := e.Extract(crop, nil); len(ds) != 1 {
		t.Fatalf("the crop: %d digits, want 1", len(ds))
	}
	for _, g := range []*image.Gray{page(5, 46, 230), page(240, 5, 230)} {
		if ds := e.Extract(g, nil); len(ds) != 0 {
			t.Errorf("%v frame: %d digits, want 0", g.Rect, len(ds))
		}
		if ds := e.Whole(nil); len(ds) != 0 {
			t.Errorf("%v frame: Whole gave %d digits of the last frame", g.Rect, len(ds))
		}
	}
}

func TestSubImageCoordinates(t *testing.T) {
	// A sub-image keeps its frame coordinates in the boxes.
	g := page(300, 200, 230)
	want := strokeDigit(g, 150, 80, 30, true, 30)
	sub := g.SubImage(image.Rect(100, 50, 250, 180)).(*image.Gray)
	e := NewExtractor(Options{})
	ds := e.Extract(sub, nil)
	if len(ds) != 1 || ds[0].Box != want {
		t.Fatalf("found %v, want one digit at %v", boxes(ds), want)
	}
}

func boxes(ds []Digit) []image.Rectangle {
	var r []image.Rectangle
	for _, d := range ds {
		r = append(r, d.Box)
	}
	return r
}

// IoU is the intersection over union of two boxes, exported for the
// external tests (scene_test.go).
func IoU(a, b image.Rectangle) float64 {
	in := a.Intersect(b)
	if in.Empty() {
		return 0
	}
	ai := float64(in.Dx() * in.Dy())
	return ai / (float64(a.Dx()*a.Dy()+b.Dx()*b.Dy()) - ai)
}

func TestAppendText(t *testing.T) {
	ds := []Digit{{Line: 0}, {Line: 0}, {Line: 0, Space: true}, {Line: 1}, {Line: 1}}
	got := string(AppendText(nil, ds, []int{1, 2, 3, 4, 11}))
	if want := "12 3\n4?"; got != want {
		t.Errorf("AppendText = %q, want %q", got, want)
	}
	buf := make([]byte, 0, 16)
	if n := testing.AllocsPerRun(10, func() { buf = AppendText(buf[:0], ds, []int{1, 2, 3, 4, 5}) }); n != 0 {
		t.Errorf("AppendText allocates %v times with room in dst", n)
	}
}

func TestTailIntoNextLine(t *testing.T) {
	// Line 1: digits 30 px tall at y 50..80, one of them a 7 whose long
	// tail runs down into line 2 (y 110..140) and touches the ring below.
	g := page(400, 240, 225)
	for i := 0; i < 4; i++ {
		strokeDigit(g, 40+i*40, 50, 30, i%2 == 0, 30)
		strokeDigit(g, 40+i*40, 110, 30, i%2 == 1, 30)
	}
	fillRect(g, image.Rect(200, 50, 222, 54), 30)  // the 7's bar
	fillRect(g, image.Rect(218, 50, 222, 112), 30) // its stem, down to the ring
	strokeDigit(g, 210, 110, 30, true, 30)         // the ring it touches
	e := NewExtractor(Options{})
	ds := e.Extract(g, nil)
	var lines [2]int
	for _, d := range ds {
		if d.Line < 2 {
			lines[d.Line]++
		}
		if d.Line == 0 && d.Box.Min.X >= 200 && d.Box.Max.Y > 112 {
			t.Errorf("the 7 keeps the ring below: box %v", d.Box)
		}
	}
	if lines != [2]int{5, 5} || len(ds) != 10 {
		t.Errorf("found %d digits, %v per line, want 5 and 5: %v", len(ds), lines, boxes(ds))
	}
}

func TestExtractRandomFramesDoNotPanic(t *testing.T) {
	// Random sizes (odd ones included), noise, blobs, lines, stripes and
	// sub-images: Extract must not panic, and what it returns must be in
	// range.
	rng := rand.New(rand.NewPCG(42, 7))
	e := NewExtractor(Options{})
	var ds []Digit
	n := 300
	if testing.Short() {
		n = 60
	}
	for i := 0; i < n; i++ {
		w, h := 8+rng.IntN(400), 8+rng.IntN(300)
		g := image.NewGray(image.Rect(0, 0, w, h))
		base := uint8(rng.IntN(256))
		for k := range g.Pix {
			g.Pix[k] = uint8(max(0, min(255, int(base)+rng.IntN(41)-20)))
		}
		for k := rng.IntN(40); k > 0; k-- {
			x, y := rng.IntN(w), rng.IntN(h)
			r := image.Rect(x, y, x+1+rng.IntN(w/2+1), y+1+rng.IntN(h/2+1))
			fillRect(g, r, uint8(rng.IntN(256)))
		}
		if rng.IntN(3) == 0 {
			for y := 0; y < h; y += 5 + rng.IntN(20) {
				fillRect(g, image.Rect(0, y, w, y+1+rng.IntN(3)), 30)
			}
		}
		frame := g
		if rng.IntN(4) == 0 && w > 20 && h > 20 {
			frame = g.SubImage(image.Rect(rng.IntN(10), rng.IntN(10), w-rng.IntN(10), h-rng.IntN(10))).(*image.Gray)
		}
		ds = e.Extract(frame, ds)
		for _, d := range ds {
			if !d.Box.In(frame.Bounds()) || d.Box.Empty() {
				t.Fatalf("frame %d (%v): box %v outside the frame", i, frame.Bounds(), d.Box)
			}
			// The ink is stretched to full white.
			if m := slices.Max(d.Pixels[:]); m != 0 && m != 255 {
				t.Fatalf("frame %d: the brightest pixel is %d, want 255", i, m)
			}
		}
	}
}

// FuzzExtract decodes the fuzzer's bytes into a frame of up to 518x518
// (two size bytes, then pixels, repeated as needed: frames of 320 pixels
// and more each way have their steps followed) and checks that Extract
// neither panics nor returns boxes outside the frame.
func FuzzExtract(f *testing.F) {
	f.Add([]byte{40, 30, 255, 0, 128, 7})
	f.Add([]byte{200, 100, 220, 220, 220, 20, 20, 220, 220})
	f.Add([]byte{180, 170, 230, 230, 230, 230, 110, 110, 110, 40})
	e := NewExtractor(Options{})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 3 {
			return
		}
		w, h := 8+2*int(data[0]), 8+2*int(data[1])
		g := image.NewGray(image.Rect(0, 0, w, h))
		px := data[2:]
		for i := range g.Pix {
			g.Pix[i] = px[i%len(px)] ^ uint8(i/len(px))
		}
		for _, d := range e.Extract(g, nil) {
			if !d.Box.In(g.Rect) {
				t.Fatalf("box %v outside %v", d.Box, g.Rect)
			}
		}
	})
}

func TestRuledLinesErased(t *testing.T) {
	// Digits standing on ruled lines (slightly tilted, 2 px thick, a bit
	// lighter than the ink) across the whole page: the lines would join
	// every digit of a line into one blob wider than the frame allows.
	g := page(480, 320, 225)
	var want []image.Rectangle
	for row := 0; row < 3; row++ {
		y := 60 + row*80
		for i := 0; i < 8; i++ {
			want = append(want, strokeDigit(g, 40+i*50, y, 30, (i+row)%2 == 0, 35))
		}
	}
	for row := 0; row < 4; row++ {
		for x := 0; x < 480; x++ {
			y := 90 + row*80 + x/60 // slope 1/60
			if y-80 >= 0 {
				fillRect(g, image.Rect(x, y-80, x+1, y-78), 110)
			}
			fillRect(g, image.Rect(x, y, x+1, y+2), 110)
		}
	}
	e := NewExtractor(Options{})
	ds := e.Extract(g, nil)
	if len(ds) != len(want) {
		t.Fatalf("found %d digits, want %d: %v", len(ds), len(want), boxes(ds))
	}
	for i, d := range ds {
		if IoU(d.Box, want[i]) < 0.7 || d.Line != i/8 {
			t.Errorf("digit %d: line %d box %v, want line %d box about %v", i, d.Line, d.Box, i/8, want[i])
		}
	}
}

// TestOneRowAcrossARule: one row of digits, each written across the
// same ruled line (or a fold's crease) through its middle, is one
// component with the line and no digit-sized one apart: the line is
// found by the height of the digits on it (digitsAcross) and erased, and
// the digits are found each on its own.
func TestOneRowAcrossARule(t *testing.T) {
	g := page(480, 200, 225)
	var want []image.Rectangle
	for i := range 5 {
		want = append(want, strokeDigit(g, 50+i*80, 60, 60, i%2 == 0, 35))
	}
	for x := range 480 {
		y := 75 + x/20 // slope 1/20, through every digit
		fillRect(g, image.Rect(x, y, x+1, y+3), 60)
	}
	ds := NewExtractor(Options{}).Extract(g, nil)
	if len(ds) != len(want) {
		t.Fatalf("found %d digits, want %d: %v", len(ds), len(want), boxes(ds))
	}
	for i, d := range ds {
		if IoU(d.Box, want[i]) < 0.7 {
			t.Errorf("digit %d: box %v, want about %v", i, d.Box, want[i])
		}
	}
}

// TestTightCropAlwaysGivesADigit: a photo cut tight around one digit gives
// that digit, whatever its strokes: a solid one that fills the crop and
// touches its edges, and a dotted one (a faint pen skipping), whose pieces
// are each too small to be a digit. In a larger frame the dotted strokes
// are not one.
func TestTightCropAlwaysGivesADigit(t *testing.T) {
	full := page(50, 60, 230)
	fillRect(full, image.Rect(0, 2, 50, 9), 30)   // a 7's bar, touching both sides
	fillRect(full, image.Rect(30, 2, 37, 60), 30) // its stem, to the bottom edge
	dotted := page(50, 60, 230)
	for y := 4; y < 56; y += 6 {
		fillRect(dotted, image.Rect(22, y, 26, y+3), 30) // a 1, in dots
	}
	for name, g := range map[string]*image.Gray{"full": full, "dotted": dotted} {
		e := NewExtractor(Options{})
		ds := e.Extract(g, nil)
		if len(ds) != 1 {
			t.Errorf("%s: found %d digits in a tight crop, want 1: %v", name, len(ds), boxes(ds))
		}
	}
	big := page(640, 480, 230)
	for y := 200; y < 252; y += 6 {
		fillRect(big, image.Rect(300, y, 304, y+3), 30)
	}
	if ds := NewExtractor(Options{}).Extract(big, nil); len(ds) > 1 {
		t.Errorf("dots in a 640x480 frame: %d digits", len(ds))
	}
}

// TestSplitOnRequest: two rings joined by two bridges, which the
// extractor's own rules do not cut (the joint is not one thin stroke),
// are cut in two when a reader asks (Split), at the bar; the digits of
// the first Extract stay as they were, and Split allocates nothing once
// warmed up.
func TestSplitOnRequest(t *testing.T) {
	g := page(300, 200, 230)
	a, b := joinedRings(g, 2, 70, 73, 87, 90) // two bridges
	e := NewExtractor(Options{})
	ds := e.Extract(g, nil)
	if len(ds) != 3 {
		t.Fatalf("found %d digits, want 3 (the joined pair as one): %v", len(ds), boxes(ds))
	}
	whole := ds[0]
	parts := e.Split(&ds[0], 2, nil)
	if len(parts) != 2 {
		t.Fatalf("Split gave %d digits, want 2", len(parts))
	}
	if parts[0].Box.Max.X > b.Min.X+4 || parts[1].Box.Min.X < a.Max.X-4 || parts[0].Line != whole.Line {
		t.Errorf("cut into %v and %v, want about %v and %v", parts[0].Box, parts[1].Box, a, b)
	}
	if ds[0].Box != whole.Box || ds[0].Pixels != whole.Pixels {
		t.Error("Split changed the digit it cut")
	}
	if got := e.Split(&ds[1], 2, nil); len(got) != 0 && got[0].Box.Dx() < 4 {
		t.Errorf("a 1 cut into slivers: %v", boxes(got))
	}
	buf := make([]Digit, 0, 4)
	if n := testing.AllocsPerRun(20, func() { buf = e.Split(&ds[0], 2, buf[:0]) }); n != 0 {
		t.Errorf("Split allocates %v times", n)
	}
}

// TestLeaningNeighboursApart extracts a row of 1s, thin bars 2.5 px apart
// at their closest, drawn on a sheet held at -11° (lines rising to the
// right, the bars leaning left with them, which no hand does: the sheet is
// turned): each bar's box is widened by its lean to overlap its
// neighbour's, but along the lines its ink does not, and each bar stays a
// digit of its own. (Leaning right at +11°, the bars look like upright
// handwriting's usual lean on a falling line, and are read as that.)
func TestLeaningNeighboursApart(t *testing.T) {
	for _, deg := range []float64{-11} {
		g := page(480, 240, 230)
		s, c := math.Sincos(deg * math.Pi / 180)
		const n, h, pitch, bw = 7, 44, 6, 3.5
		for i := range n {
			// Bar i: centre on the line through (60, 120) at deg, axis
			// across the line.
			cx, cy := 60+float64(i)*pitch*c, 120+float64(i)*pitch*s
			for y := range g.Rect.Dy() {
				for x := range g.Rect.Dx() {
					u := (float64(x)-cx)*c + (float64(y)-cy)*s  // along the line
					v := -(float64(x)-cx)*s + (float64(y)-cy)*c // across it
					if math.Abs(u) <= bw/2 && math.Abs(v) <= h/2 {
						g.Pix[y*g.Stride+x] = 30
					}
				}
			}
		}
		ds := NewExtractor(Options{}).Extract(g, nil)
		if len(ds) != n {
			var boxes []image.Rectangle
			for _, d := range ds {
				boxes = append(boxes, d.Box)
			}
			t.Errorf("%v°: %d digits %v, want %d", deg, len(ds), boxes, n)
		}
	}
}

// TestForget extracts a frame of marker strokes, which settles on a
// coarser paper grid that a live camera's next frame of the same size
// starts from, then Forgets it: a frame of 7 px strokes on uneven paper (a
// gradient and a check pattern), which keeps the grid it starts from,
// reads as a fresh Extractor reads it, box for box and pixel for pixel.
func TestForget(t *testing.T) {
	const w, h = 640, 480
	marker, middling := page(w, h, 230), page(w, h, 230)
	for y := range h {
		for x := range w {
			middling.Pix[y*w+x] = uint8(120 + 110*x/w + 20*((x/23+y/31)%2))
		}
	}
	for i := range 5 {
		fillRect(marker, image.Rect(80+i*100, 120, 80+i*100+16, 360), 20)
		fillRect(middling, image.Rect(80+i*100, 200, 80+i*100+7, 280), 40)
		fillRect(middling, image.Rect(80+i*100, 200, 80+i*100+40, 207), 40)
	}
	fresh := NewExtractor(Options{}).Extract(middling, nil)
	e := NewExtractor(Options{})
	e.Extract(marker, nil)
	e.Forget()
	forgot := e.Extract(middling, nil)
	if !slices.EqualFunc(forgot, fresh, func(x, y Digit) bool { return x.Box == y.Box && x.Pixels == y.Pixels }) {
		t.Errorf("after Forget: %d digits, fresh %d, or their boxes or pixels differ", len(forgot), len(fresh))
	}
}

// TestTop: a line of three bars 40 px high with, in the middle, a 9 made
// of a square loop on a stem that descends to 100 px: Top of the 9 at the
// line's height is its loop and the stem's start, in the box of that ink;
// a height at least the digit's, or a digit of a Join, gives nothing; and
// Top allocates nothing once warmed up.
func TestTop(t *testing.T) {
	g := page(400, 200, 230)
	for _, x := range []int{60, 120, 280} {
		fillRect(g, image.Rect(x, 50, x+5, 90), 30)
	}
	loop := image.Rect(180, 50, 210, 76)
	fillRect(g, loop, 30)
	fillRect(g, loop.Inset(5), 230)
	fillRect(g, image.Rect(205, 76, 210, 150), 30) // the stem
	e := NewExtractor(Options{})
	ds := e.Extract(g, nil)
	if len(ds) != 4 {
		t.Fatalf("found %d digits %v, want 4", len(ds), boxes(ds))
	}
	nine := ds[2]
	if nine.Box.Dy() < 90 {
		t.Fatalf("the 9 is %v, want 100 px high", nine.Box)
	}
	top := e.Top(&nine, 46, nil)
	if len(top) != 1 {
		t.Fatalf("Top gave %d digits", len(top))
	}
	if want := image.Rect(180, 50, 210, 96); top[0].Box != want || top[0].Line != nine.Line {
		t.Errorf("Top is %v on line %d, want %v on line %d", top[0].Box, top[0].Line, want, nine.Line)
	}
	if ds[2].Box != nine.Box || ds[2].Pixels != nine.Pixels {
		t.Error("Top changed the digit")
	}
	if got := e.Top(&nine, nine.Box.Dy(), nil); len(got) != 0 {
		t.Errorf("Top as high as the digit gave %v", boxes(got))
	}
	joined := e.Join(&ds[0], &ds[1], nil)
	if len(joined) != 1 {
		t.Fatalf("Join gave %d digits", len(joined))
	}
	if got := e.Top(&joined[0], 20, nil); len(got) != 0 {
		t.Errorf("Top of a joined pair gave %v", boxes(got))
	}
	buf := make([]Digit, 0, 4)
	if n := testing.AllocsPerRun(20, func() { buf = e.Top(&nine, 46, buf[:0]) }); n != 0 {
		t.Errorf("Top allocates %v times", n)
	}
}

// TestApart draws a 7 whose bar reaches over the 1 after it, then a ring:
// the 7 and the 1 overlap in their columns, which the extractor takes for
// the pieces of one digit, and Apart gives them back as two, left to
// right, each with its own ink alone. A candidate of one mark, or a part,
// is not taken apart.
func TestApart(t *testing.T) {
	g := page(400, 200, 230)
	fillRect(g, image.Rect(60, 50, 150, 56), 30) // the 7's bar, reaching past its stem
	for y := 56; y < 150; y++ {                  // the stem, down to the left
		x := 115 - (y-50)*45/100
		fillRect(g, image.Rect(x-6, y, x, y+1), 30)
	}
	fillRect(g, image.Rect(132, 66, 138, 150), 30) // the 1, under the bar's end
	strokeDigit(g, 200, 50, 100, true, 30)
	e := NewExtractor(Options{})
	ds := e.Extract(g, nil)
	if len(ds) != 2 {
		t.Fatalf("found %d digits %v, want 2: the 7 and 1 as one, the ring", len(ds), boxes(ds))
	}
	parts := e.Apart(&ds[0], nil)
	want := []image.Rectangle{image.Rect(60, 50, 150, 150), image.Rect(132, 66, 138, 150)}
	wantBoxes(t, parts, want)
	if len(parts) == 2 {
		// The 1's image holds no ink of the 7: its bar is above it, and
		// the 1 alone, scaled to MNIST's 20 pixels, fills its rows 4 to
		// 23 with nothing in the top rows.
		for x := range 28 {
			if v := parts[1].Pixels[2*28+x]; v != 0 {
				t.Fatalf("the 1's image has ink %d in its top rows at x %d", v, x)
			}
		}
		if parts[0].Line != ds[0].Line || parts[0].Space != ds[0].Space || parts[1].Space {
			t.Errorf("parts on lines %d and %d, spaces %v %v; the whole on %d, space %v", parts[0].Line, parts[1].Line, parts[0].Space, parts[1].Space, ds[0].Line, ds[0].Space)
		}
		if got := e.Apart(&parts[0], nil); len(got) != 0 {
			t.Errorf("a part taken apart gave %v", boxes(got))
		}
	}
	if got := e.Apart(&ds[1], nil); len(got) != 0 {
		t.Errorf("the ring taken apart gave %v", boxes(got))
	}
	buf := make([]Digit, 0, 4)
	if n := testing.AllocsPerRun(20, func() { buf = e.Apart(&ds[0], buf[:0]) }); n != 0 {
		t.Errorf("Apart allocates %v times", n)
	}
}

// outline draws the outline of r with a pen pen pixels wide, inside r.
func outline(g *image.Gray, r image.Rectangle, pen int, v uint8) {
	fillRect(g, image.Rect(r.Min.X, r.Min.Y, r.Max.X, r.Min.Y+pen), v)
	fillRect(g, image.Rect(r.Min.X, r.Max.Y-pen, r.Max.X, r.Max.Y), v)
	fillRect(g, image.Rect(r.Min.X, r.Min.Y, r.Min.X+pen, r.Max.Y), v)
	fillRect(g, image.Rect(r.Max.X-pen, r.Min.Y, r.Max.X, r.Max.Y), v)
}

// TestFrames: digits written one a box, as forms ask, are the digits, not
// the boxes: two separate boxes, one with a 0 touching its left side and
// one with a 1 that stops short of the top and bottom (not a divider), and
// a comb of three boxes (one frame and two dividers) with a 0, a 1 and a 0
// that touches a divider. Each mark is one digit in its box, with no ink
// of the boxes; and a 1 written as tall as its box without a box round it
// is not taken for a divider.
func TestFrames(t *testing.T) {
	g := page(520, 200, 230)
	const pen = 3
	// Separate boxes, 46 wide and 64 high.
	outline(g, image.Rect(30, 60, 76, 124), pen, 30)
	testscenes.Ring(g, image.Rect(33, 72, 60, 112), 0.3, 30, 0, 0) // touches the left side
	outline(g, image.Rect(90, 60, 136, 124), pen, 30)
	fillRect(g, image.Rect(110, 70, 115, 114), 30)
	// A comb of three boxes.
	outline(g, image.Rect(170, 60, 308, 124), pen, 30)
	fillRect(g, image.Rect(216, 60, 216+pen, 124), 30)
	fillRect(g, image.Rect(262, 60, 262+pen, 124), 30)
	testscenes.Ring(g, image.Rect(180, 72, 206, 112), 0.3, 30, 0, 0)
	fillRect(g, image.Rect(237, 70, 242, 114), 30)
	testscenes.Ring(g, image.Rect(265, 72, 292, 112), 0.3, 30, 0, 0) // touches the divider
	// Digits without boxes: a 0 and a tall 1.
	testscenes.Ring(g, image.Rect(360, 70, 387, 112), 0.3, 30, 0, 0)
	fillRect(g, image.Rect(420, 60, 425, 124), 30)
	ds := NewExtractor(Options{}).Extract(g, nil)
	want := []image.Rectangle{
		image.Rect(33, 72, 60, 112), image.Rect(110, 70, 115, 114),
		image.Rect(180, 72, 206, 112), image.Rect(237, 70, 242, 114), image.Rect(265, 72, 292, 112),
		image.Rect(360, 70, 387, 112), image.Rect(420, 60, 425, 124),
	}
	if len(ds) != len(want) {
		t.Fatalf("found %d digits %v, want %d: %v", len(ds), boxes(ds), len(want), want)
	}
	for i, d := range ds {
		// The box of its ink, less what erasing a box's side takes from a
		// mark that touches it.
		if w := want[i]; d.Box.Min.X < w.Min.X-1 || d.Box.Max.X > w.Max.X+1 || d.Box.Min.Y < w.Min.Y-1 || d.Box.Max.Y > w.Max.Y+1 ||
			d.Box.Dx() < w.Dx()-6 || d.Box.Dy() < w.Dy()-2 {
			t.Errorf("digit %d: %v, want about %v", i, d.Box, w)
		}
	}
}

// TestFramesSideBySide: separate boxes drawn so close that the walls of
// neighbours, blurred together, make one bar twice a pen wide and more
// (one frame with its top and bottom running across): each bar is erased
// as a divider, and no wall is read as a 1.
func TestFramesSideBySide(t *testing.T) {
	g := page(400, 200, 230)
	const pen = 3
	var want []image.Rectangle
	for i := range 4 {
		x := 30 + 48*i
		outline(g, image.Rect(x, 60, x+46, 124), pen, 30)
		if i > 0 {
			fillRect(g, image.Rect(x-2, 60, x, 124), 110) // the blurred gap between two walls
		}
		if i%2 == 0 {
			r := image.Rect(x+10, 72, x+36, 112)
			testscenes.Ring(g, r, 0.3, 30, 0, 0)
			want = append(want, r)
		} else {
			r := image.Rect(x+20, 70, x+25, 114)
			fillRect(g, r, 30)
			want = append(want, r)
		}
	}
	wantBoxes(t, NewExtractor(Options{}).Extract(g, nil), want)
}

// wantBoxes fails t unless ds are the digits boxed by want, in order,
// each side within a pixel.
func wantBoxes(t *testing.T, ds []Digit, want []image.Rectangle) {
	t.Helper()
	if len(ds) != len(want) {
		t.Fatalf("found %d digits %v, want %d: %v", len(ds), boxes(ds), len(want), want)
	}
	for i, d := range ds {
		if !near(d.Box, want[i], 1) {
			t.Errorf("digit %d: %v, want %v", i, d.Box, want[i])
		}
	}
}

// TestTwoBoxComb: a comb of two boxes, 1.25 times as wide as high, is
// split by its divider: its two 0s are two digits, not one mark.
func TestTwoBoxComb(t *testing.T) {
	g := page(200, 200, 230)
	const pen = 3
	outline(g, image.Rect(30, 60, 110, 124), pen, 30)
	fillRect(g, image.Rect(69, 60, 69+pen, 124), 30)
	want := []image.Rectangle{image.Rect(40, 72, 62, 112), image.Rect(79, 72, 101, 112)}
	for _, r := range want {
		testscenes.Ring(g, r, 0.3, 30, 0, 0)
	}
	wantBoxes(t, NewExtractor(Options{}).Extract(g, nil), want)
}

// TestCombStems: in a comb of boxes 40 wide, a stem inked from the top
// side to the bottom one, as a tall 1 may be, splits its box into two
// narrower than the boxes beside (evenBoxes): it is a digit, not a
// divider to erase (before, the 1 was erased); so is a 4 whose stem
// stands on its box's bottom. A comb of thin
// dividers that lean 2 pixels against the frame (findDividers' drift)
// is split too: before, its dividers stayed, joined to nothing, and were
// read as 1s.
func TestCombStems(t *testing.T) {
	g := page(320, 200, 230)
	const pen = 2
	outline(g, image.Rect(30, 40, 232, 100), pen, 30)
	for k := 1; k < 5; k++ {
		x := 30 + 40*k
		fillRect(g, image.Rect(x, 40, x+pen, 100), 30)
	}
	// The boxes of the marks, less what erasing the sides takes from
	// the 1 and the 4 that touch them.
	want := []image.Rectangle{image.Rect(38, 52, 62, 90), image.Rect(88, 44, 93, 96), image.Rect(118, 52, 142, 90),
		image.Rect(156, 52, 180, 96), image.Rect(198, 52, 222, 90)}
	testscenes.Ring(g, want[0], 0.3, 30, 0, 0)
	fillRect(g, image.Rect(88, 42, 93, 98), 30) // a 1 from the top side to the bottom one
	testscenes.Ring(g, want[2], 0.3, 30, 0, 0)
	// A 4: its stem from the arm's top down to the bottom side.
	fillRect(g, image.Rect(172, 52, 176, 98), 30)
	fillRect(g, image.Rect(156, 76, 180, 80), 30)
	fillRect(g, image.Rect(156, 52, 160, 78), 30)
	testscenes.Ring(g, want[4], 0.3, 30, 0, 0)
	// A comb whose dividers, a pixel wide, lean by 2 pixels.
	const thin = 1
	outline(g, image.Rect(30, 120, 192, 180), thin, 30)
	for k := 1; k < 4; k++ {
		x := 30 + 40*k
		for y := 120; y < 180; y++ {
			dx := 2 * (y - 120) / 60
			fillRect(g, image.Rect(x+dx, y, x+dx+thin, y+1), 30)
		}
		testscenes.Ring(g, image.Rect(x-30, 132, x-10, 168), 0.3, 30, 0, 0)
	}
	testscenes.Ring(g, image.Rect(160, 132, 180, 168), 0.3, 30, 0, 0)
	for k := range 4 {
		x := 40 + 40*k
		want = append(want, image.Rect(x, 132, x+20, 168))
	}
	wantBoxes(t, NewExtractor(Options{}).Extract(g, nil), want)
}

// TestRingsAreNoFrames: 0s of every proportion and stroke, round or
// nearly square, are digits, not boxes to erase (findFrames): their
// outermost ink bows away from the lines fitted to it.
func TestRingsAreNoFrames(t *testing.T) {
	for _, size := range []image.Point{{20, 30}, {27, 42}, {40, 60}, {60, 64}, {90, 70}} {
		for _, band := range []float64{0.12, 0.3, 0.45} {
			g := page(200, 160, 230)
			r := image.Rect(40, 40, 40+size.X, 40+size.Y)
			testscenes.Ring(g, r, band, 30, 0, 0)
			e := NewExtractor(Options{})
			ds := e.Extract(g, nil)
			if len(ds) != 1 || ds[0].Box != r || len(e.rules.bands) != 0 {
				t.Errorf("a %v ring, stroke %.2f: digits %v, %d bands erased", size, band, boxes(ds), len(e.rules.bands))
			}
		}
	}
}

// TestDetachedBar: a bar beside the top of a stem, on one side, a pen
// lift away (a 5's or a 7's, drawn apart), is the stem's digit; so is a
// bar just above it, as any fragment that nearly touches; a bar further
// away, a wide one across the stem's top (a t's) and a dash beside its
// middle are not.
func TestDetachedBar(t *testing.T) {
	const h, sw = 40, 4
	for _, tc := range []struct {
		name string
		bar  func(stem image.Rectangle) image.Rectangle
		join bool
	}{
		{"right of the top, gap 0.1", func(s image.Rectangle) image.Rectangle {
			return image.Rect(s.Max.X+h/10, s.Min.Y-2, s.Max.X+h/10+h/2, s.Min.Y-2+sw)
		}, true},
		{"right of the top, gap 0.4", func(s image.Rectangle) image.Rectangle {
			return image.Rect(s.Max.X+4*h/10, s.Min.Y-2, s.Max.X+4*h/10+h/2, s.Min.Y-2+sw)
		}, true},
		{"left of the top, gap 0.3", func(s image.Rectangle) image.Rectangle {
			return image.Rect(s.Min.X-3*h/10-h/2, s.Min.Y+2, s.Min.X-3*h/10, s.Min.Y+2+sw)
		}, true},
		{"right of the top, gap 0.6", func(s image.Rectangle) image.Rectangle {
			return image.Rect(s.Max.X+6*h/10, s.Min.Y-2, s.Max.X+6*h/10+h/2, s.Min.Y-2+sw)
		}, false},
		{"across the top, 1.4 times as wide as the stem is tall", func(s image.Rectangle) image.Rectangle {
			return image.Rect(s.Min.X-7*h/10, s.Min.Y-sw-3, s.Min.X+7*h/10, s.Min.Y-3)
		}, false},
		{"beside the middle, gap 0.3", func(s image.Rectangle) image.Rectangle {
			return image.Rect(s.Max.X+3*h/10, s.Min.Y+h/2, s.Max.X+3*h/10+h/2, s.Min.Y+h/2+sw)
		}, false},
	} {
		g := page(400, 120, 230)
		var want []image.Rectangle
		for i, x := range []int{20, 100, 180, 280} {
			if i != 2 {
				want = append(want, strokeDigit(g, x, 40, h, true, 30))
				continue
			}
			stem := image.Rect(x, 40, x+sw, 40+h)
			fillRect(g, stem, 30)
			bar := tc.bar(stem)
			fillRect(g, bar, 30)
			if tc.join {
				stem = stem.Union(bar)
			}
			want = append(want, stem)
		}
		ds := NewExtractor(Options{}).Extract(g, nil)
		if got := boxes(ds); !slices.Equal(got, want) {
			t.Errorf("a bar %s: digits %v, want %v", tc.name, got, want)
		}
	}
}

// TestEnclosureOrSketch: a ring 240 pixels tall round two strokes in its
// middle is a circle round a number (dropEnclosures drops it, and the
// strokes are the digits); the same ring with two loose strokes 3 pixels
// inside its own, as a pencil sketch of a big 0 leaves them, is a digit
// (the strays are left for the model to judge).
func TestEnclosureOrSketch(t *testing.T) {
	ring := image.Rect(80, 80, 320, 320) // radius 120, stroke 6
	for _, tc := range []struct {
		name    string
		strokes []image.Rectangle
		kept    bool // the ring is a digit
	}{
		{"round a number", []image.Rectangle{image.Rect(170, 180, 176, 220), image.Rect(220, 180, 226, 220)}, false},
		// The ring's inside is at x = 86 and 314 on its middle row, and
		// within a pixel of them for the 24 rows about it.
		{"sketched", []image.Rectangle{image.Rect(89, 188, 95, 212), image.Rect(305, 188, 311, 212)}, true},
	} {
		g := page(400, 400, 220)
		testscenes.Ring(g, ring, 0.05, 40, 0, 0)
		for _, s := range tc.strokes {
			fillRect(g, s, 40)
		}
		e := NewExtractor(Options{})
		ds := e.Extract(g, nil)
		ringComp := -1
		for i, c := range e.lab.comps {
			if c.h() >= 200 {
				ringComp = i
			}
		}
		if ringComp < 0 {
			t.Fatalf("%s: no component for the ring", tc.name)
		}
		if dropped := e.lab.comps[ringComp].line == -2; dropped == tc.kept {
			t.Errorf("%s: the ring dropped as an enclosure: %v, want %v", tc.name, dropped, !tc.kept)
		}
		var tall int // digits as tall as the ring
		for _, d := range ds {
			if d.Box.Dy() >= 200 {
				tall++
			}
		}
		if want := map[bool]int{true: 1, false: 0}[tc.kept]; tall != want {
			t.Errorf("%s: digits %v, want %d as tall as the ring", tc.name, boxes(ds), want)
		}
	}
}

// TestInkRaised: rings of dark ink (a fifth of the paper's light), each
// with a grey smudge (0.35 darker than the paper: the
// writing on the back of thin paper showing through) touching its right
// side. The default thresholds take the smudge for ink and most rings
// come out with it, half as wide again; raised toward the typical stroke
// (SetInkRaised), every ring comes out alone, and with them off again the
// frame reads as before.
func TestInkRaised(t *testing.T) {
	g := page(480, 200, 200)
	var digits []image.Rectangle
	for i := range 6 {
		d := strokeDigit(g, 30+i*75, 60, 60, true, 40)
		fillRect(g, image.Rect(d.Max.X, d.Min.Y+10, d.Max.X+25, d.Max.Y-10), 130)
		digits = append(digits, d)
	}
	e := NewExtractor(Options{})
	for _, raised := range []bool{false, true, false} {
		e.SetInkRaised(raised)
		ds := e.Extract(g, nil)
		alone := 0
		for _, d := range ds {
			for _, r := range digits {
				if d.Box.Overlaps(r) && d.Box.Dx() <= r.Dx()+2 && d.Box.Dx() >= r.Dx()-2 {
					alone++
				}
			}
		}
		switch {
		case raised && (alone != len(digits) || len(ds) != len(digits)):
			t.Errorf("raised: %d digits, %d of them the ring alone; want %d rings alone", len(ds), alone, len(digits))
		case !raised && alone > len(digits)/2:
			t.Errorf("not raised: %d of %d rings alone; want most with their smudge", alone, len(digits))
		}
	}
}

// TestSetPartOf: a part of a 1280x960 frame read as part of it
// (SetPartOf) is read at the whole frame's scale, its paper grid's blocks
// 15 pixels (a 64th of 960) where a 320-pixel frame of its own has 5, and
// finds what the whole frame finds there; with SetPartOf undone, the
// whole frame reads as before.
func TestSetPartOf(t *testing.T) {
	g := page(1280, 960, 200)
	ring := strokeDigit(g, 600, 450, 40, true, 40)
	part := g.SubImage(image.Rect(480, 320, 800, 640)).(*image.Gray)
	e := NewExtractor(Options{})
	read := func(img *image.Gray, wantBlk int) []image.Rectangle {
		t.Helper()
		got := boxes(e.Extract(img, nil))
		if e.paper.blk0 != wantBlk {
			t.Errorf("%v: blocks of %d pixels, want %d", img.Rect, e.paper.blk0, wantBlk)
		}
		return got
	}
	whole := read(g, 15)
	if len(whole) != 1 || IoU(whole[0], ring) < 0.8 {
		t.Fatalf("whole frame: %v, want the ring %v", whole, ring)
	}
	read(part, 5)
	e.SetPartOf(g.Rect.Size())
	if got := read(part, 15); !slices.Equal(got, whole) {
		t.Errorf("the part, part of the whole: %v, want %v", got, whole)
	}
	e.SetPartOf(image.Point{})
	if got := read(g, 15); !slices.Equal(got, whole) {
		t.Errorf("the whole frame again: %v, want %v", got, whole)
	}
}
