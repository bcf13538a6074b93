package engine

import (
	"math"

	"github.com/viterin/vek/vek32"

	"github.com/edgeconv/edgeconv/engine/kernel"
	"github.com/edgeconv/edgeconv/internal/pool"
)

// PlanOptions configures a plan.
type PlanOptions struct {
	// Workers is the number of goroutines that share each batch (at least 1).
	// Each works on a contiguous range of samples, so the result depends on
	// the worker count only through the order in which gradients are summed.
	Workers int
	// Training allocates what Backward needs: gradients of every activation,
	// dropout masks and per-worker parameter gradients.
	Training bool
	// KeepActivations keeps every layer's output of an inference plan for
	// Activation (quantisation calibrates on them). Without it the leading
	// convolutions of an inference plan may run as a chain that writes each
	// hidden output straight into the next layer's bordered image and keeps
	// none. A training plan keeps them all anyway.
	KeepActivations bool

	path forwardPath // the tests' way to force a slower forward path
}

// forwardPath selects how convolutions run forward: the fastest way each
// can (pathBest), or, for tests that compare the paths, windows read in
// place but no chain (pathNoChain), that and always by a matrix product,
// never the direct kernel (pathNoDirect), or the im2col matrix
// (pathIm2col).
type forwardPath int

const (
	pathBest forwardPath = iota
	pathNoChain
	pathNoDirect
	pathIm2col
)

// Plan is a network prepared for a batch size: every buffer that a forward or
// backward pass needs is allocated once here, so that Forward, Loss and
// Backward allocate nothing.
//
// A plan holds one planLayer per layer (convPlan, densePlan), which owns the
// layer's packed parameters and scratch images and runs its passes; the plan
// owns what passes between layers (activations, their gradients, dropout
// masks) and what the workers share.
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

	layers []planLayer   // layers[i] runs net.layers[i]
	acts   [][]float32   // acts[i]: output of layer i, (batch, out.H, out.W, out.C); nil inside the chain
	grads  [][]float32   // grads[i]: d loss / d acts[i] (training only)
	masks  [][]float32   // masks[i]: dropout multipliers, 0 or 1/keep (training, dropout layers)
	chain  []*convPlan   // leading conv layers run sample by sample, each into the next one's bordered image (inference)
	shared []workerState // shared[w]: the scratch worker w's passes share between layers
	bn     []bnState     // bn[i]: layer i's batch normalisation (training, BN layers; pre is nil for others)
	hasBN  bool          // a training plan with BN layers
	folded []float32     // inference: BN layers' weights and bias with the running statistics folded in, at their offsets in Params

	// The pass under way, cut at BN layers when it uses batch statistics:
	// the workers start at layer from, and at its normalisation (forward)
	// or its gradient's (backward) when resume is set.
	from       int
	resume     bool
	batchStats bool // the last forward pass normalised with the batch's statistics

	packedGen uint64 // the network generation packed
	packedYet bool   // whether anything has been packed

	input    []float32 // the last Forward's input
	n        int       // the last Forward's sample count
	dropping bool      // the last Forward applied dropout
	dropSeed uint64
	lossDone bool

	grad []float32 // reduced parameter gradient
	pool *pool.Pool

	// Method values made once, so that handing them to the pool allocates
	// nothing.
	forwardFn, backwardFn, reduceFn, packFn, splitFn, reduceSplitFn func(int)
	paramFn                                                         func(lo, hi int) // SplitParams's and BackwardUpdate's argument

	load func(w, lo, hi int) // ForwardTrainLoad's argument, during its pass
}

// workerState is the scratch that one worker's passes share: each is as
// long as the longest any layer needs (scratchNeeds). What a layer needs of
// its own per worker (its bordered image) the layer owns.
type workerState struct {
	cols    []float32 // im2col chunk, with copyBlock floats of slack
	gradPad []float32 // zero-bordered input gradient for col2im (training)
	gemm    []float32 // kernel.Sgemm scratch for the weight gradients (training)
	grad    []float32 // this worker's share of the parameter gradient (training)
	rowSum  []float32 // sumRows scratch (training)
	expand  []float32 // weights rearranged before packing

	// Batch normalisation: this worker's per-channel sums over its samples
	// (training, BN layers), and float32 scratch for them.
	bnSum, bnSq []float64
	bnAcc       []float32
}

// scratchNeeds is how much of each workerState buffer a layer uses.
type scratchNeeds struct {
	cols, gradPad, gemm, rowSum, expand int
}

func (s *scratchNeeds) max(o scratchNeeds) {
	s.cols = max(s.cols, o.cols)
	s.gradPad = max(s.gradPad, o.gradPad)
	s.gemm = max(s.gemm, o.gemm)
	s.rowSum = max(s.rowSum, o.rowSum)
	s.expand = max(s.expand, o.expand)
}

// planLayer is one layer of a plan. It owns the layer's packed parameters
// and its per-worker buffers, and runs the layer's passes on one worker's
// range of samples [s0, s1) of whole-batch slices. Each layer kind
// implements it, and newPlanLayer makes it: adding a kind touches its own
// file and that switch.
type planLayer interface {
	// needs returns the shared worker scratch that the layer's passes use.
	needs() scratchNeeds
	// pack rearranges the layer's parameters, read from params, for its
	// forward pass, with expand as scratch: its share part of parts (from
	// 0), the calls for every part doing all of it. A layer whose packing
	// does not split does all of it in part 0.
	pack(params, expand []float32, part, parts int)
	// packT rearranges them for its input gradient (training plans, every
	// layer but the first), shared like pack.
	packT(params []float32, part, parts int)
	// forward computes out from in, including the layer's ReLU (in a
	// training plan, a BN layer's product z alone, without bias or ReLU).
	forward(ws *workerState, w int, in, out []float32, s0, s1 int)
	// backward takes dout, the gradient of the layer's output before its
	// ReLU (of its product z, for BN in a training plan), adds the
	// parameter gradient into ws.grad (a BN layer's offset's gradient the
	// plan adds) and, unless din is nil (the first layer), writes the
	// gradient of the input into din.
	backward(ws *workerState, w int, in, din, dout []float32, s0, s1 int)
}

// planSetup is what newPlanLayer needs to know besides the layer.
type planSetup struct {
	workers   int
	perWorker int         // the most samples one worker runs
	training  bool        // a training plan
	inputGrad bool        // the layer's backward pass computes its input gradient (training, all but the first layer)
	path      forwardPath // PlanOptions.path
}

// newPlanLayer makes the plan of layer l, by its kind.
func newPlanLayer(l *layer, s planSetup) planLayer {
	switch l.Kind {
	case Conv:
		return newConvPlan(l, s)
	case MaxPool:
		return newPoolPlan(l, s)
	default:
		return newDensePlan(l, s)
	}
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
	s := planSetup{workers: opts.Workers, perWorker: (batch + opts.Workers - 1) / opts.Workers,
		training: opts.Training, path: opts.path}
	nl := len(net.layers)
	p.layers = make([]planLayer, nl)
	var need scratchNeeds
	for i := range net.layers {
		s.inputGrad = p.training && i > 0
		p.layers[i] = newPlanLayer(&net.layers[i], s)
		need.max(p.layers[i].needs())
	}
	if !p.training && !opts.KeepActivations && opts.path == pathBest {
		p.chain = convChain(p.layers)
	}
	p.acts = make([][]float32, nl)
	p.bn = make([]bnState, nl)
	if p.training {
		p.grads = make([][]float32, nl)
		p.masks = make([][]float32, nl)
	} else if net.Spec.HasBN() {
		p.folded = make([]float32, len(net.Params))
	}
	maxBN := 0
	for i := range net.layers {
		l := &net.layers[i]
		size := batch * l.out.Size()
		// A layer inside the chain writes into the next one's bordered
		// image and needs no activations of its own.
		if i >= len(p.chain)-1 {
			p.acts[i] = make([]float32, size)
		}
		if p.training {
			p.grads[i] = make([]float32, size)
			if l.HasDropout() {
				p.masks[i] = make([]float32, size)
			}
			if l.BN {
				C := l.out.C
				p.bn[i] = bnState{pre: make([]float32, size), mean: make([]float32, C), inv: make([]float32, C),
					gb: make([]float32, C), gx: make([]float32, C)}
				p.hasBN = true
				maxBN = max(maxBN, C)
			}
		}
	}
	p.shared = make([]workerState, opts.Workers)
	for w := range p.shared {
		ws := &p.shared[w]
		ws.cols = make([]float32, need.cols+copyBlock)
		ws.expand = make([]float32, need.expand)
		ws.gemm = make([]float32, need.gemm)
		if p.training {
			ws.grad = make([]float32, len(net.Params))
			ws.gradPad = make([]float32, need.gradPad)
			ws.rowSum = make([]float32, need.rowSum)
			ws.bnSum, ws.bnSq = make([]float64, maxBN), make([]float64, maxBN)
			ws.bnAcc = make([]float32, 2*maxBN)
		}
	}
	if p.training {
		if opts.Workers == 1 {
			p.grad = p.shared[0].grad
		} else {
			p.grad = make([]float32, len(net.Params))
		}
	}
	p.forwardFn = p.forwardWorker
	p.backwardFn = p.backwardWorker
	p.reduceFn = p.reduceWorker
	p.packFn = p.packWorker
	p.splitFn = p.splitWorker
	p.reduceSplitFn = p.reduceSplitWorker
	p.pool = pool.New(opts.Workers)
	return p
}

// Close stops the plan's worker goroutines. The plan must not be used after.
func (p *Plan) Close() { p.pool.Close() }

// Batch returns the largest number of samples the plan takes at once.
func (p *Plan) Batch() int { return p.batch }

// Workers returns the number of workers sharing each batch.
func (p *Plan) Workers() int { return p.pool.Workers() }

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
	return p.ForwardTrainLoad(x, n, seed, nil)
}

// ForwardTrainLoad is ForwardTrain with the input filled during the pass:
// each worker w first calls load(w, lo, hi) to write its own samples [lo,
// hi) of x, and then runs them, so that preparing a batch (the trainer
// gathers and distorts its images) shares the workers without a pass of its
// own. load must write x[lo·InputSize():hi·InputSize()] alone; it may be nil.
// To allocate nothing, it should be a func value made once.
func (p *Plan) ForwardTrainLoad(x []float32, n int, seed uint64, load func(w, lo, hi int)) []float32 {
	if !p.training {
		panic(errNotTraining)
	}
	p.load = load
	out := p.forward(x, n, true, seed)
	p.load = nil
	return out
}

// Activation returns the output of layer i (from 0) for the samples of the
// last Forward or ForwardTrain, (n, H, W, C) in the shape of
// LayerInfo.Out, as the next layer reads it: after the layer's ReLU and,
// in ForwardTrain, its dropout. The slice belongs to the plan and is
// overwritten by the next pass. The last layer's output (the logits) is
// always kept; a hidden layer's only in a training plan or one made with
// PlanOptions.KeepActivations, and Activation panics otherwise.
func (p *Plan) Activation(i int) []float32 {
	if p.acts[i] == nil {
		panic(errNoActivation)
	}
	return p.acts[i][:p.n*p.net.layers[i].out.Size()]
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
		p.pool.Run(p.packFn)
		p.packedGen, p.packedYet = p.net.gen, true
	}
	// ForwardTrain normalises with the batch's statistics, cutting the
	// pass at every BN layer (batchnorm.go); Forward with the running ones.
	p.batchStats = p.hasBN && dropout && n > 0
	if p.hasBN && !p.batchStats {
		p.runningStats()
	}
	p.runCut(0, p.forwardFn, p.nextBN, p.batchStatsOf)
	last := len(p.acts) - 1
	return p.acts[last][:n*p.net.Classes()]
}

// packWorker packs worker w's share of the parameters. A training plan
// packs at every step, and there all workers share every layer's weights
// and transposed weights (a layer that cannot split packs in part 0, which
// falls on worker i mod workers for layer i): seed99's dense layer alone
// took ~80 µs to pack and ~250 to pack transposed, one layer per worker,
// and memory bound. An inference plan packs when the parameters change,
// layer i on worker i mod workers, with the batch normalisation folded in
// first.
func (p *Plan) packWorker(w int) {
	nw := p.pool.Workers()
	for i, l := range p.layers {
		params := p.net.Params
		if p.training {
			part := (w - i%nw + nw) % nw
			if i > 0 {
				l.packT(params, part, nw)
			}
			l.pack(params, p.shared[w].expand, part, nw)
			continue
		}
		if i%nw == w {
			if p.folded != nil && p.net.layers[i].BN {
				p.net.layers[i].fold(params, p.folded)
				params = p.folded
			}
			l.pack(params, p.shared[w].expand, 0, 1)
		}
	}
}

func (p *Plan) forwardWorker(w int) {
	s0, s1 := p.pool.Share(w, p.n)
	ws := &p.shared[w]
	if s0 == s1 {
		if p.batchStats {
			clear(ws.bnSum)
			clear(ws.bnSq)
		}
		return
	}
	if p.load != nil && p.from == 0 && !p.resume {
		p.load(w, s0, s1)
	}
	in := p.input
	first := p.from
	switch {
	case first > 0:
		in = p.acts[first-1]
	case len(p.chain) > 0:
		for s := s0; s < s1; s++ {
			p.chainForward(w, s)
		}
		first = len(p.chain)
		in = p.acts[first-1]
	}
	for i := first; i < len(p.layers); i++ {
		out := p.acts[i]
		l := &p.net.layers[i]
		if bn := &p.bn[i]; bn.pre != nil {
			size := l.out.Size()
			pre := bn.pre[s0*size : s1*size]
			if !p.resume || i != p.from {
				p.layers[i].forward(ws, w, in, bn.pre, s0, s1)
				if p.batchStats {
					// Stop here: the plan combines the workers' sums.
					C := l.out.C
					clear(ws.bnSum[:C])
					clear(ws.bnSq[:C])
					bnSums(pre, pre, C, l.out.H*l.out.W, ws.bnSum, ws.bnSq, ws.bnAcc)
					return
				}
			}
			bnNormalize(pre, out[s0*size:s1*size], bn.mean, bn.inv, l.bias(p.net.Params), l.ReLU)
		} else {
			p.layers[i].forward(ws, w, in, out, s0, s1)
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

// chainForward runs the layers of the chain, convolutions, on sample s:
// each writes its output straight into the interior of the next one's
// bordered image, and the last into its activations, so that no layer of
// the chain copies its input or makes a bias pass.
func (p *Plan) chainForward(w, s int) {
	c0 := p.chain[0]
	size := c0.l.in.Size()
	padImage(c0.l, p.input[s*size:(s+1)*size], c0.pads[w])
	last := len(p.chain) - 1
	for i, c := range p.chain[:last] {
		next := p.chain[i+1]
		c.runWindows(c.pads[w], next.pads[w][next.interior():], next.rowStep())
	}
	// The chain is layers 0..last: the last one writes its activations.
	c := p.chain[last]
	outSize := c.l.out.Size()
	c.runWindows(c.pads[w], p.acts[last][s*outSize:(s+1)*outSize], c.l.out.W*c.l.out.C)
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
	p.runCut(len(p.layers)-1, p.backwardFn, p.prevBN, p.batchGradOf)
	if p.pool.Workers() > 1 {
		p.pool.Run(p.reduceFn)
	}
}

// BackwardUpdate is Backward followed by SplitParams(fn), with the workers'
// gradients summed in fn's pass rather than one of their own: each worker
// sums a piece of its share, then calls fn on that piece while it is still
// in cache, piece after piece. fn(lo, hi) may read Grad()[lo:hi], which holds
// the sum of Backward by then, and must not read the rest of Grad. The
// gradient and the pieces' sums are Backward's, bit for bit. This saves the
// optimiser one pass over the gradient and one hand-over between the
// workers.
func (p *Plan) BackwardUpdate(fn func(lo, hi int)) {
	if !p.training {
		panic(errNotTraining)
	}
	if !p.lossDone {
		panic(errNoForward)
	}
	p.runCut(len(p.layers)-1, p.backwardFn, p.prevBN, p.batchGradOf)
	p.paramFn = fn
	p.pool.Run(p.reduceSplitFn)
	p.paramFn = nil
}

// reducePiece is how many parameters reduceSplitWorker sums before it
// hands them to the optimiser: with the moments and the parameters, five
// arrays of it (80 KiB) stay in L2.
const reducePiece = 4096

func (p *Plan) reduceSplitWorker(w int) {
	lo, hi := p.paramShare(w)
	for a := lo; a < hi; a += reducePiece {
		b := min(a+reducePiece, hi)
		if len(p.shared) > 1 {
			p.reduceRange(a, b)
		}
		p.paramFn(a, b)
	}
}

// Grad returns the parameter gradient of the last Backward, laid out like
// Network.Params. It belongs to the plan.
func (p *Plan) Grad() []float32 { return p.grad }

func (p *Plan) backwardWorker(w int) {
	ws := &p.shared[w]
	if !p.resume {
		clear(ws.grad)
	}
	s0, s1 := p.pool.Share(w, p.n)
	if s0 == s1 {
		if p.batchStats {
			clear(ws.bnSum)
			clear(ws.bnSq)
		}
		return
	}
	for i := p.from; i >= 0; i-- {
		l := &p.net.layers[i]
		size := l.out.Size()
		dout := p.grads[i][s0*size : s1*size]
		out := p.acts[i][s0*size : s1*size]
		bn := &p.bn[i]
		if p.resume && i == p.from {
			// The plan has combined the sums: the gradient of z.
			bnGradApply(dout, bn.pre[s0*size:s1*size], bn.inv, bn.gb, bn.gx)
		} else {
			// Undo the activation: dropout scales the gradient by the same
			// mask as the forward pass, ReLU passes it where its output is
			// positive.
			if p.dropping && l.HasDropout() {
				vek32.Mul_Inplace(dout, p.masks[i][s0*size:s1*size])
			}
			if l.ReLU {
				kernel.ReluGrad(dout, out)
			}
			if bn.pre != nil {
				// The offset's gradient is Σdy; z's needs the batch's
				// sums too, so with batch statistics stop here.
				C := l.out.C
				clear(ws.bnSum[:C])
				clear(ws.bnSq[:C])
				bnSums(dout, bn.pre[s0*size:s1*size], C, l.out.H*l.out.W, ws.bnSum, ws.bnSq, ws.bnAcc)
				gb := l.bias(ws.grad)
				for c := range C {
					gb[c] += float32(ws.bnSum[c])
				}
				if p.batchStats {
					return
				}
				bnGradApply(dout, bn.pre[s0*size:s1*size], bn.inv, bn.gb, bn.gx)
			}
		}
		in := p.input
		var din []float32
		if i > 0 {
			in = p.acts[i-1]
			din = p.grads[i-1]
		}
		p.layers[i].backward(ws, w, in, din, p.grads[i], s0, s1)
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
	p.pool.Run(p.splitFn)
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
	n, nw := len(p.net.Params), p.pool.Workers()
	cut := func(k int) int { return min(n, (k*n/nw+15)&^15) }
	return cut(w), cut(w + 1)
}

// reduceWorker sums the workers' parameter gradients into p.grad over worker
// w's share of the parameters, always in worker order so that the result is
// reproducible for a given worker count.
func (p *Plan) reduceWorker(w int) {
	p.reduceRange(p.paramShare(w))
}

// reduceRange sums the workers' parameter gradients [lo, hi) into p.grad,
// in worker order.
func (p *Plan) reduceRange(lo, hi int) {
	dst := p.grad[lo:hi]
	copy(dst, p.shared[0].grad[lo:hi])
	for k := 1; k < len(p.shared); k++ {
		vek32.Add_Inplace(dst, p.shared[k].grad[lo:hi])
	}
}

// PlanBytes estimates, from the shapes alone, the bytes NewPlan allocates
// for a network of this spec at batch with opts, with the network's own
// parameters: activations, their gradients and dropout masks, packed
// weights, the bordered images, and the workers' gradients and scratch.
// Callers compare it with the memory there is before they allocate (a
// batch or a worker count from the command line must not exhaust it). It
// is an upper bound: for a training plan at most about a third more than
// NewPlan makes (packed panels are counted at their widest); an inference
// plan that chains its leading convolutions keeps fewer activations; an
// int8 plan (quant) of the same spec makes less. The spec must be valid.
func (s Spec) PlanBytes(batch int, opts PlanOptions) int64 {
	layers, params := s.layout()
	workers := int64(max(opts.Workers, 1))
	perWorker := (int64(batch) + workers - 1) / workers
	n := int64(params) // the network's parameters
	var cols, gradPad int64
	for i := range layers {
		l := &layers[i]
		k, c := int64(l.k()), int64(l.out.C)
		out := int64(batch) * size64(l.out)
		n += out // activations
		packed := (k + 1) * ((c + 47) / 48 * 48)
		n += packed
		if opts.Training {
			n += out // their gradients
			if l.HasDropout() {
				n += out
			}
			if l.BN || l.Kind == MaxPool {
				n += out // the product before normalisation; the winners' indices
			}
			n += packed // transposed weights for the input gradient
		}
		if l.Kind == Conv {
			pad := int64(paddedLen(l))
			n += workers * pad
			rows := max(1, min(colsBudget/k, perWorker*int64(l.out.H)*int64(l.out.W)))
			cols = max(cols, rows*k)
			gradPad = max(gradPad, pad)
		}
	}
	n += workers * (cols + packedMax(layers))
	if !opts.Training && s.HasBN() {
		n += int64(params) // the folded weights
	}
	if opts.Training {
		n += (workers + 1) * int64(params) // per-worker gradients and their sum
		n += workers * gradPad
	}
	return 4 * n
}

// packedMax is the largest weight matrix of the layers: the scratch they
// are rearranged in before packing.
func packedMax(layers []layer) int64 {
	var m int64
	for i := range layers {
		m = max(m, (int64(layers[i].k())+1)*int64(layers[i].out.C))
	}
	return m
}
