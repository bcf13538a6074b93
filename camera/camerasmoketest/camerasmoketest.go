// Package camerasmoketest checks a real camera: "edgeconv camera" calls
// Run on the Pi (or any machine with a webcam) and prints what it
// measured. With a record path it also writes the frames, in colour, to a
// Y4M file, which replays through camera.Open or camera.OpenY4M in tests.
package camerasmoketest

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"image"
	"io"
	"os"
	"time"

	"github.com/edgeconv/edgeconv/camera"
	"periph.io/x/conn/v3/physic"
)

// Opts configures Run.
type Opts struct {
	// Frames is the number of frames to capture and time; 0 means 30.
	Frames int
	// Record is a Y4M file to write the captured frames to; "" writes none.
	Record string
	// RecordRate is the rate written in the Y4M header; 0 means the source's
	// (camera.FrameRater), else 30 Hz.
	RecordRate physic.Frequency
}

// Result is what Run measured.
type Result struct {
	Size        image.Point
	First       time.Duration // the first Capture, which starts the camera
	Frames      int           // frames timed after the first
	Total       time.Duration // their total capture time
	Min, Max    time.Duration // the fastest and slowest of them
	MeanLuma    float64       // the mean pixel value of the last frame
	Contrast    int           // max-min pixel value of the last frame
	Repeats     int           // frames identical to the one before
	HaltRestart time.Duration // Halt, then the next Capture
	Recorded    int           // frames written to Opts.Record
}

// FPS returns the measured frame rate.
func (r *Result) FPS() float64 {
	if r.Total <= 0 {
		return 0
	}
	return float64(r.Frames) / r.Total.Seconds()
}

// Run captures from src, printing each step and its timing to w: the first
// frame (camera start), o.Frames frames (per-frame min/mean/max and the
// rate), a look at the picture (brightness, contrast, repeated frames), then
// Halt and one more Capture (the restart). Cancelling ctx halts src and
// returns ctx's error. Run does not close src.
func Run(ctx context.Context, src camera.Source, o *Opts, w io.Writer) (*Result, error) {
	if o == nil {
		o = &Opts{}
	}
	n := o.Frames
	if n <= 0 {
		n = 30
	}
	stop := context.AfterFunc(ctx, func() { src.Halt() })
	defer stop()
	res := &Result{Size: src.Bounds().Size()}
	var rate physic.Frequency
	if fr, ok := src.(camera.FrameRater); ok {
		rate = fr.FrameRate()
	}
	fmt.Fprintf(w, "source: %s (%dx%d, rate %v)\n", src, res.Size.X, res.Size.Y, rate)

	var rec *recorder
	if o.Record != "" {
		rr := o.RecordRate
		if rr == 0 {
			rr = rate
		}
		if rr == 0 {
			rr = 30 * physic.Hertz
		}
		var err error
		if rec, err = newRecorder(o.Record, res.Size, rr); err != nil {
			return res, err
		}
		defer rec.close()
	}
	capture := func(dst *image.YCbCr) (time.Duration, error) {
		t := time.Now()
		err := src.Capture(dst)
		d := time.Since(t)
		if err != nil {
			if ctx.Err() != nil {
				return d, ctx.Err()
			}
			return d, err
		}
		if rec != nil {
			if err := rec.w.WriteFrame(dst); err != nil {
				return d, fmt.Errorf("camerasmoketest: recording: %w", err)
			}
			res.Recorded++
		}
		return d, nil
	}

	cur, prev := camera.NewFrame(src), camera.NewFrame(src)
	d, err := capture(cur)
	if err != nil {
		return res, fmt.Errorf("camerasmoketest: first frame: %w", err)
	}
	res.First = d
	fmt.Fprintf(w, "first frame: %v\n", d.Round(time.Microsecond))
	for i := 0; i < n; i++ {
		cur, prev = prev, cur
		d, err := capture(cur)
		if err != nil {
			return res, fmt.Errorf("camerasmoketest: frame %d: %w", i+1, err)
		}
		res.Frames++
		res.Total += d
		if res.Frames == 1 || d < res.Min {
			res.Min = d
		}
		if d > res.Max {
			res.Max = d
		}
		if equal(cur, prev) {
			res.Repeats++
		}
	}
	fmt.Fprintf(w, "%d frames: %v, mean %v/frame (%.1f fps), min %v, max %v\n",
		res.Frames, res.Total.Round(time.Microsecond), (res.Total / time.Duration(res.Frames)).Round(time.Microsecond),
		res.FPS(), res.Min.Round(time.Microsecond), res.Max.Round(time.Microsecond))

	res.MeanLuma, res.Contrast = stats(cur)
	fmt.Fprintf(w, "picture: mean luma %.1f, contrast %d, %d repeated frames\n", res.MeanLuma, res.Contrast, res.Repeats)
	switch {
	case res.Contrast < 16:
		fmt.Fprintf(w, "warning: the picture is flat (lens cap? no light?)\n")
	case res.Repeats == res.Frames:
		fmt.Fprintf(w, "warning: every frame is the same as the one before: a frozen camera or a still recording\n")
	}

	t := time.Now()
	if err := src.Halt(); err != nil {
		return res, fmt.Errorf("camerasmoketest: halt: %w", err)
	}
	if _, err := capture(cur); err != nil {
		return res, fmt.Errorf("camerasmoketest: capture after halt: %w", err)
	}
	res.HaltRestart = time.Since(t)
	fmt.Fprintf(w, "halt and restart: %v\n", res.HaltRestart.Round(time.Microsecond))
	if rec != nil {
		if err := rec.close(); err != nil {
			return res, err
		}
		fmt.Fprintf(w, "recorded %d frames to %s\n", res.Recorded, o.Record)
	}
	return res, nil
}

// equal reports whether two frames of one size have the same picture.
func equal(a, b *image.YCbCr) bool {
	w, h := a.Rect.Dx(), a.Rect.Dy()
	cw, ch := (w+1)/2, (h+1)/2
	for y := 0; y < h; y++ {
		if string(a.Y[y*a.YStride:y*a.YStride+w]) != string(b.Y[y*b.YStride:y*b.YStride+w]) {
			return false
		}
	}
	for y := 0; y < ch; y++ {
		o, p := y*a.CStride, y*b.CStride
		if string(a.Cb[o:o+cw]) != string(b.Cb[p:p+cw]) || string(a.Cr[o:o+cw]) != string(b.Cr[p:p+cw]) {
			return false
		}
	}
	return true
}

// stats returns the mean luma of a frame and its range.
func stats(g *image.YCbCr) (mean float64, contrast int) {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	lo, hi, sum := 255, 0, 0
	for y := 0; y < h; y++ {
		for _, v := range g.Y[y*g.YStride : y*g.YStride+w] {
			sum += int(v)
			lo, hi = min(lo, int(v)), max(hi, int(v))
		}
	}
	if w*h == 0 {
		return 0, 0
	}
	return float64(sum) / float64(w*h), hi - lo
}

// recorder writes frames to a Y4M file, through a temporary file renamed
// when it is closed.
type recorder struct {
	f         *os.File
	b         *bufio.Writer
	w         *camera.Y4MWriter
	path, tmp string
	closed    bool
}

func newRecorder(path string, size image.Point, rate physic.Frequency) (*recorder, error) {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return nil, fmt.Errorf("camerasmoketest: %w", err)
	}
	b := bufio.NewWriterSize(f, 1<<20)
	w, err := camera.NewY4MWriter(b, size.X, size.Y, rate)
	if err != nil {
		f.Close()
		os.Remove(tmp)
		return nil, err
	}
	return &recorder{f: f, b: b, w: w, path: path, tmp: tmp}, nil
}

// close finishes the recording: the frames written so far, all whole,
// under the path asked for.
func (r *recorder) close() error {
	if r.closed {
		return nil
	}
	r.closed = true
	err := errors.Join(r.b.Flush(), r.f.Close())
	if err == nil {
		err = os.Rename(r.tmp, r.path)
	}
	if err != nil {
		os.Remove(r.tmp)
		return fmt.Errorf("camerasmoketest: %w", err)
	}
	return nil
}
