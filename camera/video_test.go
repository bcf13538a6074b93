package camera

import (
	"bytes"
	"errors"
	"image"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"periph.io/x/conn/v3/physic"
)

// needFFmpeg returns ffmpeg's path, or skips the test when it is not
// installed; with EDGECONV_REQUIRE_FFMPEG set (as .ci/run sets it) a
// missing ffmpeg fails the test instead.
func needFFmpeg(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("ffmpeg")
	if err != nil {
		if os.Getenv("EDGECONV_REQUIRE_FFMPEG") != "" {
			t.Fatalf("ffmpeg is required (EDGECONV_REQUIRE_FFMPEG): %v", err)
		}
		t.Skipf("ffmpeg not installed (apt-get install ffmpeg): %v", err)
	}
	return p
}

// testFrames returns n w×h frames, each different in every plane.
func testFrames(n, w, h int) []*image.YCbCr {
	var frames []*image.YCbCr
	for k := range n {
		f := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
		for i := range f.Y {
			f.Y[i] = uint8(i*7 + k*31 + (i/w)*3)
		}
		for i := range f.Cb {
			f.Cb[i] = uint8(i*5 + k*17)
			f.Cr[i] = uint8(255 - i*3 - k*13)
		}
		frames = append(frames, f)
	}
	return frames
}

// encode writes frames as a Y4M file and has ffmpeg turn it into name in
// the test's folder with the given codec arguments.
func encode(t *testing.T, frames []*image.YCbCr, name string, codec ...string) string {
	t.Helper()
	ffmpeg := needFFmpeg(t)
	dir := t.TempDir()
	src := filepath.Join(dir, "src.y4m")
	var b bytes.Buffer
	if err := WriteY4M(&b, frames, 10*physic.Hertz); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(src, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, name)
	args := append([]string{"-nostdin", "-loglevel", "error", "-i", src}, codec...)
	if msg, err := exec.Command(ffmpeg, append(args, out)...).CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg: %v: %s", err, msg)
	}
	return out
}

// TestVideoLossless: a video in a lossless codec (FFV1 in Matroska) plays
// back frame for frame, byte for byte, then io.EOF; looping plays it again.
func TestVideoLossless(t *testing.T) {
	want := testFrames(5, 66, 38)
	path := encode(t, want, "clip.mkv", "-c:v", "ffv1")
	v, err := OpenVideo(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	if b := v.Bounds(); b != want[0].Rect {
		t.Fatalf("bounds %v, want %v", b, want[0].Rect)
	}
	dst := NewFrame(v)
	for k, w := range want {
		if err := v.Capture(dst); err != nil {
			t.Fatalf("frame %d: %v", k, err)
		}
		if !bytes.Equal(dst.Y, w.Y) || !bytes.Equal(dst.Cb, w.Cb) || !bytes.Equal(dst.Cr, w.Cr) {
			t.Fatalf("frame %d differs from the one encoded", k)
		}
	}
	if err := v.Capture(dst); err != io.EOF {
		t.Fatalf("after the last frame: %v, want io.EOF", err)
	}

	// Through Open, looping: more frames than the file holds.
	src, err := Open(path + ",loop")
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	for k := range 2*len(want) + 1 {
		if err := src.Capture(dst); err != nil {
			t.Fatalf("looping, frame %d: %v", k, err)
		}
		if w := want[k%len(want)]; !bytes.Equal(dst.Y, w.Y) {
			t.Fatalf("looping, frame %d differs", k)
		}
	}
}

// TestVideoH264 plays an MP4 (H.264), the container and codec of phones,
// scaled through Open's size; steady-state Capture allocates nothing.
func TestVideoH264(t *testing.T) {
	frames := testFrames(30, 64, 48)
	path := encode(t, frames, "phone.mp4", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-crf", "10")
	src, err := Open(path + ":32x0,loop")
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if b := src.Bounds(); b != image.Rect(0, 0, 32, 24) {
		t.Fatalf("scaled to %v, want 32x24 (the aspect ratio kept)", b)
	}
	dst := NewFrame(src)
	if err := src.Capture(dst); err != nil {
		t.Fatal(err)
	}
	if allocs := testing.AllocsPerRun(20, func() {
		if err := src.Capture(dst); err != nil {
			t.Fatal(err)
		}
	}); allocs != 0 {
		t.Errorf("Capture allocates %v times per frame", allocs)
	}
}

// TestVideoErrors: no ffmpeg, a file ffmpeg cannot read and a missing file
// each give one clear error; a bad scale is refused before ffmpeg runs.
func TestVideoErrors(t *testing.T) {
	needFFmpeg(t)
	dir := t.TempDir()
	junk := filepath.Join(dir, "junk.mp4")
	if err := os.WriteFile(junk, []byte("this is not a video at all"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		path string
		o    *VideoOpts
		want string
	}{
		{junk, &VideoOpts{Path: "no-such-ffmpeg-here"}, "needs ffmpeg"},
		{junk, nil, "ffmpeg cannot play it"},
		{filepath.Join(dir, "missing.mp4"), nil, "no such file"},
		{junk, &VideoOpts{Width: -1}, "sides from 0"},
	} {
		v, err := OpenVideo(c.path, c.o)
		if err == nil {
			v.Close()
			t.Errorf("%s %+v: no error", c.path, c.o)
			continue
		}
		if !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "camera: ") {
			t.Errorf("%s %+v: %v, want %q", c.path, c.o, err, c.want)
		}
	}
	if _, err := Open("clip.mp4:640x480,stride=640"); err == nil {
		t.Error("stride accepted for a video file")
	}
}

// TestVideoTruncated: a video cut short plays what ffmpeg can decode and
// then ends with io.EOF or an error, never hangs or panics.
func TestVideoTruncated(t *testing.T) {
	path := encode(t, testFrames(20, 64, 48), "cut.mkv", "-c:v", "ffv1")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data[:len(data)*2/3], 0o644); err != nil {
		t.Fatal(err)
	}
	v, err := OpenVideo(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	dst := NewFrame(v)
	n := 0
	for ; n <= 20; n++ {
		if err = v.Capture(dst); err != nil {
			break
		}
	}
	if err == nil || n == 20 {
		t.Fatalf("%d frames of a file cut to two thirds of 20, then %v", n, err)
	}
	t.Logf("%d frames, then %v", n, err)
}

// TestVideoCloseStopsFFmpeg: Close during an endless (looping) playback
// returns at once, a later Capture says ErrClosed, and ffmpeg is reaped.
func TestVideoCloseStopsFFmpeg(t *testing.T) {
	path := encode(t, testFrames(3, 64, 48), "loop.mkv", "-c:v", "ffv1")
	v, err := OpenVideo(path, &VideoOpts{ReplayOpts: ReplayOpts{Loop: true}})
	if err != nil {
		t.Fatal(err)
	}
	dst := NewFrame(v)
	if err := v.Capture(dst); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- v.Close() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Close did not return")
	}
	if err := v.Capture(dst); !errors.Is(err, ErrClosed) {
		t.Errorf("Capture after Close: %v, want ErrClosed", err)
	}
	if v.proc.cmd.ProcessState == nil {
		t.Error("ffmpeg was not reaped")
	}
}
