package camera

import (
	"fmt"
	"image"
	"io"
)

// RPiCamStride returns the Y row stride, in bytes, of the I420 frames that
// rpicam-vid writes for the given width: the width rounded up to a multiple
// of 64.
//
// The Raspberry Pi ISP driver (bcm2835-isp) aligns the luma stride of 3-plane
// YUV420 buffers to 64 bytes so that both chroma planes, whose stride is half
// of it, start 32-byte aligned, and rpicam-vid writes whole buffers, padding
// included. A 640-pixel row therefore takes 640 bytes but a 780-pixel row
// takes 832. Widths that are multiples of 64 carry no padding, which is why
// they are the safest choice; where another camera stack pads differently,
// give the stride explicitly (RPiCamOpts.Stride, or stride= in Open).
func RPiCamStride(width int) int {
	return (width + 63) &^ 63
}

// i420Layout describes one planar YUV 4:2:0 frame: a Y plane of h rows of
// stride bytes (w of them used), then U and V planes of (h+1)/2 rows of
// (stride+1)/2 bytes each. With stride == w this is the packed I420 layout of
// ffmpeg's yuv420p.
type i420Layout struct {
	w, h, stride int
}

// maxDim bounds frame widths, heights and strides, so that a corrupt header
// cannot ask for an absurd allocation.
const maxDim = 16384

func newI420Layout(w, h, stride int) (i420Layout, error) {
	if w <= 0 || h <= 0 || w > maxDim || h > maxDim {
		return i420Layout{}, fmt.Errorf("camera: bad I420 frame size %dx%d", w, h)
	}
	if stride == 0 {
		stride = w
	}
	if stride > 2*maxDim {
		return i420Layout{}, fmt.Errorf("camera: I420 stride %d is too large", stride)
	}
	if stride < w {
		return i420Layout{}, fmt.Errorf("camera: I420 stride %d is less than the width %d", stride, w)
	}
	return i420Layout{w: w, h: h, stride: stride}, nil
}

// ySize is the size in bytes of the Y plane, padding included.
func (l i420Layout) ySize() int { return l.stride * l.h }

// chromaSize is the size in bytes of the U and V planes together.
func (l i420Layout) chromaSize() int { return 2 * ((l.stride + 1) / 2) * ((l.h + 1) / 2) }

// frameSize is the size in bytes of one frame.
func (l i420Layout) frameSize() int { return l.ySize() + l.chromaSize() }

// copyTo copies the frame in buf, laid out as l says, into dst, a checked
// frame of l's size.
func (l i420Layout) copyTo(dst *image.YCbCr, buf []byte) {
	cw, ch := chromaSize(l.w, l.h)
	cs := (l.stride + 1) / 2
	u := buf[l.ySize():]
	v := u[cs*ch:]
	copyPlane(dst.Y, dst.YStride, buf, l.stride, l.w, l.h)
	copyPlane(dst.Cb, dst.CStride, u, cs, cw, ch)
	copyPlane(dst.Cr, dst.CStride, v, cs, cw, ch)
}

// I420Writer writes frames as a raw, packed I420 stream (ffmpeg's rawvideo
// yuv420p): for each frame the Y plane, then the U (Cb) and V (Cr) planes.
// Read such a stream back with NewI420 or Open("file.i420:WxH").
type I420Writer struct {
	w   io.Writer
	lay i420Layout
}

// NewI420Writer returns a writer of width×height frames to w.
func NewI420Writer(w io.Writer, width, height int) (*I420Writer, error) {
	l, err := newI420Layout(width, height, width)
	if err != nil {
		return nil, err
	}
	return &I420Writer{w: w, lay: l}, nil
}

// WriteFrame writes one frame, whose size must be the writer's. It
// allocates nothing.
func (iw *I420Writer) WriteFrame(f *image.YCbCr) error {
	return writeFrame(iw.w, f, iw.lay.w, iw.lay.h)
}

// WriteI420 writes frames, which must all have the size of the first, to w
// as a raw packed I420 stream.
func WriteI420(w io.Writer, frames []*image.YCbCr) error {
	return writeAll(frames, func(width, height int) (frameWriter, error) {
		return NewI420Writer(w, width, height)
	})
}

// frameWriter is I420Writer or Y4MWriter.
type frameWriter interface {
	WriteFrame(f *image.YCbCr) error
}

// writeAll writes frames, which must all have the size of the first, with
// the writer that open returns for that size.
func writeAll(frames []*image.YCbCr, open func(width, height int) (frameWriter, error)) error {
	if len(frames) == 0 {
		return errNoFrames
	}
	if frames[0] == nil {
		return errNilFrame
	}
	sz := frames[0].Rect.Size()
	fw, err := open(sz.X, sz.Y)
	if err != nil {
		return err
	}
	for _, f := range frames {
		if err := fw.WriteFrame(f); err != nil {
			return err
		}
	}
	return nil
}

// writeFrame writes the planes of f, a width×height frame, packed: Y, Cb,
// Cr.
func writeFrame(w io.Writer, f *image.YCbCr, width, height int) error {
	if err := checkDst(f, width, height); err != nil {
		return err
	}
	cw, ch := chromaSize(width, height)
	if err := writePlane(w, f.Y, f.YStride, width, height); err != nil {
		return err
	}
	if err := writePlane(w, f.Cb, f.CStride, cw, ch); err != nil {
		return err
	}
	return writePlane(w, f.Cr, f.CStride, cw, ch)
}

// writePlane writes a w×h plane whose rows are stride bytes apart.
func writePlane(w io.Writer, p []byte, stride, width, height int) error {
	if stride == width {
		_, err := w.Write(p[:width*height])
		return err
	}
	for y := 0; y < height; y++ {
		if _, err := w.Write(p[y*stride : y*stride+width]); err != nil {
			return err
		}
	}
	return nil
}
