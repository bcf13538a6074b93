// Package pool runs one function on a fixed set of worker goroutines: the
// parallel loop of engine.Plan and quant.Plan, which split every batch
// between their workers.
//
// A pool's goroutines start with it and wait on a channel each; Run hands
// them a function and runs it on the caller's goroutine too, as worker 0.
// Between jobs the workers, and Run for its workers, poll for spin before
// they sleep, yielding the processor as they poll.
// Handing a func value over a channel allocates nothing, so Run allocates
// nothing as long as the function is a func value made once (a method value
// stored when the plan is made), not a new closure per call.
package pool

import (
	"runtime"
	"sync/atomic"
	"time"
)

// Pool is a fixed set of workers, numbered from 0; worker 0 is the
// goroutine that calls Run. A Pool is not safe for concurrent use: one Run
// at a time.
type Pool struct {
	jobs    []chan func(int) // jobs[w] feeds worker w ≥ 1 (one slot); jobs[0] is nil
	pending atomic.Int32     // workers ≥ 1 still running the current job
	done    chan struct{}    // the last of them to finish signals here (one slot)
	closed  bool
}

// spin is how long a worker waits for its next job, and Run for its
// workers to finish, awake (polling, and yielding to any other goroutine
// that is ready), before it sleeps. Parked at once, a goroutine is woken
// some tens of microseconds after it is handed work, and a training step
// hands out work several times: BenchmarkTrainStep (seed99, 2 workers)
// spent a tenth of each step with one processor waiting, and is about 5%
// faster with 200 µs of polling than with none (50 µs gave about 4%).
const spin = 200 * time.Microsecond

// New starts a pool of workers workers (at least 1): workers−1 goroutines,
// none for one worker.
func New(workers int) *Pool {
	if workers < 1 {
		panic("pool: worker count must be at least 1")
	}
	p := &Pool{jobs: make([]chan func(int), workers), done: make(chan struct{}, 1)}
	for w := 1; w < workers; w++ {
		ch := make(chan func(int), 1)
		p.jobs[w] = ch
		go func() {
			for {
				fn, ok := next(ch)
				if !ok {
					return
				}
				fn(w)
				if p.pending.Add(-1) == 0 {
					p.done <- struct{}{}
				}
			}
		}()
	}
	return p
}

// next receives the next job from ch, polling it for spin before it
// blocks; ok is false once ch is closed.
func next(ch chan func(int)) (fn func(int), ok bool) {
	got := poll(func() bool {
		select {
		case fn, ok = <-ch:
			return true
		default:
			return false
		}
	})
	if !got {
		fn, ok = <-ch
	}
	return fn, ok
}

// poll calls ready until it reports true, for at most spin, yielding the
// processor every 16 calls; it reports whether ready did.
func poll(ready func() bool) bool {
	start := time.Now()
	for i := 1; !ready(); i++ {
		if i%16 == 0 {
			if time.Since(start) > spin {
				return false
			}
			runtime.Gosched()
		}
	}
	return true
}

// Workers returns the number of workers.
func (p *Pool) Workers() int { return len(p.jobs) }

// Run calls fn(w) for every worker w and returns when all calls have
// returned. It panics after Close.
func (p *Pool) Run(fn func(w int)) {
	if p.closed {
		panic("pool: Run after Close")
	}
	if len(p.jobs) == 1 {
		fn(0)
		return
	}
	p.pending.Store(int32(len(p.jobs) - 1))
	for _, ch := range p.jobs[1:] {
		ch <- fn
	}
	fn(0)
	poll(func() bool { return p.pending.Load() == 0 })
	<-p.done
}

// Share returns worker w's part [lo, hi) of n items split into Workers()
// contiguous parts of sizes that differ by at most one: how the plans split
// a batch into samples per worker.
func (p *Pool) Share(w, n int) (lo, hi int) {
	nw := len(p.jobs)
	return w * n / nw, (w + 1) * n / nw
}

// Close stops the worker goroutines. Closing twice does nothing.
func (p *Pool) Close() {
	if p.closed {
		return
	}
	p.closed = true
	for _, ch := range p.jobs[1:] {
		close(ch)
	}
}
