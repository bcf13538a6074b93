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
