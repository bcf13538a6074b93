// Command fakerpicam stands in for rpicam-vid in the tests of package camera.
//
// It accepts exactly the command line that camera.RPiCam runs,
//
//	rpicam-vid -t 0 -n --codec yuv420 --width W --height H --framerate F --flush [extra...] -o -
//
// and writes I420 frames to its standard output the way rpicam-vid does: Y
// rows padded to a stride of W rounded up to 64 bytes, then U and V planes of
// half that stride, padding filled with 0xEE. The frames come from a packed
// I420 file of W×H frames, played in a loop. It knows nothing of package
// camera, so that it checks camera's parsing rather than sharing its bugs.
//
// The environment steers it:
//
//	FAKERPICAM_FRAMES      packed I420 file to play (required)
//	FAKERPICAM_ARGS        if set, the exact arguments expected, joined by spaces
//	FAKERPICAM_STRIDE      Y stride to write instead of the rule
//	FAKERPICAM_COUNT       exit 0 after this many frames
//	FAKERPICAM_DIE_AFTER   exit 3 after this many frames, complaining on stderr
//	FAKERPICAM_STALL_AFTER stop writing (but stay alive) after this many frames
//	FAKERPICAM_SHORT_AFTER write half a frame after this many frames, then exit 0
//	FAKERPICAM_IGNORE_INT  if 1, ignore SIGINT (so that only SIGKILL stops it)
//	FAKERPICAM_PIDFILE     append the process id to this file
//
// A wrong command line exits 2 with a message on stderr, as rpicam-vid does.
package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"time"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if want, ok := os.LookupEnv("FAKERPICAM_ARGS"); ok {
		if got := strings.Join(args, " "); got != want {
			fmt.Fprintf(stderr, "fakerpicam: arguments %q, want %q\n", got, want)
			return 2
		}
	}
	w, h, err := parseArgs(args)
	if err != nil {
		fmt.Fprintf(stderr, "fakerpicam: %v\n", err)
		return 2
	}
	if p := os.Getenv("FAKERPICAM_PIDFILE"); p != "" {
		f, err := os.OpenFile(p, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err != nil {
			fmt.Fprintf(stderr, "fakerpicam: %v\n", err)
			return 1
		}
		fmt.Fprintln(f, os.Getpid())
		f.Close()
	}
	if os.Getenv("FAKERPICAM_IGNORE_INT") == "1" {
		signal.Ignore(os.Interrupt)
	}
	data, err := os.ReadFile(os.Getenv("FAKERPICAM_FRAMES"))
	if err != nil {
		fmt.Fprintf(stderr, "fakerpicam: FAKERPICAM_FRAMES: %v\n", err)
		return 1
	}
	cw, ch := (w+1)/2, (h+1)/2
	packed := w*h + 2*cw*ch
	if len(data) == 0 || len(data)%packed != 0 {
		fmt.Fprintf(stderr, "fakerpicam: %d bytes is not a whole number of %dx%d frames\n", len(data), w, h)
		return 1
	}
	stride := (w + 63) &^ 63
	if s := envInt("FAKERPICAM_STRIDE"); s > 0 {
		stride = s
	}
	frames := make([][]byte, len(data)/packed)
	for i := range frames {
		frames[i] = pad(data[i*packed:(i+1)*packed], w, h, stride)
	}
	count := envInt("FAKERPICAM_COUNT")
	die := envInt("FAKERPICAM_DIE_AFTER")
	stall := envInt("FAKERPICAM_STALL_AFTER")
	short := envInt("FAKERPICAM_SHORT_AFTER")
	fmt.Fprintf(stderr, "fakerpicam: streaming %dx%d, stride %d\n", w, h, stride)
	out := bufio.NewWriterSize(stdout, 1<<16)
	for n := 0; ; n++ {
		switch n {
		case count:
			return flush(out, stderr, 0)
		case die:
			out.Flush()
			fmt.Fprintf(stderr, "ERROR: *** camera went away after %d frames ***\n", n)
			return 3
		case stall:
			out.Flush()
			fmt.Fprintf(stderr, "fakerpicam: stalling after %d frames\n", n)
			for {
				time.Sleep(time.Hour)
			}
		case short:
			f := frames[n%len(frames)]
			out.Write(f[:len(f)/2])
			return flush(out, stderr, 0)
		}
		if _, err := out.Write(frames[n%len(frames)]); err != nil {
			return 1 // The reader went away.
		}
		if err := out.Flush(); err != nil { // --flush: one write per frame.
			return 1
		}
	}
}

func flush(out *bufio.Writer, stderr io.Writer, code int) int {
	if err := out.Flush(); err != nil {
		fmt.Fprintf(stderr, "fakerpicam: %v\n", err)
		return 1
	}
	return code
}

// parseArgs checks the command line and returns the frame size.
func parseArgs(args []string) (w, h int, err error) {
	fixed := []string{"-t", "0", "-n", "--codec", "yuv420", "--width", "", "--height", "", "--framerate", "", "--flush"}
	if len(args) < len(fixed)+2 {
		return 0, 0, fmt.Errorf("too few arguments: %q", args)
	}
	for i, f := range fixed {
		if f != "" && args[i] != f {
			return 0, 0, fmt.Errorf("argument %d is %q, want %q", i, args[i], f)
		}
	}
	if w, err = strconv.Atoi(args[6]); err != nil || w <= 0 {
		return 0, 0, fmt.Errorf("bad --width %q", args[6])
	}
	if h, err = strconv.Atoi(args[8]); err != nil || h <= 0 {
		return 0, 0, fmt.Errorf("bad --height %q", args[8])
	}
	if f, err := strconv.ParseFloat(args[10], 64); err != nil || f <= 0 {
		return 0, 0, fmt.Errorf("bad --framerate %q", args[10])
	}
	if tail := args[len(args)-2:]; tail[0] != "-o" || tail[1] != "-" {
		return 0, 0, fmt.Errorf("output is %q, want -o -", tail)
	}
	return w, h, nil
}

// pad lays out a packed I420 frame with Y rows of stride bytes and chroma
// rows of (stride+1)/2 bytes.
func pad(packed []byte, w, h, stride int) []byte {
	cw, ch := (w+1)/2, (h+1)/2
	cs := (stride + 1) / 2
	var b bytes.Buffer
	row := func(src []byte, n int) {
		b.Write(src)
		for range n - len(src) {
			b.WriteByte(0xEE)
		}
	}
	for y := range h {
		row(packed[y*w:(y+1)*w], stride)
	}
	c := packed[w*h:]
	for y := range 2 * ch {
		row(c[y*cw:(y+1)*cw], cs)
	}
	return b.Bytes()
}

// envInt returns the integer in the environment variable, or -1.
func envInt(name string) int {
	n, err := strconv.Atoi(os.Getenv(name))
	if err != nil {
		return -1
	}
	return n
}
