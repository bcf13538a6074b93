//go:build unix

package firmware

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/edgeconv/edgeconv/camera"
	"github.com/edgeconv/edgeconv/internal/standin"
)

// These tests run the loop on camera.RPiCam reading the stand-in for
// rpicam-vid (camera/internal/fakerpicam): a real child process writing the
// scenes as I420 through a pipe, told through its environment to die,
// stall or write half a frame.

// fakeRPiCam builds the stand-in and writes the scenes (each 6 times) as
// the packed I420 file it plays; it returns the program and the file.
func fakeRPiCam(t testing.TB) (exe, frames string) {
	t.Helper()
	exe = standin.RPiCam(t)
	var b bytes.Buffer
	if err := camera.WriteI420(&b, sceneFrames(t, 6)); err != nil {
		t.Fatal(err)
	}
	frames = filepath.Join(t.TempDir(), "scenes.i420")
	if err := os.WriteFile(frames, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return exe, frames
}

func TestRPiCamFaults(t *testing.T) {
	exe, frames := fakeRPiCam(t)
	sc := loadScenes(t)
	cases := []struct {
		name, env string
		frames    int
		// wantErrs is the least number of failures reported.
		wantErrs int
	}{
		{"healthy", "", 12, 0},
		{"dies", "FAKERPICAM_DIE_AFTER=5", 14, 2},
		{"stalls", "FAKERPICAM_STALL_AFTER=6", 10, 1},
		{"half frame", "FAKERPICAM_SHORT_AFTER=5", 10, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env := []string{"FAKERPICAM_FRAMES=" + frames}
			if c.env != "" {
				env = append(env, c.env)
			}
			cam, err := camera.NewRPiCam(&camera.RPiCamOpts{
				Path: exe, Width: 640, Height: 480, Env: env,
				FrameTimeout: 500 * time.Millisecond, StopTimeout: time.Second,
			})
			if err != nil {
				t.Fatal(err)
			}
			defer cam.Close()
			rec := &capturedOutput{}
			web := &Web{}
			var logs bytes.Buffer
			l, _ := New(Options{Source: cam, Reader: testReader(t), EveryFrame: true, MaxFrames: c.frames,
				Outputs: []Output{rec, web}, MinBackoff: 5 * time.Millisecond, MaxBackoff: 20 * time.Millisecond,
				Logf: func(f string, a ...any) { logs.WriteString(f + "\n") }})
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			if err := l.Run(ctx); err != nil {
				t.Fatal(err)
			}
			if ctx.Err() != nil {
				t.Fatalf("timed out; log:\n%s", logs.String())
			}
			got, readings, statuses := rec.snapshot()
			if len(got) != c.frames {
				t.Errorf("%d frames processed, want %d", len(got), c.frames)
			}
			st := l.Stats()
			if int(st.Errors) < c.wantErrs {
				t.Errorf("%d camera errors reported, want ≥ %d", st.Errors, c.wantErrs)
			}
			if c.wantErrs > 0 {
				if len(statuses) < 2 || statuses[0] == nil || !errors.Is(statuses[0], camera.ErrDisconnected) {
					t.Errorf("statuses %v", statuses)
				}
				if statuses[len(statuses)-1] != nil && st.Frames < uint64(c.frames) {
					t.Errorf("did not resume: %v", statuses)
				}
			}
			for _, r := range readings {
				if r != sc[0].text && r != sc[1].text {
					t.Errorf("reading %q is neither scene", r)
				}
			}
			if c.wantErrs == 0 && len(readings) < 2 {
				t.Errorf("readings %q, want both scenes", readings)
			}
			if c.wantErrs > 0 && !strings.Contains(logs.String(), "%v") {
				t.Errorf("no failure logged:\n%s", logs.String())
			}
		})
	}
}
