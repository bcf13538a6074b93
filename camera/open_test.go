package camera

import (
	"errors"
	"io"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"periph.io/x/conn/v3/physic"
)

func TestParseSpec(t *testing.T) {
	hz := physic.Hertz
	cases := []struct {
		spec string
		want sourceSpec
	}{
		{"", sourceSpec{kind: "auto"}},
		{",fps=15", sourceSpec{kind: "auto", rate: 15 * hz}},
		{"rpicam", sourceSpec{kind: "rpicam"}},
		{"rpicam:640x480@30", sourceSpec{kind: "rpicam", w: 640, h: 480, rate: 30 * hz}},
		{"rpicam:@7.5", sourceSpec{kind: "rpicam", rate: 7500 * physic.MilliHertz}},
		{"libcamera:1280x720,stride=1280,exe=./fake", sourceSpec{kind: "rpicam", w: 1280, h: 720, stride: 1280, exe: "./fake"}},
		{"/dev/video0", sourceSpec{kind: "webcam", path: "/dev/video0"}},
		{"/dev/video2:320x240@15Hz,format=mjpeg", sourceSpec{kind: "webcam", path: "/dev/video2", w: 320, h: 240, rate: 15 * hz, format: WebcamMJPEG}},
		{"webcam,format=yuyv", sourceSpec{kind: "webcam", format: WebcamYUYV}},
		{"testdata/frames.y4m", sourceSpec{kind: "y4m", path: "testdata/frames.y4m"}},
		{"testdata/frames.y4m,loop,fps=10", sourceSpec{kind: "y4m", path: "testdata/frames.y4m", loop: true, rate: 10 * hz}},
		{"phone.MP4:1280x0,fps=30,exe=/opt/ffmpeg", sourceSpec{kind: "video", path: "phone.MP4", w: 1280, rate: 30 * hz, exe: "/opt/ffmpeg"}},
		{"clip.webm,loop", sourceSpec{kind: "video", path: "clip.webm", loop: true}},
		{"testdata/frames.y4m:@10", sourceSpec{kind: "y4m", path: "testdata/frames.y4m", rate: 10 * hz}},
		{"testdata/frames.i420:80x60", sourceSpec{kind: "i420", path: "testdata/frames.i420", w: 80, h: 60}},
		{"rec.yuv:780x360@30,stride=832,loop", sourceSpec{kind: "i420", path: "rec.yuv", w: 780, h: 360, rate: 30 * hz, stride: 832, loop: true}},
		{"testdata/images/0000.png,loop", sourceSpec{kind: "image", path: "testdata/images/0000.png", loop: true}},
		{"x.JPG", sourceSpec{kind: "image", path: "x.JPG"}},
		{"testdata/images", sourceSpec{kind: "dir", path: "testdata/images"}},
		{"testdata/images/", sourceSpec{kind: "dir", path: "testdata/images/"}},
		{"-", sourceSpec{kind: "stdin"}},
		{"-,fps=5", sourceSpec{kind: "stdin", rate: 5 * hz}},
	}
	for _, tc := range cases {
		got, err := parseSpec(tc.spec)
		if err != nil {
			t.Errorf("%q: %v", tc.spec, err)
			continue
		}
		if !reflect.DeepEqual(*got, tc.want) {
			t.Errorf("%q: got %+v, want %+v", tc.spec, *got, tc.want)
		}
	}
}

func TestParseSpecErrors(t *testing.T) {
	cases := []struct{ spec, want string }{
		{"rpicam:0x480", "a size of 0 (keep the aspect ratio) applies to video files only"},
		{"clip.mp4:0x0", `bad size "0x0"`},
		{"clip.mp4,stride=64", "stride applies to rpicam and .i420 files only"},
		{"clip.mp4,format=mjpeg", "format applies to webcams only"},
		{"rpicam:640x480@fast", `bad rate "fast"`},
		{"rpicam,loop", "loop applies to recordings only"},
		{"rpicam,format=mjpeg", "format applies to webcams only"},
		{"rpicam,fps=-3", "negative rate"},
		{"rpicam,fps=3kg", `option "fps=3kg"`},
		{"rpicam,stride=0", "stride must be from 1 to 32768"},
		{"rpicam,exe=", "exe needs a program"},
		{"rpicam,zoom=2", `option "zoom=2": unknown option`},
		{"/dev/video0,stride=640", "stride applies to rpicam and .i420 files only"},
		{"/dev/video0,format=rgb", "format is yuyv or mjpeg"},
		{"/dev/video0,exe=x", "exe applies to rpicam and video files only"},
		{"testdata/frames.i420", "a raw I420 file needs its size: testdata/frames.i420:WxH"},
		{"testdata/frames.y4m:80x60", "the size of a y4m recording comes from the file"},
		{"testdata/frames.y4m,loop=yes", "loop takes no value"},
		{"-,loop", "standard input cannot loop"},
		{"nothing-here", `camera: "nothing-here" is no camera, and stat nothing-here: no such file or directory`},
		{"testdata/images/notes.txt", "unknown recording type"},
	}
	for _, tc := range cases {
		_, err := parseSpec(tc.spec)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "camera: ") {
			t.Errorf("%q: got %v, want %q", tc.spec, err, tc.want)
		}
	}
}

func TestOpenRecordings(t *testing.T) {
	cases := []struct {
		spec string
		n    int // frames before io.EOF
		tol  int
		mono bool
		rate physic.Frequency
	}{
		{"testdata/frames.y4m", fixN, 0, false, 0},
		{"testdata/frames_mono.y4m,fps=1000", fixN, 0, true, 1000 * physic.Hertz},
		{"testdata/frames_444alpha.y4m", fixN, 0, false, 0},
		{"testdata/frames.i420:80x60", fixN, 0, false, 0},
		{"testdata/frames_rpicam.i420:80x60@500,stride=128", fixN, 0, false, 500 * physic.Hertz},
		{"testdata/images", 3, 16, false, 0},
		{"testdata/images/0000.png", 1, 3, false, 0},
	}
	for _, tc := range cases {
		t.Run(tc.spec, func(t *testing.T) {
			s, err := Open(tc.spec)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if fr, ok := s.(FrameRater); !ok || fr.FrameRate() != tc.rate {
				t.Fatalf("FrameRater: %v", tc.rate)
			}
			dst := NewFrame(s)
			for i := 0; i < tc.n; i++ {
				if err := s.Capture(dst); err != nil {
					t.Fatal(err)
				}
				checkFixture(t, dst, i, tc.tol, tc.mono)
			}
			if err := s.Capture(dst); err != io.EOF {
				t.Fatalf("got %v, want io.EOF", err)
			}
		})
	}
	// A still image, looped: the same frame for ever.
	s, err := Open("testdata/images/0001.png,loop")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	dst := NewFrame(s)
	for range 3 {
		if err := s.Capture(dst); err != nil {
			t.Fatal(err)
		}
		checkFixture(t, dst, 1, 3, false)
	}
}

func TestOpenAutoNothing(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	_, err := Open("")
	if devs, _ := filepath.Glob("/dev/video*"); len(devs) == 0 && !errors.Is(err, errNoCamera) {
		t.Fatalf("got %v, want errNoCamera", err)
	}
}
