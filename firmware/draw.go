package firmware

import (
	"image"
	"image/color"
	"image/draw"
	"strconv"

	"github.com/edgeconv/edgeconv/extract"
	"github.com/edgeconv/edgeconv/internal/overlay"
	"github.com/edgeconv/edgeconv/model"
	"github.com/edgeconv/edgeconv/reading"
)

var (
	colOK    = color.RGBA{40, 220, 90, 255}
	colLow   = color.RGBA{255, 150, 0, 255}
	colOther = color.RGBA{150, 150, 160, 255} // not a digit
	colBack  = color.RGBA{0, 0, 0, 200}
	colText  = color.RGBA{255, 255, 255, 255}
)

// candidateLook returns how candidate i of a frame is drawn: its label and
// colour. A digit is green, or orange when its confidence is under the
// reader's minimum (reading.Digit.Low); a candidate the model called not a
// digit is grey, labelled "x". digit counts the digits before i, and is
// advanced past a digit.
func candidateLook(res model.Result, digits []reading.Digit, digit *int) (string, color.RGBA) {
	if res.Class >= model.Digits {
		return "x", colOther
	}
	c := colOK
	if *digit < len(digits) && digits[*digit].Low {
		c = colLow
	}
	*digit++
	return strconv.Itoa(res.Class), c
}

// annotate draws the frame img, in its colours, into dst (reallocated if
// its size differs) with each candidate's box and class.
func annotate(dst *image.RGBA, img *image.YCbCr, cands []extract.Digit, results []model.Result, digits []reading.Digit) *image.RGBA {
	r := image.Rect(0, 0, img.Rect.Dx(), img.Rect.Dy())
	if dst == nil || dst.Rect != r {
		dst = image.NewRGBA(r)
	}
	// image/draw converts a 4:2:0 YCbCr image to RGBA in one pass.
	draw.Draw(dst, r, img, img.Rect.Min, draw.Src)
	scale := max(1, r.Dy()/240)
	digit := 0
	for i, d := range cands {
		label, c := candidateLook(results[i], digits, &digit)
		b := d.Box.Sub(img.Rect.Min).Inset(-2)
		overlay.Box(dst, b, max(1, scale), c)
		overlay.Text(dst, b.Min.X, b.Min.Y-13*scale-2, label, scale, c, colBack)
	}
	return dst
}

// Crop sheet geometry: each candidate's 28x28 image at twice its size, its
// class and confidence under it, sheetCols to a row.
const (
	sheetCols  = 8
	cellScale  = 2
	cellW      = 28*cellScale + 8
	cellH      = 28*cellScale + 20
	sheetEmpty = 24
)

// cropSheet draws the candidates' 28x28 images (ink white on black, as the
// network sees them) with their classes into dst.
func cropSheet(dst *image.RGBA, cands []extract.Digit, results []model.Result, digits []reading.Digit) *image.RGBA {
	rows := (len(cands) + sheetCols - 1) / sheetCols
	h := max(sheetEmpty, rows*cellH)
	r := image.Rect(0, 0, sheetCols*cellW, h)
	if dst == nil || dst.Rect != r {
		dst = image.NewRGBA(r)
	}
	draw.Draw(dst, r, image.NewUniform(color.RGBA{24, 24, 28, 255}), image.Point{}, draw.Src)
	if len(cands) == 0 {
		overlay.Text(dst, 4, 4, "no digits", 1, colText, color.RGBA{24, 24, 28, 255})
		return dst
	}
	digit := 0
	for i := range cands {
		cx, cy := (i%sheetCols)*cellW+4, (i/sheetCols)*cellH+2
		px := &cands[i].Pixels
		for y := 0; y < 28*cellScale; y++ {
			row := dst.Pix[(cy+y)*dst.Stride:]
			for x := 0; x < 28*cellScale; x++ {
				g := px[(y/cellScale)*28+x/cellScale]
				o := 4 * (cx + x)
				row[o], row[o+1], row[o+2], row[o+3] = g, g, g, 255
			}
		}
		label, c := candidateLook(results[i], digits, &digit)
		label += " " + strconv.FormatFloat(float64(results[i].Confidence), 'f', 2, 32)
		overlay.Text(dst, cx, cy+28*cellScale+3, label, 1, c, color.RGBA{24, 24, 28, 255})
	}
	return dst
}
