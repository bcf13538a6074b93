package camera

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"periph.io/x/conn/v3/physic"
)

// Open opens the source that spec names, for command-line flags such as
// edgeconv's --source. The syntax is
//
//	spec   = [source] {"," option}
//	source = "rpicam" [":" mode]       a Pi camera through rpicam-vid (or libcamera-vid)
//	       | "/dev/videoN" [":" mode]  a V4L2 webcam
//	       | "webcam" [":" mode]       the first V4L2 webcam
//	       | path [":" mode]           a recording: see below
//	       | "-"                       a Y4M stream on standard input
//	mode   = [W "x" H] ["@" rate]      e.g. 640x480@30, 1280x720, @7.5
//	option = "loop" | "fps=" rate | "stride=" N | "format=" ("yuyv" | "mjpeg") | "exe=" program
//
// A rate is a frequency in hertz as physic.Frequency parses it: "30", "7.5",
// "30Hz". The recording a path names depends on what it is:
//
//	name.y4m                   YUV4MPEG2 (size and rate from its header)
//	name.i420:WxH, name.yuv:WxH  raw I420; the size is required
//	name.png, name.jpg         one image
//	folder                     the .png and .jpg files in it, sorted by name
//	name.mp4, .mov, .mkv, ...  a video file (VideoExts), decoded by ffmpeg
//	                           (OpenVideo); :WxH scales it, W or H 0 keeping
//	                           the aspect ratio
//
// For recordings, @rate and fps= pace the playback (default: as fast as
// asked) and loop plays it again and again (default: io.EOF at the end).
// For cameras they set the frame rate asked (default 30 Hz for rpicam, the
// driver's for webcams). stride= gives the Y row stride of rpicam-vid's
// frames or of an I420 file (see RPiCamStride); format= picks a webcam's
// pixel format; exe= names the camera program instead of rpicam-vid, or the
// decoder instead of ffmpeg. A path cannot contain a comma.
//
// The empty spec opens the first camera found: rpicam-vid if it is
// installed (or libcamera-vid), else the first V4L2 webcam.
//
// Examples:
//
//	rpicam:640x480@30
//	rpicam:1280x720@15,stride=1280
//	/dev/video0:640x480,format=mjpeg
//	testdata/digits.y4m,loop,fps=10
//	phone.mp4:1280x0,fps=30
//	rec.i420:780x360,stride=832
//	frames/,loop
func Open(spec string) (SourceCloser, error) {
	s, err := parseSpec(spec)
	if err != nil {
		return nil, err
	}
	return s.open()
}

// sourceSpec is a parsed Open spec.
type sourceSpec struct {
	kind   string // "auto", "rpicam", "webcam", "y4m", "i420", "image", "dir", "stdin", "video"
	path   string // device or file
	w, h   int
	rate   physic.Frequency
	loop   bool
	stride int
	format WebcamFormat
	exe    string
}

func parseSpec(spec string) (*sourceSpec, error) {
	parts := strings.Split(spec, ",")
	src, opts := parts[0], parts[1:]
	s := &sourceSpec{}
	name, mode := src, ""
	if i := strings.LastIndexByte(src, ':'); i >= 0 && isMode(src[i+1:]) {
		name, mode = src[:i], src[i+1:]
	}
	if mode != "" {
		if err := s.parseMode(mode); err != nil {
			return nil, fmt.Errorf("camera: %q: %w", spec, err)
		}
	}
	switch {
	case name == "":
		s.kind = "auto"
	case name == "rpicam" || name == "libcamera":
		s.kind = "rpicam"
	case name == "webcam" || name == "v4l2":
		s.kind = "webcam"
	case strings.HasPrefix(name, "/dev/video"):
		s.kind, s.path = "webcam", name
	case name == "-":
		s.kind = "stdin"
	default:
		s.path = name
		switch strings.ToLower(filepath.Ext(name)) {
		case ".y4m":
			s.kind = "y4m"
		case ".i420", ".yuv":
			s.kind = "i420"
		default:
			if IsImageFile(name) {
				s.kind = "image"
				break
			}
			if IsVideoFile(name) {
				s.kind = "video"
				break
			}
			fi, err := os.Stat(name)
			if err != nil {
				return nil, fmt.Errorf("camera: %q is no camera, and %w", spec, err)
			}
			if !fi.IsDir() {
				return nil, fmt.Errorf("camera: %q: unknown recording type (.y4m, .i420, .yuv, an image such as .png or .jpg, a video file such as .mp4, or a folder)", spec)
			}
			s.kind = "dir"
		}
	}
	for _, o := range opts {
		key, val, hasVal := strings.Cut(o, "=")
		var err error
		switch key {
		case "loop":
			if hasVal {
				err = fmt.Errorf("loop takes no value")
			}
			s.loop = true
		case "fps":
			err = s.rate.Set(val)
			if err == nil && s.rate < 0 {
				err = fmt.Errorf("negative rate")
			}
		case "stride":
			s.stride, err = strconv.Atoi(val)
			if err == nil && (s.stride <= 0 || s.stride > 2*maxDim) {
				err = fmt.Errorf("stride must be from 1 to %d", 2*maxDim)
			}
		case "format":
			s.format = WebcamFormat(val)
			if s.format != WebcamYUYV && s.format != WebcamMJPEG {
				err = fmt.Errorf("format is yuyv or mjpeg")
			}
		case "exe":
			s.exe = val
			if val == "" {
				err = fmt.Errorf("exe needs a program")
			}
		default:
			err = fmt.Errorf("unknown option")
		}
		if err != nil {
			return nil, fmt.Errorf("camera: %q: option %q: %w", spec, o, err)
		}
	}
	if err := s.check(); err != nil {
		return nil, fmt.Errorf("camera: %q: %w", spec, err)
	}
	return s, nil
}

// isMode reports whether m looks like a mode: "WxH", "WxH@rate" or "@rate".
func isMode(m string) bool {
	size, _, _ := strings.Cut(m, "@")
	if size == "" {
		return strings.HasPrefix(m, "@")
	}
	w, h, ok := strings.Cut(size, "x")
	return ok && isDigits(w) && isDigits(h)
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

func (s *sourceSpec) parseMode(m string) error {
	size, rate, hasRate := strings.Cut(m, "@")
	if size != "" {
		w, h, _ := strings.Cut(size, "x")
		var err1, err2 error
		s.w, err1 = strconv.Atoi(w)
		s.h, err2 = strconv.Atoi(h)
		if err1 != nil || err2 != nil || s.w < 0 || s.h < 0 || s.w+s.h == 0 || s.w > maxDim || s.h > maxDim {
			return fmt.Errorf("bad size %q (sides from 1 to %d)", size, maxDim)
		}
	}
	if hasRate {
		if err := s.rate.Set(rate); err != nil || s.rate < 0 {
			return fmt.Errorf("bad rate %q", rate)
		}
	}
	return nil
}

// check rejects options that do not apply to the source.
func (s *sourceSpec) check() error {
	replay := s.kind != "auto" && s.kind != "rpicam" && s.kind != "webcam"
	switch {
	case s.loop && !replay:
		return fmt.Errorf("loop applies to recordings only")
	case s.loop && s.kind == "stdin":
		return fmt.Errorf("standard input cannot loop")
	case s.stride != 0 && s.kind != "rpicam" && s.kind != "i420":
		return fmt.Errorf("stride applies to rpicam and .i420 files only")
	case s.format != "" && s.kind != "webcam":
		return fmt.Errorf("format applies to webcams only")
	case s.exe != "" && s.kind != "rpicam" && s.kind != "video":
		return fmt.Errorf("exe applies to rpicam and video files only")
	case s.kind == "i420" && (s.w == 0 || s.h == 0):
		return fmt.Errorf("a raw I420 file needs its size: %s:WxH", s.path)
	case replay && s.kind != "i420" && s.kind != "video" && s.w+s.h != 0:
		return fmt.Errorf("the size of a %s recording comes from the file", s.kind)
	case (s.w == 0) != (s.h == 0) && s.kind != "video":
		return fmt.Errorf("a size of 0 (keep the aspect ratio) applies to video files only")
	}
	return nil
}

func (s *sourceSpec) open() (SourceCloser, error) {
	ro := &ReplayOpts{Loop: s.loop, FrameRate: s.rate}
	switch s.kind {
	case "auto":
		if _, err := findRPiCam(""); err == nil {
			return NewRPiCam(s.rpicamOpts())
		}
		c, err := NewWebcam(s.webcamOpts())
		if err != nil {
			return nil, fmt.Errorf("%w (no rpicam-vid, and no webcam: %v)", errNoCamera, err)
		}
		return c, nil
	case "rpicam":
		return NewRPiCam(s.rpicamOpts())
	case "webcam":
		return NewWebcam(s.webcamOpts())
	case "y4m":
		return OpenY4M(s.path, ro)
	case "i420":
		return OpenI420(s.path, s.w, s.h, s.stride, ro)
	case "image":
		return OpenImages([]string{s.path}, ro)
	case "dir":
		return OpenDir(s.path, ro)
	case "video":
		return OpenVideo(s.path, &VideoOpts{ReplayOpts: *ro, Width: s.w, Height: s.h, Path: s.exe})
	case "stdin":
		r, err := NewY4M(os.Stdin, ro)
		if err != nil {
			return nil, err
		}
		r.name = "stdin"
		return r, nil
	}
	return nil, fmt.Errorf("camera: unknown source kind %q", s.kind)
}

func (s *sourceSpec) rpicamOpts() *RPiCamOpts {
	return &RPiCamOpts{Path: s.exe, Width: s.w, Height: s.h, FrameRate: s.rate, Stride: s.stride}
}

func (s *sourceSpec) webcamOpts() *WebcamOpts {
	return &WebcamOpts{Device: s.path, Width: s.w, Height: s.h, FrameRate: s.rate, Format: s.format}
}
