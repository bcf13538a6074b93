package extract

import (
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// tableScene is a sheet of paper turned by deg about a 640x480 frame's
// centre (its sides 110 and 70 pixels from the frame's when upright) on a
// table of colour table with a little grain. The paper is paper at its
// middle and falls off toward its corners to edge of its brightness, its
// colour turning toward cast there (a webcam's vignetting and white
// balance, or a lamp's pool of light; no cast when cast is zero). Rings of
// dark ink, digit-sized, stand in two rows on it, and with inCorners one
// more in each of its corners.
type tableScene struct {
	table, paper, cast color.RGBA
	edge, deg          float64
	inCorners          bool
	// hw and hh are the sheet's half width and height (0: 210 and 170,
	// most of the frame).
	hw, hh float64
}

// render draws the scene as a 4:2:0 frame and returns it, the sheet's
// corners and how many rings it holds.
func (sc tableScene) render() (*image.YCbCr, [4][2]float64, int) {
	const w, h = 640, 480
	hw, hh := sc.hw, sc.hh
	if hw == 0 {
		hw, hh = 210, 170
	}
	rng := rand.New(rand.NewPCG(7, 11))
	s, c := math.Sincos(sc.deg * math.Pi / 180)
	// toSheet maps a frame pixel to the sheet's own axes, from its middle.
	toSheet := func(x, y float64) (float64, float64) {
		x, y = x-w/2, y-h/2
		return c*x + s*y, -s*x + c*y
	}
	cast := sc.cast
	if cast == (color.RGBA{}) {
		cast = sc.paper
	}
	mix := func(a, b uint8, r, l float64) uint8 { return uint8((float64(a)*(1-r) + float64(b)*r) * l) }
	rgb := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			u, v := toSheet(float64(x)+0.5, float64(y)+0.5)
			if math.Abs(u) < hw && math.Abs(v) < hh {
				r := (u*u/(hw*hw) + v*v/(hh*hh)) / 2
				l := 1 - (1-sc.edge)*r
				p := sc.paper
				rgb.SetRGBA(x, y, color.RGBA{mix(p.R, cast.R, r, l), mix(p.G, cast.G, r, l), mix(p.B, cast.B, r, l), 255})
				continue
			}
			g := rng.IntN(9) - 4
			rgb.SetRGBA(x, y, color.RGBA{uint8(int(sc.table.R) + g), uint8(int(sc.table.G) + g), uint8(int(sc.table.B) + g), 255})
		}
	}
	var rings [][2]float64
	for _, rv := range []float64{-80 * hh / 170, 60 * hh / 170} {
		for ru := 60 - hw; ru <= hw-60; ru += 60 {
			rings = append(rings, [2]float64{ru, rv})
		}
	}
	if sc.inCorners {
		rings = append(rings, [2]float64{-hw + 30, -hh + 35}, [2]float64{hw - 30, -hh + 35},
			[2]float64{hw - 30, hh - 35}, [2]float64{-hw + 30, hh - 35})
	}
	for _, ring := range rings {
		for y := range h {
			for x := range w {
				u, v := toSheet(float64(x)+0.5, float64(y)+0.5)
				du, dv := (u-ring[0])/15, (v-ring[1])/20
				if d := du*du + dv*dv; d <= 1 && d >= 0.55 {
					rgb.SetRGBA(x, y, color.RGBA{25, 25, 35, 255})
				}
			}
		}
	}
	var corners [4][2]float64
	for k, p := range [4][2]float64{{-hw, -hh}, {hw, -hh}, {hw, hh}, {-hw, hh}} {
		corners[k] = [2]float64{c*p[0] - s*p[1] + w/2, s*p[0] + c*p[1] + h/2}
	}
	return ycbcr420(rgb), corners, len(rings)
}

// TestSheetEdgesOnATable: a sheet on a table about as bright as a
// shadow on its paper, which the paper grid joins to the sheet: grey
// (0.6 of the paper's middle, as bright as its dim corners), light wood
// no darker than the paper's shaded edge (found by its colour alone), and
// a sheet turned by 12°. Each of the four edges is found within a few
// pixels of where it is, the table is off the sheet, every ring, and
// nothing else, is a candidate, and the next frame allocates nothing.
func TestSheetEdgesOnATable(t *testing.T) {
	white := color.RGBA{235, 235, 230, 255}
	for _, tc := range []struct {
		name         string
		table, paper color.RGBA
		edge, deg    float64
	}{
		{"grey table", color.RGBA{140, 140, 140, 255}, white, 0.6, 0},
		{"grey table, sheet turned 12°", color.RGBA{140, 140, 140, 255}, white, 0.6, 12},
		{"grey table, sheet turned -5°", color.RGBA{150, 150, 150, 255}, white, 0.75, -5},
		{"light wood as bright as the paper's edge", color.RGBA{175, 125, 80, 255}, color.RGBA{220, 222, 215, 255}, 0.62, 3},
	} {
		f, corners, n := tableScene{table: tc.table, paper: tc.paper, edge: tc.edge, deg: tc.deg}.render()
		e := NewExtractor(Options{})
		ds := e.Extract(f, nil)
		if len(e.edges.lines) != 4 {
			t.Errorf("%s: %d edges found, want 4: %+v", tc.name, len(e.edges.lines), e.edges.lines)
		}
		for _, l := range e.edges.lines {
			// The true edge seen from this side: the sheet's side
			// nearest to it, at the middle of the frame's side.
			ends := [4][2]int{{3, 0}, {1, 2}, {0, 1}, {3, 2}}[l.side]
			a, b := corners[ends[0]], corners[ends[1]]
			mt := float32(e.edges.h) / 2
			if l.side >= 2 {
				mt = float32(e.edges.w) / 2
			}
			at, au := e.edges.alongAcross(l.side, a[0], a[1])
			bt, bu := e.edges.alongAcross(l.side, b[0], b[1])
			want := au + (bu-au)*(mt-at)/(bt-at)
			if got := l.a + l.b*mt; math.Abs(float64(got-want)) > 3 {
				t.Errorf("%s: the edge seen from side %d lies %.1f pixels in at the side's middle, want %.1f", tc.name, l.side, got, want)
			}
		}
		on := func(x, y int) bool {
			i, j := x/e.paper.blk, y/e.paper.blk
			return e.sheet.all || e.sheet.on[j*e.paper.bgw+i]
		}
		if on(20, 240) || on(620, 240) || on(320, 15) || on(320, 465) {
			t.Errorf("%s: the table beside the sheet is on it", tc.name)
		}
		if !on(320, 240) {
			t.Errorf("%s: the sheet's middle is off it", tc.name)
		}
		if len(ds) != n {
			t.Errorf("%s: %d candidates, want the %d rings: %v", tc.name, len(ds), n, boxes(ds))
		}
		// A camera's next frame of the table costs no allocation.
		if a := testing.AllocsPerRun(3, func() { ds = e.Extract(f, ds) }); a != 0 {
			t.Errorf("%s: %v allocations a frame, want 0", tc.name, a)
		}
	}
}

// TestPaperBesideTable: light wood around a sheet that a webcam's white
// balance casts teal toward its corners, about 70 from the wood's colour.
// The paper's colour taken over the blocks around each block, in a corner
// most of them the table's, darkened the paper there as ink, and the
// rings written in the corners joined it. Taken on the sheet's side of
// its edges (paperBesideTable), every ring is a candidate, the paper in the
// corners is as bright in the plane as its luma, and the next frame
// allocates nothing.
func TestPaperBesideTable(t *testing.T) {
	for _, deg := range []float64{0, 8} {
		sc := tableScene{table: color.RGBA{160, 110, 70, 255}, paper: color.RGBA{228, 228, 222, 255},
			cast: color.RGBA{165, 200, 205, 255}, edge: 0.75, deg: deg, inCorners: true}
		f, corners, n := sc.render()
		e := NewExtractor(Options{})
		ds := e.Extract(f, nil)
		if len(ds) != n {
			t.Errorf("turned %v°: %d candidates, want the %d rings: %v", deg, len(ds), n, boxes(ds))
		}
		// The paper 12 pixels in from each corner, between the corner
		// and its ring.
		for _, c := range corners {
			dx, dy := 320-c[0], 240-c[1]
			d := math.Hypot(dx, dy)
			x, y := int(c[0]+12*dx/d), int(c[1]+12*dy/d)
			luma, plane := f.Y[f.YOffset(x, y)], e.ink.plane.GrayAt(x, y).Y
			if int(plane)+4 < int(luma) {
				t.Errorf("turned %v°: the paper at (%d,%d) is %d in the plane, its luma %d", deg, x, y, plane, luma)
			}
		}
		// A camera's next frame is made at once with the paper's colour
		// on the sheet's side of the last frame's edges, as the first
		// was made in the end.
		want := slices.Clone(e.ink.plane.Pix)
		if !slices.Equal(e.inkPlane(f).Pix, want) {
			t.Errorf("turned %v°: the next frame's plane, made with the last frame's edges, differs", deg)
		}
		if a := testing.AllocsPerRun(3, func() { ds = e.Extract(f, ds) }); a != 0 {
			t.Errorf("turned %v°: %v allocations a frame, want 0", deg, a)
		}
		// Then the sheet fills the frame: the plane is made as if the
		// table had never been seen.
		plain, _, _ := tableScene{table: sc.paper, paper: sc.paper, cast: sc.cast, edge: 0.75, deg: deg, inCorners: true}.render()
		e.Extract(plain, nil)
		fresh := NewExtractor(Options{})
		fresh.Extract(plain, nil)
		if !slices.Equal(e.ink.plane.Pix, fresh.ink.plane.Pix) {
			t.Errorf("turned %v°: a frame without the table, after one with it, is made otherwise than alone", deg)
		}
	}
}

// TestNoSheetEdges: what is no sheet's edge is not taken for one, and no
// writing is lost to it: a soft shadow's edge across the paper (a
// penumbra 60 pixels wide), a hard one (a ramp of about 2 pixels, the
// writing going on in the shadow: see writtenBeyond), over three lines of
// writing and over one of thin strokes, a webcam's deep vignetting, the sheet filling the frame, and a thick marker's stroke
// standing along the side of a photo, which a 1 cut to its ink makes.
func TestNoSheetEdges(t *testing.T) {
	const w, h = 640, 480
	hardShadow := func(x, y int) float64 {
		d := float64(x) - 0.35*w - 0.1*float64(y-h/2)
		return 225 * (0.5 + 0.25*(1+math.Erf(d/(2*math.Sqrt2))))
	}
	for _, tc := range []struct {
		name  string
		paper func(x, y int) float64
		rows  []int   // the top of each row of rings
		inner float64 // the rings' inner radius, squared, of their outer
	}{
		{"a soft shadow across the left", func(x, y int) float64 {
			return 225 * (1 - 0.45*math.Min(1, math.Max(0, float64(130-x)/60)))
		}, nil, 0},
		{"a hard shadow across the left", hardShadow, nil, 0},
		{"a hard shadow over one line of thin writing", hardShadow, []int{220}, 0.85},
		{"vignetting", func(x, y int) float64 {
			dx, dy := float64(x-w/2)/(w/2), float64(y-h/2)/(h/2)
			return 230 * (1 - 0.3*(dx*dx+dy*dy))
		}, nil, 0},
		{"a marker's stroke along the left side", func(x, y int) float64 {
			if x < 24 && y > 40 && y < 440 {
				return 30
			}
			return 220
		}, nil, 0},
	} {
		if tc.rows == nil {
			tc.rows, tc.inner = []int{100, 220, 340}, 0.55
		}
		g := image.NewGray(image.Rect(0, 0, w, h))
		for y := range h {
			for x := range w {
				g.SetGray(x, y, color.Gray{Y: uint8(tc.paper(x, y))})
			}
		}
		n := 0
		for _, ry := range tc.rows {
			for rx := 60; rx+30 < w-40; rx += 60 {
				for y := ry; y < ry+40; y++ {
					for x := rx; x < rx+30; x++ {
						dx, dy := float64(x-rx-15)/15, float64(y-ry-20)/20
						if d := dx*dx + dy*dy; d <= 1 && d >= tc.inner {
							g.SetGray(x, y, color.Gray{Y: uint8(0.2 * tc.paper(x, y))})
						}
					}
				}
				n++
			}
		}
		e := NewExtractor(Options{})
		ds := e.Extract(g, nil)
		if len(e.edges.lines) != 0 {
			t.Errorf("%s: sheet edges found: %+v", tc.name, e.edges.lines)
		}
		if got := len(ds); got < n {
			t.Errorf("%s: %d candidates, want the %d rings at least: %v", tc.name, got, n, boxes(ds))
		}
	}
}

// TestSheetEdgesAnyFrame: frames of every chroma subsampling, of odd
// sizes, and cut from a larger frame at an odd origin (a reader's
// sub-image) have their edges looked for, and the paper's colour taken
// beside them (paperBesideTable, as a camera's next frame too), without
// reading outside them; the sheet on a grey table of 640x480 has its four
// edges found in each, and the sheet cast teal on wood is made again
// beside its edges.
func TestSheetEdgesAnyFrame(t *testing.T) {
	ratios := []image.YCbCrSubsampleRatio{
		image.YCbCrSubsampleRatio444, image.YCbCrSubsampleRatio422, image.YCbCrSubsampleRatio420,
		image.YCbCrSubsampleRatio440, image.YCbCrSubsampleRatio411, image.YCbCrSubsampleRatio410,
	}
	grey, _, _ := tableScene{table: color.RGBA{140, 140, 140, 255}, paper: color.RGBA{235, 235, 230, 255}, edge: 0.6}.render()
	wood, _, _ := tableScene{table: color.RGBA{160, 110, 70, 255}, paper: color.RGBA{228, 228, 222, 255},
		cast: color.RGBA{165, 200, 205, 255}, edge: 0.75, inCorners: true}.render()
	for _, f420 := range []*image.YCbCr{grey, wood} {
		for _, ratio := range ratios {
			for _, cut := range []image.Rectangle{f420.Rect, image.Rect(3, 5, 640, 480), image.Rect(1, 1, 162, 171), image.Rect(37, 11, 371, 252)} {
				f := image.NewYCbCr(image.Rect(0, 0, 640, 480), ratio)
				for y := range 480 {
					for x := range 640 {
						f.Y[f.YOffset(x, y)] = f420.Y[f420.YOffset(x, y)]
						c := f.COffset(x, y)
						f.Cb[c], f.Cr[c] = f420.Cb[f420.COffset(x, y)], f420.Cr[f420.COffset(x, y)]
					}
				}
				e := NewExtractor(Options{})
				e.Extract(f.SubImage(cut), nil)
				if cut == f420.Rect && len(e.edges.lines) != 4 {
					t.Errorf("%v: %d edges found, want 4", ratio, len(e.edges.lines))
				}
				if cut == f420.Rect && f420 == wood && !e.ink.besideEdges {
					t.Errorf("%v: the sheet on wood not made again beside its edges", ratio)
				}
				e.Extract(f.SubImage(cut), nil) // with the last frame's edges
			}
		}
	}
}

// FuzzSheetOnTable cuts a sub-image out of a sheet cast teal on a wooden
// table (tableScene: its edges found, the paper's colour taken beside
// them) at the fuzzer's origin and size, paints the fuzzer's other bytes
// over its luma and chroma, and reads it twice with one extractor, as a
// camera's frames (the second made with the first's edges): Extract
// neither panics nor returns boxes outside the frame.
func FuzzSheetOnTable(f *testing.F) {
	scene, _, _ := tableScene{table: color.RGBA{160, 110, 70, 255}, paper: color.RGBA{228, 228, 222, 255},
		cast: color.RGBA{165, 200, 205, 255}, edge: 0.75, deg: 8, inCorners: true}.render()
	f.Add([]byte{0, 0, 255, 255})
	f.Add([]byte{40, 30, 200, 180, 20, 250, 128})
	f.Add([]byte{3, 200, 90, 40, 0, 0, 0, 255})
	e := NewExtractor(Options{})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 4 {
			return
		}
		fr := &image.YCbCr{Y: slices.Clone(scene.Y), Cb: slices.Clone(scene.Cb), Cr: slices.Clone(scene.Cr),
			YStride: scene.YStride, CStride: scene.CStride, SubsampleRatio: scene.SubsampleRatio, Rect: scene.Rect}
		for i, b := range data[4:] {
			k := (i * 7919) % len(fr.Y)
			fr.Y[k] = b
			fr.Cb[k%len(fr.Cb)], fr.Cr[(k/3)%len(fr.Cr)] = b, 255-b
		}
		x0, y0 := int(data[0])*2, int(data[1])*3/2
		w, h := 1+int(data[2])*(640-x0)/256, 1+int(data[3])*(480-y0)/256
		cut := image.Rect(x0, y0, x0+w, y0+h).Intersect(fr.Rect)
		sub := fr.SubImage(cut)
		for range 2 {
			for _, d := range e.Extract(sub, nil) {
				if !d.Box.In(cut) {
					t.Fatalf("box %v outside %v", d.Box, cut)
				}
			}
		}
	})
}

// TestNoteOnADesk: a note on a grey desk seen from above, the desk at
// 0.75 of the paper's brightness (as bright as a shadow on it) and eight
// times the note's area. The note's edges span a third of each side of
// the frame: each is found (edgeHold counts the lines that may cross an
// edge, not all), and the writing's ink is measured on the note alone
// (markInkPaper), not on the desk that adaptInk took for most of the paper:
// the typical paper is the note's, and every ring, and nothing else, is a
// candidate, straight and turned by 6°.
func TestNoteOnADesk(t *testing.T) {
	for _, deg := range []float64{0, 6} {
		paper := color.RGBA{232, 232, 226, 255}
		sc := tableScene{table: color.RGBA{172, 172, 170, 255}, paper: paper, edge: 0.9, deg: deg, hw: 110, hh: 80}
		f, _, n := sc.render()
		e := NewExtractor(Options{})
		ds := e.Extract(f, nil)
		if len(e.edges.lines) != 4 {
			t.Errorf("turned %v°: %d edges found, want 4: %+v", deg, len(e.edges.lines), e.edges.lines)
		}
		// The paper's luma, between its middle and its shaded edge.
		if luma := f.Y[f.YOffset(320, 240)]; e.paper.typPaper < 0.85*float32(luma) {
			t.Errorf("turned %v°: the typical paper is %.0f, the note's middle %d", deg, e.paper.typPaper, luma)
		}
		if len(ds) != n {
			t.Errorf("turned %v°: %d candidates, want the %d rings: %v", deg, len(ds), n, boxes(ds))
		}
		if a := testing.AllocsPerRun(3, func() { ds = e.Extract(f, ds) }); a != 0 {
			t.Errorf("turned %v°: %v allocations a frame, want 0", deg, a)
		}
	}
}

// TestNoteOnAWhiteDesk: a grey note on a white desk, the note at 0.7 of
// the desk's brightness (above inkPaper's floor, so it is paper to the
// ink's measure) and an eighth of the frame. The desk holds no mark and
// the note does: the ink is measured on the note's paper (writingPaper),
// not on the desk's flat white, which was the typical paper and the
// paper's noise; every ring, and nothing else, is a candidate.
func TestNoteOnAWhiteDesk(t *testing.T) {
	for _, deg := range []float64{0, 6} {
		sc := tableScene{table: color.RGBA{236, 236, 234, 255}, paper: color.RGBA{168, 166, 160, 255}, edge: 0.9, deg: deg, hw: 110, hh: 80}
		f, _, n := sc.render()
		e := NewExtractor(Options{})
		ds := e.Extract(f, nil)
		if luma := f.Y[f.YOffset(320, 240)]; e.paper.typPaper > 1.1*float32(luma) {
			t.Errorf("turned %v°: the typical paper is %.0f, the note's middle %d", deg, e.paper.typPaper, luma)
		}
		if len(ds) != n {
			t.Errorf("turned %v°: %d candidates, want the %d rings: %v", deg, len(ds), n, boxes(ds))
		}
	}
}
