//go:build linux

package camera

import (
	"errors"
	"testing"

	"github.com/blackjack/webcam"
)

func TestNearestSize(t *testing.T) {
	discrete := func(w, h uint32) webcam.FrameSize {
		return webcam.FrameSize{MinWidth: w, MaxWidth: w, MinHeight: h, MaxHeight: h}
	}
	sizes := []webcam.FrameSize{discrete(320, 240), discrete(640, 480), discrete(1280, 720)}
	stepwise := []webcam.FrameSize{{MinWidth: 16, MaxWidth: 1920, StepWidth: 16, MinHeight: 16, MaxHeight: 1080, StepHeight: 16}}
	cases := []struct {
		sizes        []webcam.FrameSize
		w, h, ww, wh int
	}{
		{sizes, 640, 480, 640, 480},
		{sizes, 600, 400, 640, 480},
		{sizes, 100, 100, 320, 240},
		{sizes, 1920, 1080, 1280, 720},
		{nil, 800, 600, 800, 600},
		{stepwise, 800, 600, 800, 600},
	}
	for _, tc := range cases {
		if w, h := nearestSize(tc.sizes, tc.w, tc.h); w != tc.ww || h != tc.wh {
			t.Errorf("nearestSize(%dx%d) = %dx%d, want %dx%d", tc.w, tc.h, w, h, tc.ww, tc.wh)
		}
	}
}

// TestWebcamSmoke reads a few frames from the first webcam, where there is
// one.
func TestWebcamSmoke(t *testing.T) {
	if len(videoDevices()) == 0 {
		t.Skip("no /dev/video* device")
	}
	c, err := NewWebcam(nil)
	if errors.Is(err, errNoCamera) {
		t.Skip(err)
	}
	if err != nil {
		t.Skipf("no usable webcam: %v", err)
	}
	defer c.Close()
	dst := NewFrame(c)
	for i := 0; i < 3; i++ {
		if err := c.Capture(dst); err != nil {
			t.Fatalf("frame %d: %v", i, err)
		}
	}
	if err := c.Halt(); err != nil {
		t.Fatal(err)
	}
	if err := c.Capture(dst); err != nil {
		t.Fatalf("after Halt: %v", err)
	}
	t.Logf("%s at %v", c, c.FrameRate())
}

func TestWebcamMissing(t *testing.T) {
	_, err := NewWebcam(&WebcamOpts{Device: "/dev/no-such-video"})
	if err == nil || err.Error()[:8] != "camera: " {
		t.Fatalf("got %v", err)
	}
	if _, err := NewWebcam(&WebcamOpts{Device: "/dev/null", Format: "rgb"}); err == nil {
		t.Fatal("no error")
	}
}
