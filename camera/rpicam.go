package camera

import (
	"errors"
	"fmt"
	"image"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"periph.io/x/conn/v3/physic"
)

// RPiCamOpts configures an RPiCam. The zero value asks for 640x480 at 30 Hz
// from rpicam-vid.
type RPiCamOpts struct {
	// Path is the camera program: a name looked up on PATH, or a path. ""
	// means rpicam-vid, or libcamera-vid where only that older name is
	// installed. Tests point it at a stand-in.
	Path string
	// Width and Height are the frame size; 0 means 640x480. Widths that are
	// multiples of 64 avoid padded rows (see RPiCamStride).
	Width, Height int
	// FrameRate is passed as --framerate; 0 means 30 Hz.
	FrameRate physic.Frequency
	// Stride is the Y row stride of the frames the program writes; 0 means
	// RPiCamStride(Width).
	Stride int
	// Args are extra arguments, put before "-o -": e.g. "--camera", "1" or
	// "--hflip".
	Args []string
	// Env holds extra environment variables (KEY=value) for the program.
	Env []string
	// StartTimeout bounds the wait for the first frame after the program
	// starts (the camera takes a second or two to start); 0 means 10 s.
	StartTimeout time.Duration
	// FrameTimeout bounds the wait for each later frame; 0 means 2 s plus
	// four frame periods. A program that stalls longer is stopped and
	// Capture returns an error matching ErrDisconnected.
	FrameTimeout time.Duration
	// StopTimeout is how long Halt and Close wait for the program to exit
	// after SIGINT before they kill it; 0 means 2 s.
	StopTimeout time.Duration
}

// RPiCam is a Source reading a Raspberry Pi camera through rpicam-vid.
//
// It runs
//
//	rpicam-vid -t 0 -n --codec yuv420 --width W --height H --framerate F --flush [Args...] -o -
//
// and reads the I420 frames it writes to a pipe, Y, U (Cb) and V (Cr)
// planes, which are the planes of a 4:2:0 frame once the padding of their
// rows is dropped (see the stride rule in the package documentation).
//
// If the program dies or stalls, Capture returns an *ExitError (which
// matches ErrDisconnected) carrying the tail of the program's stderr, and
// the next Capture starts it again at once: the caller paces its retries
// (firmware's loop backs off), as it does for a Webcam that reopens. Halt
// stops the program (the next Capture restarts it); Close stops it for good.
// The program is always reaped: no zombie outlives Halt or Close.
type RPiCam struct {
	path string
	prog string // base name, for messages
	args []string
	env  []string
	device
	lay   i420Layout
	start time.Duration
	frame time.Duration
	stop  time.Duration

	buf []byte // one frame as the program writes it; intr.capMu guards it

	intr  *interrupts
	mu    sync.Mutex // guards child; taken before intr's
	child *rpicamChild
}

// ExitError reports that the camera program died, stalled or wrote a
// malformed stream, or that a webcam stopped delivering frames. It matches
// ErrDisconnected.
type ExitError struct {
	// Prog is the program's name, e.g. "rpicam-vid", or the device's path.
	Prog string
	// Frames is the number of whole frames read from this run.
	Frames int
	// Err is what happened: the exit status (an *exec.ExitError), a time-out,
	// a truncated frame.
	Err error
	// Stderr is the end of the program's standard error.
	Stderr string
}

func (e *ExitError) Error() string {
	s := fmt.Sprintf("camera: %s stopped after %d frames: %v", e.Prog, e.Frames, e.Err)
	if e.Stderr != "" {
		s += " (stderr: " + e.Stderr + ")"
	}
	return s
}

// Unwrap returns Err.
func (e *ExitError) Unwrap() error {
	return e.Err
}

// Is reports whether target is ErrDisconnected.
func (e *ExitError) Is(target error) bool {
	return target == ErrDisconnected
}

// NewRPiCam finds the camera program and starts it.
func NewRPiCam(o *RPiCamOpts) (*RPiCam, error) {
	if o == nil {
		o = &RPiCamOpts{}
	}
	c := &RPiCam{
		device: device{w: o.Width, h: o.Height, rate: o.FrameRate},
		start:  o.StartTimeout, frame: o.FrameTimeout, stop: o.StopTimeout,
		intr: newInterrupts(),
	}
	if c.w == 0 && c.h == 0 {
		c.w, c.h = 640, 480
	}
	if c.rate == 0 {
		c.rate = 30 * physic.Hertz
	}
	if c.rate < 0 {
		return nil, fmt.Errorf("camera: bad frame rate %v", c.rate)
	}
	stride := o.Stride
	if stride == 0 {
		stride = RPiCamStride(c.w)
	}
	var err error
	if c.lay, err = newI420Layout(c.w, c.h, stride); err != nil {
		return nil, err
	}
	if c.start <= 0 {
		c.start = 10 * time.Second
	}
	if c.frame <= 0 {
		c.frame = 2*time.Second + 4*c.rate.Period()
	}
	if c.stop <= 0 {
		c.stop = 2 * time.Second
	}
	if c.path, err = findRPiCam(o.Path); err != nil {
		return nil, err
	}
	c.prog = filepath.Base(c.path)
	c.args = append([]string{
		"-t", "0", "-n", "--codec", "yuv420",
		"--width", strconv.Itoa(c.w), "--height", strconv.Itoa(c.h),
		"--framerate", formatHz(c.rate), "--flush",
	}, o.Args...)
	c.args = append(c.args, "-o", "-")
	c.env = o.Env
	c.name = fmt.Sprintf("%s %dx%d@%v", c.prog, c.w, c.h, c.rate)
	c.buf = make([]byte, c.lay.frameSize())
	ch, err := c.startChild()
	if err != nil {
		return nil, err
	}
	c.child = ch
	return c, nil
}

// findRPiCam returns the path of the camera program.
func findRPiCam(path string) (string, error) {
	if path != "" {
		p, err := exec.LookPath(path)
		if err != nil {
			return "", fmt.Errorf("camera: %w", err)
		}
		return p, nil
	}
	for _, name := range []string{"rpicam-vid", "libcamera-vid"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("%w: neither rpicam-vid nor libcamera-vid is on PATH (install rpicam-apps)", errNoCamera)
}

// formatHz formats a frequency in hertz for the command line: "30", "7.5".
func formatHz(f physic.Frequency) string {
	return strconv.FormatFloat(float64(f)/float64(physic.Hertz), 'f', -1, 64)
}

// Args returns the program's path and arguments.
func (c *RPiCam) Args() []string {
	return append([]string{c.path}, c.args...)
}

// Capture implements Source.
func (c *RPiCam) Capture(dst *image.YCbCr) error {
	halt, err := c.intr.beginCapture(dst, c.w, c.h)
	if err != nil {
		return err
	}
	defer c.intr.capMu.Unlock()
	c.mu.Lock()
	ch := c.child
	c.mu.Unlock()
	if ch == nil {
		var err error
		if ch, err = c.restart(halt); err != nil {
			return err
		}
	}
	timeout := c.frame
	if ch.frames == 0 {
		timeout = c.start
	}
	if err := ch.out.SetReadDeadline(time.Now().Add(timeout)); err != nil {
		return c.fail(ch, err, timeout)
	}
	if _, err := io.ReadFull(ch.out, c.buf); err != nil {
		return c.fail(ch, err, timeout)
	}
	ch.frames++
	c.lay.copyTo(dst, c.buf)
	return nil
}

// restart starts the program again.
func (c *RPiCam) restart(halt <-chan struct{}) (*rpicamChild, error) {
	ch, err := c.startChild()
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	err = c.intr.since(halt)
	if err == nil {
		c.child = ch
	}
	c.mu.Unlock()
	if err != nil {
		ch.halt(c.stop)
		return nil, err
	}
	return ch, nil
}

// fail handles a failed read from ch.
func (c *RPiCam) fail(ch *rpicamChild, err error, timeout time.Duration) error {
	c.mu.Lock()
	halted := ch.halted
	if c.child == ch {
		c.child = nil
	}
	c.mu.Unlock()
	if closed := c.intr.isClosed(); closed || halted {
		ch.halt(c.stop) // Already done by Halt or Close; this waits for it.
		if closed {
			return ErrClosed
		}
		return ErrHalted
	}
	timedOut := errors.Is(err, os.ErrDeadlineExceeded)
	if !timedOut {
		// The pipe ended: the program is exiting; let it, to learn why.
		t := time.NewTimer(c.stop)
		select {
		case <-ch.done:
		case <-t.C:
		}
		t.Stop()
	}
	ch.halt(c.stop)
	e := &ExitError{Prog: c.prog, Frames: ch.frames, Stderr: ch.stderr.tail()}
	switch {
	case timedOut:
		e.Err = fmt.Errorf("no frame for %v", timeout)
	case err == io.ErrUnexpectedEOF:
		if ch.err != nil {
			e.Err = fmt.Errorf("%v, in the middle of a frame", ch.err)
		} else {
			e.Err = errors.New("stream ended in the middle of a frame")
		}
	case ch.err != nil:
		e.Err = ch.err
	case err == io.EOF:
		e.Err = errors.New("program exited")
	default:
		e.Err = err
	}
	return e
}

// Halt implements conn.Resource: it stops the program, interrupting a
// blocked Capture (which returns ErrHalted). The next Capture starts it
// again.
func (c *RPiCam) Halt() error {
	c.intr.halt()
	c.stopChild()
	return nil
}

// Close implements io.Closer: it stops the program and waits for it to
// exit.
func (c *RPiCam) Close() error {
	if c.intr.close() {
		c.stopChild()
	}
	return nil
}

// stopChild stops the running program, if any, and waits for it to exit.
// A Capture reading from it gets ErrHalted, or ErrClosed after Close.
func (c *RPiCam) stopChild() {
	c.mu.Lock()
	ch := c.child
	c.child = nil
	if ch != nil {
		ch.halted = true
	}
	c.mu.Unlock()
	if ch != nil {
		ch.halt(c.stop)
	}
}

// pid returns the process id of the running program, or 0.
func (c *RPiCam) pid() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.child == nil {
		return 0
	}
	return c.child.cmd.Process.Pid
}

// rpicamChild is one run of the camera program.
type rpicamChild struct {
	cmd    *exec.Cmd
	out    *os.File // read end of its stdout
	stderr *tailBuffer
	frames int  // whole frames read; only Capture touches it
	halted bool // set by Halt or Close, under RPiCam.mu

	done chan struct{} // closed when Wait returned
	err  error         // what Wait returned, once done is closed
	once sync.Once
}

func (c *RPiCam) startChild() (*rpicamChild, error) {
	// An os.Pipe rather than cmd.StdoutPipe: Wait must not close the read
	// end under a reader, and the read end takes deadlines.
	r, w, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("camera: %w", err)
	}
	ch := &rpicamChild{
		cmd:    exec.Command(c.path, c.args...),
		out:    r,
		stderr: &tailBuffer{},
		done:   make(chan struct{}),
	}
	growPipe(w, c.lay.frameSize())
	ch.cmd.Stdout = w
	ch.cmd.Stderr = ch.stderr
	if len(c.env) > 0 {
		ch.cmd.Env = append(os.Environ(), c.env...)
	}
	ch.cmd.WaitDelay = time.Second
	dieWithParent(ch.cmd)
	err = ch.cmd.Start()
	w.Close()
	if err != nil {
		r.Close()
		return nil, fmt.Errorf("camera: %w", err)
	}
	go func() {
		ch.err = ch.cmd.Wait()
		close(ch.done)
	}()
	return ch, nil
}

// halt stops the program, SIGINT first (rpicam-vid then exits cleanly),
// SIGKILL after grace, reaps it and closes the pipe. It is idempotent, and a
// second caller waits for the first to finish.
func (ch *rpicamChild) halt(grace time.Duration) {
	ch.once.Do(func() {
		select {
		case <-ch.done:
		default:
			if err := ch.cmd.Process.Signal(os.Interrupt); err != nil {
				ch.cmd.Process.Kill()
			}
			t := time.NewTimer(grace)
			select {
			case <-ch.done:
			case <-t.C:
				ch.cmd.Process.Kill()
				<-ch.done
			}
			t.Stop()
		}
		ch.out.Close()
	})
}

// tailBuffer keeps the last bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	buf []byte
}

const tailMax = 2048

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if len(t.buf) > tailMax {
		t.buf = append(t.buf[:0], t.buf[len(t.buf)-tailMax:]...)
	}
	return len(p), nil
}

// tail returns the last few non-empty lines, joined by " | ".
func (t *tailBuffer) tail() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	var lines []string
	for _, l := range strings.Split(string(t.buf), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	if len(lines) > 4 {
		lines = lines[len(lines)-4:]
	}
	return strings.Join(lines, " | ")
}
