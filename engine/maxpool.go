package engine

// poolPlan is a max-pooling layer in a plan. Its forward pass takes, for
// every output pixel, the channels' largest values over the window's
// pixels inside the input (SAME padding ignores the rest, as TensorFlow
// does); a training plan also records which input value won, so that the
// backward pass routes each output's gradient to it.
type poolPlan struct {
	l   *layer
	arg []int32 // (batch, out.H, out.W, C): the index in its sample's input of each output's value (training)
}

func newPoolPlan(l *layer, s planSetup) *poolPlan {
	p := &poolPlan{l: l}
	if s.training {
		p.arg = make([]int32, s.perWorker*s.workers*l.out.Size())
	}
	return p
}

func (p *poolPlan) needs() scratchNeeds { return scratchNeeds{} }
func (p *poolPlan) pack(_, _ []float32) {}
func (p *poolPlan) packT(_ []float32)   {}

func (p *poolPlan) forward(_ *workerState, _ int, in, out []float32, s0, s1 int) {
	l := p.l
	C := l.in.C
	inSize, outSize := l.in.Size(), l.out.Size()
	for s := s0; s < s1; s++ {
		img := in[s*inSize : (s+1)*inSize]
		dst := out[s*outSize : (s+1)*outSize]
		var arg []int32
		if p.arg != nil {
			arg = p.arg[s*outSize : (s+1)*outSize]
		}
		for oy := range l.out.H {
			y0 := oy*l.Stride - l.padT
			y1 := min(y0+l.KH, l.in.H)
			y0 = max(y0, 0)
			for ox := range l.out.W {
				x0 := ox*l.Stride - l.padL
				x1 := min(x0+l.KW, l.in.W)
				x0 = max(x0, 0)
				o := (oy*l.out.W + ox) * C
				d := dst[o : o+C]
				first := (y0*l.in.W + x0) * C
				copy(d, img[first:first+C])
				if arg != nil {
					a := arg[o : o+C]
					for c := range a {
						a[c] = int32(first + c)
					}
					for y := y0; y < y1; y++ {
						for x := x0; x < x1; x++ {
							i := (y*l.in.W + x) * C
							for c, v := range img[i : i+C] {
								if v > d[c] {
									d[c], a[c] = v, int32(i+c)
								}
							}
						}
					}
					continue
				}
				for y := y0; y < y1; y++ {
					for x := x0; x < x1; x++ {
						i := (y*l.in.W + x) * C
						for c, v := range img[i : i+C] {
							if v > d[c] {
								d[c] = v
							}
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
