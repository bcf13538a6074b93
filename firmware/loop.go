package firmware

import (
	"context"
	"errors"
	"fmt"
	"image"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/edgeconv/edgeconv/camera"
	"github.com/edgeconv/edgeconv/reading"
)

// Frame is what the loop hands its outputs after each frame. It and
// everything it points to belong to the loop and are valid only during the
// call: an output that keeps something copies it.
type Frame struct {
	// Seq numbers the captured frames from 1; skipped numbers are frames
	// dropped for a newer one.
	Seq uint64
	// Time is when the frame's capture ended.
	Time time.Time
	// Image is the frame as the camera delivered it, in colour (4:2:0).
	Image *image.YCbCr
	// Read is what this frame alone reads: its digits, and every
	// candidate the extractor found with its class.
	Read *reading.Reading
	// Fused is the reading fused over the frames up to this one (see
	// Fuser): its digits' boxes are where they are in this frame. Without
	// fusion (Options.NoFusion) it is Read.
	Fused *reading.Reading
	// Reading is the stable reading: Fused once it has been the same for
	// Options.Stable frames. Changed reports that this frame changed it.
	Reading *Reading
	Changed bool
}

// Output receives the loop's results on the loop's goroutine. Frame must
// return quickly and must not block on I/O: a slow consumer (a network
// client, a display) copies what it needs and works on its own goroutine.
type Output interface {
	Frame(f *Frame)
	// Status reports a camera failure (err != nil) and its end (err ==
	// nil, frames flow again).
	Status(err error)
}

// Options configures a Loop.
type Options struct {
	// Source delivers the frames. The loop Halts it to stop; closing it is
	// the caller's business.
	Source camera.Source
	// Reader reads each frame (extraction and classification); its
	// minimum confidence marks the stable reading's digits Low too. The
	// loop uses it from its own goroutine; closing it is the caller's
	// business.
	Reader *reading.Reader
	// Stable is the number of consecutive frames the fused reading's
	// text must stay the same to be reported; 0 means 3.
	Stable int
	// NoFusion reads each frame alone: the text that Stable frames in a
	// row read is reported, as before frames were fused.
	NoFusion bool
	// EveryFrame makes the capture wait for the loop instead of replacing
	// a frame not yet processed by a newer one: for recordings, so that
	// every frame is read and the output does not depend on speed.
	EveryFrame bool
	// MaxFrames stops the loop after that many processed frames; 0 means
	// no limit.
	MaxFrames int
	// Outputs receive every frame.
	Outputs []Output
	// MinBackoff and MaxBackoff bound the wait before capturing again
	// after the camera went away: it doubles from MinBackoff to MaxBackoff
	// until a frame comes through. 0 means 100 ms and 2 s.
	MinBackoff, MaxBackoff time.Duration
	// Logf, if set, receives status messages.
	Logf func(format string, args ...any)
}

// Loop runs frames through extraction, recognition and the outputs,
// always on the newest frame: a capture goroutine fills a ring of three
// frames, and a frame the loop has not started on when a newer one arrives
// is dropped rather than queued.
type Loop struct {
	o      Options
	src    camera.Source
	reader *reading.Reader
	fuse   Fuser
	smooth Smoother
	m      meter

	frame     Frame
	timings   Timings
	observers []Observer
	swap      atomic.Pointer[swapRequest]

	// The ring: the capture goroutine owns one slot, the loop one, and
	// ready holds the newest unprocessed frame.
	mu      sync.Mutex
	ready   *slot
	spare   *slot
	failure error // a camera failure not yet passed on
	backOK  bool  // frames came back after it (or after one passed on)
	end     error // the capture goroutine stopped: io.EOF or a fatal error
	notify  chan struct{}
	taken   chan struct{}
}

// slot is one frame of the ring.
type slot struct {
	img *image.YCbCr
	seq uint64
	t   time.Time
	dur time.Duration // Capture's duration
}

// New returns a loop; Run starts it.
func New(o Options) (*Loop, error) {
	if o.Source == nil || o.Reader == nil {
		return nil, errors.New("firmware: a loop needs a Source and a Reader")
	}
	if o.Stable <= 0 {
		o.Stable = 3
	}
	if o.MinBackoff <= 0 {
		o.MinBackoff = 100 * time.Millisecond
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = 2 * time.Second
	}
	l := &Loop{
		o: o, src: o.Source, reader: o.Reader,
		fuse:   Fuser{MinConfidence: o.Reader.MinConfidence()},
		smooth: Smoother{K: o.Stable, MinConfidence: o.Reader.MinConfidence()},
		notify: make(chan struct{}, 1),
		taken:  make(chan struct{}, 1),
	}
	l.spare = l.newSlot()
	for _, out := range o.Outputs {
		if ob, ok := out.(Observer); ok {
			l.observers = append(l.observers, ob)
		}
	}
	return l, nil
}

// Reader returns the reader the loop reads with: the one it was made
// with, or the last swapped in. Call it when Run is not running.
func (l *Loop) Reader() *reading.Reader { return l.reader }

// WarmUp reads a blank frame of the source's size with r on the calling
// goroutine, so that r's buffers for frames of that size are made before
// SwapReader hands it to the loop, and its first frame there costs what
// the others do.
func (l *Loop) WarmUp(r *reading.Reader) { r.Read(camera.NewFrame(l.src)) }

// swapRequest is a reader waiting to replace the loop's.
type swapRequest struct {
	r    *reading.Reader
	done chan *reading.Reader // receives the old reader
}

// SwapReader makes the loop read with r from its next frame on, between
// two frames, so that none is dropped or read half by each, and returns
// the reader it replaced (the caller closes it, off the loop). It waits
// for the loop to take r until ctx is done: then the swap is withdrawn if
// the loop has not taken it, and the error is ctx's. The Fuser's tracks
// carry over: their class evidence is the old model's until new frames
// outweigh it.
func (l *Loop) SwapReader(ctx context.Context, r *reading.Reader) (*reading.Reader, error) {
	req := &swapRequest{r: r, done: make(chan *reading.Reader, 1)}
	if !l.swap.CompareAndSwap(nil, req) {
		return nil, errors.New("firmware: another reader is waiting to be swapped in")
	}
	select {
	case old := <-req.done:
		return old, nil
	case <-ctx.Done():
		if l.swap.CompareAndSwap(req, nil) {
			return nil, ctx.Err()
		}
		return <-req.done, nil // taken meanwhile
	}
}

func (l *Loop) newSlot() *slot {
	return &slot{img: camera.NewFrame(l.src)}
}

// Stats returns the loop's measurements. It may be called from any
// goroutine.
func (l *Loop) Stats() Stats { return l.m.snapshot() }

// Run captures and processes frames until ctx is done (it returns nil),
// the recording ends (nil), MaxFrames frames were processed (nil) or the
// source fails for good (the error). A camera that goes away
// (camera.ErrDisconnected) is reported to the outputs and tried again
// with back-off.
func (l *Loop) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		l.capture(ctx)
	}()
	go func() {
		defer wg.Done()
		<-ctx.Done()
		l.src.Halt() // interrupts a blocked Capture
	}()
	err := l.process(ctx)
	cancel()
	wg.Wait()
	return err
}

// process is the loop's goroutine.
func (l *Loop) process(ctx context.Context) error {
	own := l.newSlot()
	done := 0
	for {
		if ctx.Err() != nil {
			return nil
		}
		l.mu.Lock()
		s, failure, backOK, end := l.ready, l.failure, l.backOK, l.end
		if s != nil {
			// Exactly one of ready and spare holds a slot: hand ours back.
			l.spare, own, l.ready = own, s, nil
		}
		l.failure, l.backOK = nil, false
		l.mu.Unlock()
		if s == nil && failure == nil && !backOK && end == nil {
			select {
			case <-ctx.Done():
				return nil
			case <-l.notify:
			}
			continue
		}
		if s != nil {
			select {
			case l.taken <- struct{}{}:
			default:
			}
		}
		// A failure and the recovery that followed it are both passed
		// on, in order, however quickly they came.
		if failure != nil {
			l.report(failure)
		}
		if backOK {
			l.report(nil)
		}
		if s != nil {
			l.Step(s.img, s.seq, s.t, s.dur)
			done++
			if l.o.MaxFrames > 0 && done >= l.o.MaxFrames {
				return nil
			}
			continue
		}
		if end != nil {
			if end == io.EOF {
				return nil
			}
			return end
		}
	}
}

func (l *Loop) wake() {
	select {
	case l.notify <- struct{}{}:
	default:
	}
}

func (l *Loop) report(err error) {
	if l.o.Logf != nil {
		if err != nil {
			l.o.Logf("%v", err)
		} else {
			l.o.Logf("camera: frames again from %s", l.src)
		}
	}
	for _, o := range l.o.Outputs {
		o.Status(err)
	}
}

// Step processes one frame on the calling goroutine: reading (extraction
// and classification), fusion, smoothing and the outputs. Run calls it for every
// frame; tests and benchmarks call it directly. capture is the time
// Capture took. In steady state it allocates nothing.
func (l *Loop) Step(img *image.YCbCr, seq uint64, t time.Time, capture time.Duration) {
	if req := l.swap.Load(); req != nil && l.swap.CompareAndSwap(req, nil) {
		old := l.reader
		l.reader = req.r
		req.done <- old
	}
	d := &l.timings
	*d = Timings{}
	d[StageCapture] = capture
	t0 := time.Now()
	d[StageWait] = t0.Sub(t)
	rd := l.reader.Read(img)
	t1 := time.Now()
	fused := rd
	if !l.o.NoFusion {
		fused = l.fuse.Update(rd, img.Rect)
	}
	changed := l.smooth.Update(seq, t, fused)
	f := &l.frame
	*f = Frame{Seq: seq, Time: t, Image: img, Read: rd, Fused: fused, Reading: l.smooth.Current(), Changed: changed}
	for _, o := range l.o.Outputs {
		o.Frame(f)
	}
	t2 := time.Now()
	d[StageExtract] = rd.ExtractTime
	d[StageRecognize] = rd.ClassifyTime
	d[StageOutput] = t2.Sub(t1)
	d[StageTotal] = t2.Sub(t)
	l.m.record(d, t2, len(rd.Digits))
	for _, ob := range l.observers {
		ob.Observe(d, len(rd.Digits))
	}
}

// StepNext captures the source's next frame into img, a frame of the
// source's size (camera.NewFrame), and processes it with Step as frame seq,
// timed as Run times it: Run's two goroutines in one call, for tests and
// benchmarks that drive a loop frame by frame. It returns Capture's error.
func (l *Loop) StepNext(img *image.YCbCr, seq uint64) error {
	start := time.Now()
	if err := l.src.Capture(img); err != nil {
		return err
	}
	end := time.Now()
	l.Step(img, seq, end, end.Sub(start))
	return nil
}

// capture is the capture goroutine.
func (l *Loop) capture(ctx context.Context) {
	var seq uint64
	own := l.newSlot()
	backoff := Backoff{Min: l.o.MinBackoff, Max: l.o.MaxBackoff}
	failing := false
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for ctx.Err() == nil {
		start := time.Now()
		err := l.src.Capture(own.img)
		if err != nil {
			switch {
			case ctx.Err() != nil:
				return
			case errors.Is(err, camera.ErrHalted):
				continue
			case errors.Is(err, io.EOF) || errors.Is(err, camera.ErrClosed):
				l.finish(io.EOF)
				return
			case errors.Is(err, camera.ErrDisconnected):
				failing = true
				l.m.setErr(err, start)
				l.setStatus(err)
				timer.Reset(backoff.Next())
				select {
				case <-ctx.Done():
					timer.Stop()
					return
				case <-timer.C:
				}
				continue
			default:
				l.finish(fmt.Errorf("firmware: %s: %w", l.src, err))
				return
			}
		}
		end := time.Now()
		backoff.Reset()
		if failing {
			failing = false
			l.m.setErr(nil, end)
			l.setStatus(nil)
		}
		seq++
		own.seq, own.t, own.dur = seq, end, end.Sub(start)
		if l.o.EveryFrame {
			for {
				l.mu.Lock()
				busy := l.ready != nil
				l.mu.Unlock()
				if !busy {
					break
				}
				select {
				case <-ctx.Done():
					return
				case <-l.taken:
				}
			}
		}
		l.mu.Lock()
		dropped := l.ready != nil
		if dropped {
			l.ready, own = own, l.ready // reuse the stale frame
		} else {
			l.ready, own = own, l.spare
			l.spare = nil
		}
		l.mu.Unlock()
		l.m.captureDone(dropped)
		l.wake()
	}
}

func (l *Loop) setStatus(err error) {
	l.mu.Lock()
	if err != nil {
		l.failure, l.backOK = err, false
	} else {
		l.backOK = true
	}
	l.mu.Unlock()
	l.wake()
}

func (l *Loop) finish(err error) {
	l.mu.Lock()
	l.end = err
	l.mu.Unlock()
	l.wake()
}

// Backoff is the wait before trying again after a failure: Min after the
// first, doubling with each failure that follows, up to Max. The camera
// loop and the MQTT output (firmware/mqtt) use it.
type Backoff struct {
	Min, Max time.Duration
	cur      time.Duration
}

// Next returns the wait after one more failure.
func (b *Backoff) Next() time.Duration {
	if b.cur == 0 {
		b.cur = b.Min
	} else {
		b.cur = min(2*b.cur, b.Max)
	}
	return b.cur
}

// Reset starts again from Min: the thing tried works again.
func (b *Backoff) Reset() { b.cur = 0 }

// Fail makes the next wait Max: what failed will not mend soon.
func (b *Backoff) Fail() { b.cur = b.Max }
