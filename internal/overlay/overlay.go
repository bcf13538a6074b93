// Package overlay draws on copies of frames, for the images that show what
// was read: read --debug's, the preview's, the tests' debug images; and
// writes text in one fixed font, for those and the dashboard's grid of
// digits.
package overlay

import (
	"image"
	"image/color"
	"image/draw"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

// RGBA returns a copy of img to draw on, with img's bounds.
func RGBA(img image.Image) *image.RGBA {
	b := img.Bounds()
	dst := image.NewRGBA(b)
	draw.Draw(dst, b, img, b.Min, draw.Src)
	return dst
}

// Box draws the outline of r, t pixels thick inside r, clipped to dst.
func Box(dst *image.RGBA, r image.Rectangle, t int, c color.Color) {
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

// Text writes s with its top-left corner at (x, y) in the 7x13 fixed font
// magnified scale times, on a bg box one pixel wider all round (drawn
// over: a transparent bg leaves dst as it was), clipped to dst. A y above
// the image is moved down to 0, so that a label over a box at the top
// stays in sight.
func Text(dst *image.RGBA, x, y int, s string, scale int, fg, bg color.RGBA) {
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
