package camera

import (
	"bytes"
	"fmt"
	"image"
	"io"
	"math"
	"math/bits"
	"strconv"
	"strings"

	"periph.io/x/conn/v3/physic"
)

// y4mMagic starts every YUV4MPEG2 stream.
const y4mMagic = "YUV4MPEG2"

// chromaSub is how a stream stores its chroma planes.
type chromaSub int

const (
	sub420  chromaSub = iota // (w+1)/2 × (h+1)/2, the frame's own
	sub422                   // (w+1)/2 × h
	sub444                   // w × h
	subMono                  // none: the frame gets neutral chroma
)

// y4mHeader is the part of a YUV4MPEG2 stream header that matters here.
type y4mHeader struct {
	w, h   int
	rate   physic.Frequency // 0 when the header gives none
	chroma string           // the C parameter, "" when absent (420jpeg)
	sub    chromaSub
	// alpha is the size of the alpha plane that follows the chroma planes
	// (C444alpha), which is skipped.
	alpha int
	// extra is the number of bytes that follow the Y plane in each frame.
	extra int
}

// parseY4MHeader parses the stream header line, without its final newline:
//
//	YUV4MPEG2 W640 H480 F30:1 Ip A1:1 C420jpeg XYSCSS=420JPEG
//
// W and H are required (at most 16384). F is n:d frames per second. C is
// the sampling: any 420 variant (420, 420jpeg, 420mpeg2, 420paldv; the
// default), 422, 444, 444alpha or mono, all at 8 bits. The 420 variants
// differ in where their chroma samples sit, which a frame does not record:
// all are read as they are. I, A and X parameters are accepted and ignored;
// other letters are an error.
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
		h.sub, h.extra = sub420, 2*cw*ch
	case "422":
		h.sub, h.extra = sub422, 2*cw*h.h
	case "444":
		h.sub, h.extra = sub444, 2*h.w*h.h
	case "444alpha":
		h.sub, h.alpha, h.extra = sub444, h.w*h.h, 3*h.w*h.h
	case "mono":
		h.sub, h.extra = subMono, 0
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
	// num·Hertz/den in 128 bits: num·Hertz overflows int64 from 9.2e9
	// frames a second on (F10000000000000:1 came out negative).
	hi, lo := bits.Mul64(uint64(num), uint64(physic.Hertz))
	if hi >= uint64(den) {
		return 0, fmt.Errorf("ratio out of range")
	}
	q, _ := bits.Div64(hi, lo, uint64(den))
	if q > math.MaxInt64 {
		return 0, fmt.Errorf("ratio out of range")
	}
	return physic.Frequency(q), nil
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

// Y4MWriter writes frames as a YUV4MPEG2 stream: the header
// "YUV4MPEG2 W.. H.. F..:.. Ip A1:1 C420jpeg", then for each frame "FRAME\n"
// and the Y, Cb and Cr planes. ffmpeg, mpv and Open read it back.
type Y4MWriter struct {
	w       io.Writer
	width   int
	height  int
	started bool
	header  string
}

// NewY4MWriter returns a writer of width×height frames at rate (0 writes
// F0:0, "unknown", which readers treat as they like) to w. The header is
// written with the first frame.
func NewY4MWriter(w io.Writer, width, height int, rate physic.Frequency) (*Y4MWriter, error) {
	if _, err := newI420Layout(width, height, width); err != nil {
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
		header: fmt.Sprintf("%s W%d H%d F%s Ip A1:1 C420jpeg\n", y4mMagic, width, height, f),
	}, nil
}

var y4mFrameHeader = []byte("FRAME\n")

// WriteFrame writes one frame, whose size must be the writer's. It
// allocates nothing.
func (yw *Y4MWriter) WriteFrame(f *image.YCbCr) error {
	if err := checkDst(f, yw.width, yw.height); err != nil {
		return err
	}
	if !yw.started {
		if _, err := io.WriteString(yw.w, yw.header); err != nil {
			return err
		}
		yw.started = true
	}
	if _, err := yw.w.Write(y4mFrameHeader); err != nil {
		return err
	}
	return writeFrame(yw.w, f, yw.width, yw.height)
}

// WriteY4M writes frames, which must all have the size of the first, to w as
// a YUV4MPEG2 stream at rate.
func WriteY4M(w io.Writer, frames []*image.YCbCr, rate physic.Frequency) error {
	return writeAll(frames, func(width, height int) (frameWriter, error) {
		return NewY4MWriter(w, width, height, rate)
	})
}
