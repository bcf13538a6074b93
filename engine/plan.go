package engine

import (
	"math"

	"github.com/viterin/vek/vek32"

	"github.com/edgeconv/edgeconv/engine/kernel"
)

// colsBudget is the number of float32 values of im2col matrix a worker
// builds at a time (128 KiB): the convolution runs over chunks of output
// rows so that the patch matrix stays in the L2 cache between im2col and the
// matrix product.
const colsBudget = 32 << 10

// PlanOptions configures a plan.
type PlanOptions struct {
	// Workers is the number of goroutines that share each batch (at least 1).
	// Each works on a contiguous range of samples, so the result depends on
	// the worker count only through the order in which gradients are summed.
	Workers int
	// Training allocates what Backward needs: gradients of every activation,
	// dropout masks and per-worker parameter gradients.
	Training bool

	path forwardPath // the tests' way to force a slower forward path
}

// forwardPath selects how convolutions run forward: the fastest way each
// can (pathBest), or, for tests that compare the paths, windows read in
// place but no chain (pathNoChain), or the im2col matrix (pathIm2col).
type forwardPath int

const (
	pathBest forwardPath = iota
	pathNoChain
	pathIm2col
)

// Plan is a network prepared for a batch size: every buffer that a forward or
// backward pass needs is allocated once here, so that Forward, Loss and
// Backward allocate nothing.
//
// A plan keeps the weights packed for the matrix kernels (kernel.PackB),
// with the biases repeated into rows, so that no pass rearranges them. A
// training plan repacks at every forward pass, so an optimiser may update
// Network.Params in place between steps; an inference plan packs when it is
// made and again when Network.ParamsChanged has been called since. A plan is
// not safe for concurrent use; make one plan per goroutine.
type Plan struct {
	net      *Network
	batch    int
	training bool

	acts  [][]float32   // acts[i]: output of layer i, (batch, out.H, out.W, out.C); nil inside the chain
	grads [][]float32   // grads[i]: d loss / d acts[i] (training only)
	masks [][]float32   // masks[i]: dropout multipliers, 0 or 1/keep (training, dropout layers)
	chunk []int         // chunk[i]: output pixels per im2col chunk of conv layer i
	group []int         // group[i]: output pixels per im2col row in the forward pass (groupedWeights)
	wins  []convWindows // wins[i]: how conv layer i's forward pass reads its windows in place, if it does
	chain int           // leading conv layers run sample by sample, each into the next one's bordered image (inference)

	packed    [][]float32 // packed[i]: layer i's (grouped) weights as kernel.PackB(K'×g·C), and the bias as row K' if wins[i] is set
	packedT   [][]float32 // packedT[i]: their transpose, C×K, for the input gradient (training, i > 0)
	biasRows  [][]float32 // biasRows[i]: layer i's bias repeated over biasRowsLen values
	packedGen uint64      // the network generation packed
	packedYet bool        // whether anything has been packed

	input    []float32 // the last Forward's input
	n        int       // the last Forward's sample count
	dropping bool      // the last Forward applied dropout
	dropSeed uint64
	lossDone bool

	grad    []float32 // reduced parameter gradient
	workers []workerState
	pool    *pool

	// Method values made once, so that handing them to the pool allocates
	// nothing.
	forwardFn, backwardFn, reduceFn, packFn, splitFn func(int)
	paramFn                                          func(lo, hi int) // SplitParams's argument
}

// biasRowsLen is the least length of a layer's repeated bias: kernel.AddBias
// adds it to the output, and sumRows sums the bias gradient, in vectors of
// at least this many values.
const biasRowsLen = 256

// workerState is what one worker owns.
type workerState struct {
	cols    []float32   // im2col chunk, with copyBlock floats of slack
	pads    [][]float32 // per conv layer: its zero-bordered input sample for im2col
	gradPad []float32   // zero-bordered input gradient for col2im (training)
	gemm    []float32   // kernel.Sgemm scratch for the weight gradients (training)
	grad    []float32   // this worker's share of the parameter gradient
	rowSum  []float32   // sumRows scratch, as long as the longest biasRows (training)
	expand  []float32   // grouped weights before packing
}

// NewPlan prepares net for batches of up to batch samples.
func NewPlan(net *Network, batch int, opts PlanOptions) *Plan {
	if opts.Workers < 1 {
		panic(errBadWorkers)
	}
	if batch < 1 {
		panic(errBatchTooLarge)
	}
	p := &Plan{net: net, batch: batch, training: opts.Training}
	nl := len(net.layers)
	p.acts = make([][]float32, nl)
	p.chunk = make([]int, nl)
	p.group = make([]int, nl)
	p.wins = make([]convWindows, nl)
	p.packed = make([][]float32, nl)
	p.packedT = make([][]float32, nl)
	p.biasRows = make([][]float32, nl)
	if p.training {
		p.grads = make([][]float32, nl)
		p.masks = make([][]float32, nl)
	}
	maxCols, maxGemm, maxPad, maxBiasRows, maxExpand := 0, 0, 0, 0, 0
	perWorker := (batch + opts.Workers - 1) / opts.Workers
	for i := range net.layers {
		l := &net.layers[i]
		size := batch * l.out.Size()
		if p.training {
			p.grads[i] = make([]float32, size)
			if l.HasDropout() {
				p.masks[i] = make([]float32, size)
			}
		}
		K, C := l.k(), l.out.C
		g := 1
		if l.Kind == Conv {
			g = convGroup(l)
		}
		p.group[i] = g
		Kg := groupedK(l, g)
		if l.Kind != Conv {
			Kg = K
		}
		if l.Kind == Conv && opts.path != pathIm2col {
			p.wins[i] = newConvWindows(l, g)
		}
		if p.wins[i].ok {
			p.packed[i] = make([]float32, kernel.PackedBLen(Kg+1, g*C))
			maxExpand = max(maxExpand, (Kg+1)*g*C)
		} else {
			p.packed[i] = make([]float32, kernel.PackedBLen(Kg, g*C))
			if g > 1 {
				maxExpand = max(maxExpand, Kg*g*C)
			}
		}
		if p.training && i > 0 {
			p.packedT[i] = make([]float32, kernel.PackedBLen(C, K))
		}
		p.biasRows[i] = make([]float32, (biasRowsLen+C-1)/C*C)
		maxBiasRows = max(maxBiasRows, len(p.biasRows[i]))
		if l.Kind == Conv {
			rows := max(1, min(colsBudget/Kg, perWorker*l.out.H*l.out.W/g)) * g
			p.chunk[i] = rows
			maxCols = max(maxCols, rows/g*Kg)
			if p.training {
				maxCols = max(maxCols, rows*K)
			}
			maxPad = max(maxPad, paddedLen(l))
			if p.training {
				maxGemm = max(maxGemm, kernel.SgemmScratchLen(K, C, rows))
			}
		} else {
			if p.training {
				maxGemm = max(maxGemm, kernel.SgemmScratchLen(K, C, perWorker))
			}
		}
	}
	if !p.training && opts.path == pathBest {
		p.chain = convChain(net.layers, p.wins)
	}
	for i := range net.layers {
		// A layer inside the chain writes into the next one's bordered
		// image and needs no activations of its own.
		if p.chain == 0 || i >= p.chain-1 {
			p.acts[i] = make([]float32, batch*net.layers[i].out.Size())
		}
	}
	p.workers = make([]workerState, opts.Workers)
	for w := range p.workers {
		ws := &p.workers[w]
		ws.cols = make([]float32, maxCols+copyBlock)
		// One bordered image per layer, so that its border, zero from
		// here on, is never written and padImage copies only the
		// interior.
		ws.pads = make([][]float32, nl)
		for i := range net.layers {
			if l := &net.layers[i]; l.Kind == Conv {
				ws.pads[i] = make([]float32, paddedLen(l))
			}
		}
		ws.expand = make([]float32, maxExpand)
		ws.gemm = make([]float32, maxGemm)
		if p.training {
			ws.grad = make([]float32, len(net.Params))
			ws.gradPad = make([]float32, maxPad)
			ws.rowSum = make([]float32, maxBiasRows)
		}
	}
	if p.training {
		if opts.Workers == 1 {
			p.grad = p.workers[0].grad
		} else {
			p.grad = make([]float32, len(net.Params))
		}
	}
	p.forwardFn = p.forwardWorker
	p.backwardFn = p.backwardWorker
	p.reduceFn = p.reduceWorker
	p.packFn = p.packWorker
	p.splitFn = p.splitWorker
	if opts.Workers > 1 {
		p.pool = newPool(opts.Workers)
	}
	return p
}

// Close stops the plan's worker goroutines. The plan must not be used after.
func (p *Plan) Close() {
	if p.pool != nil {
		p.pool.close()
		p.pool = nil
	}
}

// Batch returns the largest number of samples the plan takes at once.
func (p *Plan) Batch() int { return p.batch }

// Workers returns the number of workers sharing each batch.
func (p *Plan) Workers() int { return len(p.workers) }

// Network returns the planned network.
func (p *Plan) Network() *Network { return p.net }

// Forward runs the network on n samples of x, (n, H, W, C) NHWC, and returns
// their logits, (n, classes). The returned slice belongs to the plan and is
// overwritten by the next call. No dropout is applied.
func (p *Plan) Forward(x []float32, n int) []float32 {
	return p.forward(x, n, false, 0)
}

// ForwardTrain is Forward with dropout on: the masks are drawn from seed, a
// value the caller changes every step (for example a hash of the run's seed
// and the iteration), so that a run is reproducible and the masks do not
// depend on the worker count.
func (p *Plan) ForwardTrain(x []float32, n int, seed uint64) []float32 {
	if !p.training {
		panic(errNotTraining)
	}
	return p.forward(x, n, true, seed)
}

func (p *Plan) forward(x []float32, n int, dropout bool, seed uint64) []float32 {
	if n < 0 || n > p.batch {
		panic(errBatchTooLarge)
	}
	if len(x) < n*p.net.InputSize() {
		panic(errInputLen)
	}
	p.input, p.n, p.dropping, p.dropSeed, p.lossDone = x, n, dropout, seed, false
	if p.training || !p.packedYet || p.packedGen != p.net.gen {
		p.parallel(p.packFn)
		p.packedGen, p.packedYet = p.net.gen, true
	}
	p.parallel(p.forwardFn)
	last := len(p.acts) - 1
	return p.acts[last][:n*p.net.Classes()]
}

func (p *Plan) parallel(fn func(int)) {
	if p.pool == nil {
		fn(0)
		return
	}
	p.pool.run(fn)
}

// packWorker packs the weights and repeats the biases of every layer i with
// i mod workers = w, and packs the transposed weights of the layers with
// (i+1) mod workers = w: the two packings of the largest layer fall on
// different workers.
func (p *Plan) packWorker(w int) {
	nw := len(p.workers)
	for i := range p.net.layers {
		l := &p.net.layers[i]
		K, C := l.k(), l.out.C
		wt := p.net.Params[l.wOff : l.wOff+l.wLen]
		if p.packedT[i] != nil && (i+1)%nw == w {
			kernel.PackB(true, C, K, wt, C, p.packedT[i])
		}
		if i%nw != w {
			continue
		}
		b := p.net.Params[l.bOff : l.bOff+C]
		rows := p.biasRows[i]
		for j := 0; j < len(rows); j += C {
			copy(rows[j:j+C], b)
		}
		g := p.group[i]
		Kg, n := groupedK(l, g), g*C
		expand := p.workers[w].expand
		switch {
		case p.wins[i].ok:
			// The bias goes in as row Kg, which the epilogue of
			// kernel.SgemmPackedWindows adds.
			if g > 1 {
				groupedWeights(l, g, wt, expand)
			} else {
				copy(expand, wt)
			}
			copy(expand[Kg*n:(Kg+1)*n], rows)
			kernel.PackB(false, Kg+1, n, expand, n, p.packed[i])
		case g > 1:
			groupedWeights(l, g, wt, expand)
			kernel.PackB(false, Kg, n, expand, n, p.packed[i])
		default:
			kernel.PackB(false, K, C, wt, C, p.packed[i])
		}
	}
}

// samples returns worker w's range of samples of the current batch.
func (p *Plan) samples(w int) (s0, s1 int) {
	nw := len(p.workers)
	return w * p.n / nw, (w + 1) * p.n / nw
}

func (p *Plan) forwardWorker(w int) {
	s0, s1 := p.samples(w)
	if s0 == s1 {
		return
	}
	ws := &p.workers[w]
	in := p.input
	if p.chain > 0 {
		for s := s0; s < s1; s++ {
			p.chainForward(ws, s)
		}
		in = p.acts[p.chain-1]
	}
	for i := p.chain; i < len(p.net.layers); i++ {
		l := &p.net.layers[i]
		out := p.acts[i]
		if l.Kind == Conv {
			p.convForward(ws, i, in, out, s0, s1)
		} else {
			p.denseForward(i, in, out, s0, s1)
		}
		if p.dropping && l.HasDropout() {
			size := l.out.Size()
			mask := p.masks[i][s0*size : s1*size]
			dropoutMask(mask, p.dropSeed, i, s0*size, l.Keep)
			vek32.Mul_Inplace(out[s0*size:s1*size], mask)
		}
		in = out
	}
}

func (p *Plan) convForward(ws *workerState, i int, in, out []float32, s0, s1 int) {
	l := &p.net.layers[i]
	g, C := p.group[i], l.out.C
	if cw := &p.wins[i]; cw.ok {
		// Implicit GEMM: the product reads the windows straight from the
		// bordered image, a sample at a time, and adds the bias and
		// applies the ReLU as it stores.
		size, outSize := l.in.Size(), l.out.Size()
		for n := s0; n < s1; n++ {
			padImage(l, in[n*size:(n+1)*size], ws.pads[i])
			p.convWindows(i, ws.pads[i], out[n*outSize:(n+1)*outSize], cw.win.Run*g*C)
		}
		return
	}
	Kg := groupedK(l, g)
	rows := l.out.H * l.out.W
	padded := -1
	for r, end := s0*rows, s1*rows; r < end; r += p.chunk[i] {
		re := min(r+p.chunk[i], end)
		m := (re - r) / g
		im2col(l, g, in, r, re, ws.cols, ws.pads[i], &padded)
		p.affine(i, m, Kg, g*C, ws.cols[:m*Kg], out[r*C:re*C])
	}
}

// convWindows runs conv layer i (wins[i].ok) on one sample, whose bordered
// image is pad, into dst: its output rows cRunStep apart, so that dst may
// be the interior of the next layer's bordered image.
func (p *Plan) convWindows(i int, pad, dst []float32, cRunStep int) {
	l := &p.net.layers[i]
	n := p.group[i] * l.out.C
	epi := kernel.EpilogueBias
	if l.ReLU {
		epi |= kernel.EpilogueReLU
	}
	win := p.wins[i].win
	kernel.SgemmPackedWindows(l.out.H*l.out.W/p.group[i], n, pad, win, p.packed[i], epi, dst, n, cRunStep, false)
}

// chainForward runs the first p.chain layers, convolutions, on sample s:
// each writes its output straight into the interior of the next one's
// bordered image, and the last into its activations, so that no layer of
// the chain copies its input or makes a bias pass.
func (p *Plan) chainForward(ws *workerState, s int) {
	l0 := &p.net.layers[0]
	size := l0.in.Size()
	padImage(l0, p.input[s*size:(s+1)*size], ws.pads[0])
	for i := range p.chain {
		l := &p.net.layers[i]
		if i == p.chain-1 {
			outSize := l.out.Size()
			p.convWindows(i, ws.pads[i], p.acts[i][s*outSize:(s+1)*outSize], l.out.W*l.out.C)
			return
		}
		next := &p.net.layers[i+1]
		_, padW := padGeometry(next)
		rowStep := padW * next.in.C
		interior := next.padT*rowStep + next.padL*next.in.C
		p.convWindows(i, ws.pads[i], ws.pads[i+1][interior:], rowStep)
	}
}

func (p *Plan) denseForward(i int, in, out []float32, s0, s1 int) {
	l := &p.net.layers[i]
	I, O := l.in.Size(), l.out.C
	p.affine(i, s1-s0, I, O, in[s0*I:s1*I], out[s0*O:s1*O])
}

// affine computes dst = x·W + b for layer i's packed weights W, (k, n), and
// its bias b repeated over the n columns, over m rows of x, and applies the
// layer's ReLU in the same pass as the bias.
func (p *Plan) affine(i, m, k, n int, x, dst []float32) {
	kernel.SgemmPacked(false, m, n, k, x, k, p.packed[i], dst, n, false)
	kernel.AddBias(dst, p.biasRows[i], p.net.layers[i].ReLU)
}

// convGroup returns how many adjacent output pixels the forward pass of a
// convolution puts in one im2col row (see groupedWeights): enough for g·Cout
// to fill the widest microkernel tile, when the output width is a multiple
// of it, and only for g ≥ 4, where the zero products add at most 60% to the
// work. Measured on AVX2: seed99's conv1 (Cout 6) runs its 4.3 MFLOP at
// 58 GFLOP/s on the 6-wide tile and 110 on the 24-wide one with 1.5 times
// the FLOPs, a gain; conv2 (Cout 12, g = 2) runs at 97 GFLOP/s on the 12-wide
// tile, and its 1.4 times the FLOPs would lose.
func convGroup(l *layer) int {
	width, C := kernel.SgemmPanelWidth(), l.out.C
	if 4*C > width || width%C != 0 || l.out.W%(width/C) != 0 {
		return 1
	}
	g := width / C
	if 5*groupedK(l, g) > 8*l.k() {
		return 1
	}
	return g
}

// dropoutMask fills mask with 1/keep for kept units and 0 for dropped ones.
// Unit j of the layer's batch output is kept when a hash of (seed, layer,
// first+j) falls below keep: the mask of a sample does not depend on which
// worker computes it.
func dropoutMask(mask []float32, seed uint64, layer, first int, keep float32) {
	scale := 1 / keep
	threshold := uint64(float64(keep) * (1 << 24))
	base := seed ^ uint64(layer)<<48
	for j := range mask {
		if splitmix64(base+uint64(first+j))>>40 < threshold {
			mask[j] = scale
		} else {
			mask[j] = 0
		}
	}
}

// splitmix64 is the finaliser of the SplitMix64 generator: a cheap, well
// mixed hash of a counter.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

// Loss computes the mean softmax cross-entropy of the last Forward's logits
// against labels and how many samples the largest logit classifies
// correctly. In a training plan it also stores the gradient of the mean loss
// with respect to the logits, the starting point of Backward.
func (p *Plan) Loss(labels []uint8) (loss float64, correct int) {
	n, classes := p.n, p.net.Classes()
	if len(labels) < n {
		panic(errLabelsLen)
	}
	last := len(p.acts) - 1
	logits := p.acts[last]
	var dl []float32
	if p.training {
		dl = p.grads[last]
	}
	for s := range n {
		z := logits[s*classes : (s+1)*classes]
		y := int(labels[s])
		if y >= classes {
			panic(errLabelRange)
		}
		best, zmax := 0, z[0]
		for j, v := range z {
			if v > zmax {
				best, zmax = j, v
			}
		}
		if best == y {
			correct++
		}
		var sum float64
		for _, v := range z {
			sum += math.Exp(float64(v - zmax))
		}
		loss += math.Log(sum) - float64(z[y]-zmax)
		if dl != nil {
			d := dl[s*classes : (s+1)*classes]
			inv := 1 / (sum * float64(n))
			for j, v := range z {
				d[j] = float32(math.Exp(float64(v-zmax)) * inv)
			}
			d[y] -= float32(1 / float64(n))
		}
	}
	p.lossDone = p.training
	if n > 0 {
		loss /= float64(n)
	}
	return loss, correct
}

// Backward computes the gradient of the mean loss with respect to every
// parameter, from the logit gradient that Loss stored. The result is in
// Grad.
func (p *Plan) Backward() {
	if !p.training {
		panic(errNotTraining)
	}
	if !p.lossDone {
		panic(errNoForward)
	}
	p.parallel(p.backwardFn)
	if len(p.workers) > 1 {
		p.parallel(p.reduceFn)
	}
}

// Grad returns the parameter gradient of the last Backward, laid out like
// Network.Params. It belongs to the plan.
func (p *Plan) Grad() []float32 { return p.grad }

func (p *Plan) backwardWorker(w int) {
	ws := &p.workers[w]
	clear(ws.grad)
	s0, s1 := p.samples(w)
	if s0 == s1 {
		return
	}
	for i := len(p.net.layers) - 1; i >= 0; i-- {
		l := &p.net.layers[i]
		size := l.out.Size()
		dout := p.grads[i][s0*size : s1*size]
		out := p.acts[i][s0*size : s1*size]
		// Undo the activation: dropout scales the gradient by the same mask
		// as the forward pass, ReLU passes it where its output is positive.
		if p.dropping && l.HasDropout() {
			vek32.Mul_Inplace(dout, p.masks[i][s0*size:s1*size])
		}
		if l.ReLU {
			kernel.ReluGrad(dout, out)
		}
		in := p.input
		var din []float32
		if i > 0 {
			in = p.acts[i-1]
			din = p.grads[i-1]
		}
		if l.Kind == Conv {
			p.convBackward(ws, i, in, din, s0, s1)
		} else {
			p.denseBackward(ws, i, in, din, p.grads[i], s0, s1)
		}
	}
}

func (p *Plan) convBackward(ws *workerState, i int, in, din []float32, s0, s1 int) {
	l := &p.net.layers[i]
	K, C := l.k(), l.out.C
	gw := ws.grad[l.wOff : l.wOff+l.wLen]
	gb := ws.grad[l.bOff : l.bOff+C]
	dout := p.grads[i]
	rows := l.out.H * l.out.W
	padded, gradPadded := -1, -1
	for r, end := s0*rows, s1*rows; r < end; r += p.chunk[i] {
		re := min(r+p.chunk[i], end)
		d := dout[r*C : re*C]
		sumRows(gb, d, ws.rowSum[:len(p.biasRows[i])])
		cols := ws.cols[:(re-r)*K]
		im2col(l, 1, in, r, re, ws.cols, ws.pads[i], &padded)
		kernel.Sgemm(true, false, K, C, re-r, cols, K, d, C, gw, C, true, ws.gemm)
		if din != nil {
			kernel.SgemmPacked(false, re-r, K, C, d, C, p.packedT[i], cols, K, false)
			col2im(l, ws.cols, r, re, din, ws.gradPad, &gradPadded)
		}
	}
	if din != nil {
		col2imFlush(l, din, ws.gradPad, &gradPadded)
	}
}

func (p *Plan) denseBackward(ws *workerState, i int, in, din, dout []float32, s0, s1 int) {
	l := &p.net.layers[i]
	I, O := l.in.Size(), l.out.C
	gw := ws.grad[l.wOff : l.wOff+l.wLen]
	gb := ws.grad[l.bOff : l.bOff+O]
	d := dout[s0*O : s1*O]
	x := in[s0*I : s1*I]
	sumRows(gb, d, ws.rowSum[:len(p.biasRows[i])])
	kernel.Sgemm(true, false, I, O, s1-s0, x, I, d, O, gw, O, true, ws.gemm)
	if din != nil {
		kernel.SgemmPacked(false, s1-s0, I, O, d, O, p.packedT[i], din[s0*I:s1*I], I, false)
	}
}

// addTo adds src into dst, element by element, over len(dst).
func addTo(dst, src []float32) {
	if len(dst) >= 16 {
		vek32.Add_Inplace(dst, src[:len(dst)])
		return
	}
	for j := range dst {
		dst[j] += src[j]
	}
}

// sumRows adds every row of x, (rows, len(dst)), into dst. acc is scratch of
// a whole number of rows: x is summed acc at a time with vector adds, then
// acc's rows into dst.
func sumRows(dst, x, acc []float32) {
	n := len(acc)
	if len(x) >= 2*n {
		copy(acc, x[:n])
		j := n
		for ; j+n <= len(x); j += n {
			vek32.Add_Inplace(acc, x[j:j+n])
		}
		vek32.Add_Inplace(acc[:len(x)-j], x[j:])
		x = acc
	}
	sumRowsScalar(dst, x)
}

// sumRowsScalar is sumRows one value at a time.
func sumRowsScalar(dst, x []float32) {
	c := len(dst)
	for r := 0; r+c <= len(x); r += c {
		for j, v := range x[r : r+c] {
			dst[j] += v
		}
	}
}

// SplitParams calls fn(lo, hi) on each of the plan's workers for its share
// [lo, hi) of the parameter indices and returns when all have returned: an
// optimiser updates the parameters with all cores this way. The shares are
// disjoint, cover len(Network.Params) and start at multiples of 16. To
// allocate nothing, fn should be a func value made once, not a new closure
// per call.
func (p *Plan) SplitParams(fn func(lo, hi int)) {
	p.paramFn = fn
	p.parallel(p.splitFn)
	p.paramFn = nil
}

func (p *Plan) splitWorker(w int) {
	lo, hi := p.paramShare(w)
	if lo < hi {
		p.paramFn(lo, hi)
	}
}

// paramShare returns worker w's share of the parameter indices, cut at
// multiples of 16 so that no two workers write the same cache line.
func (p *Plan) paramShare(w int) (lo, hi int) {
	n, nw := len(p.net.Params), len(p.workers)
	cut := func(k int) int { return min(n, (k*n/nw+15)&^15) }
	return cut(w), cut(w + 1)
}

// reduceWorker sums the workers' parameter gradients into p.grad over worker
// w's share of the parameters, always in worker order so that the result is
// reproducible for a given worker count.
func (p *Plan) reduceWorker(w int) {
	nw := len(p.workers)
	lo, hi := p.paramShare(w)
	dst := p.grad[lo:hi]
	copy(dst, p.workers[0].grad[lo:hi])
	for k := 1; k < nw; k++ {
		vek32.Add_Inplace(dst, p.workers[k].grad[lo:hi])
	}
}
