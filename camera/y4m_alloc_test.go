//go:build !race

package camera

import (
	"io"
	"testing"

	"periph.io/x/conn/v3/physic"
)

// TestWriterAllocs proves that recording a frame allocates nothing.
func TestWriterAllocs(t *testing.T) {
	f := fixtureFrame(0, fixW, fixH)
	yw, err := NewY4MWriter(io.Discard, fixW, fixH, 30*physic.Hertz)
	if err != nil {
		t.Fatal(err)
	}
	iw, err := NewI420Writer(io.Discard, fixW, fixH)
	if err != nil {
		t.Fatal(err)
	}
	for name, w := range map[string]func() error{
		"Y4M":  func() error { return yw.WriteFrame(f) },
		"I420": func() error { return iw.WriteFrame(f) },
	} {
		w() // The Y4M header goes with the first frame.
		if got := testing.AllocsPerRun(20, func() { w() }); got != 0 {
			t.Errorf("%s: WriteFrame allocates %v times per frame, want 0", name, got)
		}
	}
}
