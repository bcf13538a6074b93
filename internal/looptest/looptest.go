// Package looptest runs the firmware loop frame by frame for the tests of
// its outputs (firmware/mqtt, firmware/metrics): the test scenes in turn,
// each frame changing the reading, as the allocation tests need.
package looptest

import (
	"image"
	"testing"

	"github.com/edgeconv/edgeconv/camera"
	"github.com/edgeconv/edgeconv/firmware"
	"github.com/edgeconv/edgeconv/internal/testscenes"
	"github.com/edgeconv/edgeconv/model"
	"github.com/edgeconv/edgeconv/reading"
)

// Stepper returns a loop over the test scenes (internal/testscenes), the
// embedded model in int8, fusion off and Stable 1, so that every frame
// changes the reading, with outputs; step captures and processes one
// frame on the caller's goroutine (Loop.StepNext).
func Stepper(tb testing.TB, outputs ...firmware.Output) (l *firmware.Loop, step func()) {
	tb.Helper()
	scenes := testscenes.Load(tb)
	var frames []*image.YCbCr
	for _, s := range scenes {
		frames = append(frames, s.Frame)
	}
	src, err := camera.NewFrames(frames, &camera.ReplayOpts{Loop: true})
	if err != nil {
		tb.Fatal(err)
	}
	m, err := model.Default()
	if err != nil {
		tb.Fatal(err)
	}
	rd, err := reading.New(m, reading.Options{MinConfidence: 0.8})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(rd.Close)
	l, err = firmware.New(firmware.Options{Source: src, Reader: rd, Stable: 1, NoFusion: true, Outputs: outputs})
	if err != nil {
		tb.Fatal(err)
	}
	img := camera.NewFrame(src)
	var seq uint64
	return l, func() {
		seq++
		if err := l.StepNext(img, seq); err != nil {
			tb.Fatal(err)
		}
	}
}
