package camera

import (
	"errors"
	"image"
	"io"

	"periph.io/x/conn/v3"
	"periph.io/x/conn/v3/physic"
)

// Source is a camera, or anything that delivers frames like one.
//
// String and Halt come from conn.Resource. Halt stops the source (the camera
// program, the stream, a pacing wait): a Capture blocked at that moment
// returns an error matching ErrHalted, and the next Capture starts the source
// again.
//
// Capture fills dst, a 4:2:0 frame (see NewFrame) whose size must equal
// Bounds().Size(), with the next frame. It blocks until a frame is
// available and allocates nothing in steady state. When it returns an
// error, the content of dst is unspecified.
// Capture is meant for one consumer goroutine; Halt, String and the Close of
// a SourceCloser may be called from any goroutine, also while Capture blocks.
type Source interface {
	conn.Resource
	// Bounds returns the size of the frames, with its origin at (0, 0).
	Bounds() image.Rectangle
	// Capture fills dst with the next frame.
	Capture(dst *image.YCbCr) error
}

// SourceCloser is a Source that holds resources (a device, a child process,
// a file) which Close releases. After Close, Capture returns ErrClosed.
//
// Only the code that opened the source should hold a SourceCloser; the code
// that consumes frames takes a Source.
type SourceCloser interface {
	io.Closer
	Source
}

// FrameRater is implemented by sources that deliver frames at a set rate.
//
// A rate of 0 means the source delivers frames as fast as it is asked.
type FrameRater interface {
	FrameRate() physic.Frequency
}

// device describes the frames of a camera, RPiCam or Webcam, for the
// methods that report them: String (conn.Resource), Bounds (Source) and
// FrameRate (FrameRater: the rate asked of rpicam-vid, or a webcam driver's,
// 0 if unknown).
type device struct {
	name string
	w, h int
	rate physic.Frequency
}

// String implements conn.Resource.
func (d *device) String() string {
	return d.name
}

// Bounds implements Source.
func (d *device) Bounds() image.Rectangle {
	return image.Rect(0, 0, d.w, d.h)
}

// FrameRate implements FrameRater.
func (d *device) FrameRate() physic.Frequency {
	return d.rate
}

var (
	// ErrClosed is returned by Capture after Close.
	ErrClosed = errors.New("camera: source closed")
	// ErrHalted is returned (possibly wrapped) by a Capture that Halt
	// interrupted. The next Capture resumes the source.
	ErrHalted = errors.New("camera: source halted")
	// ErrDisconnected is matched (errors.Is) by errors that mean the camera
	// went away: the camera program died or stalled, the device was
	// unplugged. The next Capture tries to start it again.
	ErrDisconnected = errors.New("camera: camera went away")
	// ErrSize is matched by the error of a Capture whose destination does not
	// have the size of the source's frames, and of a recording whose frames
	// change size. Frames are never scaled.
	ErrSize = errors.New("camera: frame size mismatch")
)

var (
	errNoFrames = errors.New("camera: recording has no frames")
	errNilFrame = errors.New("camera: nil frame")
	errNoCamera = errors.New("camera: no camera found")
	errNotLoop  = errors.New("camera: cannot loop a stream that cannot seek")
	errEmptyDir = errors.New("camera: no .png or .jpg files in folder")
)
