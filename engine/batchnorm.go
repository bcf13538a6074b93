package engine

import "math"

// Batch normalisation (Ioffe and Szegedy), as the codelab's last model uses
// it: a layer with BN computes z = x·W without a bias, normalises every
// output channel c to x̂ = (z − μ_c)/√(σ²_c + ε) and adds its offset β_c
// (the layer's bias) before the ReLU; there is no scale, which the ReLU
// and the next layer's weights make redundant.
//
// In ForwardTrain, μ and σ² are the batch's own statistics over every
// sample and pixel of the channel, and each pass moves the layer's running
// mean and variance (kept in Params) towards them. Every other forward pass
// uses the running statistics. A training plan's workers each hold a range
// of the samples, so a batch-statistics pass is cut at every BN layer: the
// workers run up to the layer's product and sum their samples, the
// caller's goroutine combines the sums in worker order (the result depends
// on the worker count only through rounding), and the workers go on from
// there. Backward is cut the same way for the two sums its gradient needs.
//
// An inference plan never normalises: it folds the running statistics into
// the weights and bias it packs (layer.fold), so that a BN layer costs
// exactly what the same layer without BN costs.

const (
	// bnEpsilon is added to the variance before its square root, as the
	// codelab does (TensorFlow's tf.nn.batch_normalization with 1e-5).
	bnEpsilon = 1e-5
	// bnMomentum is the weight of the running statistics' old value at
	// each batch (Keras's default, an average over about 100 batches). It
	// is a constant, not a function of the step, so that a run resumed
	// from a checkpoint, which saves the running statistics with the
	// parameters, goes on exactly as the uninterrupted run.
	bnMomentum = 0.99
)

// bnScale returns 1/√(σ² + ε).
func bnScale(variance float64) float64 { return 1 / math.Sqrt(variance+bnEpsilon) }

// fold writes into dst, at the layer's weight and bias offsets, the
// weights and bias of the layer without BN that computes what the layer
// computes with its running statistics in src: column c of the weights
// scaled by s_c = 1/√(σ²_c + ε) and the bias β_c − μ_c·s_c.
func (l *layer) fold(src, dst []float32) {
	C := l.out.C
	mean, variance, beta := l.runMean(src), l.runVar(src), l.bias(src)
	b := l.bias(dst)
	var scale [64]float32 // most layers; larger ones scale column by column
	if C <= len(scale) {
		for c := range C {
			s := bnScale(float64(variance[c]))
			scale[c] = float32(s)
			b[c] = float32(float64(beta[c]) - float64(mean[c])*s)
		}
		w, wd := l.weights(src), l.weights(dst)
		for r := 0; r < len(w); r += C {
			for c, v := range w[r : r+C] {
				wd[r+c] = v * scale[c]
			}
		}
		return
	}
	w, wd := l.weights(src), l.weights(dst)
	for c := range C {
		s := bnScale(float64(variance[c]))
		b[c] = float32(float64(beta[c]) - float64(mean[c])*s)
		for r := c; r < len(w); r += C {
			wd[r] = w[r] * float32(s)
		}
	}
}

// FoldBN returns a network without batch normalisation that computes what
// n computes at inference: every BN layer's running statistics folded into
// its weights and bias (the layer's spec loses its bn). Quantisation starts
// from it, so that an int8 model has no BN. A network without BN is copied.
func (n *Network) FoldBN() *Network {
	spec := Spec{Input: n.Spec.Input, Layers: make([]LayerSpec, len(n.Spec.Layers))}
	for i, ls := range n.Spec.Layers {
		ls.BN = false
		spec.Layers[i] = ls
	}
	out, err := New(spec)
	if err != nil {
		panic("engine: FoldBN of a valid network: " + err.Error())
	}
	var tmp []float32 // fold writes at l's offsets: into tmp, of n's layout, then to out's
	if n.Spec.HasBN() {
		tmp = make([]float32, len(n.Params))
	}
	for i := range n.layers {
		l, m := &n.layers[i], &out.layers[i]
		if l.Kind == MaxPool {
			continue
		}
		if !l.BN {
			copy(m.weights(out.Params), l.weights(n.Params))
			copy(m.bias(out.Params), l.bias(n.Params))
			continue
		}
		l.fold(n.Params, tmp)
		copy(m.weights(out.Params), l.weights(tmp))
		copy(m.bias(out.Params), l.bias(tmp))
	}
	return out
}

// HasBN reports whether any layer of the spec has batch normalisation.
func (s Spec) HasBN() bool {
	for _, l := range s.Layers {
		if l.BN {
			return true
		}
	}
	return false
}

// bnState is a training plan's batch normalisation of one layer: its
// pre-normalisation output and the per-channel coefficients of the pass
// under way.
type bnState struct {
	pre  []float32 // (batch, H, W, C): the product z, then x̂ once normalised
	mean []float32 // (C): μ of the forward pass
	inv  []float32 // (C): 1/√(σ² + ε) of the forward pass
	// The backward pass's dz = inv·dy − gb − gx·x̂ (batch statistics; with
	// the running ones gb = gx = 0).
	gb, gx []float32
}

// bnNormalize normalises every row of pre, (rows, C), in place to
// x̂ = (z − mean)·inv and writes x̂ + beta, through the ReLU if relu, to
// out.
func bnNormalize(pre, out, mean, inv, beta []float32, relu bool) {
	C := len(mean)
	mean, inv, beta = mean[:C], inv[:C], beta[:C]
	for r := 0; r+C <= len(pre); r += C {
		p, o := pre[r:r+C], out[r:r+C]
		for c := range p {
			x := (p[c] - mean[c]) * inv[c]
			p[c] = x
			y := x + beta[c]
			if relu && y < 0 {
				y = 0
			}
			o[c] = y
		}
	}
}

// bnSums adds, for every row of a and b, (rows, C), each channel's Σa to
// sum and Σa·b to dot, in float64 after a float32 sum per sample of
// rowsPerSample rows, so that a variance E[z²] − E[z]² keeps its digits:
// bnSums(z, z, …) gives a batch's statistics, bnSums(dy, x̂, …) the sums of
// its gradient.
func bnSums(a, b []float32, C, rowsPerSample int, sum, dot []float64, acc []float32) {
	s32, d32 := acc[:C], acc[C:2*C]
	step := rowsPerSample * C
	for s := 0; s < len(a); s += step {
		clear(s32)
		clear(d32)
		for r := s; r < s+step; r += C {
			x, y := a[r:r+C], b[r:r+C]
			for c := range x {
				s32[c] += x[c]
				d32[c] += x[c] * y[c]
			}
		}
		for c := range C {
			sum[c] += float64(s32[c])
			dot[c] += float64(d32[c])
		}
	}
}

// bnGradApply turns dy, the gradient of x̂ + β, into the gradient of z in
// place: dz = inv·dy − gb − gx·x̂, per channel.
func bnGradApply(dy, xhat, inv, gb, gx []float32) {
	C := len(inv)
	inv, gb, gx = inv[:C], gb[:C], gx[:C]
	for r := 0; r+C <= len(dy); r += C {
		g, x := dy[r:r+C], xhat[r:r+C]
		for c := range g {
			g[c] = inv[c]*g[c] - gb[c] - gx[c]*x[c]
		}
	}
}

// runCut runs fn on the workers from layer from, and, while the pass uses
// the batch's statistics, at each BN layer that next(from, resume) finds
// combines the workers' sums with combine and runs fn again from there.
func (p *Plan) runCut(from int, fn func(int), next func(int, bool) int, combine func(int)) {
	p.from, p.resume = from, false
	for {
		p.pool.Run(fn)
		if !p.batchStats {
			return
		}
		i := next(p.from, p.resume)
		if i < 0 {
			return
		}
		combine(i)
		p.from, p.resume = i, true
	}
}

// nextBN returns the first training BN layer at or after from (after it, if
// past is set), or -1.
func (p *Plan) nextBN(from int, past bool) int {
	if past {
		from++
	}
	for i := from; i < len(p.bn); i++ {
		if p.bn[i].pre != nil {
			return i
		}
	}
	return -1
}

// prevBN returns the last training BN layer at or before from (before it,
// if past is set), or -1.
func (p *Plan) prevBN(from int, past bool) int {
	if past {
		from--
	}
	for i := from; i >= 0; i-- {
		if p.bn[i].pre != nil {
			return i
		}
	}
	return -1
}

// runningStats sets every BN layer's coefficients from its running
// statistics, for a pass without batch statistics.
func (p *Plan) runningStats() {
	for i := range p.bn {
		bn := &p.bn[i]
		if bn.pre == nil {
			continue
		}
		l := &p.net.layers[i]
		copy(bn.mean, l.runMean(p.net.Params))
		for c, v := range l.runVar(p.net.Params) {
			bn.inv[c] = float32(bnScale(float64(v)))
		}
		clear(bn.gb)
		clear(bn.gx)
	}
}

// batchStatsOf combines the workers' sums of layer i's product into the
// batch's mean and scale, and moves the running statistics towards them
// (with the unbiased variance, as TensorFlow and PyTorch keep it).
func (p *Plan) batchStatsOf(i int) {
	l, bn := &p.net.layers[i], &p.bn[i]
	mean, variance := l.runMean(p.net.Params), l.runVar(p.net.Params)
	N := float64(p.n * l.out.H * l.out.W)
	unbias := 1.0
	if N > 1 {
		unbias = N / (N - 1)
	}
	for c := range bn.mean {
		var sum, sq float64
		for w := range p.shared {
			sum += p.shared[w].bnSum[c]
			sq += p.shared[w].bnSq[c]
		}
		mu := sum / N
		v := max(sq/N-mu*mu, 0)
		bn.mean[c], bn.inv[c] = float32(mu), float32(bnScale(v))
		mean[c] = float32(bnMomentum*float64(mean[c]) + (1-bnMomentum)*mu)
		variance[c] = float32(bnMomentum*float64(variance[c]) + (1-bnMomentum)*v*unbias)
	}
	p.net.ParamsChanged()
}

// batchGradOf combines the workers' sums Σdy and Σdy·x̂ of layer i into the
// coefficients of its gradient, dz = inv·(dy − Σdy/N − x̂·Σdy·x̂/N).
func (p *Plan) batchGradOf(i int) {
	l, bn := &p.net.layers[i], &p.bn[i]
	N := float64(p.n * l.out.H * l.out.W)
	for c := range bn.gb {
		var sum, dot float64
		for w := range p.shared {
			sum += p.shared[w].bnSum[c]
			dot += p.shared[w].bnSq[c]
		}
		inv := float64(bn.inv[c])
		bn.gb[c], bn.gx[c] = float32(inv*sum/N), float32(inv*dot/N)
	}
}
