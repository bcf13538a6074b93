//go:build linux

package camera

import (
	"errors"
	"fmt"
	"image"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/blackjack/webcam"
	"periph.io/x/conn/v3/physic"
)

// V4L2 pixel formats (fourcc codes, little-endian).
const (
	fourccYUYV = webcam.PixelFormat('Y' | 'U'<<8 | 'Y'<<16 | 'V'<<24)
	fourccMJPG = webcam.PixelFormat('M' | 'J'<<8 | 'P'<<16 | 'G'<<24)
	fourccJPEG = webcam.PixelFormat('J' | 'P'<<8 | 'E'<<16 | 'G'<<24)
)

// pollSlice is how long one poll for a frame lasts, so that Halt and Close
// are noticed promptly.
const pollSlice = 100 // ms

// Webcam is a Source reading a USB webcam (any V4L2 capture device) with
// github.com/blackjack/webcam.
//
// Halt stops streaming (a blocked Capture returns ErrHalted within 100 ms);
// the next Capture starts it again. If the device goes away, Capture returns
// an *ExitError matching ErrDisconnected and the next Capture opens the
// device again.
type Webcam struct {
	dev    string
	o      WebcamOpts
	format WebcamFormat
	fourcc webcam.PixelFormat
	device
	timeout time.Duration

	// intr.capMu serialises Capture, Halt's and Close's device work, and
	// guards these.
	cam       *webcam.Webcam
	streaming bool
	frames    int
	mjpeg     mjpegDecoder

	intr *interrupts
}

// NewWebcam opens a webcam and sets its format; streaming starts with the
// first Capture.
func NewWebcam(o *WebcamOpts) (*Webcam, error) {
	if o == nil {
		o = &WebcamOpts{}
	}
	c := &Webcam{o: *o, intr: newInterrupts(), timeout: o.Timeout}
	if c.timeout <= 0 {
		c.timeout = 5 * time.Second
	}
	if c.o.Width == 0 && c.o.Height == 0 {
		c.o.Width, c.o.Height = 640, 480
	}
	if c.o.Width <= 0 || c.o.Height <= 0 {
		return nil, fmt.Errorf("camera: bad webcam frame size %dx%d", c.o.Width, c.o.Height)
	}
	if c.o.Buffers <= 0 {
		c.o.Buffers = 4
	}
	devs := []string{o.Device}
	if o.Device == "" {
		devs = videoDevices()
		if len(devs) == 0 {
			return nil, fmt.Errorf("%w: no /dev/video* device", errNoCamera)
		}
	}
	var errs []error
	for _, d := range devs {
		err := c.open(d)
		if err == nil {
			c.dev = d
			c.name = fmt.Sprintf("%s %dx%d %s", d, c.w, c.h, c.format)
			return c, nil
		}
		errs = append(errs, err)
	}
	return nil, errors.Join(errs...)
}

// videoDevices lists /dev/video* in numeric order.
func videoDevices() []string {
	devs, _ := filepath.Glob("/dev/video*")
	num := func(s string) int {
		n, _ := strconv.Atoi(strings.TrimPrefix(s, "/dev/video"))
		return n
	}
	sort.Slice(devs, func(i, j int) bool { return num(devs[i]) < num(devs[j]) })
	return devs
}

// open opens dev and sets its format and rate.
func (c *Webcam) open(dev string) error {
	cam, err := webcam.Open(dev)
	if err != nil {
		return fmt.Errorf("camera: %s: %w", dev, err)
	}
	if err := c.configure(cam, dev); err != nil {
		cam.Close()
		return err
	}
	c.cam = cam
	return nil
}

func (c *Webcam) configure(cam *webcam.Webcam, dev string) error {
	formats := cam.GetSupportedFormats()
	var pick []webcam.PixelFormat
	switch c.o.Format {
	case WebcamAuto:
		pick = []webcam.PixelFormat{fourccYUYV, fourccMJPG, fourccJPEG}
	case WebcamYUYV:
		pick = []webcam.PixelFormat{fourccYUYV}
	case WebcamMJPEG:
		pick = []webcam.PixelFormat{fourccMJPG, fourccJPEG}
	default:
		return fmt.Errorf("camera: unknown webcam format %q (yuyv or mjpeg)", c.o.Format)
	}
	var f webcam.PixelFormat
	for _, p := range pick {
		if _, ok := formats[p]; ok {
			f = p
			break
		}
	}
	if f == 0 {
		var have []string
		for _, d := range formats {
			have = append(have, d)
		}
		sort.Strings(have)
		return fmt.Errorf("camera: %s offers neither YUYV nor MJPEG as asked (it has: %s)", dev, strings.Join(have, ", "))
	}
	w, h := nearestSize(cam.GetSupportedFrameSizes(f), c.o.Width, c.o.Height)
	// The library returns the size asked for rather than the driver's: the
	// size is checked again on every frame.
	if _, _, _, err := cam.SetImageFormat(f, uint32(w), uint32(h)); err != nil {
		return fmt.Errorf("camera: %s: setting %dx%d: %w", dev, w, h, err)
	}
	if err := cam.SetBufferCount(uint32(c.o.Buffers)); err != nil {
		return fmt.Errorf("camera: %s: %w", dev, err)
	}
	c.rate = c.o.FrameRate
	if c.rate > 0 {
		if err := cam.SetFramerate(float32(float64(c.rate) / float64(physic.Hertz))); err != nil {
			c.rate = 0
		}
	}
	if c.rate == 0 {
		if fps, err := cam.GetFramerate(); err == nil && fps > 0 {
			c.rate = physic.Frequency(float64(fps) * float64(physic.Hertz))
		}
	}
	c.fourcc, c.w, c.h = f, w, h
	c.format = WebcamYUYV
	if f != fourccYUYV {
		c.format = WebcamMJPEG
	}
	return nil
}

// nearestSize returns the listed discrete size closest to w×h, or w×h when
// the webcam lists ranges or nothing.
func nearestSize(sizes []webcam.FrameSize, w, h int) (int, int) {
	bw, bh, best := w, h, -1
	for _, s := range sizes {
		if s.StepWidth != 0 || s.StepHeight != 0 || s.MinWidth != s.MaxWidth {
			if uint32(w) >= s.MinWidth && uint32(w) <= s.MaxWidth && uint32(h) >= s.MinHeight && uint32(h) <= s.MaxHeight {
				return w, h
			}
			continue
		}
		dw, dh := int(s.MaxWidth)-w, int(s.MaxHeight)-h
		if d := dw*dw + dh*dh; best < 0 || d < best {
			bw, bh, best = int(s.MaxWidth), int(s.MaxHeight), d
		}
	}
	return bw, bh
}

// Format returns the pixel format in use.
func (c *Webcam) Format() WebcamFormat {
	return c.format
}

// Capture implements Source.
func (c *Webcam) Capture(dst *image.YCbCr) error {
	halt, err := c.intr.beginCapture(dst, c.w, c.h)
	if err != nil {
		return err
	}
	defer c.intr.capMu.Unlock()
	if c.cam == nil { // Gone; try again.
		if err := c.open(c.dev); err != nil {
			return fmt.Errorf("%w (reopening: %s)", ErrDisconnected, strings.TrimPrefix(err.Error(), "camera: "))
		}
	}
	if !c.streaming {
		if err := c.cam.StartStreaming(); err != nil {
			return c.gone(fmt.Errorf("start streaming: %w", err))
		}
		c.streaming = true
	}
	deadline := time.Now().Add(c.timeout)
	for {
		select {
		case <-halt:
			return ErrHalted
		case <-c.intr.done:
			return ErrClosed
		default:
		}
		err := c.cam.WaitForFrame(pollSlice)
		var te *webcam.Timeout
		switch {
		case errors.As(err, &te):
			if time.Now().After(deadline) {
				return c.gone(fmt.Errorf("no frame for %v", c.timeout))
			}
			continue
		case errors.Is(err, syscall.EINTR):
			continue
		case err != nil:
			return c.gone(err)
		}
		buf, index, err := c.cam.GetFrame()
		if errors.Is(err, syscall.EAGAIN) {
			continue
		}
		if err != nil {
			return c.gone(err)
		}
		err = c.convert(dst, buf)
		if rerr := c.cam.ReleaseFrame(index); rerr != nil && err == nil {
			err = c.gone(rerr)
		}
		if err == nil {
			c.frames++
		}
		return err
	}
}

// convert fills dst from one driver buffer.
func (c *Webcam) convert(dst *image.YCbCr, buf []byte) error {
	if c.fourcc != fourccYUYV {
		return c.mjpeg.decode(dst, buf)
	}
	if c.w%2 != 0 {
		return fmt.Errorf("camera: %s: a YUYV frame of odd width %d", c.dev, c.w)
	}
	stride := 2 * c.w
	if len(buf) < stride*c.h {
		return fmt.Errorf("%w: %s sent %d bytes, a %dx%d YUYV frame needs %d", ErrSize, c.dev, len(buf), c.w, c.h, stride*c.h)
	}
	if s := len(buf) / c.h; s > stride && len(buf)%c.h == 0 {
		stride = s // Padded rows.
	}
	yuyvToFrame(dst, buf, stride, c.w, c.h)
	return nil
}

// gone closes the device after an error; ENODEV and friends mean it was
// unplugged. The next Capture opens it again.
func (c *Webcam) gone(err error) error {
	if c.streaming {
		c.cam.StopStreaming()
		c.streaming = false
	}
	c.cam.Close()
	c.cam = nil
	return &ExitError{Prog: c.dev, Frames: c.frames, Err: err}
}

// Halt implements conn.Resource: it stops streaming.
func (c *Webcam) Halt() error {
	c.intr.halt()
	c.intr.capMu.Lock()
	defer c.intr.capMu.Unlock()
	if c.cam != nil && c.streaming {
		c.streaming = false
		if err := c.cam.StopStreaming(); err != nil {
			return fmt.Errorf("camera: %s: %w", c.dev, err)
		}
	}
	return nil
}

// Close implements io.Closer.
func (c *Webcam) Close() error {
	if !c.intr.closeCapture() {
		return nil
	}
	defer c.intr.capMu.Unlock()
	if c.cam == nil {
		return nil
	}
	err := c.cam.Close() // Stops streaming too.
	c.cam = nil
	if err != nil {
		return fmt.Errorf("camera: %s: %w", c.dev, err)
	}
	return nil
}
