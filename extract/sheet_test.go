package extract

import (
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/edgeconv/edgeconv/internal/testscenes"
)

// sheetOnTable draws, as a 4:2:0 frame of 640x480, a sheet of white paper
// on a table of colour table (with a little grain), the paper vignetted
// from 235 in its middle to edge at its corners, and dark rings
// (digit-sized, 40 pixels tall) along its top and bottom, near the edges.
func sheetOnTable(table color.RGBA, edge float64) (*image.YCbCr, image.Rectangle, int) {
	const w, h = 640, 480
	rng := rand.New(rand.NewPCG(3, 5))
	sheet := image.Rect(110, 70, 530, 410)
	rgb := image.NewRGBA(image.Rect(0, 0, w, h))
	cx, cy := float64(sheet.Min.X+sheet.Max.X)/2, float64(sheet.Min.Y+sheet.Max.Y)/2
	rmax := math.Hypot(float64(sheet.Dx())/2, float64(sheet.Dy())/2)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var c color.RGBA
			if (image.Point{x, y}).In(sheet) {
				r := math.Hypot(float64(x)-cx, float64(y)-cy) / rmax
				v := uint8(235 - (235-edge)*r*r)
				c = color.RGBA{v, v, v - 4, 255}
			} else {
				g := rng.IntN(9) - 4
				c = color.RGBA{uint8(int(table.R) + g), uint8(int(table.G) + g), uint8(int(table.B) + g), 255}
			}
			rgb.SetRGBA(x, y, c)
		}
	}
	n := 0
	for _, ry := range []int{sheet.Min.Y + 20, sheet.Max.Y - 60} {
		for rx := sheet.Min.X + 30; rx+30 < sheet.Max.X; rx += 60 {
			for y := ry; y < ry+40; y++ {
				for x := rx; x < rx+30; x++ {
					dx, dy := float64(x-rx-15)/15, float64(y-ry-20)/20
					if d := dx*dx + dy*dy; d <= 1 && d >= 0.55 {
						rgb.SetRGBA(x, y, color.RGBA{25, 25, 35, 255})
					}
				}
			}
			n++
		}
	}
	return ycbcr420(rgb), sheet, n
}

// TestTableOfAnotherColour: a sheet whose vignetted corners are as dark
// as the wooden table it lies on (luma 110 against 235 in its middle), as
// a webcam sees it. The step from paper to table passes for a shadow's
// edge, and the table joined the sheet, its edge read as ink around the
// writing; the table's colour tells it apart (markForeign), and every
// ring is found. A grey table of the same brightness cannot be told from
// a shadow by its colour, block by block, but the sheet's straight, sharp
// edge tells it (findEdges): it is off the sheet too.
func TestTableOfAnotherColour(t *testing.T) {
	for _, tc := range []struct {
		name  string
		table color.RGBA
	}{
		{"wooden", color.RGBA{150, 100, 60, 255}},
		{"grey", color.RGBA{110, 110, 110, 255}},
	} {
		f, sheet, n := sheetOnTable(tc.table, 110)
		e := NewExtractor(Options{})
		ds := e.Extract(f, nil)
		on := func(x, y int) bool {
			i, j := x/e.paper.blk, y/e.paper.blk
			return e.sheet.all || e.sheet.on[j*e.paper.bgw+i]
		}
		mid := image.Pt((sheet.Min.X+sheet.Max.X)/2, (sheet.Min.Y+sheet.Max.Y)/2)
		tableOff := !on(20, 20) && !on(620, 240) && !on(320, 460)
		t.Logf("%s table: sheet all %v, table off the sheet %v, %d candidates", tc.name, e.sheet.all, tableOff, len(ds))
		if !on(mid.X, mid.Y) || !on(sheet.Min.X+8, sheet.Min.Y+8) {
			t.Errorf("%s table: the sheet's middle or its dim corner is not on the sheet", tc.name)
		}
		if !tableOff {
			t.Errorf("%s table: the table is on the sheet", tc.name)
		}
		if len(ds) != n {
			t.Errorf("%s table: %d candidates, want the %d rings: %v", tc.name, len(ds), n, boxes(ds))
		}
	}
}

// TestColouredPaperDimmedAcross: yellow paper under a lamp that falls
// off from left to right, to 0.35 of its light, with dark rings across
// it. Dimmed paper keeps its hue but loses chroma with its light: against
// the lit paper its chroma lies as far as a table's (tableChroma), but
// not once lit as brightly (tableLitChroma), and the whole frame stays one
// sheet with every ring on it. With tableChroma alone the dim side was
// left out.
func TestColouredPaperDimmedAcross(t *testing.T) {
	const w, h = 640, 480
	rgb := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			l := 1 - 0.65*float64(x)/float64(w-1)
			rgb.SetRGBA(x, y, color.RGBA{uint8(255 * l), uint8(230 * l), uint8(120 * l), 255})
		}
	}
	n := 0
	for rx := 30; rx+30 < w; rx += 60 {
		for y := 200; y < 240; y++ {
			for x := rx; x < rx+30; x++ {
				dx, dy := float64(x-rx-15)/15, float64(y-220)/20
				if d := dx*dx + dy*dy; d <= 1 && d >= 0.55 {
					rgb.SetRGBA(x, y, color.RGBA{25, 25, 35, 255})
				}
			}
		}
		n++
	}
	e := NewExtractor(Options{})
	ds := e.Extract(rgb, nil)
	i, j := (w-8)/e.paper.blk, 100/e.paper.blk
	if !e.sheet.all && !e.sheet.on[j*e.paper.bgw+i] {
		t.Errorf("the dim side of the yellow sheet is off the sheet")
	}
	if len(ds) != n {
		t.Errorf("%d candidates, want the %d rings: %v", len(ds), n, boxes(ds))
	}
}

// TestLightFallingOff: a sheet that fills the frame under a lamp's pool
// of light in a dim room (or a webcam's deep vignetting), its paper
// falling off gradually from 230 in the middle to a tenth of that in the
// corners, with dark rings in the middle and in each corner. The corners
// are under the sheet's floor, but the light falls to them block by block,
// and the sheet follows it (followFade): every ring is found; without it
// only the middle one. Then the left third of the frame is a flat grey
// table, as dark as the paper a fifth of the way into the corners: it
// steps down at the sheet's edge and stays off it, with the two rings on
// it.
func TestLightFallingOff(t *testing.T) {
	const w, h = 640, 480
	lit := func(x, y int) float64 {
		dx, dy := float64(x-w/2)/(w/2), float64(y-h/2)/(h/2)
		return 230 * (1 - 0.45*(dx*dx+dy*dy))
	}
	g := image.NewGray(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			g.SetGray(x, y, color.Gray{Y: uint8(lit(x, y))})
		}
	}
	n := 0
	for _, c := range []image.Point{{320, 240}, {24, 24}, {616, 24}, {24, 456}, {616, 456}} {
		for y := c.Y - 20; y < c.Y+20; y++ {
			for x := c.X - 15; x < c.X+15; x++ {
				dx, dy := float64(x-c.X)/15, float64(y-c.Y)/20
				if d := dx*dx + dy*dy; d <= 1 && d >= 0.55 {
					g.SetGray(x, y, color.Gray{Y: uint8(0.3 * lit(x, y))})
				}
			}
		}
		n++
	}
	e := NewExtractor(Options{})
	if ds := e.Extract(g, nil); len(ds) != n {
		t.Errorf("%d candidates, want the %d rings: %v", len(ds), n, boxes(ds))
	}
	// The same light on a sheet whose left third is a flat grey table
	// as dark as the corners.
	for y := 0; y < h; y++ {
		for x := 0; x < w/3; x++ {
			g.SetGray(x, y, color.Gray{Y: 46})
		}
	}
	ds := e.Extract(g, nil)
	i, j := 40/e.paper.blk, 240/e.paper.blk
	if e.sheet.all || e.sheet.on[j*e.paper.bgw+i] {
		t.Errorf("the table beside the sheet is on it")
	}
	if len(ds) != n-2 {
		t.Errorf("%d candidates, want the %d rings on the sheet: %v", len(ds), n-2, boxes(ds))
	}
}

// TestShadowEdgeAcrossDigits finds tall, narrow 9s (a small loop on a
// long stem, as many hands write them) that the edge of a shadow crosses,
// the paper on its left at 40% of its light (a phone's or a hand's shadow
// on the page), the edge a few pixels soft and running down beside one
// digit's stem. Such a digit is dark on one side, as the strip along a
// table's edge is (stepEdge, finishLines), but its ink is far darker than
// the shadowed paper beside it (shadowCrossed): it is a digit, not an
// edge (4 of the 5 were dropped so).
func TestShadowEdgeAcrossDigits(t *testing.T) {
	const n, pitch, h, w, pen = 5, 80, 64, 20, 4
	for k := range n {
		g := page(480, 200, 220)
		var want []image.Rectangle
		for i := range n {
			x, y := 50+i*pitch, 60
			testscenes.Ring(g, image.Rect(x, y, x+w, y+w), 2*pen/float64(w), 40, 0, 0)
			fillRect(g, image.Rect(x+w-pen, y+w/2, x+w, y+h), 40)
			want = append(want, image.Rect(x, y, x+w, y+h))
		}
		// The edge runs down beside digit k's stem, through its loop.
		edge := float64(50+k*pitch+w-pen) - 1.5
		for y := range g.Rect.Dy() {
			for x := range g.Rect.Dx() {
				light := 0.4 + 0.6/(1+math.Exp(-(float64(x)-edge)/1.5))
				i := g.PixOffset(x, y)
				g.Pix[i] = uint8(float64(g.Pix[i])*light + 0.5)
			}
		}
		ds := NewExtractor(Options{}).Extract(g, nil)
		if len(ds) != n {
			t.Errorf("edge across digit %d: found %d digits, want %d: %v", k, len(ds), n, boxes(ds))
			continue
		}
		for i, d := range ds {
			if IoU(d.Box, want[i]) < 0.7 {
				t.Errorf("edge across digit %d: digit %d's box %v, want about %v", k, i, d.Box, want[i])
			}
		}
	}
}
