//go:build unix

package camera

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOpenRPiCam opens the stand-in through a spec, and as the camera found
// by the empty spec.
func TestOpenRPiCam(t *testing.T) {
	exe := buildFake(t)
	t.Setenv("FAKERPICAM_FRAMES", "testdata/frames.i420")
	t.Setenv("FAKERPICAM_ARGS", "-t 0 -n --codec yuv420 --width 80 --height 60 --framerate 12.5 --flush -o -")
	s, err := Open("rpicam:80x60@12.5,exe=" + exe)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	dst := NewFrame(s)
	captureN(t, s, dst, 0, 3, fixN)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	dir := t.TempDir()
	if err := os.Symlink(exe, filepath.Join(dir, "rpicam-vid")); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir)
	t.Setenv("FAKERPICAM_ARGS", "-t 0 -n --codec yuv420 --width 80 --height 60 --framerate 30 --flush -o -")
	s, err = Open(":80x60")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if !strings.HasPrefix(s.String(), "rpicam-vid 80x60") {
		t.Fatalf("String() = %q", s)
	}
	captureN(t, s, dst, 0, 2, fixN)
}
