package camera

import (
	"image"
	"time"

	"periph.io/x/conn/v3/physic"
)

// WebcamFormat is the pixel format asked of a V4L2 webcam.
type WebcamFormat string

const (
	// WebcamAuto picks YUYV if the webcam offers it, else MJPEG.
	WebcamAuto WebcamFormat = ""
	// WebcamYUYV is packed YUV 4:2:2 (Y0 U Y1 V); the grey frame is every
	// other byte. Capture allocates nothing.
	WebcamYUYV WebcamFormat = "yuyv"
	// WebcamMJPEG is a JPEG per frame, which webcams offer at sizes and
	// rates their USB bandwidth cannot carry in YUYV. Decoding uses
	// image/jpeg, which allocates its decoder state and a YCbCr image per
	// frame (about 1.5 bytes per pixel plus a few kB): garbage the collector
	// reclaims, bounded per frame but not zero.
	WebcamMJPEG WebcamFormat = "mjpeg"
)

// WebcamOpts configures a Webcam.
type WebcamOpts struct {
	// Device is the V4L2 device, e.g. "/dev/video0"; "" opens the first
	// /dev/video* that can capture.
	Device string
	// Width and Height are the frame size asked for; 0 means 640x480. If the
	// webcam lists fixed sizes and this is not one of them, the nearest one
	// is used: Bounds reports the size in use.
	Width, Height int
	// FrameRate asks the driver for a rate; 0 keeps the driver's default.
	FrameRate physic.Frequency
	// Format is the pixel format; WebcamAuto by default.
	Format WebcamFormat
	// Timeout bounds the wait for a frame; 0 means 5 s.
	Timeout time.Duration
	// Buffers is the number of driver buffers; 0 means 4.
	Buffers int
}

// yuyvToGray copies the Y samples of a w×h YUYV frame whose rows are stride
// bytes apart into dst.
func yuyvToGray(dst *image.Gray, buf []byte, stride, w, h int) {
	for y := 0; y < h; y++ {
		src := buf[y*stride : y*stride+2*w]
		row := dst.Pix[y*dst.Stride : y*dst.Stride+w]
		for x := range row {
			row[x] = src[2*x]
		}
	}
}
