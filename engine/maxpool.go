package engine

import "github.com/edgeconv/edgeconv/engine/kernel"

// poolPlan is a max-pooling layer in a plan. Its forward pass takes, for
// every output pixel, the channels' largest values over the window's
// pixels inside the input (SAME padding ignores the rest, as TensorFlow
// does); a training plan also records which input value won, so that the
// backward pass routes each output's gradient to it.
type poolPlan struct {
	l   *layer
	g   kernel.Pool
	arg []int32 // (batch, out.H, out.W, C): the index in its sample's input of each output's value (training)
}

func newPoolPlan(l *layer, s planSetup) *poolPlan {
	p := &poolPlan{l: l, g: kernel.Pool{H: l.in.H, W: l.in.W, C: l.in.C, OH: l.out.H, OW: l.out.W,
		KH: l.KH, KW: l.KW, Stride: l.Stride, PadT: l.padT, PadL: l.padL}}
	if s.training {
		p.arg = make([]int32, s.perWorker*s.workers*l.out.Size())
	}
	return p
}

func (p *poolPlan) needs() scratchNeeds           { return scratchNeeds{} }
func (p *poolPlan) pack(_, _ []float32, _, _ int) {}
func (p *poolPlan) packT(_ []float32, _, _ int)   {}

func (p *poolPlan) forward(_ *workerState, _ int, in, out []float32, s0, s1 int) {
	inSize, outSize := p.l.in.Size(), p.l.out.Size()
	for s := s0; s < s1; s++ {
		img := in[s*inSize : (s+1)*inSize]
		dst := out[s*outSize : (s+1)*outSize]
		if p.arg == nil {
			kernel.MaxPool(&p.g, dst, img)
			continue
		}
		p.maxPoolArg(dst, img, p.arg[s*outSize:(s+1)*outSize])
	}
}

// maxPoolArg is kernel.MaxPool that also records in arg the index in img
// of each output's value, the first of equal ones.
func (p *poolPlan) maxPoolArg(dst, img []float32, arg []int32) {
	g := &p.g
	C := g.C
	for oy := range g.OH {
		for ox := range g.OW {
			y0, y1, x0, x1 := g.Window(oy, ox)
			o := (oy*g.OW + ox) * C
			d, a := dst[o:o+C], arg[o:o+C]
			first := (y0*g.W + x0) * C
			copy(d, img[first:first+C])
			for c := range a {
				a[c] = int32(first + c)
			}
			for y := y0; y < y1; y++ {
				for x := x0; x < x1; x++ {
					i := (y*g.W + x) * C
					for c, v := range img[i : i+C] {
						if v > d[c] {
							d[c], a[c] = v, int32(i+c)
						}
					}
				}
			}
		}
	}
}

func (p *poolPlan) backward(_ *workerState, _ int, _, din, dout []float32, s0, s1 int) {
	if din == nil {
		return
	}
	inSize, outSize := p.l.in.Size(), p.l.out.Size()
	clear(din[s0*inSize : s1*inSize])
	for s := s0; s < s1; s++ {
		g := din[s*inSize : (s+1)*inSize]
		arg := p.arg[s*outSize : (s+1)*outSize]
		for j, v := range dout[s*outSize : (s+1)*outSize] {
			g[arg[j]] += v
		}
	}
}
