package firmware

import (
	"slices"
	"sync"
	"time"
)

// Stage names the parts of one loop iteration that are timed.
type Stage int

// The timed stages.
const (
	// StageCapture is the time Capture took to fill a frame, waiting for
	// the camera included (at 30 Hz it is mostly waiting).
	StageCapture Stage = iota
	// StageWait is the age of the frame when the loop picked it up.
	StageWait
	// StageExtract is frame → 28x28 digit images.
	StageExtract
	// StageRecognize is the network on all of a frame's digits.
	StageRecognize
	// StageOutput is the smoothing and every output.
	StageOutput
	// StageTotal is from the end of the capture to the end of the outputs.
	StageTotal
	// NumStages is the number of stages.
	NumStages
)

const numStages = NumStages

// Timings are one frame's stage durations, indexed by Stage.
type Timings [NumStages]time.Duration

// An Observer receives each frame's timings once its outputs ran (metrics
// take them). The loop calls Observe on its goroutine, for every Output
// that is also an Observer; t is valid only during the call.
type Observer interface {
	Observe(t *Timings, digits int)
}

var stageNames = [numStages]string{"capture", "wait", "extract", "recognize", "output", "total"}

// String returns the stage's name.
func (s Stage) String() string { return stageNames[s] }

// window is the number of recent frames the statistics cover.
const window = 128

// Stats are the loop's measurements over the last frames.
type Stats struct {
	// Frames is the number of frames processed, Captured the number
	// captured, Dropped the number replaced by a newer frame before the
	// loop got to them.
	Frames, Captured, Dropped uint64
	// FPS is the rate of processed frames over the window.
	FPS float64
	// Digits is the number of digits in the last frame.
	Digits int
	// Median and P95 latency of each stage over the window.
	Median, P95 [numStages]time.Duration
	// Errors counts camera failures; Err is the current one ("" while
	// frames flow), since ErrSince.
	Errors   uint64
	Err      string
	ErrSince time.Time
}

// meter collects the loop's timings. Its methods allocate nothing except
// snapshot.
type meter struct {
	mu       sync.Mutex
	samples  [numStages][window]time.Duration
	ends     [window]time.Time // end of each processed frame
	n        uint64            // frames recorded
	captured uint64
	dropped  uint64
	digits   int
	errors   uint64
	err      string
	errSince time.Time
}

func (m *meter) record(d *Timings, end time.Time, digits int) {
	m.mu.Lock()
	i := m.n % window
	for s := range d {
		m.samples[s][i] = d[s]
	}
	m.ends[i] = end
	m.n++
	m.digits = digits
	m.mu.Unlock()
}

func (m *meter) captureDone(dropped bool) {
	m.mu.Lock()
	m.captured++
	if dropped {
		m.dropped++
	}
	m.mu.Unlock()
}

func (m *meter) setErr(err error, t time.Time) {
	m.mu.Lock()
	if err != nil {
		m.errors++
		if m.err == "" {
			m.errSince = t
		}
		m.err = err.Error()
	} else {
		m.err = ""
	}
	m.mu.Unlock()
}

// snapshot returns the statistics.
func (m *meter) snapshot() Stats {
	m.mu.Lock()
	defer m.mu.Unlock()
	st := Stats{Frames: m.n, Captured: m.captured, Dropped: m.dropped, Digits: m.digits,
		Errors: m.errors, Err: m.err, ErrSince: m.errSince}
	k := int(min(m.n, window))
	if k == 0 {
		return st
	}
	tmp := make([]time.Duration, k)
	for s := range st.Median {
		copy(tmp, m.samples[s][:k])
		slices.Sort(tmp)
		st.Median[s] = tmp[k/2]
		st.P95[s] = tmp[min(k-1, k*95/100)]
	}
	if k > 1 {
		last := m.ends[(m.n-1)%window]
		first := m.ends[(m.n-uint64(k))%window]
		if d := last.Sub(first); d > 0 && time.Since(last) < 2*time.Second {
			st.FPS = float64(k-1) / d.Seconds()
		}
	}
	return st
}
