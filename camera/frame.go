package camera

import (
	"errors"
	"fmt"
	"image"
)

var errFrame = errors.New("camera: a frame must be an *image.YCbCr with 4:2:0 subsampling, an origin of even coordinates and planes that hold it")

// NewFrame returns a frame with the size of s's frames, to pass to Capture.
func NewFrame(s Source) *image.YCbCr {
	return newFrame(s.Bounds().Dx(), s.Bounds().Dy())
}

func newFrame(w, h int) *image.YCbCr {
	return image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
}

// chromaSize returns the size of the chroma planes of a w×h 4:2:0 frame.
func chromaSize(w, h int) (cw, ch int) {
	return (w + 1) / 2, (h + 1) / 2
}

// checkFrame verifies that f is a frame as the package documentation
// defines it, of any size.
func checkFrame(f *image.YCbCr) error {
	if f == nil {
		return errNilFrame
	}
	w, h := f.Rect.Dx(), f.Rect.Dy()
	cw, ch := chromaSize(w, h)
	if f.SubsampleRatio != image.YCbCrSubsampleRatio420 || f.Rect.Min.X&1 != 0 || f.Rect.Min.Y&1 != 0 ||
		w < 0 || h < 0 || f.YStride < w || f.CStride < cw ||
		w > 0 && h > 0 && (len(f.Y) < (h-1)*f.YStride+w || len(f.Cb) < (ch-1)*f.CStride+cw || len(f.Cr) < (ch-1)*f.CStride+cw) {
		return errFrame
	}
	return nil
}

// checkDst verifies that dst is a frame that can receive a w×h frame.
func checkDst(dst *image.YCbCr, w, h int) error {
	if err := checkFrame(dst); err != nil {
		return err
	}
	if dst.Rect.Dx() != w || dst.Rect.Dy() != h {
		return sizeError(w, h, dst.Rect.Dx(), dst.Rect.Dy())
	}
	return nil
}

func sizeError(w, h, dw, dh int) error {
	return fmt.Errorf("%w: frame is %dx%d, destination is %dx%d", ErrSize, w, h, dw, dh)
}

// CopyFrame copies the frame src into the frame dst, which must have its
// size. It allocates nothing.
func CopyFrame(dst, src *image.YCbCr) error {
	if err := checkFrame(src); err != nil {
		return err
	}
	w, h := src.Rect.Dx(), src.Rect.Dy()
	if err := checkDst(dst, w, h); err != nil {
		return err
	}
	copyFrame(dst, src)
	return nil
}

// copyFrame copies src into dst, both checked frames of one size.
func copyFrame(dst, src *image.YCbCr) {
	w, h := src.Rect.Dx(), src.Rect.Dy()
	cw, ch := chromaSize(w, h)
	copyPlane(dst.Y, dst.YStride, src.Y, src.YStride, w, h)
	copyPlane(dst.Cb, dst.CStride, src.Cb, src.CStride, cw, ch)
	copyPlane(dst.Cr, dst.CStride, src.Cr, src.CStride, cw, ch)
}

// copyPlane copies a w×h plane of 8-bit samples whose rows are stride bytes
// apart into dst, whose rows are dstStride bytes apart.
func copyPlane(dst []byte, dstStride int, src []byte, stride, w, h int) {
	if dstStride == w && stride == w {
		copy(dst[:w*h], src[:w*h])
		return
	}
	for y := 0; y < h; y++ {
		copy(dst[y*dstStride:y*dstStride+w], src[y*stride:y*stride+w])
	}
}

// fillChroma sets both chroma planes of the checked frame f to 128, the
// neutral chroma of a grey picture.
func fillChroma(f *image.YCbCr) {
	cw, ch := chromaSize(f.Rect.Dx(), f.Rect.Dy())
	for _, p := range [2][]byte{f.Cb, f.Cr} {
		for y := 0; y < ch; y++ {
			row := p[y*f.CStride : y*f.CStride+cw]
			for i := range row {
				row[i] = 128
			}
		}
	}
}
