package train

import (
	"math"

	"github.com/edgeconv/edgeconv/engine/kernel"
)

// Adam is the Adam optimiser (Kingma and Ba) with TensorFlow's defaults:
// β1 0.9, β2 0.999, ε 1e-8, and the bias correction folded into the step
// size, as tf.train.AdamOptimizer does.
type Adam struct {
	Beta1, Beta2, Epsilon float64
	M, V                  []float32 // first and second moments, like the parameters
	T                     int       // steps taken

	// The update under way, between Prepare and Update.
	lrt          float32
	params, grad []float32
}

// NewAdam returns an optimiser for n parameters.
func NewAdam(n int) *Adam {
	return &Adam{Beta1: 0.9, Beta2: 0.999, Epsilon: 1e-8, M: make([]float32, n), V: make([]float32, n)}
}

// Step applies one update with learning rate lr to params from grad.
func (a *Adam) Step(params, grad []float32, lr float64) {
	a.Prepare(params, grad, lr)
	a.Update(0, len(params))
}

// Prepare starts one update with learning rate lr of params from grad; Update
// then applies it to a range of the parameters. Split into disjoint ranges,
// the updates may run concurrently (engine.Plan.SplitParams), with the same
// result as Step.
func (a *Adam) Prepare(params, grad []float32, lr float64) {
	a.T++
	t := float64(a.T)
	a.lrt = float32(lr * math.Sqrt(1-math.Pow(a.Beta2, t)) / (1 - math.Pow(a.Beta1, t)))
	a.params, a.grad = params, grad[:len(params)]
}

// Update applies the prepared update to the parameters [lo, hi), in
// vectors where the CPU has them (kernel.Adam: the bits of the scalar loop).
func (a *Adam) Update(lo, hi int) {
	kernel.Adam(a.params[lo:hi], a.grad[lo:hi], a.M[lo:hi], a.V[lo:hi],
		float32(a.Beta1), float32(a.Beta2), float32(a.Epsilon), a.lrt)
}

// Schedule is the codelab's learning rate: Min + Max·exp(−i/Decay) at
// iteration i (counted from 0).
type Schedule struct {
	Min, Max, Decay float64
}

// At returns the learning rate at iteration i.
func (s Schedule) At(i int) float64 {
	return s.Min + s.Max*math.Exp(-float64(i)/s.Decay)
}
