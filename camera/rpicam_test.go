//go:build unix

package camera

import (
	"bytes"
	"errors"
	"image"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/edgeconv/edgeconv/camera/internal/frametest"
	"github.com/edgeconv/edgeconv/internal/standin"
	"periph.io/x/conn/v3/physic"
)

// The tests of RPiCam run a stand-in for rpicam-vid, camera/internal/fakerpicam,
// built here into a temporary folder: a real child process talking through a
// real pipe, told through its environment to misbehave.

// buildFake builds the stand-in into t's temporary folder as "rpicam-vid".
func buildFake(t testing.TB) string {
	t.Helper()
	return standin.RPiCam(t)
}

// writeFakeFrames writes n packed I420 fixture frames of w×h and returns
// the file's path.
func writeFakeFrames(t testing.TB, n, w, h int) string {
	t.Helper()
	var b bytes.Buffer
	if err := WriteI420(&b, fixtureFrames(n, w, h)); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "frames.i420")
	if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// fakeOpts returns options running the stand-in on the fixture recording.
func fakeOpts(exe string, env ...string) *RPiCamOpts {
	return &RPiCamOpts{
		Path: exe, Width: fixW, Height: fixH,
		Env:         append([]string{"FAKERPICAM_FRAMES=testdata/frames.i420"}, env...),
		StopTimeout: 2 * time.Second,
	}
}

// openFake starts the stand-in with the options o (fakeOpts', perhaps
// changed) and closes it when the test ends.
func openFake(t testing.TB, o *RPiCamOpts) *RPiCam {
	t.Helper()
	c, err := NewRPiCam(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// processGone reports whether pid no longer exists: not even as a zombie,
// which kill(pid, 0) would still find.
func processGone(pid int) bool {
	return errors.Is(syscall.Kill(pid, 0), syscall.ESRCH)
}

func captureN(t *testing.T, c Source, dst *image.YCbCr, first, n, mod int) {
	t.Helper()
	for i := first; i < first+n; i++ {
		if err := c.Capture(dst); err != nil {
			t.Fatalf("frame %d: %v", i, err)
		}
		checkFixture(t, dst, i%mod, 0, false)
	}
}

func TestRPiCam(t *testing.T) {
	exe := buildFake(t)
	cases := []struct {
		name       string
		w, h       int
		rate       physic.Frequency
		stride     int    // given to RPiCamOpts
		fakeStride string // given to the stand-in
		args       []string
		wantArgs   string
	}{
		{"640x480-default", 640, 480, 0, 0, "", nil,
			"-t 0 -n --codec yuv420 --width 640 --height 480 --framerate 30 --flush -o -"},
		{"80x60-padded-to-128", 80, 60, 15 * physic.Hertz, 0, "", nil,
			"-t 0 -n --codec yuv420 --width 80 --height 60 --framerate 15 --flush -o -"},
		{"64x48-unpadded", 64, 48, 7500 * physic.MilliHertz, 0, "", nil,
			"-t 0 -n --codec yuv420 --width 64 --height 48 --framerate 7.5 --flush -o -"},
		{"80x60-given-stride", 80, 60, 0, 96, "96", []string{"--camera", "1"},
			"-t 0 -n --codec yuv420 --width 80 --height 60 --framerate 30 --flush --camera 1 -o -"},
		{"82x62-odd-chroma", 82, 62, 0, 0, "", nil,
			"-t 0 -n --codec yuv420 --width 82 --height 62 --framerate 30 --flush -o -"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			frames := writeFakeFrames(t, 3, tc.w, tc.h)
			o := &RPiCamOpts{
				Path: exe, Width: tc.w, Height: tc.h, FrameRate: tc.rate, Stride: tc.stride, Args: tc.args,
				Env: []string{"FAKERPICAM_FRAMES=" + frames, "FAKERPICAM_ARGS=" + tc.wantArgs, "FAKERPICAM_STRIDE=" + tc.fakeStride},
			}
			if tc.w == 640 {
				o.Width, o.Height = 0, 0 // The default size.
			}
			c := openFake(t, o)
			if got := strings.Join(c.Args()[1:], " "); got != tc.wantArgs {
				t.Fatalf("Args() = %q, want %q", got, tc.wantArgs)
			}
			if c.Bounds() != image.Rect(0, 0, tc.w, tc.h) {
				t.Fatalf("Bounds() = %v", c.Bounds())
			}
			if want := "rpicam-vid " + strconv.Itoa(tc.w) + "x" + strconv.Itoa(tc.h) + "@"; !strings.HasPrefix(c.String(), want) {
				t.Fatalf("String() = %q, want %q…", c.String(), want)
			}
			captureN(t, c, NewFrame(c), 0, 7, 3) // The stand-in loops over 3 frames.
			pid := c.pid()
			if err := c.Close(); err != nil {
				t.Fatal(err)
			}
			if !processGone(pid) {
				t.Fatalf("process %d still exists after Close", pid)
			}
			if err := c.Capture(NewFrame(c)); err != ErrClosed {
				t.Fatalf("after Close: %v, want ErrClosed", err)
			}
		})
	}
}

// TestRPiCamDies kills the stand-in after 2 frames: Capture reports it with
// the stderr tail, and the next Capture restarts it.
func TestRPiCamDies(t *testing.T) {
	exe := buildFake(t)
	c := openFake(t, fakeOpts(exe, "FAKERPICAM_DIE_AFTER=2"))
	dst := NewFrame(c)
	for run := 0; run < 3; run++ {
		captureN(t, c, dst, 0, 2, fixN)
		pid := c.pid()
		err := c.Capture(dst)
		var e *ExitError
		if !errors.As(err, &e) || !errors.Is(err, ErrDisconnected) {
			t.Fatalf("run %d: got %v, want an *ExitError matching ErrDisconnected", run, err)
		}
		want := "camera: rpicam-vid stopped after 2 frames: exit status 3 (stderr: fakerpicam: streaming 80x60, stride 128 | ERROR: *** camera went away after 2 frames ***)"
		if err.Error() != want {
			t.Fatalf("got  %q\nwant %q", err, want)
		}
		if !processGone(pid) {
			t.Fatalf("process %d not reaped", pid)
		}
	}
}

// TestRPiCamRestartsAtOnce: a program that dies at once is started again
// by each Capture without a wait of its own, and each failure is
// reported. The one back-off is the caller's (firmware's loop): with a
// second one here the two stacked (they took 6 s for these 8 failures).
func TestRPiCamRestartsAtOnce(t *testing.T) {
	exe := buildFake(t)
	c := openFake(t, fakeOpts(exe, "FAKERPICAM_DIE_AFTER=0"))
	dst := NewFrame(c)
	start := time.Now()
	for i := 0; i < 8; i++ {
		if err := c.Capture(dst); !errors.Is(err, ErrDisconnected) {
			t.Fatalf("capture %d: %v", i, err)
		}
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Fatalf("8 failures took %v: Capture waited before restarting", d)
	}
}

// TestRPiCamStall: a program that stops writing is stopped after
// FrameTimeout, then restarted.
func TestRPiCamStall(t *testing.T) {
	exe := buildFake(t)
	o := fakeOpts(exe, "FAKERPICAM_STALL_AFTER=2")
	o.FrameTimeout = 200 * time.Millisecond
	c := openFake(t, o)
	dst := NewFrame(c)
	captureN(t, c, dst, 0, 2, fixN)
	pid := c.pid()
	err := c.Capture(dst)
	if !errors.Is(err, ErrDisconnected) || !strings.Contains(err.Error(), "no frame for 200ms") ||
		!strings.Contains(err.Error(), "stalling after 2 frames") {
		t.Fatalf("got %v", err)
	}
	if !processGone(pid) {
		t.Fatalf("process %d not reaped", pid)
	}
	captureN(t, c, dst, 0, 2, fixN) // Restarted.
}

// TestRPiCamHaltStalled: Halt and Close return, and reap the program, while
// Capture is blocked on a program that stalls, even one that ignores SIGINT.
func TestRPiCamHaltStalled(t *testing.T) {
	exe := buildFake(t)
	for _, ignore := range []string{"0", "1"} {
		t.Run("ignore-int="+ignore, func(t *testing.T) {
			o := fakeOpts(exe, "FAKERPICAM_STALL_AFTER=1", "FAKERPICAM_IGNORE_INT="+ignore)
			o.StartTimeout, o.FrameTimeout, o.StopTimeout = time.Minute, time.Minute, 300*time.Millisecond
			c := openFake(t, o)
			dst := NewFrame(c)
			for _, stop := range []string{"Halt", "Close"} {
				captureN(t, c, dst, 0, 1, fixN)
				pid := c.pid()
				go func() {
					time.Sleep(100 * time.Millisecond)
					if stop == "Halt" {
						c.Halt()
					} else {
						c.Close()
					}
				}()
				start := time.Now()
				err := c.Capture(dst)
				if want := map[string]error{"Halt": ErrHalted, "Close": ErrClosed}[stop]; err != want {
					t.Fatalf("%s: got %v, want %v", stop, err, want)
				}
				if d := time.Since(start); d > 5*time.Second {
					t.Fatalf("%s took %v", stop, d)
				}
				if !processGone(pid) {
					t.Fatalf("%s: process %d not reaped", stop, pid)
				}
			}
		})
	}
}

// TestRPiCamMalformed: streams that end inside a frame, programs that
// refuse their arguments or exit cleanly are errors, not panics or hangs.
func TestRPiCamMalformed(t *testing.T) {
	exe := buildFake(t)
	cases := []struct {
		name   string
		frames int // good frames first
		env    []string
		want   string
	}{
		{"short-frame", 1, []string{"FAKERPICAM_SHORT_AFTER=1"},
			"camera: rpicam-vid stopped after 1 frames: stream ended in the middle of a frame"},
		{"exits", 3, []string{"FAKERPICAM_COUNT=3"},
			"camera: rpicam-vid stopped after 3 frames: program exited"},
		{"bad-args", 0, []string{"FAKERPICAM_ARGS=--something else"},
			`camera: rpicam-vid stopped after 0 frames: exit status 2 (stderr: fakerpicam: arguments "-t 0`},
		{"no-recording", 0, []string{"FAKERPICAM_FRAMES=testdata/nope.i420"},
			"camera: rpicam-vid stopped after 0 frames: exit status 1 (stderr: fakerpicam: FAKERPICAM_FRAMES: open testdata/nope.i420: no such file or directory)"},
		{"wrong-size-recording", 0, []string{"FAKERPICAM_FRAMES=testdata/frames.y4m"},
			"exit status 1 (stderr: fakerpicam: 36071 bytes is not a whole number of 80x60 frames)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := openFake(t, fakeOpts(exe, tc.env...))
			dst := NewFrame(c)
			captureN(t, c, dst, 0, tc.frames, fixN)
			err := c.Capture(dst)
			if !errors.Is(err, ErrDisconnected) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got  %v\nwant %s", err, tc.want)
			}
		})
	}
}

func TestRPiCamFind(t *testing.T) {
	exe := buildFake(t)
	if _, err := NewRPiCam(&RPiCamOpts{Path: "no-such-camera-program"}); err == nil ||
		!strings.HasPrefix(err.Error(), "camera: ") {
		t.Fatalf("missing program: %v", err)
	}
	// Only the old name on PATH: it is used.
	dir := t.TempDir()
	if err := os.Symlink(exe, filepath.Join(dir, "libcamera-vid")); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir)
	o := fakeOpts("")
	c := openFake(t, o)
	if !strings.HasPrefix(c.String(), "libcamera-vid 80x60@30Hz") {
		t.Fatalf("String() = %q", c.String())
	}
	captureN(t, c, NewFrame(c), 0, 2, fixN)
	t.Setenv("PATH", t.TempDir())
	if _, err := NewRPiCam(o); !errors.Is(err, errNoCamera) {
		t.Fatalf("nothing on PATH: %v", err)
	}
	if _, err := NewRPiCam(&RPiCamOpts{Path: exe, Width: 80, Height: 0}); err == nil {
		t.Fatal("height 0: no error")
	}
}

// TestRPiCamHaltRestarts: Halt stops the program; the next Capture starts a
// new one.
func TestRPiCamHaltRestarts(t *testing.T) {
	exe := buildFake(t)
	c := openFake(t, fakeOpts(exe))
	dst := NewFrame(c)
	captureN(t, c, dst, 0, 2, fixN)
	pid := c.pid()
	if err := c.Halt(); err != nil {
		t.Fatal(err)
	}
	if !processGone(pid) || c.pid() != 0 {
		t.Fatalf("process %d still there after Halt", pid)
	}
	captureN(t, c, dst, 0, 2, fixN)
	if c.pid() == pid || c.pid() == 0 {
		t.Fatal("no new process")
	}
	if err := c.Capture(newFrame(1, 1)); !errors.Is(err, ErrSize) {
		t.Fatalf("wrong size: %v", err)
	}
	if c.FrameRate() != 30*physic.Hertz {
		t.Fatalf("FrameRate() = %v", c.FrameRate())
	}
}

// TestInkRPiCam reads the picture of TestInk through the stand-in's pipe,
// whose rows are padded as rpicam-vid pads them (64 is a multiple of 64,
// so 66x48, padded to 128, is used), and wants the inks' colours.
func TestInkRPiCam(t *testing.T) {
	pic := ToFrame(inkPicture())
	wide := newFrame(66, 48)
	for y := range 48 {
		copy(wide.Y[y*wide.YStride:], pic.Y[y*pic.YStride:y*pic.YStride+64])
		wide.Y[y*wide.YStride+64], wide.Y[y*wide.YStride+65] = 250, 250
	}
	for y := range 24 {
		for _, p := range [2][]byte{wide.Cb, wide.Cr} {
			p[y*wide.CStride+32] = 128
		}
		copy(wide.Cb[y*wide.CStride:], pic.Cb[y*pic.CStride:y*pic.CStride+32])
		copy(wide.Cr[y*wide.CStride:], pic.Cr[y*pic.CStride:y*pic.CStride+32])
	}
	var b bytes.Buffer
	if err := WriteI420(&b, []*image.YCbCr{wide}); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "ink.i420")
	if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	o := fakeOpts(buildFake(t), "FAKERPICAM_FRAMES="+p)
	o.Width, o.Height = 66, 48
	c := openFake(t, o)
	f := NewFrame(c)
	if err := c.Capture(f); err != nil {
		t.Fatal(err)
	}
	if d, plane, x, y := frametest.MaxDiff(f, wide); d != 0 {
		t.Fatalf("%s sample (%d, %d) differs by %d", plane, x, y, d)
	}
	checkInk(t, "rpicam-vid", f.SubImage(image.Rect(0, 0, 64, 48)).(*image.YCbCr))
}
