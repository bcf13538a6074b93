package camera

import (
	"bytes"
	"fmt"
	"image"
	"io"
	"strconv"
	"strings"

	"periph.io/x/conn/v3/physic"
)

// y4mMagic starts every YUV4MPEG2 stream.
const y4mMagic = "YUV4MPEG2"

// y4mHeader is the part of a YUV4MPEG2 stream header that matters here.
type y4mHeader struct {
	w, h   int
	rate   physic.Frequency // 0 when the header gives none
	chroma string           // the C parameter, "" when absent (420jpeg)
	// extra is the number of bytes that follow the Y plane in each frame.
	extra int
}

// parseY4MHeader parses the stream header line, without its final newline:
//
//	YUV4MPEG2 W640 H480 F30:1 Ip A1:1 C420jpeg XYSCSS=420JPEG
//
// W and H are required (at most 16384). F is n:d frames per second. C is the sampling: any
// 420 variant (420, 420jpeg, 420mpeg2, 420paldv; the default), 422, 444,
// 444alpha or mono, all at 8 bits. I, A and X parameters are accepted and
// ignored; other letters are an error.
func parseY4MHeader(line []byte) (y4mHeader, error) {
	var h y4mHeader
	fields := bytes.Fields(line)
	if len(fields) == 0 || string(fields[0]) != y4mMagic {
		return h, fmt.Errorf("camera: not a YUV4MPEG2 stream")
	}
	for _, f := range fields[1:] {
		v := string(f[1:])
		switch f[0] {
		case 'W':
			n, err := strconv.Atoi(v)
			if err != nil || n <= 0 || n > maxDim {
				return h, fmt.Errorf("camera: y4m: bad width %q", v)
			}
			h.w = n
		case 'H':
			n, err := strconv.Atoi(v)
			if err != nil || n <= 0 || n > maxDim {
				return h, fmt.Errorf("camera: y4m: bad height %q", v)
			}
			h.h = n
		case 'F':
			r, err := parseRatio(v)
			if err != nil {
				return h, fmt.Errorf("camera: y4m: bad frame rate %q", v)
			}
			h.rate = r
		case 'C':
			h.chroma = v
		case 'I', 'A', 'X':
		default:
			return h, fmt.Errorf("camera: y4m: unknown header parameter %q", f)
		}
	}
	if h.w == 0 || h.h == 0 {
		return h, fmt.Errorf("camera: y4m: header without W and H")
	}
	cw, ch := (h.w+1)/2, (h.h+1)/2
	switch h.chroma {
	case "", "420", "420jpeg", "420mpeg2", "420paldv":
		h.extra = 2 * cw * ch
	case "422":
		h.extra = 2 * cw * h.h
	case "444":
		h.extra = 2 * h.w * h.h
	case "444alpha":
		h.extra = 3 * h.w * h.h
	case "mono":
		h.extra = 0
	default:
		return h, fmt.Errorf("camera: y4m: unsupported colour space C%s (8-bit 420, 422, 444 and mono only)", h.chroma)
	}
	return h, nil
}

// parseRatio parses "n:d" (or "n") frames per second; "0:0" means unknown
// and gives 0.
func parseRatio(s string) (physic.Frequency, error) {
	if s == "0:0" {
		return 0, nil
	}
	n, d, ok := strings.Cut(s, ":")
	if !ok {
		d = "1"
	}
	num, err := strconv.ParseInt(n, 10, 64)
	if err != nil || num < 0 {
		return 0, fmt.Errorf("bad ratio")
	}
	den, err := strconv.ParseInt(d, 10, 64)
	if err != nil || den <= 0 {
		return 0, fmt.Errorf("bad ratio")
	}
	return physic.Frequency(num * int64(physic.Hertz) / den), nil
}

// formatRatio writes a frequency as the n:d of a Y4M F parameter.
func formatRatio(f physic.Frequency) string {
	const hz = int64(physic.Hertz)
	if int64(f)%hz == 0 {
		return strconv.FormatInt(int64(f)/hz, 10) + ":1"
	}
	// Micro-hertz resolution: n:1000000, reduced.
	n, d := int64(f), hz
	a, b := n, d
	for b != 0 {
		a, b = b, a%b
	}
	n, d = n/a, d/a
	return strconv.FormatInt(n, 10) + ":" + strconv.FormatInt(d, 10)
}

// Y4MWriter writes grey frames as a YUV4MPEG2 stream: the header
// "YUV4MPEG2 W.. H.. F..:.. Ip A1:1 C420jpeg", then for each frame "FRAME\n",
// the Y plane (the grey image) and U and V planes filled with 128. ffmpeg,
// mpv and Open read it back.
type Y4MWriter struct {
	w       io.Writer
	width   int
	height  int
	chroma  []byte
	started bool
	header  string
}

// NewY4MWriter returns a writer of width×height frames at rate (0 writes
// F0:0, "unknown", which readers treat as they like) to w. The header is
// written with the first frame.
func NewY4MWriter(w io.Writer, width, height int, rate physic.Frequency) (*Y4MWriter, error) {
	l, err := newI420Layout(width, height, width)
	if err != nil {
		return nil, err
	}
	f := "0:0"
	if rate > 0 {
		f = formatRatio(rate)
	}
	return &Y4MWriter{
		w:      w,
		width:  width,
		height: height,
		chroma: neutralChroma(l.chromaSize()),
		header: fmt.Sprintf("%s W%d H%d F%s Ip A1:1 C420jpeg\n", y4mMagic, width, height, f),
	}, nil
}

var y4mFrameHeader = []byte("FRAME\n")

// WriteFrame writes one frame, whose size must be the writer's.
func (yw *Y4MWriter) WriteFrame(img *image.Gray) error {
	if err := checkDst(img, yw.width, yw.height); err != nil {
		return err
	}
	if err := yw.startFrame(); err != nil {
		return err
	}
	return writeFrame(yw.w, img, yw.width, yw.height, yw.chroma)
}

// startFrame writes the stream header before the first frame, then the
// frame header.
func (yw *Y4MWriter) startFrame() error {
	if !yw.started {
		if _, err := io.WriteString(yw.w, yw.header); err != nil {
			return err
		}
		yw.started = true
	}
	_, err := yw.w.Write(y4mFrameHeader)
	return err
}

// WriteYCbCr writes one colour frame, a 4:2:0 image of the writer's size:
// its Y, Cb and Cr planes as they are (full range, as C420jpeg says).
func (yw *Y4MWriter) WriteYCbCr(img *image.YCbCr) error {
	if img == nil {
		return errNilFrame
	}
	if img.SubsampleRatio != image.YCbCrSubsampleRatio420 {
		return fmt.Errorf("camera: Y4M frames are 4:2:0, not %v", img.SubsampleRatio)
	}
	r := img.Rect
	if r.Dx() != yw.width || r.Dy() != yw.height {
		return sizeError(yw.width, yw.height, r.Dx(), r.Dy())
	}
	if err := yw.startFrame(); err != nil {
		return err
	}
	for y := r.Min.Y; y < r.Max.Y; y++ {
		o := img.YOffset(r.Min.X, y)
		if _, err := yw.w.Write(img.Y[o : o+yw.width]); err != nil {
			return err
		}
	}
	cw, ch := (yw.width+1)/2, (yw.height+1)/2
	for _, plane := range [2][]byte{img.Cb, img.Cr} {
		for y := 0; y < ch; y++ {
			o := img.COffset(r.Min.X, r.Min.Y+2*y)
			if _, err := yw.w.Write(plane[o : o+cw]); err != nil {
				return err
			}
		}
	}
	return nil
}

// WriteY4M writes frames, which must all have the size of the first, to w as
// a YUV4MPEG2 stream at rate.
func WriteY4M(w io.Writer, frames []*image.Gray, rate physic.Frequency) error {
	if len(frames) == 0 {
		return errNoFrames
	}
	sz := frames[0].Rect.Size()
	yw, err := NewY4MWriter(w, sz.X, sz.Y, rate)
	if err != nil {
		return err
	}
	for _, f := range frames {
		if err := yw.WriteFrame(f); err != nil {
			return err
		}
	}
	return nil
}
