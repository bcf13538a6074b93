// Package cameratest provides fakes of camera.Source for tests: Playback
// serves given frames, Record copies the frames of a real source so that they
// can be played back later.
//
// A test of code that consumes frames builds a Playback with the frames it
// expects to be asked for, runs the code, and finishes with Close, which
// fails if frames were left:
//
//	p := &cameratest.Playback{Frames: frames}
//	run(p)
//	if err := p.Close(); err != nil {
//		t.Fatal(err)
//	}
package cameratest

import (
	"errors"
	"fmt"
	"image"
	"io"
	"sync"

	"github.com/edgeconv/edgeconv/camera"
)

// Frames returns n w×h 4:2:0 frames for a Playback, each unlike the others
// and none flat: every sample is set from its frame's index and its own.
func Frames(n, w, h int) []*image.YCbCr {
	f := make([]*image.YCbCr, n)
	for i := range f {
		f[i] = image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
		for j := range f[i].Y {
			f[i].Y[j] = uint8(10*i + j)
		}
		for j := range f[i].Cb {
			f[i].Cb[j], f[i].Cr[j] = uint8(100+10*i+j), uint8(200-10*i-j)
		}
	}
	return f
}

// Errorf returns an error for which IsErr returns true. All the errors of
// this package's fakes are made by it, to tell them from the code's own.
func Errorf(format string, a ...any) error {
	return testErr{fmt.Errorf(format, a...)}
}

// IsErr returns true if err, or an error it wraps, was made by Errorf.
func IsErr(err error) bool {
	var t testErr
	return errors.As(err, &t)
}

type testErr struct {
	error
}

func (e testErr) Unwrap() error {
	return e.error
}

// errorf is Errorf that panics unless dontPanic.
func errorf(dontPanic bool, format string, a ...any) error {
	err := Errorf(format, a...)
	if !dontPanic {
		panic(err)
	}
	return err
}

// Playback implements camera.Source and serves Frames, 4:2:0 frames as
// camera.NewFrame makes them, in order.
//
// A Capture after the last frame, or into a destination of the wrong size, is
// a mistake of the code under test: Playback panics, or with DontPanic
// returns an error (wrapping io.EOF after the last frame). Count is the
// number of frames served.
type Playback struct {
	sync.Mutex
	Frames    []*image.YCbCr
	Count     int
	DontPanic bool
	// Halts counts the calls to Halt.
	Halts int
}

// String implements camera.Source.
func (p *Playback) String() string {
	return "playback"
}

// Bounds implements camera.Source: the size of the first frame.
func (p *Playback) Bounds() image.Rectangle {
	p.Lock()
	defer p.Unlock()
	if len(p.Frames) == 0 {
		return image.Rectangle{}
	}
	return image.Rectangle{Max: p.Frames[0].Rect.Size()}
}

// Capture implements camera.Source.
func (p *Playback) Capture(dst *image.YCbCr) error {
	p.Lock()
	defer p.Unlock()
	if p.Count >= len(p.Frames) {
		return errorf(p.DontPanic, "cameratest: unexpected Capture() (count #%d): no frames left: %w", p.Count, io.EOF)
	}
	f := p.Frames[p.Count]
	if dst == nil || dst.Rect.Size() != f.Rect.Size() {
		var ds image.Point
		if dst != nil {
			ds = dst.Rect.Size()
		}
		return errorf(p.DontPanic, "cameratest: Capture() (count #%d) into %dx%d, frame is %dx%d: %w",
			p.Count, ds.X, ds.Y, f.Rect.Dx(), f.Rect.Dy(), camera.ErrSize)
	}
	if err := camera.CopyFrame(dst, f); err != nil {
		return errorf(p.DontPanic, "cameratest: Capture() (count #%d): %w", p.Count, err)
	}
	p.Count++
	return nil
}

// Halt implements camera.Source.
func (p *Playback) Halt() error {
	p.Lock()
	defer p.Unlock()
	p.Halts++
	return nil
}

// Close implements camera.SourceCloser. It fails if not all frames were
// captured.
func (p *Playback) Close() error {
	p.Lock()
	defer p.Unlock()
	if p.Count != len(p.Frames) {
		return errorf(p.DontPanic, "cameratest: expected playback to be empty: frame count %d; expected %d", p.Count, len(p.Frames))
	}
	return nil
}

// Record implements camera.Source: it captures from Source and keeps a copy
// of every frame in Frames, e.g. to build a Playback or to write a recording
// with camera.WriteY4M.
//
// Record does not implement camera.SourceCloser on purpose: whoever opened
// Source closes it.
type Record struct {
	sync.Mutex
	Source camera.Source
	Frames []*image.YCbCr
}

// String implements camera.Source.
func (r *Record) String() string {
	if r.Source == nil {
		return "record"
	}
	return "record(" + r.Source.String() + ")"
}

// Bounds implements camera.Source.
func (r *Record) Bounds() image.Rectangle {
	if r.Source == nil {
		return image.Rectangle{}
	}
	return r.Source.Bounds()
}

// Capture implements camera.Source.
func (r *Record) Capture(dst *image.YCbCr) error {
	if r.Source == nil {
		return Errorf("cameratest: Record has no Source")
	}
	if err := r.Source.Capture(dst); err != nil {
		return err
	}
	c := image.NewYCbCr(image.Rectangle{Max: dst.Rect.Size()}, image.YCbCrSubsampleRatio420)
	if err := camera.CopyFrame(c, dst); err != nil {
		return err
	}
	r.Lock()
	r.Frames = append(r.Frames, c)
	r.Unlock()
	return nil
}

// Halt implements camera.Source.
func (r *Record) Halt() error {
	if r.Source == nil {
		return nil
	}
	return r.Source.Halt()
}

var (
	_ camera.Source       = (*Playback)(nil)
	_ camera.SourceCloser = (*Playback)(nil)
	_ camera.Source       = (*Record)(nil)
)
