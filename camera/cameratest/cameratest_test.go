package cameratest

import (
	"errors"
	"image"
	"io"
	"testing"

	"github.com/edgeconv/edgeconv/camera"
)

// frames returns n 4x3 frames.
func frames(n int) []*image.YCbCr { return Frames(n, 4, 3) }

func sameFrame(a, b *image.YCbCr) bool {
	return string(a.Y) == string(b.Y) && string(a.Cb) == string(b.Cb) && string(a.Cr) == string(b.Cr)
}

func TestPlayback(t *testing.T) {
	p := &Playback{Frames: frames(3)}
	if got := p.Bounds(); got != image.Rect(0, 0, 4, 3) {
		t.Fatalf("Bounds() = %v", got)
	}
	dst := camera.NewFrame(p)
	want := frames(3)
	for i := range 3 {
		if err := p.Capture(dst); err != nil {
			t.Fatal(err)
		}
		if !sameFrame(dst, want[i]) {
			t.Fatalf("frame %d differs", i)
		}
	}
	if err := p.Halt(); err != nil || p.Halts != 1 {
		t.Fatal(err, p.Halts)
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestPlaybackErrors(t *testing.T) {
	p := &Playback{Frames: frames(2), DontPanic: true}
	if err := p.Close(); !IsErr(err) {
		t.Fatalf("Close with frames left: %v", err)
	}
	if err := p.Capture(image.NewYCbCr(image.Rect(0, 0, 3, 3), image.YCbCrSubsampleRatio420)); !IsErr(err) || !errors.Is(err, camera.ErrSize) {
		t.Fatalf("wrong size: %v", err)
	}
	if err := p.Capture(image.NewYCbCr(image.Rect(0, 0, 4, 3), image.YCbCrSubsampleRatio444)); !IsErr(err) {
		t.Fatalf("not 4:2:0: %v", err)
	}
	dst := camera.NewFrame(p)
	p.Capture(dst)
	p.Capture(dst)
	err := p.Capture(dst)
	if !IsErr(err) || !errors.Is(err, io.EOF) {
		t.Fatalf("past the end: %v", err)
	}
	if IsErr(io.EOF) || IsErr(nil) {
		t.Fatal("IsErr is true for errors it did not make")
	}
}

func TestPlaybackPanics(t *testing.T) {
	p := &Playback{}
	defer func() {
		if err, ok := recover().(error); !ok || !IsErr(err) {
			t.Fatalf("recovered %v", err)
		}
	}()
	p.Capture(image.NewYCbCr(image.Rect(0, 0, 1, 1), image.YCbCrSubsampleRatio420))
	t.Fatal("no panic")
}

func TestRecord(t *testing.T) {
	p := &Playback{Frames: frames(2)}
	r := &Record{Source: p}
	if r.Bounds() != p.Bounds() || r.String() != "record(playback)" {
		t.Fatal(r.Bounds(), r.String())
	}
	dst := camera.NewFrame(r)
	for range 2 {
		if err := r.Capture(dst); err != nil {
			t.Fatal(err)
		}
	}
	r.Halt()
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if len(r.Frames) != 2 || !sameFrame(r.Frames[1], frames(2)[1]) || &r.Frames[1].Y[0] == &dst.Y[0] {
		t.Fatalf("recorded %d frames", len(r.Frames))
	}
	// The recording plays back.
	p2 := &Playback{Frames: r.Frames}
	p2.Capture(dst)
	p2.Capture(dst)
	if err := p2.Close(); err != nil {
		t.Fatal(err)
	}
	if err := (&Record{}).Capture(dst); !IsErr(err) {
		t.Fatal(err)
	}
}
