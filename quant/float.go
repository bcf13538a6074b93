package quant

import "github.com/edgeconv/edgeconv/engine"

// floatNet is a plain-loop float32 forward pass over engine.LayerInfo that
// keeps every layer's output: calibration and the error report need the
// activations that engine.Plan does not expose.
type floatNet struct {
	layers []engine.LayerInfo
	outs   [][]float32
}

func newFloatNet(layers []engine.LayerInfo) *floatNet {
	f := &floatNet{layers: layers, outs: make([][]float32, len(layers))}
	for i, l := range layers {
		f.outs[i] = make([]float32, l.Out.Size())
	}
	return f
}

// forward runs one sample and returns every layer's output (owned by f).
func (f *floatNet) forward(x []float32) [][]float32 {
	in := x
	for i := range f.layers {
		l := &f.layers[i]
		out := f.outs[i]
		C := l.Out.C
		if l.Kind == engine.Dense {
			I := l.In.Size()
			for c := range C {
				s := l.Bias[c]
				for p := range I {
					s += float32(in[p] * l.Weights[p*C+c])
				}
				out[c] = s
			}
		} else {
			H, W, Ci := l.In.H, l.In.W, l.In.C
			for oy := range l.Out.H {
				for ox := range l.Out.W {
					o := out[(oy*l.Out.W+ox)*C : (oy*l.Out.W+ox+1)*C]
					copy(o, l.Bias)
					for ky := range l.KH {
						iy := oy*l.Stride - l.PadT + ky
						if iy < 0 || iy >= H {
							continue
						}
						for kx := range l.KW {
							ix := ox*l.Stride - l.PadL + kx
							if ix < 0 || ix >= W {
								continue
							}
							for ci := range Ci {
								v := in[(iy*W+ix)*Ci+ci]
								w := l.Weights[((ky*l.KW+kx)*Ci+ci)*C : ((ky*l.KW+kx)*Ci+ci+1)*C]
								for c := range C {
									o[c] += float32(v * w[c])
								}
							}
						}
					}
				}
			}
		}
		if l.ReLU {
			for j, v := range out {
				if v < 0 {
					out[j] = 0
				}
			}
		}
		in = out
	}
	return f.outs
}
