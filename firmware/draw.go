package firmware

import (
	"image"
	"image/color"
	"image/draw"
	"strconv"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"

	"github.com/edgeconv/edgeconv/extract"
)

var (
	colOK   = color.RGBA{40, 220, 90, 255}
	colLow  = color.RGBA{255, 150, 0, 255}
	colBack = color.RGBA{0, 0, 0, 200}
	colText = color.RGBA{255, 255, 255, 255}
)

// minConfidenceShown is the confidence under which a box is drawn orange.
const minConfidenceShown = 0.8

// annotate draws the frame img, in its colours, into dst (reallocated if
// its size differs) with each digit's box and guess.
func annotate(dst *image.RGBA, img *image.YCbCr, digits []extract.Digit, guesses []Guess, _ bool) *image.RGBA {
	r := image.Rect(0, 0, img.Rect.Dx(), img.Rect.Dy())
	if dst == nil || dst.Rect != r {
		dst = image.NewRGBA(r)
	}
	// image/draw converts a 4:2:0 YCbCr image to RGBA in one pass.
	draw.Draw(dst, r, img, img.Rect.Min, draw.Src)
	scale := max(1, r.Dy()/240)
	for i, d := range digits {
		c := colOK
		if guesses[i].Confidence < minConfidenceShown {
			c = colLow
		}
		b := d.Box.Sub(img.Rect.Min).Inset(-2)
		strokeRect(dst, b, max(1, scale), c)
		label := strconv.Itoa(guesses[i].Digit)
		drawText(dst, b.Min.X, b.Min.Y-13*scale-2, label, scale, c, colBack)
	}
	return dst
}

// strokeRect draws the outline of r, t pixels thick.
func strokeRect(dst *image.RGBA, r image.Rectangle, t int, c color.RGBA) {
	u := image.NewUniform(c)
	for _, s := range []image.Rectangle{
		{r.Min, image.Pt(r.Max.X, r.Min.Y+t)},
		{image.Pt(r.Min.X, r.Max.Y-t), r.Max},
		{r.Min, image.Pt(r.Min.X+t, r.Max.Y)},
		{image.Pt(r.Max.X-t, r.Min.Y), r.Max},
	} {
		draw.Draw(dst, s.Intersect(dst.Rect), u, image.Point{}, draw.Src)
	}
}

// drawText writes s with its top-left corner at (x, y) in the 7x13 fixed
// font magnified scale times, on a bg box.
func drawText(dst *image.RGBA, x, y int, s string, scale int, fg, bg color.RGBA) {
	face := basicfont.Face7x13
	w := font.MeasureString(face, s).Ceil()
	mask := image.NewAlpha(image.Rect(0, 0, w, 13))
	d := font.Drawer{Dst: mask, Src: image.Opaque, Face: face, Dot: fixed.P(0, 11)}
	d.DrawString(s)
	if y < 0 {
		y = 0
	}
	box := image.Rect(x-1, y-1, x+w*scale+1, y+13*scale+1)
	draw.Draw(dst, box.Intersect(dst.Rect), image.NewUniform(bg), image.Point{}, draw.Over)
	u := image.NewUniform(fg)
	for my := 0; my < 13; my++ {
		for mx := 0; mx < w; mx++ {
			if mask.Pix[my*mask.Stride+mx] < 128 {
				continue
			}
			p := image.Rect(x+mx*scale, y+my*scale, x+(mx+1)*scale, y+(my+1)*scale)
			draw.Draw(dst, p.Intersect(dst.Rect), u, image.Point{}, draw.Src)
		}
	}
}

// Crop sheet geometry: each digit's 28x28 image at twice its size, its
// guess and confidence under it, sheetCols to a row.
const (
	sheetCols  = 8
	cellScale  = 2
	cellW      = 28*cellScale + 8
	cellH      = 28*cellScale + 20
	sheetEmpty = 24
)

// cropSheet draws the digits' 28x28 images (ink white on black, as the
// network sees them) with their guesses into dst.
func cropSheet(dst *image.RGBA, digits []extract.Digit, guesses []Guess, minConf float32) *image.RGBA {
	rows := (len(digits) + sheetCols - 1) / sheetCols
	h := max(sheetEmpty, rows*cellH)
	r := image.Rect(0, 0, sheetCols*cellW, h)
	if dst == nil || dst.Rect != r {
		dst = image.NewRGBA(r)
	}
	draw.Draw(dst, r, image.NewUniform(color.RGBA{24, 24, 28, 255}), image.Point{}, draw.Src)
	if len(digits) == 0 {
		drawText(dst, 4, 4, "no digits", 1, colText, color.RGBA{24, 24, 28, 255})
		return dst
	}
	for i := range digits {
		cx, cy := (i%sheetCols)*cellW+4, (i/sheetCols)*cellH+2
		px := &digits[i].Pixels
		for y := 0; y < 28*cellScale; y++ {
			row := dst.Pix[(cy+y)*dst.Stride:]
			for x := 0; x < 28*cellScale; x++ {
				v := px[(y/cellScale)*28+x/cellScale]
				g := uint8(max(0, min(255, v*255+0.5)))
				o := 4 * (cx + x)
				row[o], row[o+1], row[o+2], row[o+3] = g, g, g, 255
			}
		}
		c := colOK
		if guesses[i].Confidence < minConf {
			c = colLow
		}
		label := strconv.Itoa(guesses[i].Digit) + " " + strconv.FormatFloat(float64(guesses[i].Confidence), 'f', 2, 32)
		drawText(dst, cx, cy+28*cellScale+3, label, 1, c, color.RGBA{24, 24, 28, 255})
	}
	return dst
}
