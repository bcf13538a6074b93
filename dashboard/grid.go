package dashboard

import (
	"image"
	"image/color"
	"image/draw"
	"strconv"

	"github.com/edgeconv/edgeconv/internal/overlay"
	"github.com/edgeconv/edgeconv/train"
)

// The grid's geometry: each digit at its size, ink on paper as the codelab
// shows it, with its label (and, when misrecognised, the guess) under it.
const (
	gridCols = 20
	tileW    = 30 // 28 and a gap
	tileH    = 44
)

// Colours of the grid: a recognised digit in black, a misrecognised one
// and its guess in red, as the codelab draws them.
var (
	paper   = color.RGBA{255, 255, 255, 255}
	inkOK   = color.RGBA{20, 20, 20, 255}
	inkBad  = color.RGBA{220, 20, 20, 255}
	labelOK = color.RGBA{90, 90, 90, 255}
	// wrongBg tints a misrecognised digit's tile.
	wrongBg = color.RGBA{255, 226, 226, 255}
)

// DrawGrid draws g's digits from the test set ds: gridCols to a row.
func DrawGrid(g Grid, ds *train.Dataset) *image.RGBA {
	rows := max(1, (len(g.Tiles)+gridCols-1)/gridCols)
	img := image.NewRGBA(image.Rect(0, 0, gridCols*tileW, rows*tileH))
	draw.Draw(img, img.Rect, image.NewUniform(paper), image.Point{}, draw.Src)
	size := ds.Rows * ds.Cols
	for k, t := range g.Tiles {
		x0, y0 := k%gridCols*tileW, k/gridCols*tileH
		wrong := t.Label != t.Guess
		ink := inkOK
		if wrong {
			ink = inkBad
			draw.Draw(img, image.Rect(x0, y0, x0+tileW-2, y0+tileH-2), image.NewUniform(wrongBg), image.Point{}, draw.Src)
		}
		px := ds.Images[t.Index*size : (t.Index+1)*size]
		for y := 0; y < ds.Rows; y++ {
			for x := 0; x < ds.Cols; x++ {
				a := uint32(px[y*ds.Cols+x]) // ink coverage
				if a == 0 {
					continue
				}
				o := img.PixOffset(x0+x, y0+1+y)
				p := img.Pix[o : o+3]
				for c, v := range [3]uint8{ink.R, ink.G, ink.B} {
					p[c] = uint8((uint32(v)*a + uint32(p[c])*(255-a)) / 255)
				}
			}
		}
		// The label, and for a misrecognised digit the guess after it:
		// "7 2" in a tile 28 wide.
		label(img, x0+3, y0+ds.Rows+13, strconv.Itoa(int(t.Label)), labelOK)
		if wrong {
			label(img, x0+18, y0+ds.Rows+13, strconv.Itoa(int(t.Guess)), inkBad)
		}
	}
	return img
}

// label writes s with its baseline at (x, y) in the 7x13 fixed font (its
// top 11 pixels above), on the tile as it is.
func label(dst *image.RGBA, x, y int, s string, c color.RGBA) {
	overlay.Text(dst, x, y-11, s, 1, c, color.RGBA{})
}
