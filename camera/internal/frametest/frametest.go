// Package frametest helps the tests of package camera and its decoders
// check what they write into 4:2:0 frames.
package frametest

import (
	"fmt"
	"image"
)

// guard is the value of the samples around a guarded frame.
const guard = 0x55

// Guarded returns a w×h 4:2:0 frame inside a larger one whose samples are
// all 0x55, at an even offset and with strides that exceed its width, and
// a function that describes the first sample written outside it, or
// returns "". Assembly-free code can still store out of its bounds; this
// catches an off-by-one in a store loop.
func Guarded(w, h int) (*image.YCbCr, func() string) {
	big := image.NewYCbCr(image.Rect(0, 0, w+13, h+7), image.YCbCrSubsampleRatio420)
	for _, p := range [][]byte{big.Y, big.Cb, big.Cr} {
		for i := range p {
			p[i] = guard
		}
	}
	r := image.Rect(6, 4, 6+w, 4+h)
	dst := big.SubImage(r).(*image.YCbCr)
	return dst, func() string {
		for y := 0; y < big.Rect.Dy(); y++ {
			for x := 0; x < big.Rect.Dx(); x++ {
				if !(image.Point{x, y}).In(r) && big.Y[big.YOffset(x, y)] != guard {
					return fmt.Sprintf("guard Y sample (%d, %d) written", x, y)
				}
			}
		}
		cr := image.Rect(r.Min.X/2, r.Min.Y/2, (r.Max.X+1)/2, (r.Max.Y+1)/2)
		for y := 0; y < (big.Rect.Dy()+1)/2; y++ {
			for x := 0; x < (big.Rect.Dx()+1)/2; x++ {
				i := y*big.CStride + x
				if !(image.Point{x, y}).In(cr) && (big.Cb[i] != guard || big.Cr[i] != guard) {
					return fmt.Sprintf("guard chroma sample (%d, %d) written", x, y)
				}
			}
		}
		return ""
	}
}

// Plane is one plane of a 4:2:0 frame: its samples, the stride of their
// rows and its size in samples.
type Plane struct {
	Name   string // "Y", "Cb" or "Cr"
	Pix    []byte
	Stride int
	W, H   int
}

// At returns the sample at (x, y).
func (p Plane) At(x, y int) byte { return p.Pix[y*p.Stride+x] }

// Planes returns the planes of f, a 4:2:0 frame: Y, Cb, Cr.
func Planes(f *image.YCbCr) [3]Plane {
	w, h := f.Rect.Dx(), f.Rect.Dy()
	cw, ch := (w+1)/2, (h+1)/2
	return [3]Plane{
		{"Y", f.Y, f.YStride, w, h},
		{"Cb", f.Cb, f.CStride, cw, ch},
		{"Cr", f.Cr, f.CStride, cw, ch},
	}
}

// MaxDiff returns the largest difference between the samples of a and b,
// 4:2:0 frames of one size, the plane and where it is.
func MaxDiff(a, b *image.YCbCr) (d int, plane string, x, y int) {
	pb := Planes(b)
	for i, pa := range Planes(a) {
		for yy := range pa.H {
			for xx := range pa.W {
				v := int(pa.At(xx, yy)) - int(pb[i].At(xx, yy))
				if v < 0 {
					v = -v
				}
				if v > d {
					d, plane, x, y = v, pa.Name, xx, yy
				}
			}
		}
	}
	return d, plane, x, y
}
