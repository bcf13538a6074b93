//go:build !linux

package camera

import (
	"errors"
	"image"

	"periph.io/x/conn/v3/physic"
)

var errNoV4L2 = errors.New("camera: USB webcams are read through V4L2, which only Linux has")

// Webcam is a Source reading a USB webcam through V4L2. On this system it
// cannot be opened: NewWebcam returns an error.
type Webcam struct{}

// NewWebcam returns an error: V4L2 needs Linux.
func NewWebcam(o *WebcamOpts) (*Webcam, error) {
	return nil, errNoV4L2
}

// String implements conn.Resource.
func (c *Webcam) String() string { return "webcam" }

// Bounds implements Source.
func (c *Webcam) Bounds() image.Rectangle { return image.Rectangle{} }

// FrameRate implements FrameRater.
func (c *Webcam) FrameRate() physic.Frequency { return 0 }

// Format returns the pixel format in use.
func (c *Webcam) Format() WebcamFormat { return WebcamAuto }

// Capture implements Source.
func (c *Webcam) Capture(dst *image.YCbCr) error { return errNoV4L2 }

// Halt implements conn.Resource.
func (c *Webcam) Halt() error { return nil }

// Close implements io.Closer.
func (c *Webcam) Close() error { return nil }
