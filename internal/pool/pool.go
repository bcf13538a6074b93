// Package pool runs one function on a fixed set of worker goroutines: the
// parallel loop of engine.Plan and quant.Plan, which split every batch
// between their workers.
//
// A pool's goroutines start with it and wait on a channel each; Run hands
// them a function and runs it on the caller's goroutine too, as worker 0.
// Handing a func value over a channel allocates nothing, so Run allocates
// nothing as long as the function is a func value made once (a method value
// stored when the plan is made), not a new closure per call.
package pool

import "sync"

// Pool is a fixed set of workers, numbered from 0; worker 0 is the
// goroutine that calls Run. A Pool is not safe for concurrent use: one Run
// at a time.
type Pool struct {
	jobs   []chan func(int) // jobs[w] feeds worker w ≥ 1; jobs[0] is nil
	wg     sync.WaitGroup
	closed bool
}

// New starts a pool of workers workers (at least 1): workers−1 goroutines,
// none for one worker.
func New(workers int) *Pool {
	if workers < 1 {
		panic("pool: worker count must be at least 1")
	}
	p := &Pool{jobs: make([]chan func(int), workers)}
	for w := 1; w < workers; w++ {
		ch := make(chan func(int))
		p.jobs[w] = ch
		go func() {
			for fn := range ch {
				fn(w)
				p.wg.Done()
			}
		}()
	}
	return p
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
	p.wg.Add(len(p.jobs) - 1)
	for _, ch := range p.jobs[1:] {
		ch <- fn
	}
	fn(0)
	p.wg.Wait()
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
