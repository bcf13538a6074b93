// Package overlay draws on copies of frames, for the images that show what
// was read: read --debug's, the preview's, the tests' debug images.
package overlay

import (
	"image"
	"image/color"
	"image/draw"
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
