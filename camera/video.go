package camera

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// VideoOpts configures OpenVideo.
type VideoOpts struct {
	ReplayOpts
	// Width and Height, when set, scale the frames to this size (a phone's
	// 3840x2160 to 1280x720, say: the extractor needs no more). One of
	// them 0 keeps the aspect ratio; both 0 keep the video's size.
	Width, Height int
	// Path is the decoder program; "" finds ffmpeg on $PATH.
	Path string
}

// VideoExts are the file name extensions that Open hands to OpenVideo:
// the containers phones, webcams and screen recorders write. A GIF is not
// one of them: it is read as an image (ImageExts), its first frame, by
// Open and by edgeconv read alike.
var VideoExts = []string{".mp4", ".m4v", ".mov", ".mkv", ".webm", ".avi", ".mpg", ".mpeg", ".ts", ".mts", ".3gp", ".ogv", ".flv", ".wmv", ".mjpeg", ".mjpg", ".h264", ".hevc"}

// IsVideoFile reports whether the file name has one of VideoExts (in any
// case): a file that Open plays through ffmpeg.
func IsVideoFile(name string) bool {
	return slices.Contains(VideoExts, strings.ToLower(filepath.Ext(name)))
}

// Video is a Replay of a video file that ffmpeg decodes.
type Video struct {
	*Replay
	proc *videoProc
}

// OpenVideo plays the video file at path (MP4, MOV, MKV, WebM, AVI and
// anything else ffmpeg reads) by running ffmpeg, which decodes it to a
// YUV4MPEG2 stream of 4:2:0 frames on a pipe, upright (ffmpeg applies a
// phone's rotation tag) and scaled when o asks; the frames are then read
// as NewY4M reads them, so they cost no allocation either. Video decoding
// is not written here: codecs are ffmpeg's job, and a Pi that replays
// recordings can install it (Debian's ffmpeg package). Loop has ffmpeg
// play the file again and again.
//
// A file ffmpeg cannot read is an error that carries ffmpeg's own message;
// so is a stream that ends early because decoding failed. Close stops
// ffmpeg and reaps it; it dies with the calling process too (on Linux).
func OpenVideo(path string, o *VideoOpts) (*Video, error) {
	if o == nil {
		o = &VideoOpts{}
	}
	if o.Width < 0 || o.Height < 0 || o.Width > maxDim || o.Height > maxDim {
		return nil, fmt.Errorf("camera: %s: scale to %dx%d: sides from 0 to %d", path, o.Width, o.Height, maxDim)
	}
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("camera: %w", err)
	}
	prog := o.Path
	if prog == "" {
		prog = "ffmpeg"
	}
	exe, err := exec.LookPath(prog)
	if err != nil {
		return nil, fmt.Errorf("camera: %s: playing a video file needs ffmpeg (apt-get install ffmpeg), or convert it "+
			"to YUV4MPEG2 elsewhere with: ffmpeg -i %s -pix_fmt yuv420p out.y4m (%w)", path, path, err)
	}
	p, err := startVideoProc(exe, path, o)
	if err != nil {
		return nil, err
	}
	ro := o.ReplayOpts
	ro.Loop = false // ffmpeg loops; the pipe cannot rewind
	r, err := newY4M(path, p, p, &ro)
	if err != nil {
		p.Close()
		if msg := p.stderr.tail(); msg != "" {
			return nil, fmt.Errorf("camera: %s: ffmpeg cannot play it: %s", path, msg)
		}
		return nil, err
	}
	return &Video{Replay: r, proc: p}, nil
}

// Close stops ffmpeg first, so that a Capture blocked on the pipe returns,
// then closes the Replay, which reaps it.
func (v *Video) Close() error {
	v.proc.kill()
	return v.Replay.Close()
}

// ffmpegArgs returns ffmpeg's arguments to decode path for o.
func ffmpegArgs(path string, o *VideoOpts) []string {
	args := []string{"-nostdin", "-hide_banner", "-loglevel", "error"}
	if o.Loop {
		args = append(args, "-stream_loop", "-1")
	}
	args = append(args, "-i", path, "-map", "0:v:0", "-an", "-sn", "-dn")
	if o.Width > 0 || o.Height > 0 {
		w, h := o.Width, o.Height
		// -2: keep the aspect ratio, with an even side for 4:2:0.
		if w == 0 {
			w = -2
		}
		if h == 0 {
			h = -2
		}
		args = append(args, "-vf", "scale="+strconv.Itoa(w)+":"+strconv.Itoa(h))
	}
	return append(args, "-pix_fmt", "yuv420p", "-f", "yuv4mpegpipe", "-")
}

// videoProc is a running ffmpeg and the read end of its output pipe. At the
// end of the stream it waits for ffmpeg, and a failure becomes the reader's
// error instead of a silent io.EOF.
type videoProc struct {
	path   string
	cmd    *exec.Cmd
	out    *os.File
	stderr *tailBuffer

	waitOnce sync.Once
	waitErr  error
	killed   bool
	mu       sync.Mutex
}

func startVideoProc(exe, path string, o *VideoOpts) (*videoProc, error) {
	pr, pw, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("camera: %w", err)
	}
	p := &videoProc{path: path, out: pr, stderr: &tailBuffer{}}
	p.cmd = exec.Command(exe, ffmpegArgs(path, o)...)
	p.cmd.Stdout = pw
	p.cmd.Stderr = p.stderr
	dieWithParent(p.cmd)
	if err := p.cmd.Start(); err != nil {
		pr.Close()
		pw.Close()
		return nil, fmt.Errorf("camera: %s: starting ffmpeg: %w", path, err)
	}
	pw.Close() // the child holds its copy
	growPipe(pr, 1<<20)
	return p, nil
}

// Read implements io.Reader.
func (p *videoProc) Read(b []byte) (int, error) {
	n, err := p.out.Read(b)
	if err == io.EOF {
		if werr := p.wait(); werr != nil {
			return n, werr
		}
	}
	return n, err
}

// wait reaps ffmpeg once and says why it failed, if it did and was not
// stopped by kill.
func (p *videoProc) wait() error {
	p.waitOnce.Do(func() {
		err := p.cmd.Wait()
		p.mu.Lock()
		killed := p.killed
		p.mu.Unlock()
		var ee *exec.ExitError
		if err != nil && !(killed && errors.As(err, &ee)) {
			msg := p.stderr.tail()
			if msg == "" {
				msg = err.Error()
			}
			p.waitErr = fmt.Errorf("camera: %s: ffmpeg failed: %s", p.path, strings.TrimSpace(msg))
		}
	})
	return p.waitErr
}

// kill stops ffmpeg (it may be blocked writing to the pipe).
func (p *videoProc) kill() {
	p.mu.Lock()
	p.killed = true
	p.mu.Unlock()
	p.cmd.Process.Kill()
}

// Close stops ffmpeg, reaps it and closes the pipe.
func (p *videoProc) Close() error {
	p.kill()
	p.out.Close()
	p.wait()
	return nil
}

// IsRecording reports whether s plays a recording (a Replay or a Video)
// rather than a live camera: its frames do not go stale while they wait,
// so a consumer can take every one instead of the newest.
func IsRecording(s Source) bool {
	switch s.(type) {
	case *Replay, *Video:
		return true
	}
	return false
}
