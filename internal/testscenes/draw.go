package testscenes

import (
	"image"
	"math"
)

// Ring draws on g, at grey level ink, the ellipse that fills r, its stroke
// the band of normalised radius [1-band, 1] (band 0.2: a fifth of each
// half-axis), left open between the angles a0 and a1 in degrees,
// counter-clockwise from its right end (a0 == a1: closed): a 0, a C, a
// wide 0 open where its stroke is faint.
func Ring(g *image.Gray, r image.Rectangle, band float64, ink uint8, a0, a1 float64) {
	cx := float64(r.Min.X) + float64(r.Dx())/2
	cy := float64(r.Min.Y) + float64(r.Dy())/2
	rx, ry := float64(r.Dx())/2, float64(r.Dy())/2
	r = r.Intersect(g.Rect)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			dx, dy := (float64(x)+0.5-cx)/rx, (float64(y)+0.5-cy)/ry
			rho := math.Hypot(dx, dy)
			a := math.Atan2(-dy, dx) * 180 / math.Pi
			if rho <= 1 && rho >= 1-band && !(a >= a0 && a < a1) {
				g.Pix[g.PixOffset(x, y)] = ink
			}
		}
	}
}
