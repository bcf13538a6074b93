package camerasmoketest

import (
	"context"
	"errors"
	"image"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/edgeconv/edgeconv/camera"
	"github.com/edgeconv/edgeconv/camera/cameratest"
	"periph.io/x/conn/v3/physic"
)

// frames returns n 16x12 frames.
func frames(n int) []*image.YCbCr { return cameratest.Frames(n, 16, 12) }

func TestRun(t *testing.T) {
	p := &cameratest.Playback{Frames: frames(7)}
	rec := filepath.Join(t.TempDir(), "smoke.y4m")
	var out strings.Builder
	res, err := Run(context.Background(), p, &Opts{Frames: 5, Record: rec, RecordRate: 10 * physic.Hertz}, &out)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Close(); err != nil { // First, 5 timed, 1 after Halt.
		t.Fatal(err)
	}
	if p.Halts != 1 || res.Frames != 5 || res.Recorded != 7 || res.Repeats != 0 || res.Size != (image.Point{16, 12}) {
		t.Fatalf("%+v, %d halts", res, p.Halts)
	}
	for _, want := range []string{"source: playback (16x12", "first frame: ", "5 frames: ", "fps), min ", "picture: mean luma ", "halt and restart: ", "recorded 7 frames to "} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	// The recording replays.
	r, err := camera.OpenY4M(rec, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	dst := camera.NewFrame(r)
	for i, f := range frames(7) {
		if err := r.Capture(dst); err != nil {
			t.Fatal(err)
		}
		if !equal(dst, f) {
			t.Fatalf("recorded frame %d differs", i)
		}
	}
	if err := r.Capture(dst); err != io.EOF {
		t.Fatal(err)
	}
}

func TestRunWarnings(t *testing.T) {
	still := frames(1)[0]
	r, err := camera.NewFrames([]*image.YCbCr{still}, &camera.ReplayOpts{Loop: true})
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	res, err := Run(context.Background(), r, &Opts{Frames: 3}, &out)
	if err != nil {
		t.Fatal(err)
	}
	if res.Repeats != 3 || !strings.Contains(out.String(), "warning: every frame is the same") {
		t.Fatalf("%+v\n%s", res, out.String())
	}
	flat, _ := camera.NewFrames([]*image.YCbCr{image.NewYCbCr(image.Rect(0, 0, 4, 4), image.YCbCrSubsampleRatio420)}, &camera.ReplayOpts{Loop: true})
	out.Reset()
	if _, err := Run(context.Background(), flat, nil, &out); err != nil || !strings.Contains(out.String(), "warning: the picture is flat") {
		t.Fatalf("%v\n%s", err, out.String())
	}
}

func TestRunErrors(t *testing.T) {
	// Too few frames: the error names the step.
	p := &cameratest.Playback{Frames: frames(2), DontPanic: true}
	_, err := Run(context.Background(), p, &Opts{Frames: 5}, io.Discard)
	if !cameratest.IsErr(err) || !strings.Contains(err.Error(), "camerasmoketest: frame 2: ") {
		t.Fatalf("got %v", err)
	}
	// Cancelling the context interrupts a blocked Capture.
	slow, err := camera.NewFrames(frames(2), &camera.ReplayOpts{Loop: true, FrameRate: physic.Hertz / 100})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := Run(ctx, slow, nil, io.Discard); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("cancel took %v", d)
	}
	// An unwritable recording.
	if _, err := Run(context.Background(), slow, &Opts{Record: filepath.Join(t.TempDir(), "no", "such.y4m")}, io.Discard); err == nil {
		t.Fatal("no error")
	}
	// A run that fails keeps the whole frames recorded so far, under the
	// name asked for and no other.
	dir := t.TempDir()
	rec := filepath.Join(dir, "part.y4m")
	p = &cameratest.Playback{Frames: frames(3), DontPanic: true}
	if _, err := Run(context.Background(), p, &Opts{Frames: 5, Record: rec}, io.Discard); err == nil {
		t.Fatal("no error")
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 || ents[0].Name() != "part.y4m" {
		t.Fatalf("files left: %v", ents)
	}
	r, err := camera.OpenY4M(rec, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	dst := camera.NewFrame(r)
	for i := range 3 {
		if err := r.Capture(dst); err != nil {
			t.Fatalf("frame %d: %v", i, err)
		}
	}
}
