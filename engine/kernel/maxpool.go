package kernel

// Pool is the geometry of a max-pooling layer over one NHWC sample: an
// H×W×C input, an OH×OW×C output, KH×KW windows Stride apart, the first
// starting PadT rows above and PadL columns left of the input.
type Pool struct {
	H, W, C, OH, OW, KH, KW, Stride, PadT, PadL int
}

// Window returns the rows [y0, y1) and columns [x0, x1) of the input that
// output pixel (oy, ox) covers: its window without the part outside the
// input, which SAME padding ignores (as TensorFlow's max_pool does).
func (g *Pool) Window(oy, ox int) (y0, y1, x0, x1 int) {
	y0, x0 = oy*g.Stride-g.PadT, ox*g.Stride-g.PadL
	return max(y0, 0), min(y0+g.KH, g.H), max(x0, 0), min(x0+g.KW, g.W)
}

// MaxPool writes into dst, (OH, OW, C), each channel's largest value of
// img, (H, W, C), over every output pixel's window (Pool.Window). It serves
// the float32 inference of package engine and the int8 one of package
// quant: the same comparisons in either type.
func MaxPool[T float32 | int8](g *Pool, dst, img []T) {
	C := g.C
	for oy := range g.OH {
		for ox := range g.OW {
			y0, y1, x0, x1 := g.Window(oy, ox)
			d := dst[(oy*g.OW+ox)*C:][:C]
			first := (y0*g.W + x0) * C
			copy(d, img[first:first+C])
			for y := y0; y < y1; y++ {
				for x := x0; x < x1; x++ {
					i := (y*g.W + x) * C
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
