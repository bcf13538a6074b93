package camera

import (
	"bytes"
	"os"
	"testing"
)

// FuzzY4M feeds arbitrary streams to the Y4M reader: errors are fine,
// panics and hangs are not.
func FuzzY4M(f *testing.F) {
	for _, name := range []string{"testdata/frames.y4m", "testdata/frames_mono.y4m", "testdata/truncated.y4m"} {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b[:min(len(b), 4096)])
	}
	f.Add([]byte("YUV4MPEG2 W4 H2 F30:1 C420jpeg\nFRAME\n012345678901FRAME Ixx\n012345678901"))
	f.Add([]byte("YUV4MPEG2 W3 H3 C444alpha\nFRAME\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, loop := range []bool{false, true} {
			r, err := NewY4M(bytes.NewReader(data), &ReplayOpts{Loop: loop})
			if err != nil {
				return
			}
			if r.rect.Dx()*r.rect.Dy() > 1<<16 {
				return
			}
			dst := NewFrame(r)
			for i := 0; i < 8; i++ {
				if err := r.Capture(dst); err != nil {
					break
				}
			}
		}
	})
}

// FuzzY4MHeader feeds arbitrary header lines to parseY4MHeader: errors are
// fine; a header it accepts has a size within the limits and a frame rate
// that is a rate (issue 14: F1e13:1 overflowed to a negative frequency).
func FuzzY4MHeader(f *testing.F) {
	for _, s := range []string{
		"YUV4MPEG2 W640 H480 F30:1 Ip A1:1 C420jpeg XYSCSS=420JPEG",
		"YUV4MPEG2 W4 H2 F10000000000000:1",
		"YUV4MPEG2 W4 H2 F1e13:1",
		"YUV4MPEG2 W4 H2 F9223372036854775807:1",
		"YUV4MPEG2 W3 H3 F30000:1001 C444alpha",
		"YUV4MPEG2 W16384 H16384 Cmono F0:0",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		h, err := parseY4MHeader(line)
		if err != nil {
			return
		}
		if h.w < 1 || h.h < 1 || h.w > maxDim || h.h > maxDim || h.extra < 0 || h.alpha < 0 {
			t.Fatalf("%q: %+v", line, h)
		}
		if h.rate < 0 {
			t.Fatalf("%q: frame rate %v", line, h.rate)
		}
	})
}
