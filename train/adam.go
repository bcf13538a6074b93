package train

import "math"

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

// Update applies the prepared update to the parameters [lo, hi).
func (a *Adam) Update(lo, hi int) {
	b1, b2 := float32(a.Beta1), float32(a.Beta2)
	c1, c2 := 1-b1, 1-b2
	eps := float32(a.Epsilon)
	lrt := a.lrt
	params := a.params[lo:hi]
	grad := a.grad[lo:hi]
	m, v := a.M[lo:hi], a.V[lo:hi]
	m, v = m[:len(params)], v[:len(params)]
	for i, g := range grad[:len(params)] {
		mi := b1*m[i] + c1*g
		vi := b2*v[i] + c2*g*g
		m[i], v[i] = mi, vi
		params[i] -= lrt * mi / (float32(math.Sqrt(float64(vi))) + eps)
	}
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
