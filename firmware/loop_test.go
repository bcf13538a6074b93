package firmware

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/edgeconv/edgeconv/camera"
	"github.com/edgeconv/edgeconv/camera/cameratest"
	"github.com/edgeconv/edgeconv/internal/jsonline"
	"periph.io/x/conn/v3/physic"
)

// TestLoopReadsScenes runs the loop over a recording, every frame: the
// readings are the scenes' true texts, each reported once, on the frame
// that made it stable: fused, each scene 6 times (its digits are
// confirmed by 3 frames, then the fused text stays the same for 3); and
// without fusion, 4 times (the same text read in 3 frames).
func TestLoopReadsScenes(t *testing.T) {
	for _, noFusion := range []bool{false, true} {
		per, first := 6, 5
		if noFusion {
			per, first = 4, 3
		}
		t.Run(fmt.Sprintf("NoFusion=%v", noFusion), func(t *testing.T) { testLoopReadsScenes(t, noFusion, per, first) })
	}
}

func testLoopReadsScenes(t *testing.T, noFusion bool, per, first int) {
	sc := loadScenes(t)
	n := 2 * per
	src := &cameratest.Playback{Frames: sceneFrames(t, per), DontPanic: true}
	var out bytes.Buffer
	p := &Printer{W: &out, JSON: true}
	rec := &capturedOutput{}
	l, err := New(Options{Source: src, Reader: testReader(t), EveryFrame: true, NoFusion: noFusion, Outputs: []Output{p, rec}})
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	frames, readings, _ := rec.snapshot()
	if len(frames) != n {
		t.Errorf("processed frames %v, want 1..%d", frames, n)
	}
	want := []string{sc[0].text, sc[1].text}
	if strings.Join(readings, "|") != strings.Join(want, "|") {
		t.Errorf("readings %q, want %q", readings, want)
	}
	lines := jsonline.Decode[jsonline.Reading](t, out.String())
	if len(lines) != 2 {
		t.Fatalf("printed %d lines, want 2:\n%s", len(lines), out.String())
	}
	for i, r := range lines {
		if wantFrame := uint64(first + per*i); r.Frame != wantFrame || r.Text != want[i] || r.Time.IsZero() {
			t.Errorf("line %d: frame %d text %q time %v, want frame %d text %q", i, r.Frame, r.Text, r.Time, wantFrame, want[i])
		}
		if len(r.Digits) != strings.Count(want[i], "")-1-strings.Count(want[i], "\n") {
			t.Errorf("line %d: %d digits for %q", i, len(r.Digits), want[i])
		}
		for _, d := range r.Digits {
			if d.Confidence <= 0 || d.Confidence > 1 || d.Box[2] <= d.Box[0] || d.Box[3] <= d.Box[1] {
				t.Errorf("line %d: bad digit %+v", i, d)
			}
		}
	}
	st := l.Stats()
	if st.Frames != uint64(n) || st.Captured != uint64(n) || st.Dropped != 0 || st.Median[StageExtract] <= 0 || st.Median[StageRecognize] <= 0 {
		t.Errorf("stats %+v", st)
	}
	if err := src.Close(); err != nil {
		t.Error(err)
	}
}

// slowOutput makes the loop slower than the camera.
type slowOutput struct{ d time.Duration }

func (s slowOutput) Frame(*Frame) { time.Sleep(s.d) }
func (slowOutput) Status(error)   {}

// TestLoopDropsStaleFrames: with a camera faster than the loop, the loop
// works on the newest frame and drops the others instead of queueing them.
func TestLoopDropsStaleFrames(t *testing.T) {
	frames := sceneFrames(t, 1)
	src, err := camera.NewFrames(frames, &camera.ReplayOpts{Loop: true, FrameRate: 200 * physic.Hertz})
	if err != nil {
		t.Fatal(err)
	}
	rec := &capturedOutput{}
	l, _ := New(Options{Source: src, Reader: testReader(t), MaxFrames: 10,
		Outputs: []Output{rec, slowOutput{30 * time.Millisecond}}})
	if err := l.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	seqs, _, _ := rec.snapshot()
	if len(seqs) != 10 {
		t.Fatalf("processed %d frames, want 10", len(seqs))
	}
	gaps := 0
	for i := 1; i < len(seqs); i++ {
		if seqs[i] <= seqs[i-1] {
			t.Fatalf("frames out of order: %v", seqs)
		}
		if seqs[i] > seqs[i-1]+1 {
			gaps++
		}
	}
	st := l.Stats()
	if gaps == 0 || st.Dropped == 0 {
		t.Errorf("no frame dropped with a loop slower than the camera: %v, %+v", seqs, st)
	}
	// The loop never processes a frame older than one period plus its own
	// processing: the wait stays far below the 30 ms a queue would add up.
	if st.Median[StageWait] > 25*time.Millisecond {
		t.Errorf("median wait %v: frames are queued, not dropped", st.Median[StageWait])
	}
}

// TestLoopStopsOnContext: cancelling stops a loop blocked on a paced camera.
func TestLoopStopsOnContext(t *testing.T) {
	src, _ := camera.NewFrames(sceneFrames(t, 1), &camera.ReplayOpts{Loop: true, FrameRate: physic.Hertz})
	l, _ := New(Options{Source: src, Reader: testReader(t)})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- l.Run(ctx) }()
	time.Sleep(100 * time.Millisecond)
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
}

// failingSource fails as told, then serves frames.
type failingSource struct {
	camera.Source
	errs []error
}

func (f *failingSource) Capture(dst *image.YCbCr) error {
	if len(f.errs) > 0 {
		err := f.errs[0]
		f.errs = f.errs[1:]
		return err
	}
	return f.Source.Capture(dst)
}

// TestLoopCameraAway: a camera that goes away is reported, retried with
// back-off and resumed; a malformed stream ends the run with its error.
func TestLoopCameraAway(t *testing.T) {
	play, _ := camera.NewFrames(sceneFrames(t, 6), nil)
	away := &camera.ExitError{Prog: "rpicam-vid", Err: errors.New("exit status 3")}
	src := &failingSource{Source: play, errs: []error{away, away, away}}
	rec := &capturedOutput{}
	var logs []string
	l, _ := New(Options{Source: src, Reader: testReader(t), EveryFrame: true, Outputs: []Output{rec},
		MinBackoff: time.Millisecond, MaxBackoff: 4 * time.Millisecond,
		Logf: func(f string, a ...any) { logs = append(logs, f) }})
	if err := l.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	frames, readings, statuses := rec.snapshot()
	if len(frames) != 12 || len(readings) != 2 {
		t.Errorf("after the failures: %d frames, readings %q; want 12 and 2", len(frames), readings)
	}
	if len(statuses) < 2 || statuses[0] == nil || statuses[len(statuses)-1] != nil {
		t.Errorf("statuses %v: want the failure, then nil", statuses)
	}
	if st := l.Stats(); st.Errors != 3 || st.Err != "" {
		t.Errorf("stats errors %d %q, want 3 and none current", st.Errors, st.Err)
	}

	bad := &failingSource{Source: play, errs: []error{errors.New("y4m: bad frame header")}}
	l, _ = New(Options{Source: bad, Reader: testReader(t)})
	if err := l.Run(context.Background()); err == nil || !strings.Contains(err.Error(), "bad frame header") {
		t.Errorf("malformed stream: Run returned %v", err)
	}
}

// TestLoopTruncatedRecording: a truncated Y4M file ends in an error, not a
// crash.
func TestLoopTruncatedRecording(t *testing.T) {
	src, err := camera.Open("../camera/testdata/truncated.y4m")
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	l, err := New(Options{Source: src, Reader: testReader(t), EveryFrame: true})
	if err != nil {
		t.Fatal(err)
	}
	err = l.Run(context.Background())
	if err == nil || errors.Is(err, io.EOF) {
		t.Errorf("Run = %v, want the stream's error", err)
	}
}
