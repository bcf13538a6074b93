package camera

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// writeBenchFiles writes 4 frames of 640x480 as Y4M, packed I420 and
// rpicam-style padded I420 into dir.
func writeBenchFiles(b testing.TB, dir string, w, h int) (y4m, i420 string) {
	frames := fixtureFrames(4, w, h)
	var buf bytes.Buffer
	if err := WriteY4M(&buf, frames, 0); err != nil {
		b.Fatal(err)
	}
	y4m = filepath.Join(dir, "bench.y4m")
	if err := os.WriteFile(y4m, buf.Bytes(), 0o644); err != nil {
		b.Fatal(err)
	}
	buf.Reset()
	if err := WriteI420(&buf, frames); err != nil {
		b.Fatal(err)
	}
	i420 = filepath.Join(dir, "bench.i420")
	if err := os.WriteFile(i420, buf.Bytes(), 0o644); err != nil {
		b.Fatal(err)
	}
	return y4m, i420
}

// BenchmarkCapture measures one Capture of a 640x480 frame from each replay
// source (looping over 4 frames, unpaced).
func BenchmarkCapture(b *testing.B) {
	const w, h = 640, 480
	y4m, i420 := writeBenchFiles(b, b.TempDir(), w, h)
	srcs := []struct {
		name string
		open func() (*Replay, error)
	}{
		{"Frames/640x480", func() (*Replay, error) { return NewFrames(fixtureFrames(4, w, h), &ReplayOpts{Loop: true}) }},
		{"I420/640x480", func() (*Replay, error) { return OpenI420(i420, w, h, 0, &ReplayOpts{Loop: true}) }},
		{"Y4M/640x480", func() (*Replay, error) { return OpenY4M(y4m, &ReplayOpts{Loop: true}) }},
	}
	for _, s := range srcs {
		b.Run(s.name, func(b *testing.B) {
			r, err := s.open()
			if err != nil {
				b.Fatal(err)
			}
			defer r.Close()
			dst := NewFrame(r)
			b.ReportAllocs()
			b.SetBytes(w * h)
			for b.Loop() {
				if err := r.Capture(dst); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
