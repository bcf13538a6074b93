package quant

import (
	"encoding/binary"
	"slices"

	"github.com/edgeconv/edgeconv/engine"
	"github.com/edgeconv/edgeconv/engine/kernel"
	"github.com/edgeconv/edgeconv/internal/pool"
)

// colsBudget is the number of int8 im2col bytes a worker builds at a time
// (32 KiB), so that the patch matrix stays in cache for the matrix product.
const colsBudget = 32 << 10

// Plan is a quantised network prepared for a batch size: packed weights,
// folded biases and every buffer are made once, so Forward allocates
// nothing. A plan is not safe for concurrent use.
type Plan struct {
	net    *Network
	batch  int
	layers []planLayer
	input  []int8   // (batch, H, W, C) pixels − 128, plus slack
	acts   [][]int8 // hidden layer outputs, (batch, out), plus slack
	logits []int32  // (batch, classes)

	workers []worker
	pool    *pool.Pool
	pixels  []uint8
	n       int
	fn      func(int)
}

type planLayer struct {
	*Layer
	k      int
	packed []int8              // the weights, kernel.PackInt8Windows for win (kernel.PackInt8 without rq)
	win    kernel.Windows      // a convolution's windows in its padded input (conv, with rq)
	bias   []int32             // Bias − inZero·colsum(weights)
	inZero int8                // padding value of a convolution's input
	lo, hi int32               // output clamp
	rq     *kernel.RequantInt8 // when every Shift[c] ≤ 0 (always, in practice); else nil
	chunk  int                 // output rows per im2col chunk (conv without rq), at most one sample's
	ph, pw int                 // the padded input's height and width (conv)
	paired bool                // one input channel read as row pairs (see pairedRows)
	// inPadded: the layer's input buffer already holds every sample as the
	// (ph, pw, In.C) padded image, padSize bytes apart, its borders set to
	// the input zero point once by NewPlan; the producer (the pixels'
	// conversion or a convolution's epilogue) writes only the interior.
	inPadded bool
	padSize  int
	// A hidden layer's output for sample s starts at its buffer's
	// s·outSample + outOff, output rows outRunStep bytes apart: (OH, OW,
	// C) packed, or the interior of the next layer's padded image.
	outSample, outOff, outRunStep int
	last                          bool
	pool                          kernel.Pool // max-pooling geometry
}

type worker struct {
	pad   []int8 // one sample's input with its padding (conv)
	cols  []int8
	acc   []int32
	wide  []int16 // kernel.GemmInt8Windows's scratch
	pairs []int8  // pairedRows's image (conv)
}

// slack is the padding after every int8 buffer: GemmInt8 reads rows in
// groups of 4 bytes, and im2colPadded's kernel.CopyWindowsInt8 reads and
// writes up to WindowBlockInt8-1 bytes past the last window.
const slack = 64

const _ = uint(slack - (kernel.WindowBlockInt8 - 1)) // slack is large enough

// NewPlan prepares q for batches of up to batch samples, shared between
// workers goroutines (at least 1). Its panics are programming errors.
func NewPlan(q *Network, batch, workers int) *Plan {
	if batch < 1 || workers < 1 {
		panic("quant: NewPlan needs batch and workers of at least 1")
	}
	p := &Plan{net: q, batch: batch}
	p.input = make([]int8, batch*q.InputSize()+slack)
	perWorker := (batch + workers - 1) / workers
	maxCols, maxAcc, maxPad, maxWide, maxPairs := 0, 0, 0, 0, 0
	inZero := q.InputZero
	for i := range q.Layers {
		l := &q.Layers[i]
		C, K := l.Out.C, l.K()
		pl := planLayer{Layer: l, k: K, last: i == len(q.Layers)-1, inZero: int8(inZero)}
		if l.Kind == engine.MaxPool {
			pl.pool = kernel.Pool{H: l.In.H, W: l.In.W, C: l.In.C, OH: l.Out.H, OW: l.Out.W,
				KH: l.KH, KW: l.KW, Stride: l.Stride, PadT: l.PadT, PadL: l.PadL}
			p.acts = append(p.acts, make([]int8, batch*l.Out.Size()+slack))
			pl.outSample, pl.outRunStep = l.Out.Size(), l.Out.W*l.Out.C
			p.layers = append(p.layers, pl)
			continue
		}
		pl.bias = make([]int32, C)
		for c := range C {
			var s int32
			for k := range K {
				s += int32(l.Weights[k*C+c])
			}
			pl.bias[c] = l.Bias[c] - inZero*s
		}
		pl.lo, pl.hi = -128, 127
		if l.ReLU {
			pl.lo = max(l.OutZero, -128)
		}
		if slices.Max(l.Shift) <= 0 && !pl.last {
			rshift := make([]int32, C)
			for c, v := range l.Shift {
				rshift[c] = -v
			}
			pl.rq = kernel.NewRequantInt8(pl.bias, l.Multiplier, rshift, l.OutZero, pl.lo, pl.hi)
		}
		// With rq, a layer runs kernel.GemmInt8Windows, the requantisation in
		// its epilogue: a convolution over the windows of its padded input,
		// read in place, whose segments are the KH rows of KW·Cin bytes; a
		// dense layer over its input rows, one segment each. Without, it
		// runs kernel.GemmInt8 and requantises in Go, a convolution over an
		// im2col matrix built a chunk at a time.
		segs, seg := 1, K
		weights := l.Weights
		if l.Kind == engine.Conv {
			pl.ph, pl.pw = (l.Out.H-1)*l.Stride+l.KH, (l.Out.W-1)*l.Stride+l.KW
			pl.padSize = pl.ph * pl.pw * l.In.C
			if pl.rq != nil && padInPlace && l.PadT+l.In.H <= pl.ph && l.PadL+l.In.W <= pl.pw &&
				(i == 0 || p.layers[i-1].Kind == engine.Conv && p.layers[i-1].rq != nil) {
				// The producer writes this layer's padded input: see
				// inPadded.
				pl.inPadded = true
				buf := make([]int8, batch*pl.padSize+slack)
				fill(buf, pl.inZero)
				if i == 0 {
					p.input = buf
				} else {
					prev := &p.layers[i-1]
					p.acts[i-1] = buf
					prev.outSample, prev.outRunStep = pl.padSize, pl.pw*l.In.C
					prev.outOff = (l.PadT*pl.pw + l.PadL) * l.In.C
				}
			} else {
				maxPad = max(maxPad, pl.padSize)
			}
			if pl.rq != nil && pairRows && pairsPay(l) {
				// One input channel, its rows in pairs: see pairedRows.
				pl.paired = true
				segs, seg = (l.KH+1)/2, 2*l.KW
				row := 2 * pl.pw // bytes of one paired row
				pl.win = kernel.Windows{Run: l.Out.W, RunStep: l.Stride * row, Step: 2 * l.Stride,
					Segs: segs, Seg: seg, SegStep: 2 * row}
				maxPairs = max(maxPairs, pl.ph*row)
				maxWide = max(maxWide, kernel.Int8WindowsScratchLen(l.Out.H*l.Out.W, pl.win))
				weights = pairWeights(l)
			} else if pl.rq != nil {
				segs, seg = l.KH, l.KW*l.In.C
				pl.win = kernel.Windows{Run: l.Out.W, RunStep: l.Stride * pl.pw * l.In.C, Step: l.Stride * l.In.C,
					Segs: segs, Seg: seg, SegStep: pl.pw * l.In.C}
				maxWide = max(maxWide, kernel.Int8WindowsScratchLen(l.Out.H*l.Out.W, pl.win))
			} else {
				rows := max(1, min(colsBudget/K, l.Out.H*l.Out.W))
				pl.chunk = rows
				maxCols = max(maxCols, rows*K)
				maxAcc = max(maxAcc, rows*C)
			}
		} else if pl.rq == nil {
			maxAcc = max(maxAcc, perWorker*C)
		} else {
			maxWide = max(maxWide, kernel.Int8WindowsScratchLen(perWorker, kernel.Windows{Run: perWorker, Step: K, Segs: 1, Seg: K}))
		}
		pl.packed = make([]int8, kernel.Int8WindowsPackedLen(segs, seg, C))
		kernel.PackInt8Windows(pl.packed, weights, segs, seg, C, C)
		if pl.last {
			p.logits = make([]int32, batch*C)
		} else {
			p.acts = append(p.acts, make([]int8, batch*l.Out.Size()+slack))
			pl.outSample, pl.outRunStep = l.Out.Size(), l.Out.W*C
		}
		p.layers = append(p.layers, pl)
		inZero = l.OutZero
	}
	p.workers = make([]worker, workers)
	for w := range p.workers {
		p.workers[w].cols = make([]int8, maxCols+slack)
		p.workers[w].pad = make([]int8, maxPad+slack)
		p.workers[w].acc = make([]int32, maxAcc)
		p.workers[w].wide = make([]int16, maxWide)
		p.workers[w].pairs = make([]int8, maxPairs+slack)
	}
	p.fn = p.forwardWorker
	p.pool = pool.New(workers)
	return p
}

// Close stops the plan's worker goroutines. The plan must not be used
// after.
func (p *Plan) Close() { p.pool.Close() }

// Batch returns the largest number of samples Forward takes.
func (p *Plan) Batch() int { return p.batch }

// Forward runs the integer network on n samples of pixels, (n, H, W, C)
// bytes (MNIST's 0 = black … 255 = white, as train.Dataset.Images holds
// them), and returns their int32 logits, (n, classes), whose real values are
// logit·Network.LogitScale(). The slice belongs to the plan and is
// overwritten by the next call. Forward allocates nothing.
func (p *Plan) Forward(pixels []uint8, n int) []int32 {
	if n < 0 || n > p.batch {
		panic("quant: Forward batch larger than the plan's")
	}
	if len(pixels) < n*p.net.InputSize() {
		panic("quant: Forward pixels shorter than n samples")
	}
	p.pixels, p.n = pixels, n
	p.pool.Run(p.fn)
	p.pixels = nil
	return p.logits[:n*p.net.Classes()]
}

func (p *Plan) forwardWorker(w int) {
	s0, s1 := p.pool.Share(w, p.n)
	if s0 == s1 {
		return
	}
	ws := &p.workers[w]
	in := p.input
	p.loadInput(s0, s1)
	for i := range p.layers {
		l := &p.layers[i]
		switch l.Kind {
		case engine.Conv:
			p.conv(ws, l, in, p.acts[i], s0, s1)
		case engine.MaxPool:
			maxPool(l, in, p.acts[i], s0, s1)
		default:
			var out []int8
			if !l.last {
				out = p.acts[i]
			}
			p.dense(ws, l, in, out, s0, s1)
		}
		if !l.last {
			in = p.acts[i]
		}
	}
}

// activation returns value j of hidden layer i's output for the last
// Forward, its samples packed as (n, OH, OW, C).
func (p *Plan) activation(i, j int) int8 {
	l := &p.layers[i]
	row := l.Out.W * l.Out.C
	s, r := j/l.Out.Size(), j%l.Out.Size()
	return p.acts[i][s*l.outSample+l.outOff+r/row*l.outRunStep+r%row]
}

// loadInput writes samples [s0, s1) of the pixels into p.input as int8,
// px − 128: packed, (n, H, W, C), or into the interior of the first
// layer's padded images (inPadded).
func (p *Plan) loadInput(s0, s1 int) {
	size := p.net.InputSize()
	l := &p.layers[0]
	if !l.inPadded {
		xor80(p.input[s0*size:s1*size], p.pixels[s0*size:s1*size])
		return
	}
	row := l.In.W * l.In.C
	off, pitch := (l.PadT*l.pw+l.PadL)*l.In.C, l.pw*l.In.C
	for s := s0; s < s1; s++ {
		dst := p.input[s*l.padSize+off:]
		src := p.pixels[s*size : (s+1)*size]
		for y := range l.In.H {
			xor80(dst[y*pitch:y*pitch+row], src[y*row:(y+1)*row])
		}
	}
}

// xor80 sets dst[i] = int8(src[i] ^ 0x80), src[i] − 128, for every i <
// len(dst) (src at least as long): 8 bytes at a time, then one by one.
func xor80(dst []int8, src []uint8) {
	src = src[:len(dst)]
	i := 0
	for ; i+8 <= len(dst); i += 8 {
		v := binary.LittleEndian.Uint64(src[i:]) ^ 0x8080808080808080
		d := dst[i : i+8 : i+8]
		d[0], d[1], d[2], d[3] = int8(v), int8(v>>8), int8(v>>16), int8(v>>24)
		d[4], d[5], d[6], d[7] = int8(v>>32), int8(v>>40), int8(v>>48), int8(v>>56)
	}
	for ; i < len(dst); i++ {
		dst[i] = int8(src[i] ^ 0x80)
	}
}

func (p *Plan) conv(ws *worker, l *planLayer, in, out []int8, s0, s1 int) {
	K, C := l.k, l.Out.C
	rows := l.Out.H * l.Out.W
	inSize := l.In.Size()
	for s := s0; s < s1; s++ {
		var padded []int8
		if l.inPadded {
			padded = in[s*l.padSize:]
		} else {
			padded = padInput(ws.pad, in[s*inSize:(s+1)*inSize], l)
		}
		if l.rq != nil {
			if l.paired {
				padded = pairedRows(ws.pairs, padded, l)
			}
			kernel.GemmInt8Windows(rows, C, padded, l.win, l.packed, l.rq, out[s*l.outSample+l.outOff:], C, l.outRunStep, ws.wide)
			continue
		}
		for r := 0; r < rows; r += l.chunk {
			re := min(r+l.chunk, rows)
			cols := ws.cols[:(re-r)*K+slack]
			im2colPadded(l, padded, r, re, cols)
			acc := ws.acc[:(re-r)*C]
			kernel.GemmInt8(re-r, C, K, cols, K, l.packed, acc, C)
			o := s * rows * C
			requantize(out[o+r*C:o+re*C], acc, l)
		}
	}
}

// padInput copies one sample's input, (H, W, C), into buf as the (ph, pw, C)
// image the convolution's windows cover: the input at (PadT, PadL), the
// input zero point (real 0) around it. Rows and columns of the input that
// no window reaches (VALID padding) are left out.
func padInput(buf, img []int8, l *planLayer) []int8 {
	H, W, C := l.In.H, l.In.W, l.In.C
	PH, PW := l.ph, l.pw
	padded := buf[:PH*PW*C]
	fill(padded, l.inZero)
	h, w := min(H, PH-l.PadT), min(W, PW-l.PadL)
	for y := range h {
		copy(padded[((y+l.PadT)*PW+l.PadL)*C:], img[y*W*C:(y*W+w)*C])
	}
	return buf[:cap(buf)]
}

// padInPlace lets NewPlan have a convolution's padded input written in
// place by its producer (inPadded); the tests turn it off to compare.
var padInPlace = true

// pairRows lets NewPlan read a convolution of one input channel as row
// pairs where pairsPay; the tests turn it off to compare.
var pairRows = true

// pairsPay reports whether a convolution reads its input as row pairs
// (pairedRows): one input channel, and fewer k steps so. The int8 kernels
// take k in groups of 4 consecutive bytes of a window's rows, each row
// padded to a multiple of 4 with zero weights: seed99's conv1 (6x6) runs 6
// rows of 8 steps, a third of them zeros, where 3 pairs of rows are 3 runs
// of 12 steps, none wasted; a 5x5 runs 3·12 steps instead of 5·8.
func pairsPay(l *Layer) bool {
	return l.In.C == 1 && (l.KH+1)/2*((2*l.KW+3)&^3) < l.KH*((l.KW+3)&^3)
}

// pairedRows writes one sample's padded single-channel image p (padInput's
// image, or the producer's in place: see inPadded) into pairs as the image
// of pairsPay's convolutions read as row pairs: paired row y is p's rows y
// and y+1 interleaved (kernel.InterleaveInt8), pixel by pixel, the last
// row paired with itself (the weights of its missing partner are zero). A
// window of KH rows is then ⌈KH/2⌉ segments of 2·KW bytes, 2·pw bytes
// apart, and each 4-byte group is a 2x2 patch; pairWeights orders the
// weights to match. Integer sums do not depend on the order of their
// terms: the results are those of padInput's windows, bit for bit.
func pairedRows(pairs, p []int8, l *planLayer) []int8 {
	PH, PW := l.ph, l.pw
	last := (PH - 1) * PW
	kernel.InterleaveInt8(pairs[:2*last], p[:last], p[PW:PH*PW])
	kernel.InterleaveInt8(pairs[2*last:2*PH*PW], p[last:PH*PW], p[last:PH*PW])
	return pairs[:cap(pairs)]
}

// pairWeights returns a pairsPay convolution's (KH, KW, 1, Cout) weights
// in the order of pairedRows's windows: ⌈KH/2⌉ segments of 2·KW rows, row
// 2·kx + dy of segment s being kernel row 2s + dy, column kx (zeros past
// the last kernel row).
func pairWeights(l *Layer) []int8 {
	C, KW := l.Out.C, l.KW
	segs := (l.KH + 1) / 2
	w := make([]int8, segs*2*KW*C)
	for s := range segs {
		for kx := range KW {
			for dy := range 2 {
				ky := 2*s + dy
				if ky < l.KH {
					copy(w[(s*2*KW+2*kx+dy)*C:][:C], l.Weights[(ky*KW+kx)*C:][:C])
				}
			}
		}
	}
	return w
}

// im2colPadded writes rows r0..r1 of one sample's im2col matrix into cols
// from its padded input: row r is output pixel (oy, ox) = (r/OW, r%OW), its
// K = KH·KW·C values the window at (oy·S, ox·S) in (ky, kx, c) order, the
// order of the (KH, KW, Cin, Cout) weights. Every window lies inside the
// padded image, so each of its KH rows is KW·C consecutive bytes, and one
// kernel.CopyWindowsInt8 gathers those of the pixels of one output row. Its
// moves of WindowBlockInt8 bytes land where later writes go or in the slack
// after cols, and read from the slack after the padded image.
func im2colPadded(l *planLayer, padded []int8, r0, r1 int, cols []int8) {
	C, OW, S, PW := l.In.C, l.Out.W, l.Stride, l.pw
	seg := l.KW * C
	K := l.KH * seg
	cols = cols[:cap(cols)]
	for r := r0; r < r1; {
		oy, ox := r/OW, r%OW
		n := min(r1-r, OW-ox) // pixels left in this output row
		kernel.CopyWindowsInt8(cols[(r-r0)*K:], padded[(oy*S*PW+ox*S)*C:], n, S*C, l.KH, PW*C, seg)
		r += n
	}
}

// dense runs a dense layer on samples s0..s1. Its kernels read each row
// rounded up to a multiple of 4 bytes: the bytes past a row, the next row's
// or the slack's, meet zero weights.
func (p *Plan) dense(ws *worker, l *planLayer, in, out []int8, s0, s1 int) {
	K, C := l.k, l.Out.C
	a := in[s0*K : s1*K+slack]
	if l.rq != nil {
		n := s1 - s0
		kernel.GemmInt8Windows(n, C, a, kernel.Windows{Run: n, Step: K, Segs: 1, Seg: K}, l.packed, l.rq, out[s0*C:s1*C], C, n*C, ws.wide)
		return
	}
	acc := ws.acc[:(s1-s0)*C]
	kernel.GemmInt8(s1-s0, C, K, a, K, l.packed, acc, C)
	if l.last {
		dst := p.logits[s0*C : s1*C]
		for j, v := range acc {
			c := j % C
			dst[j] = MultiplyByQuantizedMultiplier(v+l.bias[c], l.Multiplier[c], l.Shift[c])
		}
		return
	}
	requantize(out[s0*C:s1*C], acc, l)
}

// requantize turns accumulators, (rows, C), into int8 outputs in Go, for a
// layer without rq: bias, fixed-point rescale, zero point, clamp (which
// applies ReLU).
func requantize(dst []int8, acc []int32, l *planLayer) {
	C := l.Out.C
	for r := 0; r+C <= len(acc); r += C {
		a, d := acc[r:r+C], dst[r:r+C]
		for c := range a {
			v := MultiplyByQuantizedMultiplier(a[c]+l.bias[c], l.Multiplier[c], l.Shift[c]) + l.OutZero
			d[c] = int8(max(l.lo, min(l.hi, v)))
		}
	}
}

// maxPool runs a max-pooling layer on samples [s0, s1).
func maxPool(l *planLayer, in, out []int8, s0, s1 int) {
	inSize, outSize := l.In.Size(), l.Out.Size()
	for s := s0; s < s1; s++ {
		kernel.MaxPool(&l.pool, out[s*outSize:(s+1)*outSize], in[s*inSize:(s+1)*inSize])
	}
}

// fill sets every element of s to v: a few bytes by hand, then doubling
// copies.
func fill(s []int8, v int8) {
	if len(s) == 0 {
		return
	}
	n := min(len(s), 16)
	for i := range n {
		s[i] = v
	}
	for n < len(s) {
		n += copy(s[n:], s[:n])
	}
}
