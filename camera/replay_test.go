package camera

import (
	"bytes"
	"errors"
	"image"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/edgeconv/edgeconv/camera/internal/frametest"
	"periph.io/x/conn/v3/physic"
)

// checkFixture fails t unless got is fixture frame i within tol, or with
// mono its luma with neutral chroma.
func checkFixture(t *testing.T, got *image.YCbCr, i, tol int, mono bool) {
	t.Helper()
	want := fixtureFrame(i, got.Rect.Dx(), got.Rect.Dy())
	if mono {
		fillChroma(want)
	}
	if d, plane, x, y := frametest.MaxDiff(got, want); d > tol {
		t.Fatalf("frame %d: %s sample (%d, %d) differs by %d > %d", i, plane, x, y, d, tol)
	}
}

type replayCase struct {
	name string
	n    int  // frames in the recording
	tol  int  // largest sample difference accepted (JPEG is lossy)
	mono bool // no chroma: the frames are grey
	open func(o *ReplayOpts) (*Replay, error)
}

// mustOpen opens the case's recording with the options o and closes it
// when the test ends.
func (tc replayCase) mustOpen(t testing.TB, o *ReplayOpts) *Replay {
	t.Helper()
	r, err := tc.open(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

func replayCases() []replayCase {
	return []replayCase{
		{"frames", fixN, 0, false, func(o *ReplayOpts) (*Replay, error) {
			return NewFrames(fixtureFrames(fixN, fixW, fixH), o)
		}},
		{"y4m", fixN, 0, false, func(o *ReplayOpts) (*Replay, error) { return OpenY4M("testdata/frames.y4m", o) }},
		{"y4m-mono", fixN, 0, true, func(o *ReplayOpts) (*Replay, error) { return OpenY4M("testdata/frames_mono.y4m", o) }},
		{"y4m-422", fixN, 0, false, func(o *ReplayOpts) (*Replay, error) { return OpenY4M("testdata/frames_422.y4m", o) }},
		{"y4m-444alpha", fixN, 0, false, func(o *ReplayOpts) (*Replay, error) { return OpenY4M("testdata/frames_444alpha.y4m", o) }},
		{"i420", fixN, 0, false, func(o *ReplayOpts) (*Replay, error) {
			return OpenI420("testdata/frames.i420", fixW, fixH, 0, o)
		}},
		{"i420-rpicam-stride", fixN, 0, false, func(o *ReplayOpts) (*Replay, error) {
			return OpenI420("testdata/frames_rpicam.i420", fixW, fixH, RPiCamStride(fixW), o)
		}},
		{"y4m-reader", fixN, 0, false, func(o *ReplayOpts) (*Replay, error) {
			b, err := os.ReadFile("testdata/frames.y4m")
			if err != nil {
				return nil, err
			}
			return NewY4M(bytes.NewReader(b), o)
		}},
		// PNG stores RGB: luma and chroma come back within rounding.
		{"dir", 3, 16, false, func(o *ReplayOpts) (*Replay, error) { return OpenDir("testdata/images", o) }},
		{"images", 2, 3, false, func(o *ReplayOpts) (*Replay, error) {
			return OpenImages([]string{"testdata/images/0000.png", "testdata/images/0001.png"}, o)
		}},
	}
}

func TestReplay(t *testing.T) {
	for _, tc := range replayCases() {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.mustOpen(t, nil)
			if got := r.Bounds(); got != image.Rect(0, 0, fixW, fixH) {
				t.Fatalf("Bounds() = %v", got)
			}
			if r.String() == "" {
				t.Error("empty String()")
			}
			dst := NewFrame(r)
			for i := 0; i < tc.n; i++ {
				if err := r.Capture(dst); err != nil {
					t.Fatalf("frame %d: %v", i, err)
				}
				checkFixture(t, dst, i, tc.tol, tc.mono)
			}
			for range 2 {
				if err := r.Capture(dst); err != io.EOF {
					t.Fatalf("after the last frame: %v, want io.EOF", err)
				}
			}
			if err := r.Close(); err != nil {
				t.Fatal(err)
			}
			if err := r.Capture(dst); err != ErrClosed {
				t.Fatalf("after Close: %v, want ErrClosed", err)
			}
		})
	}
}

func TestReplayLoop(t *testing.T) {
	for _, tc := range replayCases() {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.mustOpen(t, &ReplayOpts{Loop: true})
			dst := NewFrame(r)
			for i := 0; i < 3*tc.n+1; i++ {
				if err := r.Capture(dst); err != nil {
					t.Fatalf("capture %d: %v", i, err)
				}
				checkFixture(t, dst, i%tc.n, tc.tol, tc.mono)
			}
		})
	}
}

// TestReplaySubImage captures into a frame whose strides exceed its width
// and whose origin is not (0, 0).
func TestReplaySubImage(t *testing.T) {
	for _, tc := range replayCases() {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.mustOpen(t, nil)
			dst, guard := frametest.Guarded(fixW, fixH)
			if err := r.Capture(dst); err != nil {
				t.Fatal(err)
			}
			checkFixture(t, dst, 0, tc.tol, tc.mono)
			if g := guard(); g != "" {
				t.Fatal(g)
			}
		})
	}
}

// TestFrameContract: destinations that are not 4:2:0 frames with an even
// origin and planes that hold them are refused, never written past.
func TestFrameContract(t *testing.T) {
	r, err := NewFrames(fixtureFrames(1, 8, 6), &ReplayOpts{Loop: true})
	if err != nil {
		t.Fatal(err)
	}
	odd := image.NewYCbCr(image.Rect(0, 0, 10, 8), image.YCbCrSubsampleRatio420).SubImage(image.Rect(1, 1, 9, 7)).(*image.YCbCr)
	short := image.NewYCbCr(image.Rect(0, 0, 8, 6), image.YCbCrSubsampleRatio420)
	short.Cr = short.Cr[:5]
	for name, dst := range map[string]*image.YCbCr{
		"444":         image.NewYCbCr(image.Rect(0, 0, 8, 6), image.YCbCrSubsampleRatio444),
		"odd-origin":  odd,
		"short-plane": short,
	} {
		if err := r.Capture(dst); !errors.Is(err, errFrame) {
			t.Errorf("%s: got %v, want %v", name, err, errFrame)
		}
		if _, err := NewFrames([]*image.YCbCr{dst}, nil); !errors.Is(err, errFrame) {
			t.Errorf("NewFrames(%s): got %v, want %v", name, err, errFrame)
		}
	}
	if err := CopyFrame(short, fixtureFrame(0, 8, 6)); !errors.Is(err, errFrame) {
		t.Errorf("CopyFrame into a short frame: %v", err)
	}
	if err := CopyFrame(newFrame(8, 8), fixtureFrame(0, 8, 6)); !errors.Is(err, ErrSize) {
		t.Errorf("CopyFrame of another size: %v", err)
	}
}

func TestReplaySizeMismatch(t *testing.T) {
	r := openY4M(t, "testdata/frames.y4m", nil)
	err := r.Capture(newFrame(28, 28))
	if !errors.Is(err, ErrSize) {
		t.Fatalf("got %v, want ErrSize", err)
	}
	if want := "camera: frame size mismatch: frame is 80x60, destination is 28x28"; err.Error() != want {
		t.Fatalf("got %q, want %q", err, want)
	}
	if err := r.Capture(nil); err == nil {
		t.Fatal("Capture(nil) succeeded")
	}
}

func TestReplayErrors(t *testing.T) {
	mixed := []*image.YCbCr{fixtureFrame(0, 8, 8), fixtureFrame(0, 8, 9)}
	cases := []struct {
		name string
		open func() (*Replay, error)
		want string
	}{
		{"no-frames", func() (*Replay, error) { return NewFrames(nil, nil) }, "camera: recording has no frames"},
		{"nil-frame", func() (*Replay, error) { return NewFrames([]*image.YCbCr{nil}, nil) }, "camera: frame 0: camera: nil frame"},
		{"mixed-frames", func() (*Replay, error) { return NewFrames(mixed, nil) }, "camera: frame size mismatch: frame 1 is 8x9, frame 0 is 8x8"},
		{"mixed-dir", func() (*Replay, error) { return OpenDir("testdata/mixed", nil) }, "camera: frame size mismatch: testdata/mixed/0001.png is 40x30, testdata/mixed/0000.png is 80x60"},
		{"empty-dir", func() (*Replay, error) { return OpenDir(t.TempDir(), nil) }, "camera: no .png or .jpg files in folder"},
		{"missing", func() (*Replay, error) { return OpenY4M("testdata/nope.y4m", nil) }, "no such file"},
		{"not-image", func() (*Replay, error) { return OpenImages([]string{"testdata/images/notes.txt"}, nil) }, "camera: testdata/images/notes.txt: not an image in a format edgeconv decodes (JPEG, PNG, WebP, TIFF, BMP or GIF)"},
		{"not-y4m", func() (*Replay, error) { return OpenY4M("testdata/frames.i420", nil) }, "camera: testdata/frames.i420: not a YUV4MPEG2 stream"},
		{"i420-size", func() (*Replay, error) { return OpenI420("testdata/frames.i420", 0, 60, 0, nil) }, "camera: bad I420 frame size 0x60"},
		{"i420-huge", func() (*Replay, error) { return OpenI420("testdata/frames.i420", 20000, 10, 0, nil) }, "camera: bad I420 frame size 20000x10"},
		{"i420-stride", func() (*Replay, error) { return OpenI420("testdata/frames.i420", 80, 60, 64, nil) }, "camera: I420 stride 64 is less than the width 80"},
		{"loop-pipe", func() (*Replay, error) {
			return NewY4M(io.MultiReader(strings.NewReader("YUV4MPEG2 W2 H2\n")), &ReplayOpts{Loop: true})
		}, "camera: cannot loop a stream that cannot seek (y4m)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, err := tc.open()
			if err == nil {
				r.Close()
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %q, want %q", err, tc.want)
			}
		})
	}
}

// TestReplayMalformed feeds broken streams: each must give an error, never a
// panic or a hang.
func TestReplayMalformed(t *testing.T) {
	good, err := os.ReadFile("testdata/frames.y4m")
	if err != nil {
		t.Fatal(err)
	}
	hdr := "YUV4MPEG2 W4 H2 C420jpeg\n"
	cases := []struct {
		name, data string
		open       bool   // the error comes at open
		want       string // in the error
	}{
		{"empty", "", true, "empty file"},
		{"no-newline", "YUV4MPEG2 W4 H2", true, "bad YUV4MPEG2 header"},
		{"no-size", "YUV4MPEG2 F30:1\n", true, "header without W and H"},
		{"bad-width", "YUV4MPEG2 W-4 H2\n", true, "bad width"},
		{"bad-rate", "YUV4MPEG2 W4 H2 F30:0\n", true, "bad frame rate"},
		{"huge", "YUV4MPEG2 W4 H100000\n", true, `bad height "100000"`},
		{"bad-param", "YUV4MPEG2 W4 H2 Q9\n", true, "unknown header parameter"},
		{"10-bit", "YUV4MPEG2 W4 H2 C420p10\n", true, "unsupported colour space"},
		{"no-frame-tag", hdr + "FRAMX\n" + strings.Repeat("x", 12), false, "expected a FRAME header"},
		{"short-frame", hdr + "FRAME\nabc", false, "frame 0 is truncated"},
		{"short-chroma", hdr + "FRAME\n" + strings.Repeat("x", 9), false, "frame 0 is truncated"},
		{"tag-no-newline", hdr + "FRAME", false, "frame 0 is truncated"},
		{"long-tag", hdr + "FRAME " + strings.Repeat("X", 70000), false, "FRAME header too long"},
		{"cut-in-half", string(good[:len(good)/2]), false, "is truncated: unexpected EOF"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, err := NewY4M(strings.NewReader(tc.data), nil)
			if tc.open {
				if err == nil || !strings.Contains(err.Error(), tc.want) {
					t.Fatalf("open: got %v, want %q", err, tc.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			dst := NewFrame(r)
			for i := 0; ; i++ {
				err = r.Capture(dst)
				if err != nil {
					break
				}
				if i > fixN {
					t.Fatal("no error")
				}
			}
			if !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "camera: ") {
				t.Fatalf("got %q, want %q", err, tc.want)
			}
		})
	}
	t.Run("truncated.y4m", func(t *testing.T) {
		r := openY4M(t, "testdata/truncated.y4m", &ReplayOpts{Loop: true})
		dst := NewFrame(r)
		for i := 0; i < fixN-1; i++ {
			if err := r.Capture(dst); err != nil {
				t.Fatal(err)
			}
		}
		if err := r.Capture(dst); !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Fatalf("got %v, want io.ErrUnexpectedEOF", err)
		}
	})
	t.Run("raw-partial", func(t *testing.T) {
		r, err := NewI420(strings.NewReader("0123456789"), 4, 2, 0, nil)
		if err != nil {
			t.Fatal(err)
		}
		dst := NewFrame(r)
		if err := r.Capture(dst); !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Fatalf("got %v, want io.ErrUnexpectedEOF", err)
		}
	})
	t.Run("loop-empty", func(t *testing.T) {
		r, err := NewY4M(strings.NewReader(hdr), &ReplayOpts{Loop: true})
		if err != nil {
			t.Fatal(err)
		}
		if err := r.Capture(NewFrame(r)); err != errNoFrames {
			t.Fatalf("got %v, want %v", err, errNoFrames)
		}
	})
}

func TestY4MHeader(t *testing.T) {
	cases := []struct {
		line  string
		w, h  int
		rate  physic.Frequency
		extra int
	}{
		{"YUV4MPEG2 W4 H2", 4, 2, 0, 4},
		{"YUV4MPEG2 W4 H2 F30:1 Ip A1:1 C420jpeg XYSCSS=420JPEG", 4, 2, 30 * physic.Hertz, 4},
		{"YUV4MPEG2 W5 H3 F30000:1001 C420mpeg2", 5, 3, 29970029, 12},
		{"YUV4MPEG2 W4 H2 C420paldv", 4, 2, 0, 4},
		{"YUV4MPEG2 W4 H2 C420", 4, 2, 0, 4},
		{"YUV4MPEG2 W4 H2 C422", 4, 2, 0, 8},
		{"YUV4MPEG2 W4 H2 C444", 4, 2, 0, 16},
		{"YUV4MPEG2 W4 H2 C444alpha", 4, 2, 0, 24},
		{"YUV4MPEG2 W4 H2 Cmono F25", 4, 2, 25 * physic.Hertz, 0},
	}
	for _, tc := range cases {
		h, err := parseY4MHeader([]byte(tc.line))
		if err != nil {
			t.Errorf("%q: %v", tc.line, err)
			continue
		}
		if h.w != tc.w || h.h != tc.h || h.rate != tc.rate || h.extra != tc.extra {
			t.Errorf("%q: got %dx%d %v extra %d, want %dx%d %v extra %d",
				tc.line, h.w, h.h, h.rate, h.extra, tc.w, tc.h, tc.rate, tc.extra)
		}
	}
}

func TestWriteRoundTrip(t *testing.T) {
	frames := fixtureFrames(3, 6, 4)
	for _, rate := range []physic.Frequency{0, 30 * physic.Hertz, 29970 * physic.MilliHertz, 7500 * physic.MilliHertz} {
		var b bytes.Buffer
		if err := WriteY4M(&b, frames, rate); err != nil {
			t.Fatal(err)
		}
		hdr, _, _ := bytes.Cut(b.Bytes(), []byte("\n"))
		h, err := parseY4MHeader(hdr)
		if err != nil {
			t.Fatal(err)
		}
		if h.rate != rate {
			t.Errorf("%v: header %q gives %v", rate, hdr, h.rate)
		}
		r, err := NewY4M(bytes.NewReader(b.Bytes()), nil)
		if err != nil {
			t.Fatal(err)
		}
		dst := NewFrame(r)
		for i := range frames {
			if err := r.Capture(dst); err != nil {
				t.Fatal(err)
			}
			checkFixture(t, dst, i, 0, false)
		}
	}
	var b bytes.Buffer
	if err := WriteI420(&b, frames); err != nil {
		t.Fatal(err)
	}
	if want := 3 * (6*4 + 2*3*2); b.Len() != want {
		t.Fatalf("I420 stream is %d bytes, want %d", b.Len(), want)
	}
	if err := WriteY4M(&b, []*image.YCbCr{frames[0], fixtureFrame(0, 5, 4)}, 0); !errors.Is(err, ErrSize) {
		t.Fatalf("mixed sizes: %v", err)
	}
	if err := WriteI420(&b, nil); err == nil {
		t.Fatal("no frames: no error")
	}
}

func TestReplayFrameRate(t *testing.T) {
	const rate = 50 * physic.Hertz
	r, err := NewFrames(fixtureFrames(2, 8, 8), &ReplayOpts{Loop: true, FrameRate: rate})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if r.FrameRate() != rate {
		t.Fatalf("FrameRate() = %v", r.FrameRate())
	}
	dst := NewFrame(r)
	start := time.Now()
	const n = 6
	for range n {
		if err := r.Capture(dst); err != nil {
			t.Fatal(err)
		}
	}
	// The first frame comes at once, then one every 20 ms.
	if d, min := time.Since(start), (n-1)*rate.Period(); d < min-2*time.Millisecond || d > min+time.Second {
		t.Fatalf("%d frames at %v took %v, want about %v", n, rate, d, min)
	}
}

func TestReplayHaltClose(t *testing.T) {
	r, err := NewFrames(fixtureFrames(2, 8, 8), &ReplayOpts{Loop: true, FrameRate: physic.Hertz / 10})
	if err != nil {
		t.Fatal(err)
	}
	dst := NewFrame(r)
	if err := r.Capture(dst); err != nil { // The first frame comes at once.
		t.Fatal(err)
	}
	go func() {
		time.Sleep(20 * time.Millisecond)
		r.Halt()
	}()
	if err := r.Capture(dst); err != ErrHalted {
		t.Fatalf("Capture during Halt: %v, want ErrHalted", err)
	}
	go func() {
		time.Sleep(20 * time.Millisecond)
		r.Close()
	}()
	if err := r.Capture(dst); err != ErrClosed {
		t.Fatalf("Capture during Close: %v, want ErrClosed", err)
	}
	if err := r.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if err := r.Halt(); err != nil {
		t.Fatalf("Halt after Close: %v", err)
	}
}

// TestReplayHaltKeepsPosition: Halt interrupts nothing when no Capture
// waits, and the recording goes on where it was.
func TestReplayHaltKeepsPosition(t *testing.T) {
	r := openY4M(t, "testdata/frames.y4m", nil)
	dst := NewFrame(r)
	for i := 0; i < fixN; i++ {
		if i == 2 {
			if err := r.Halt(); err != nil {
				t.Fatal(err)
			}
		}
		if err := r.Capture(dst); err != nil {
			t.Fatalf("frame %d: %v", i, err)
		}
		checkFixture(t, dst, i, 0, false)
	}
}

// TestOpenImagesBounded: a folder replay holds its frames in memory, so a
// folder of many large images is refused once its frames pass the bound
// instead of taking all the memory there is.
func TestOpenImagesBounded(t *testing.T) {
	defer func(old int) { maxReplayBytes = old }(maxReplayBytes)
	r, err := OpenDir("testdata/images", nil)
	if err != nil {
		t.Fatal(err)
	}
	f := NewFrame(r)
	r.Close()
	maxReplayBytes = 2 * (len(f.Y) + len(f.Cb) + len(f.Cr)) // two of the three frames
	if _, err := OpenDir("testdata/images", nil); err == nil || !strings.Contains(err.Error(), "MiB a replay holds") {
		t.Errorf("OpenDir of 3 frames with room for 2: %v", err)
	}
}

// openY4M opens the recording at path, failing t on an error, and closes it
// when the test ends.
func openY4M(t *testing.T, path string, o *ReplayOpts) *Replay {
	t.Helper()
	r, err := OpenY4M(path, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}
