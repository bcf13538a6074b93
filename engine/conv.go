package engine

import "github.com/edgeconv/edgeconv/engine/kernel"

// colsBudget is the number of float32 values of im2col matrix a worker
// builds at a time (128 KiB): the convolution runs over chunks of output
// rows so that the patch matrix stays in the L2 cache between im2col and the
// matrix product.
const colsBudget = 32 << 10

// convPlan is a convolution in a plan. Its forward pass takes one of two
// paths, chosen here once: implicit GEMM, the product reading the windows
// of each sample's bordered image in place (wins.ok), or the im2col matrix
// built a chunk at a time into the worker's cols. A convolution of one
// channel into six, stride 1 (the first layer of seed99), reads its
// windows in place with a direct kernel instead of the product, where that
// runs SIMD code (direct). Its backward pass always builds the im2col
// matrix. Leading convolutions of an inference plan may also run as a
// chain (Plan.chainForward).
type convPlan struct {
	affineLayer
	group  int         // output pixels per im2col row in the forward pass (convGroup)
	kg     int         // the forward pass's im2col row length, groupedK(l, group)
	chunk  int         // output pixels per im2col chunk
	wins   convWindows // how the forward pass reads its windows in place, if it does
	direct bool        // wins.ok, and the windows go to kernel.SconvC1x6S1: packed is the weights, then the bias
	pads   [][]float32 // pads[w]: worker w's zero-bordered input sample
	need   scratchNeeds
}

func newConvPlan(l *layer, s planSetup) *convPlan {
	K, C := l.k(), l.out.C
	g := convGroup(l)
	kg := groupedK(l, g)
	c := &convPlan{affineLayer: newAffineLayer(l, s), group: g, kg: kg}
	if s.path != pathIm2col {
		c.wins = newConvWindows(l, g)
		c.direct = c.wins.ok && s.path != pathNoDirect && l.in.C == 1 && C == 6 && l.Stride == 1 &&
			kernel.SconvC1x6S1SIMD(l.out.H, l.out.W)
	}
	switch {
	case c.direct:
		c.packed = make([]float32, (K+1)*C)
	case c.wins.ok:
		// The bias goes in as row kg, which the epilogue of
		// kernel.SgemmPackedWindows adds.
		c.packed = make([]float32, kernel.PackedBLen(kg+1, g*C))
		c.need.expand = (kg + 1) * g * C
	default:
		c.packed = make([]float32, kernel.PackedBLen(kg, g*C))
		if g > 1 {
			c.need.expand = kg * g * C
		}
	}
	rows := max(1, min(colsBudget/kg, s.perWorker*l.out.H*l.out.W/g)) * g
	c.chunk = rows
	c.need.cols = rows / g * kg
	if s.training {
		c.need.cols = max(c.need.cols, rows*K)
		c.need.gradPad = paddedLen(l)
		c.need.gemm = kernel.SgemmScratchLen(K, C, rows)
		c.need.rowSum = len(c.biasRows)
	}
	// One bordered image per layer and worker, so that its border, zero
	// from here on, is never written and padImage copies only the
	// interior.
	c.pads = make([][]float32, s.workers)
	for w := range c.pads {
		c.pads[w] = make([]float32, paddedLen(l))
	}
	return c
}

func (c *convPlan) needs() scratchNeeds { return c.need }

func (c *convPlan) pack(params, expand []float32, part, _ int) {
	// The weights are small, and the grouped ones are expanded first:
	// they do not split.
	if part != 0 {
		return
	}
	l := c.l
	wt := l.weights(params)
	rows := c.repeatBias(params)
	g, n := c.group, c.group*l.out.C
	switch {
	case c.direct:
		copy(c.packed, wt)
		copy(c.packed[len(wt):], rows[:l.out.C])
	case c.wins.ok:
		if g > 1 {
			groupedWeights(l, g, wt, expand)
		} else {
			copy(expand, wt)
		}
		copy(expand[c.kg*n:(c.kg+1)*n], rows)
		kernel.PackB(false, c.kg+1, n, expand, n, c.packed)
	case g > 1:
		groupedWeights(l, g, wt, expand)
		kernel.PackB(false, c.kg, n, expand, n, c.packed)
	default:
		kernel.PackB(false, l.k(), l.out.C, wt, l.out.C, c.packed)
	}
}

func (c *convPlan) forward(ws *workerState, w int, in, out []float32, s0, s1 int) {
	l := c.l
	g, C := c.group, l.out.C
	if c.wins.ok {
		// Implicit GEMM: the product reads the windows straight from the
		// bordered image, a sample at a time, and adds the bias and
		// applies the ReLU as it stores.
		size, outSize := l.in.Size(), l.out.Size()
		for n := s0; n < s1; n++ {
			padImage(l, in[n*size:(n+1)*size], c.pads[w])
			c.runWindows(c.pads[w], out[n*outSize:(n+1)*outSize], c.wins.win.Run*g*C)
		}
		return
	}
	rows := l.out.H * l.out.W
	padded := -1
	for r, end := s0*rows, s1*rows; r < end; r += c.chunk {
		re := min(r+c.chunk, end)
		m := (re - r) / g
		im2col(l, g, in, r, re, ws.cols, c.pads[w], &padded)
		c.apply(m, c.kg, g*C, ws.cols[:m*c.kg], out[r*C:re*C])
	}
}

// runWindows runs the layer (wins.ok) on one sample, whose bordered image
// is pad, into dst: its output rows cRunStep apart, so that dst may be the
// interior of the next layer's bordered image.
func (c *convPlan) runWindows(pad, dst []float32, cRunStep int) {
	l := c.l
	if c.direct {
		k := l.k() * l.out.C
		kernel.SconvC1x6S1(l.out.H, l.out.W, pad, c.rowStep(), l.KH, l.KW, c.packed[:k], c.packed[k:], c.relu(), dst, cRunStep)
		return
	}
	n := c.group * l.out.C
	epi := kernel.EpilogueBias
	if c.relu() {
		epi |= kernel.EpilogueReLU
	}
	kernel.SgemmPackedWindows(l.out.H*l.out.W/c.group, n, pad, c.wins.win, c.packed, epi, dst, n, cRunStep, false)
}

// rowStep returns the length of one row of the layer's bordered image.
func (c *convPlan) rowStep() int {
	_, padW := padGeometry(c.l)
	return padW * c.l.in.C
}

// interior returns where the input starts in the layer's bordered image.
func (c *convPlan) interior() int { return c.l.padT*c.rowStep() + c.l.padL*c.l.in.C }

func (c *convPlan) backward(ws *workerState, w int, in, din, dout []float32, s0, s1 int) {
	l := c.l
	K, C := l.k(), l.out.C
	gw, gb := l.weights(ws.grad), l.bias(ws.grad)
	rows := l.out.H * l.out.W
	padded, gradPadded := -1, -1
	for r, end := s0*rows, s1*rows; r < end; r += c.chunk {
		re := min(r+c.chunk, end)
		d := dout[r*C : re*C]
		if !c.bn {
			sumRows(gb, d, ws.rowSum[:len(c.biasRows)])
		}
		cols := ws.cols[:(re-r)*K]
		im2col(l, 1, in, r, re, ws.cols, c.pads[w], &padded)
		kernel.Sgemm(true, false, K, C, re-r, cols, K, d, C, gw, C, true, ws.gemm)
		if din != nil {
			kernel.SgemmPacked(false, re-r, K, C, d, C, c.packedT, cols, K, false)
			col2im(l, ws.cols, r, re, din, ws.gradPad, &gradPadded)
		}
	}
	if din != nil {
		col2imFlush(l, din, ws.gradPad, &gradPadded)
	}
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

// convChain returns the leading layers of an inference plan that run as a
// chain (Plan.chainForward): convolutions read in place, each but the first
// one whose bordered image holds all of its input, so that the one before
// can write its output there. A chain of one is no chain: nil.
func convChain(layers []planLayer) []*convPlan {
	var chain []*convPlan
	for _, pl := range layers {
		c, ok := pl.(*convPlan)
		if !ok || !c.wins.ok {
			break
		}
		if len(chain) > 0 {
			padH, padW := padGeometry(c.l)
			if c.l.padT+c.l.in.H > padH || c.l.padL+c.l.in.W > padW {
				break
			}
		}
		chain = append(chain, c)
	}
	if len(chain) < 2 {
		return nil
	}
	return chain
}
