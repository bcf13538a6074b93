//go:build unix

package camerasmoketest

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/edgeconv/edgeconv/camera"
	"github.com/edgeconv/edgeconv/internal/standin"
)

// TestRunRPiCam runs the smoke test on camera.RPiCam driving the stand-in
// for rpicam-vid, as "edgeconv camera" does on a Pi.
func TestRunRPiCam(t *testing.T) {
	exe := standin.RPiCam(t)
	src, err := camera.NewRPiCam(&camera.RPiCamOpts{
		Path: exe, Width: 80, Height: 60,
		Env: []string{"FAKERPICAM_FRAMES=../testdata/frames.i420"},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	var out strings.Builder
	res, err := Run(context.Background(), src, &Opts{Frames: 20, Record: filepath.Join(t.TempDir(), "r.y4m")}, &out)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("\n%s", out.String())
	if res.Recorded != 22 || res.Repeats != 0 || res.Contrast < 100 {
		t.Fatalf("%+v", res)
	}
}
