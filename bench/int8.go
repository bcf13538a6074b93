package bench

import (
	"github.com/edgeconv/edgeconv/engine"
	"github.com/edgeconv/edgeconv/quant"
)

// Int8 adapts an int8 network to Model: its runners feed the raw pixels to
// a quant.Plan.
type Int8 struct{ *quant.Network }

// FLOPs returns the multiply-adds of one forward pass counted as two
// operations each, as for the float32 network of the same architecture.
func (q Int8) FLOPs() int64 {
	n, err := engine.New(q.Spec)
	if err != nil {
		return 0
	}
	return n.FLOPs()
}

// NewRunner plans q for batch images on workers goroutines.
func (q Int8) NewRunner(batch, workers int, px []uint8) Runner {
	return int8Runner{quant.NewPlan(q.Network, batch, workers), px}
}

type int8Runner struct {
	plan *quant.Plan
	px   []uint8
}

func (r int8Runner) Run(n int) { r.plan.Forward(r.px, n) }
func (r int8Runner) Close()    { r.plan.Close() }
