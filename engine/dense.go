package engine

import "github.com/edgeconv/edgeconv/engine/kernel"

// densePlan is a dense layer in a plan: one matrix product over the
// worker's samples, forward and backward.
type densePlan struct {
	affineLayer
	need scratchNeeds
	// sparse is set in an inference plan whose packed weights hold no
	// infinity or NaN: a single sample then skips its zero inputs
	// (kernel.SgemvPackedSparse) and gets the bits of the full product. A
	// training plan, which repacks at every step, does not check.
	sparse   bool
	training bool
}

func newDensePlan(l *layer, s planSetup) *densePlan {
	d := &densePlan{affineLayer: newAffineLayer(l, s), training: s.training}
	K, C := l.k(), l.out.C
	d.packed = make([]float32, kernel.PackedBLen(K, C))
	if s.training {
		d.need.gemm = kernel.SgemmScratchLen(K, C, s.perWorker)
		d.need.rowSum = len(d.biasRows)
	}
	return d
}

func (d *densePlan) needs() scratchNeeds { return d.need }

func (d *densePlan) pack(params, _ []float32, part, parts int) {
	l := d.l
	w := l.weights(params)
	if part == 0 {
		d.repeatBias(params)
		d.sparse = !d.training && allFinite(w)
	}
	kernel.PackBPart(false, l.k(), l.out.C, w, l.out.C, d.packed, part, parts)
}

func (d *densePlan) forward(_ *workerState, _ int, in, out []float32, s0, s1 int) {
	I, O := d.l.in.Size(), d.l.out.C
	x, y := in[s0*I:s1*I], out[s0*O:s1*O]
	if s1-s0 == 1 && d.sparse {
		// One sample (batch-1 latency): the product is bound by reading the
		// weights, and the rows of the zero inputs (about three quarters
		// after seed99's last ReLU on MNIST) need not be read.
		kernel.SgemvPackedSparse(O, I, x, d.packed, y, false)
		kernel.AddBias(y, d.biasRows, d.relu())
		return
	}
	d.apply(s1-s0, I, O, x, y)
}

// allFinite reports whether w holds no infinity or NaN.
func allFinite(w []float32) bool {
	for _, v := range w {
		if v-v != 0 { // NaN for an infinity or a NaN
			return false
		}
	}
	return true
}

func (d *densePlan) backward(ws *workerState, _ int, in, din, dout []float32, s0, s1 int) {
	l := d.l
	I, O := l.in.Size(), l.out.C
	gw, gb := l.weights(ws.grad), l.bias(ws.grad)
	dy := dout[s0*O : s1*O]
	x := in[s0*I : s1*I]
	if !d.bn {
		sumRows(gb, dy, ws.rowSum[:len(d.biasRows)])
	}
	kernel.Sgemm(true, false, I, O, s1-s0, x, I, dy, O, gw, O, true, ws.gemm)
	if din != nil {
		kernel.SgemmPacked(false, s1-s0, I, O, dy, O, d.packedT, din[s0*I:s1*I], I, false)
	}
}

// affineLayer is what the layers with weights and a bias (conv, dense)
// share: the weights packed for kernel.SgemmPacked, their transpose for the
// input gradient, and the bias repeated into rows.
type affineLayer struct {
	l        *layer
	packed   []float32 // the weights packed for the forward pass (the kind's own layout)
	packedT  []float32 // their transpose as kernel.PackB(C×K), for the input gradient (training, all but the first layer)
	biasRows []float32 // the bias repeated over at least biasRowsLen values
	// bn is set for a BN layer in a training plan: its forward pass
	// computes the product alone (the plan normalises, adds the offset and
	// applies the ReLU) and its backward pass leaves the offset's gradient
	// to the plan.
	bn bool
}

// biasRowsLen is the least length of a layer's repeated bias: kernel.AddBias
// adds it to the output, and sumRows sums the bias gradient, in vectors of
// at least this many values.
const biasRowsLen = 256

func newAffineLayer(l *layer, s planSetup) affineLayer {
	a := affineLayer{l: l, bn: l.BN && s.training}
	C := l.out.C
	if s.inputGrad {
		a.packedT = make([]float32, kernel.PackedBLen(C, l.k()))
	}
	a.biasRows = make([]float32, (biasRowsLen+C-1)/C*C)
	return a
}

// packT packs the share part of parts of the transposed weights for the
// input gradient.
func (a *affineLayer) packT(params []float32, part, parts int) {
	K, C := a.l.k(), a.l.out.C
	kernel.PackBPart(true, C, K, a.l.weights(params), C, a.packedT, part, parts)
}

// repeatBias fills biasRows from params and returns it.
func (a *affineLayer) repeatBias(params []float32) []float32 {
	b, C := a.l.bias(params), a.l.out.C
	rows := a.biasRows
	if a.bn {
		clear(rows)
		return rows
	}
	for j := 0; j < len(rows); j += C {
		copy(rows[j:j+C], b)
	}
	return rows
}

// apply computes dst = x·W + b for the packed weights W, (k, n), and the
// bias b repeated over the n columns, over m rows of x, and applies the
// layer's ReLU in the same pass as the bias.
func (a *affineLayer) apply(m, k, n int, x, dst []float32) {
	kernel.SgemmPacked(false, m, n, k, x, k, a.packed, dst, n, false)
	kernel.AddBias(dst, a.biasRows, a.relu())
}

// relu reports whether the layer's own passes apply its ReLU: not for BN
// in a training plan, where the ReLU comes after the normalisation.
func (a *affineLayer) relu() bool { return a.l.ReLU && !a.bn }
