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
	// WebcamYUYV is packed YUV 4:2:2 (Y0 U Y1 V): the Y plane is every
	// other byte, and each 4:2:0 chroma sample the mean of the U (or V)
	// samples of two rows. Capture allocates nothing.
	WebcamYUYV WebcamFormat = "yuyv"
	// WebcamMJPEG is a JPEG per frame, which webcams offer at sizes and
	// rates their USB bandwidth cannot carry in YUYV. Frames are decoded
	// straight into the caller's frame (camera/internal/jpeg420), and
	// Capture allocates nothing once the first frame is decoded.
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

// yuyvToFrame converts a w×h YUYV frame whose rows are stride bytes apart
// into dst, a checked 4:2:0 frame: Y as it is, each chroma sample the
// rounded mean of the samples of rows 2y and 2y+1 (the last row of an odd
// height counts twice). The width is even: YUYV pairs pixels.
func yuyvToFrame(dst *image.YCbCr, buf []byte, stride, w, h int) {
	for y := 0; y < h; y++ {
		src := buf[y*stride : y*stride+2*w]
		row := dst.Y[y*dst.YStride : y*dst.YStride+w]
		for x := range row {
			row[x] = src[2*x]
		}
	}
	cw, ch := chromaSize(w, h)
	for y := 0; y < ch; y++ {
		a := buf[2*y*stride : 2*y*stride+4*cw]
		b := a
		if 2*y+1 < h {
			b = buf[(2*y+1)*stride : (2*y+1)*stride+4*cw]
		}
		cb := dst.Cb[y*dst.CStride : y*dst.CStride+cw]
		cr := dst.Cr[y*dst.CStride : y*dst.CStride+cw]
		for x := range cb {
			cb[x] = uint8((int(a[4*x+1]) + int(b[4*x+1]) + 1) >> 1)
			cr[x] = uint8((int(a[4*x+3]) + int(b[4*x+3]) + 1) >> 1)
		}
	}
}
