package engine

import "sync"

// pool is a fixed set of worker goroutines started with a plan. run hands the
// same function to every worker, with its index, and waits for all of them;
// the caller's goroutine serves as worker 0. Handing over a func value through
// a channel allocates nothing, so a run in steady state allocates nothing as
// long as fn is a method value created once, at plan time.
type pool struct {
	jobs []chan func(int)
	wg   sync.WaitGroup
}

func newPool(workers int) *pool {
	p := &pool{jobs: make([]chan func(int), workers)}
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

// run calls fn(w) for every worker w and returns when all have returned.
func (p *pool) run(fn func(w int)) {
	p.wg.Add(len(p.jobs) - 1)
	for _, ch := range p.jobs[1:] {
		ch <- fn
	}
	fn(0)
	p.wg.Wait()
}

// close stops the worker goroutines.
func (p *pool) close() {
	for _, ch := range p.jobs[1:] {
		close(ch)
	}
	p.jobs = p.jobs[:1]
}
