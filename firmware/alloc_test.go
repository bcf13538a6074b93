//go:build !race

package firmware

import (
	"io"
	"testing"
	"time"

	"github.com/edgeconv/edgeconv/camera"
	"github.com/edgeconv/edgeconv/internal/alloctest"
	"github.com/edgeconv/edgeconv/reading"
	"periph.io/x/conn/v3/gpio/gpiotest"
)

// TestLoopIterationAllocs proves that one loop iteration, from Capture to
// the readings and every output's Frame (printer, web preview hand-off,
// LED), allocates nothing once warmed up on frames of its size.
func TestLoopIterationAllocs(t *testing.T) {
	alloctest.SkipShort(t)
	frames := sceneFrames(t, 1)
	src, err := camera.NewFrames(frames, &camera.ReplayOpts{Loop: true})
	if err != nil {
		t.Fatal(err)
	}
	web := &Web{} // not started: its encoder hand-off still runs
	led := &LED{Pin: &gpiotest.Pin{N: "GPIO17"}}
	l, err := New(Options{Source: src, Reader: testReader(t),
		Outputs: []Output{&Printer{W: io.Discard, JSON: true}, web, led}})
	if err != nil {
		t.Fatal(err)
	}
	img := camera.NewFrame(src)
	var seq uint64
	iteration := func() {
		seq++
		if err := l.StepNext(img, seq); err != nil {
			t.Fatal(err)
		}
		// Play the encoder's part, so that every Frame copies the frame.
		web.mu.Lock()
		web.busy, web.lastEnc = false, time.Time{}
		web.mu.Unlock()
	}
	// Warmed up by 8: both scenes, readings changing, buffers grown.
	alloctest.Zero(t, "one loop iteration", 8, 20, iteration)
	if st := l.Stats(); st.Digits == 0 {
		t.Error("no digits found")
	}
	if web.in.seq != seq {
		t.Errorf("the web preview got frame %d, want %d", web.in.seq, seq)
	}
}

// TestFuserAllocs: Update allocates nothing once its buffers have grown,
// whatever the frames do: a sheet moving and turning, digits hidden and
// misread, a new sheet.
func TestFuserAllocs(t *testing.T) {
	a, b := sheetOf("31415926\n27182818\n1618"), sheetOf("45 67\n89 04")
	frames := handHeld(48, 7, view{x: 150, y: 120, scale: 1}, 4, 0.01, func(n int, v view) *reading.Reading {
		ms := a
		if n%24 >= 16 {
			ms = b
		}
		return frameReading(ms, v, 0.9, func(i int) bool { return n%7 == 3 && i < 4 }, map[int]int{n % 9: n % 11})
	})
	f := &Fuser{MinConfidence: 0.8}
	k := 0
	update := func() {
		f.Update(frames[k%len(frames)], frame640)
		k++
	}
	alloctest.Zero(t, "Update", 2*len(frames), len(frames), update)
}
