package dashboard

import (
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/edgeconv/edgeconv/engine"
	"github.com/edgeconv/edgeconv/train"
)

// GridSize is the number of test digits the grid shows: the misrecognised
// ones first, in the test set's order, then recognised ones.
const GridSize = 200

// Grid is the grid of test digits of the latest evaluation.
type Grid struct {
	Iter  int    `json:"iteration"`
	Wrong int    `json:"wrong"` // misrecognised digits in the whole test set
	N     int    `json:"n"`     // digits in the test set
	Tiles []Tile `json:"tiles"`
}

// Tile is one digit of the grid.
type Tile struct {
	Index int   `json:"index"` // in the test set
	Label uint8 `json:"label"`
	Guess uint8 `json:"guess"`
}

// finite reports whether v is a number: a point that is not (the loss of
// a run diverging) is left out of the history, which JSON could not hold
// and no chart could draw.
func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// Recorder records a run's History from the trainer's hooks (Step, Eval,
// Checkpoint) and tells the dashboard's clients when it grew. The hooks
// run on the training goroutine and never wait for a client: they hold the
// recorder's lock only to append, and a client holds it only to copy what
// it has not sent yet.
//
// Step sums the batches' loss and accuracy and appends a TrainPoint every
// Every steps; between those it allocates nothing, so the training step
// stays free of allocations. Eval appends a TestPoint, the distribution of
// each layer's weights and biases, and the new grid of test digits.
type Recorder struct {
	every   int
	batch   int
	test    *train.Dataset
	layers  []engine.LayerInfo // the weights and biases alias the network's parameters
	scratch []float32

	// The training goroutine's sums since the last point.
	n, correct int
	loss       float64
	start      time.Time     // of the first step summed
	mark       time.Time     // of the last step
	busy       time.Duration // in other hooks (evaluations, checkpoints) since start

	mu      sync.Mutex
	hist    History
	grid    Grid
	iter    int    // the last step recorded
	status  string // "training", "finished", "interrupted", or an error
	changed chan struct{}
}

// NewRecorder records the run of net into h (a new History, or the one a
// resumed run continues). batch is the run's batch size, test the test set
// the evaluations use (for the grid's images), every the number of steps a
// training point sums (0 means 10).
func NewRecorder(h *History, net *engine.Network, test *train.Dataset, batch, every int) *Recorder {
	if every <= 0 {
		every = 10
	}
	r := &Recorder{every: every, batch: batch, test: test, hist: *h,
		status: "training", changed: make(chan struct{})}
	var names []string
	for i, l := range net.Layers() {
		if len(l.Weights) == 0 {
			continue // max-pooling: no parameters to draw
		}
		r.layers = append(r.layers, l)
		names = append(names, fmt.Sprintf("%d %v", i+1, l.LayerSpec))
	}
	if r.hist.Layers == nil {
		r.hist.Layers = names
	}
	r.hist.Batch = batch
	n := 0
	for _, l := range r.layers {
		n = max(n, len(l.Weights), len(l.Bias))
	}
	r.scratch = make([]float32, n)
	return r
}

// notifyLocked wakes the clients waiting for news.
func (r *Recorder) notifyLocked() {
	close(r.changed)
	r.changed = make(chan struct{})
}

// Start records the distributions before the first step (at iteration
// iter, 0 or where a resumed run starts), unless the history has them.
func (r *Recorder) Start(iter int) {
	r.mu.Lock()
	have := len(r.hist.Dist) > 0 && r.hist.Dist[len(r.hist.Dist)-1].Iter == iter
	r.iter = iter
	r.mu.Unlock()
	if !have {
		r.recordDist(iter)
	}
	r.mark = time.Now()
}

// Step is the trainer's Step hook. It allocates nothing except when it
// appends a point.
func (r *Recorder) Step(iter int, loss, lr float64, correct int) {
	now := time.Now()
	if r.n == 0 {
		r.start, r.busy = r.mark, 0
		if r.start.IsZero() {
			r.start = now
		}
	}
	r.mark = now
	r.n++
	r.correct += correct
	r.loss += loss
	if iter%r.every != 0 {
		return
	}
	p := TrainPoint{Iter: iter, Accuracy: float64(r.correct) / float64(r.n*r.batch), Loss: r.loss / float64(r.n), LR: lr}
	if d := now.Sub(r.start) - r.busy; d > 0 {
		p.ImagesPerSec = float64(r.n*r.batch) / d.Seconds()
	}
	r.n, r.correct, r.loss = 0, 0, 0
	r.mu.Lock()
	if finite(p.Loss) {
		r.hist.Train = append(r.hist.Train, p)
	}
	r.iter = iter
	r.notifyLocked()
	r.mu.Unlock()
}

// idle counts the time since the last step as spent outside the steps.
func (r *Recorder) idle() {
	if !r.mark.IsZero() {
		now := time.Now()
		r.busy += now.Sub(r.mark)
		r.mark = now
	}
}

// Eval is the trainer's Eval hook: a test point, the distributions and the
// grid.
func (r *Recorder) Eval(iter int, m train.Metrics) {
	defer r.idle()
	r.mu.Lock()
	if finite(m.Loss) {
		r.hist.Test = append(r.hist.Test, TestPoint{Iter: iter, Accuracy: m.Accuracy, Loss: m.Loss})
	}
	r.iter = max(r.iter, iter)
	if r.test != nil && len(m.Predictions) == r.test.N {
		r.grid = Grid{Iter: iter, N: r.test.N, Tiles: r.grid.Tiles[:0]}
		for i, g := range m.Predictions {
			if g != r.test.Labels[i] {
				r.grid.Wrong++
				if len(r.grid.Tiles) < GridSize {
					r.grid.Tiles = append(r.grid.Tiles, Tile{i, r.test.Labels[i], g})
				}
			}
		}
		for i := 0; i < r.test.N && len(r.grid.Tiles) < GridSize; i++ {
			if m.Predictions[i] == r.test.Labels[i] {
				r.grid.Tiles = append(r.grid.Tiles, Tile{i, r.test.Labels[i], m.Predictions[i]})
			}
		}
	}
	r.notifyLocked()
	r.mu.Unlock()
	r.recordDist(iter)
}

// recordDist appends the distributions of the parameters as they are.
func (r *Recorder) recordDist(iter int) {
	d := DistPoint{Iter: iter, Weights: make([]Dist, len(r.layers)), Biases: make([]Dist, len(r.layers))}
	for i, l := range r.layers {
		distOf(&d.Weights[i], l.Weights, r.scratch)
		distOf(&d.Biases[i], l.Bias, r.scratch)
		for _, v := range append(d.Weights[i][:], d.Biases[i][:]...) {
			if !finite(float64(v)) {
				return // a diverged network: nothing to draw
			}
		}
	}
	r.mu.Lock()
	r.hist.Dist = append(r.hist.Dist, d)
	r.notifyLocked()
	r.mu.Unlock()
}

// Checkpoint is the trainer's Checkpoint hook: it writes the history
// beside the checkpoint (HistoryPath), atomically, so that a resumed run
// continues the curves.
func (r *Recorder) Checkpoint(iter int, path string) error {
	defer r.idle()
	h := r.History()
	h.Truncate(iter)
	return h.WriteJSON(HistoryPath(path))
}

// Finish records how the run ended: "finished", "interrupted" or an
// error's text.
func (r *Recorder) Finish(status string) {
	r.mu.Lock()
	r.status = status
	r.notifyLocked()
	r.mu.Unlock()
}

// History returns a copy of the history so far.
func (r *Recorder) History() *History {
	r.mu.Lock()
	defer r.mu.Unlock()
	h := r.hist
	h.Layers = append([]string(nil), h.Layers...)
	h.Train = append([]TrainPoint(nil), h.Train...)
	h.Test = append([]TestPoint(nil), h.Test...)
	h.Dist = append([]DistPoint(nil), h.Dist...)
	return &h
}

// Grid returns a copy of the latest grid of test digits.
func (r *Recorder) Grid() Grid {
	r.mu.Lock()
	defer r.mu.Unlock()
	g := r.grid
	g.Tiles = append([]Tile(nil), g.Tiles...)
	return g
}

// cursor is how much of the history a client has been sent.
type cursor struct {
	train, test, dist, gridIter int
	status                      string
	sent                        bool
}

// update is one message to a client: what it has not seen yet.
type update struct {
	Reset      bool         `json:"reset,omitempty"` // the first message: the whole history
	Name       string       `json:"name,omitempty"`
	Arch       string       `json:"arch,omitempty"`
	Iterations int          `json:"iterations,omitempty"`
	Batch      int          `json:"batch,omitempty"`
	Layers     []string     `json:"layers,omitempty"`
	Iter       int          `json:"iteration"`
	Status     string       `json:"status"`
	Train      []TrainPoint `json:"train"`
	Test       []TestPoint  `json:"test"`
	Dist       []DistPoint  `json:"dist"`
	Grid       *Grid        `json:"grid,omitempty"` // without its tiles: the page loads /digits.png
}

// since returns the update a client at c has not seen, the cursor after
// it, and a channel closed when there is more; ok is false when there is
// nothing new.
func (r *Recorder) since(c cursor) (u update, next cursor, more <-chan struct{}, ok bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	h := &r.hist
	u = update{Iter: r.iter, Status: r.status, Train: tail(h.Train, c.train), Test: tail(h.Test, c.test), Dist: tail(h.Dist, c.dist)}
	if !c.sent {
		u.Reset, u.Name, u.Arch, u.Iterations, u.Batch, u.Layers = true, h.Name, h.Arch, h.Iterations, h.Batch, h.Layers
	}
	if r.grid.N > 0 && r.grid.Iter != c.gridIter {
		g := r.grid
		g.Tiles = nil
		u.Grid = &g
	}
	next = cursor{train: len(h.Train), test: len(h.Test), dist: len(h.Dist), gridIter: r.grid.Iter, status: r.status, sent: true}
	ok = next != c
	return u, next, r.changed, ok
}

// tail returns a copy of s from index from on, never nil: the page reads
// an empty list, not null.
func tail[T any](s []T, from int) []T {
	from = min(from, len(s))
	return append(make([]T, 0, len(s)-from), s[from:]...)
}
