package extract

import (
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/edgeconv/edgeconv/internal/testscenes"
)

// TestSubBytes checks the eight-bytes-at-once subtraction, saturated by
// geBytes, against bytes subtracted one by one, on every pair of values.
func TestSubBytes(t *testing.T) {
	for a := 0; a < 256; a++ {
		for b := 0; b < 256; b++ {
			x := uint64(a)<<24 | 0x80<<16 | uint64(b)<<8 | 0xff
			y := uint64(b)<<24 | 0x81<<16 | uint64(a)<<8 | 0x01
			got := subBytes(x, y) & geBytes(x, y)
			var want uint64
			for k := 0; k < 8; k++ {
				p, q := uint8(x>>(8*k)), uint8(y>>(8*k))
				want |= uint64(p-min(p, q)) << (8 * k)
			}
			if got != want {
				t.Fatalf("saturated subBytes(%#x, %#x) = %#x, want %#x", x, y, got, want)
			}
		}
	}
	// Eight pixels without colour (copied), eight with, and a tail.
	src := []uint8{1, 2, 3, 4, 5, 6, 7, 8, 10, 200, 5, 0, 255, 128, 7, 9, 100, 3, 50}
	pen := []uint8{0, 0, 0, 0, 0, 0, 0, 0, 20, 100, 5, 1, 0, 200, 6, 10, 99, 3, 60}
	dst := make([]uint8, len(src))
	subSat(dst, src, pen)
	for i := range src {
		if want := src[i] - min(src[i], pen[i]); dst[i] != want {
			t.Errorf("subSat[%d] = %d, want %d", i, dst[i], want)
		}
	}
}

// colourPage draws strokes of the given inks on paper of one colour, as a
// 4:2:0 frame: a ring per ink, side by side.
func colourPage(paper color.RGBA, inks []color.RGBA) *image.YCbCr {
	const w, h = 320, 96
	rgb := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range rgb.Pix {
		rgb.Pix[i] = []uint8{paper.R, paper.G, paper.B, 255}[i%4]
	}
	for k, ink := range inks {
		cx, cy := 30+k*60, 48
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				dx, dy := float64(x-cx), float64(y-cy)*0.7
				if r := dx*dx + dy*dy; r >= 13*13 && r <= 17*17 {
					rgb.SetRGBA(x, y, ink)
				}
			}
		}
	}
	return ycbcr420(rgb)
}

// ycbcr420 returns rgb as a 4:2:0 frame, as a camera codes it: the chroma
// of the top-left pixel of each 2x2 block stands for the block.
func ycbcr420(rgb *image.RGBA) *image.YCbCr {
	f := image.NewYCbCr(rgb.Rect, image.YCbCrSubsampleRatio420)
	for y := rgb.Rect.Min.Y; y < rgb.Rect.Max.Y; y++ {
		for x := rgb.Rect.Min.X; x < rgb.Rect.Max.X; x++ {
			c := rgb.RGBAAt(x, y)
			yy, cb, cr := color.RGBToYCbCr(c.R, c.G, c.B)
			f.Y[f.YOffset(x, y)] = yy
			if x%2 == 0 && y%2 == 0 {
				f.Cb[f.COffset(x, y)], f.Cr[f.COffset(x, y)] = cb, cr
			}
		}
	}
	return f
}

// TestColouredInkFound: rings of black ink beside rings of ink that luma
// hardly tells from the paper (orange, gold, light green): in a colour
// frame every ring is a digit, on white, yellow and pink paper.
func TestColouredInkFound(t *testing.T) {
	inks := []color.RGBA{{20, 20, 30, 255}, {255, 165, 0, 255}, {240, 190, 0, 255}, {140, 200, 0, 255}, {255, 100, 90, 255}}
	for _, paper := range []color.RGBA{{245, 245, 242, 255}, {250, 240, 175, 255}, {250, 218, 225, 255}} {
		f := colourPage(paper, inks)
		e := NewExtractor(Options{})
		ds := e.Extract(f, nil)
		if len(ds) != len(inks) {
			t.Errorf("paper %v: found %d rings, want %d: %v", paper, len(ds), len(inks), boxes(ds))
		}
		// The luma alone loses the pale inks beside the black one.
		grey := &image.Gray{Pix: f.Y, Stride: f.YStride, Rect: f.Rect}
		if n := len(e.Extract(grey, nil)); n >= len(inks) {
			t.Errorf("paper %v: luma alone found all %d rings: the test would not show what colour adds", paper, n)
		}
	}
}

// TestGreyFrameReadInPlace: a frame whose chroma is neutral is read from
// its Y plane, with no copy.
func TestGreyFrameReadInPlace(t *testing.T) {
	f := image.NewYCbCr(image.Rect(0, 0, 64, 48), image.YCbCrSubsampleRatio420)
	for i := range f.Y {
		f.Y[i] = uint8(i)
	}
	for i := range f.Cb {
		f.Cb[i], f.Cr[i] = 128, 128
	}
	e := NewExtractor(Options{})
	p := e.inkPlane(f)
	if &p.Pix[0] != &f.Y[0] {
		t.Error("a frame with no colour was copied")
	}
}

// TestInkPlaneLeavesFramesAlone: the Extractor never writes into the
// frames it reads, also when a colour frame follows one without colour
// (whose Y plane was the ink plane): a camera refills a frame's buffer
// while the next frame is read.
func TestInkPlaneLeavesFramesAlone(t *testing.T) {
	col := colourPage(color.RGBA{245, 245, 242, 255}, []color.RGBA{{255, 165, 0, 255}, {20, 20, 30, 255}})
	grey := image.NewYCbCr(col.Rect, image.YCbCrSubsampleRatio420)
	copy(grey.Y, col.Y)
	for i := range grey.Cb {
		grey.Cb[i], grey.Cr[i] = 128, 128
	}
	wantGrey, wantCol := slices.Clone(grey.Y), slices.Clone(col.Y)
	e := NewExtractor(Options{})
	for range 2 {
		e.Extract(grey, nil)
		e.Extract(col, nil)
	}
	if !slices.Equal(grey.Y, wantGrey) || !slices.Equal(col.Y, wantCol) {
		t.Error("reading the frames changed them")
	}
}

// TestMedianGrid checks the sliding median against sorting each window,
// over the whole window and over the cells on the same side of a mask
// (random, and a corner cut off as a table beyond two edges cuts it).
func TestMedianGrid(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, sz := range [][2]int{{1, 1}, {1, 7}, {7, 1}, {5, 5}, {13, 9}, {21, 16}} {
		gw, gh := sz[0], sz[1]
		src := make([]uint8, gw*gh)
		for i := range src {
			src[i] = uint8(100 + rng.IntN(40))
			if rng.IntN(5) == 0 {
				src[i] = uint8(rng.IntN(256))
			}
		}
		random, corner := make([]bool, gw*gh), make([]bool, gw*gh)
		for k := range random {
			random[k] = rng.IntN(3) == 0
			corner[k] = k%gw < gw/3 || k/gw < gh/4
		}
		for _, side := range [][]bool{nil, random, corner} {
			got := make([]uint8, gw*gh)
			medianGrid(got, src, side, gw, gh)
			for j := 0; j < gh; j++ {
				for i := 0; i < gw; i++ {
					var win []uint8
					for y := max(j-2, 0); y <= min(j+2, gh-1); y++ {
						for x := max(i-2, 0); x <= min(i+2, gw-1); x++ {
							if side == nil || side[y*gw+x] == side[j*gw+i] {
								win = append(win, src[y*gw+x])
							}
						}
					}
					slices.Sort(win)
					if want := win[(len(win)-1)/2]; got[j*gw+i] != want {
						t.Fatalf("%dx%d grid, mask %v, cell (%d,%d): median %d, want %d", gw, gh, side != nil, i, j, got[j*gw+i], want)
					}
				}
			}
		}
	}
}

// TestInkSharpness measures rings of ink, sharp, blurred by a Gaussian of
// 2 px, and shaken (blurred along rows alone, as a camera moving sideways
// blurs): sharp edges fall in one step (sharpness near 1), blurred ones in
// many (under blurSharp), and a shaken frame is as blurred as its
// blurred direction, though its level edges stay sharp.
func TestInkSharpness(t *testing.T) {
	// Rings of ink, as a 0 drawn square: edges every way, as writing has.
	g := page(320, 240, 220)
	for i := range 5 {
		x := 30 + 55*i
		fillRect(g, image.Rect(x, 60, x+36, 180), 110)
		fillRect(g, image.Rect(x+6, 66, x+30, 174), 220)
	}
	blurred := boxBlur(boxBlur(boxBlur(g, 2), 2), 2) // about a Gaussian of 2 px
	for _, tc := range []struct {
		name   string
		g      *image.Gray
		lo, hi float32
	}{
		{"sharp", g, 0.8, 1},
		{"blurred", blurred, 0, blurSharp},
		{"shaken", shakeAcross(g, 6), 0, blurSharp},
	} {
		e := NewExtractor(Options{})
		e.Extract(tc.g, nil)
		if s := e.paper.sharp; s < tc.lo || s > tc.hi {
			t.Errorf("%s rings: sharpness %.3f, want %.2f..%.2f", tc.name, s, tc.lo, tc.hi)
		}
	}
}

// shakeAcross returns g with each pixel the mean of the n from it along
// its row (edges clamped): a camera moving sideways while it exposes.
func shakeAcross(g *image.Gray, n int) *image.Gray {
	b := g.Rect
	out := image.NewGray(b)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			sum := 0
			for i := range n {
				sum += int(g.GrayAt(min(x+i, b.Max.X-1), y).Y)
			}
			out.SetGray(x, y, color.Gray{Y: uint8((sum + n/2) / n)})
		}
	}
	return out
}

// TestInkThresholdsFollowBlur checks inkThresholds: sharp strokes keep
// faintLow and half the typical stroke, blurred ones get blurLower of it
// less, in between in proportion, and the floors hold.
func TestInkThresholdsFollowBlur(t *testing.T) {
	const typ, noise = 0.4, 0.02
	for _, tc := range []struct {
		sharp, low, high float32
	}{
		{1, faintLow * typ, 0.5 * typ},
		{sharpEdge, faintLow * typ, 0.5 * typ},
		{(sharpEdge + blurSharp) / 2, (faintLow - blurLower/2) * typ, (0.5 - blurLower/2) * typ},
		{blurSharp, (faintLow - blurLower) * typ, (0.5 - blurLower) * typ},
		{0, (faintLow - blurLower) * typ, (0.5 - blurLower) * typ},
	} {
		low, high := inkThresholds(typ, noise, tc.sharp)
		if math.Abs(float64(low-tc.low)) > 1e-6 || math.Abs(float64(high-tc.high)) > 1e-6 {
			t.Errorf("sharpness %.3f: thresholds %.4f, %.4f, want %.4f, %.4f", tc.sharp, low, high, tc.low, tc.high)
		}
	}
	if low, _ := inkThresholds(0.1, 0.1, 0); low != 0.16 {
		t.Errorf("faint, noisy, blurred: InkLow %v, want the noise floor 0.16", low)
	}
}

// boxBlur returns g averaged over (2r+1)-square boxes (edges clamped).
func boxBlur(g *image.Gray, r int) *image.Gray {
	b := g.Rect
	out := image.NewGray(b)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			sum, n := 0, 0
			for yy := max(y-r, b.Min.Y); yy <= min(y+r, b.Max.Y-1); yy++ {
				for xx := max(x-r, b.Min.X); xx <= min(x+r, b.Max.X-1); xx++ {
					sum += int(g.Pix[g.PixOffset(xx, yy)])
					n++
				}
			}
			out.Pix[out.PixOffset(x, y)] = uint8((sum + n/2) / n)
		}
	}
	return out
}

// TestFaintInkOnSheetBeforeTable: faint rings (a fifth darker than the
// paper, under the default InkHigh) on a sheet held before a dark,
// textured table, as a webcam sees it. The ink thresholds adapt to the
// sheet's own writing: the table's texture and the sheet's edge against
// it are neither the paper's noise nor its ink. The same sheet filling
// the frame is the control.
func TestFaintInkOnSheetBeforeTable(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for _, table := range []bool{false, true} {
		g := page(640, 480, 235)
		sheet := image.Rect(150, 120, 490, 360)
		if table {
			for y := 0; y < 480; y++ {
				for x := 0; x < 640; x++ {
					if !(image.Point{x, y}).In(sheet) {
						g.Pix[y*g.Stride+x] = uint8(30 + rng.IntN(60))
					}
				}
			}
		}
		const n = 6
		for i := range n {
			strokeDigit(g, 180+i*48, 200, 30, true, 188)
		}
		ds := NewExtractor(Options{}).Extract(g, nil)
		if len(ds) != n {
			t.Errorf("table %v: found %d faint rings, want %d: %v", table, len(ds), n, boxes(ds))
		}
	}
}

// TestGreySheetBeforeWhite: faint rings (a fifth darker than their
// paper, under the default InkHigh) on a grey sheet with a grain of 4
// levels, in a frame whose other 61% is white: a dim sheet before a white
// wall or desk, a note on a scanner's lid. The ink thresholds adapt to the
// sheet's writing, not to the white around it (writingPaper): measured on
// the white, which holds no ink, they kept the defaults and found no ring.
// The same sheet filling the frame is the control; photo and camera frame
// alike.
func TestGreySheetBeforeWhite(t *testing.T) {
	for _, white := range []bool{false, true} {
		rng := rand.New(rand.NewPCG(7, 12))
		g := page(640, 480, 255)
		sheet := image.Rect(120, 90, 520, 390)
		if !white {
			sheet = g.Rect
		}
		for y := sheet.Min.Y; y < sheet.Max.Y; y++ {
			for x := sheet.Min.X; x < sheet.Max.X; x++ {
				g.Pix[y*g.Stride+x] = uint8(136 + rng.IntN(9))
			}
		}
		const n = 6
		for i := range n {
			strokeDigit(g, 180+i*48, 200, 30, true, 112)
		}
		for _, photo := range []bool{false, true} {
			e := NewExtractor(Options{})
			e.SetPhoto(photo)
			if ds := e.Extract(g, nil); len(ds) != n {
				t.Errorf("white around %v, photo %v: found %d faint rings, want %d: %v", white, photo, len(ds), n, boxes(ds))
			}
		}
	}
}

// TestGreyNoteOnWhite: a ring drawn tight on a small grey note (0.08 to
// 0.2 darker than white, a grain of 3 levels, margins of 2 to 6 pixels)
// lying on a white page that fills most of the frame: a tight crop of a
// photo pasted on a white canvas, a sticky note on a white desk. The
// white passes for clipped paper, but the writing is not on it
// (writingOnClipped), so the clipped paper's InkLow, under which the
// note's edge is ink joined to the ring, is not taken: 82 of 84 rings are
// found alone (in the other two the ring, 2 pixels from the darkest
// note's edge, takes in 2 rows of the edge), against 54 with it.
func TestGreyNoteOnWhite(t *testing.T) {
	const h, floor = 44, 82
	rng := rand.New(rand.NewPCG(3, 9))
	alone, all := 0, 0
	for _, paper := range []int{205, 210, 215, 220, 225, 230, 235} {
		for _, margin := range []int{2, 3, 4, 6} {
			for _, w := range []int{18, 24, 32} {
				note := image.Rect(30, 30, 30+w+2*margin, 30+h+2*margin)
				g := page(note.Max.X+30, note.Max.Y+30, 255)
				for y := note.Min.Y; y < note.Max.Y; y++ {
					for x := note.Min.X; x < note.Max.X; x++ {
						g.Pix[y*g.Stride+x] = uint8(paper - 3 + rng.IntN(7))
					}
				}
				ring := note.Inset(margin)
				testscenes.Ring(g, ring, 0.12, uint8(paper/2), 0, 0)
				e := NewExtractor(Options{})
				e.SetPhoto(true)
				ds := e.Extract(g, nil)
				all++
				if len(ds) == 1 && ds[0].Box.In(ring.Inset(-1)) {
					alone++
				} else {
					t.Logf("note %d, margin %d, ring %v: found %v", paper, margin, ring, boxes(ds))
				}
			}
		}
	}
	t.Logf("%d of %d rings found alone", alone, all)
	if alone < floor {
		t.Errorf("%d of %d rings found alone, under the floor of %d", alone, all, floor)
	}
}

// TestClippedPaperKeepsFaintStrokes: rings drawn by a thin pen on paper
// clipped to white (an overexposed photo, a scanning app's output), their
// ink dark (0.55 under the paper) in short stretches and faint (0.16)
// between, as overexposure leaves a ballpoint's stroke. Each ring is found
// whole, one candidate as tall as the ring: the clipped paper's InkLow
// (clippedLow) keeps the faint stretches. Under the frame's InkLow they
// broke the rings into arcs (4 candidates, none whole). The same rings
// with black stretches are a drawing, not a washed-out photo, and keep
// the thresholds of dark ink (washedInk).
func TestClippedPaperKeepsFaintStrokes(t *testing.T) {
	const n, h = 6, 40
	for _, dark := range []uint8{115, 0} {
		g := page(640, 480, 255)
		for i := range n {
			r := image.Rect(100+i*70, 200, 100+i*70+24, 200+h)
			testscenes.Ring(g, r, 0.12, 215, 0, 0)
			// Dark stretches of about 5 pixels, 10 pixels apart, where
			// the pen pressed (the ring's pixels of some rows and columns).
			for y := r.Min.Y; y < r.Max.Y; y++ {
				for x := r.Min.X; x < r.Max.X; x++ {
					if o := g.PixOffset(x, y); g.Pix[o] == 215 && (x+y)%15 < 5 {
						g.Pix[o] = dark
					}
				}
			}
		}
		e := NewExtractor(Options{})
		e.SetPhoto(true)
		ds := e.Extract(g, nil)
		whole := 0
		for _, d := range ds {
			if d.Box.Dy() >= h-2 {
				whole++
			}
		}
		t.Logf("ink %d: InkLow %.3f, %d candidates, %d whole", dark, e.paper.inkLow, len(ds), whole)
		if dark > 0 && (len(ds) != n || whole != n) {
			t.Errorf("faint rings on clipped paper: %d candidates, %d of them whole, want %d whole: %v", len(ds), whole, n, boxes(ds))
		}
		if dark == 0 && e.paper.inkLow != defaultInkLow {
			t.Errorf("rings in black on white: InkLow %.3f, want the default %.3f", e.paper.inkLow, defaultInkLow)
		}
	}
}

// TestGridNetKeepsWritingThresholds: squared paper (2-pixel lines 0.22
// under the paper every 40 pixels: under half the blocks hold a line, so
// the blank paper's noise is the paper's) with three dark rings in its
// squares, and blank. The lines fill most of the inked blocks, so the typical
// stroke first measured is theirs, and thresholds that low make the grid
// one net over the frame, holding the rings. remeasureInk finds the net
// and measures the writing apart: the rings' darkness is the typical
// stroke, the thresholds are the defaults again, and the three rings are
// found. On the blank sheet nothing is found.
func TestGridNetKeepsWritingThresholds(t *testing.T) {
	for _, rings := range []int{3, 0} {
		g := page(640, 480, 235)
		const line = 183 // 0.22 under the paper
		for k := 5; k < 640; k += 40 {
			fillRect(g, image.Rect(k, 0, k+2, 480), line)
		}
		for k := 5; k < 480; k += 40 {
			fillRect(g, image.Rect(0, k, 640, k+2), line)
		}
		for i := range rings {
			strokeDigit(g, 139+i*160, 171, 30, true, 40)
		}
		e := NewExtractor(Options{})
		ds := e.Extract(g, nil)
		if len(ds) != rings {
			t.Errorf("%d rings on squared paper: found %d: %v", rings, len(ds), boxes(ds))
		}
		if rings > 0 && (e.paper.typ < 0.6 || e.paper.inkLow != defaultInkLow || e.paper.inkHigh != defaultInkHigh) {
			t.Errorf("%d rings on squared paper: typical stroke %.3f, thresholds %.3f, %.3f; want the rings' (0.6 or more) and the defaults",
				rings, e.paper.typ, e.paper.inkLow, e.paper.inkHigh)
		}
	}
}
