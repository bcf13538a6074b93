package kernel

// SconvC1x6S1 computes a convolution of stride 1 from one input channel to
// six output channels directly, without a matrix product:
//
//	out[oy*outRow+ox*6+c] = act(bias[c] + Σ img[(oy+ky)*imgRow+ox+kx] · w[(ky*kw+kx)*6+c])
//
// for every output pixel (oy, ox) of oh rows of ow pixels and channel c,
// the sum running over ky < kh, then kx < kw, act being the ReLU when relu
// is set and the identity otherwise. img is the zero-bordered input image
// (rows imgRow apart, each holding at least ow+kw-1 pixels), w the weights
// in (kh, kw, 1, 6) order and out the output pixels in HWC order, output
// rows outRow apart, so that out may be the interior of the next layer's
// bordered image.
//
// Such a layer, the first of a network on grey images, is a poor matrix
// product: six columns, too narrow for the SIMD tiles, and grouping pixels
// to widen them multiplies zeros. The AVX2 code (when SconvC1x6S1SIMD
// reports it runs) puts 16 output pixels in the lanes instead, and gives
// the bits that the matrix product's single-accumulator tiles give: the
// same fused multiply-adds in the same order, the bias after. It never
// allocates, and panics if a size is not positive or a slice too short.
func SconvC1x6S1(oh, ow int, img []float32, imgRow, kh, kw int, w, bias []float32, relu bool, out []float32, outRow int) {
	if oh < 1 || ow < 1 || kh < 1 || kw < 1 {
		panic(errNegativeDim)
	}
	if imgRow < ow+kw-1 || outRow < 6*ow {
		panic(errBadStride)
	}
	if len(img) < (oh+kh-2)*imgRow+ow+kw-1 || len(w) < kh*kw*6 || len(bias) < 6 || len(out) < (oh-1)*outRow+6*ow {
		panic(errShortSlice)
	}
	if sconvC1x6S1SIMD(oh, ow) {
		sconvC1x6S1(oh, ow, img, imgRow, kh, kw, w, bias, relu, out, outRow)
		return
	}
	sconvC1x6S1Generic(oh, ow, img, imgRow, kh, kw, w, bias, relu, out, outRow)
}

// SconvC1x6S1SIMD reports whether SconvC1x6S1 runs SIMD code for an output
// of oh rows of ow pixels here; where it does not, a matrix product over
// the image's windows (SgemmPackedWindows) is the faster way.
func SconvC1x6S1SIMD(oh, ow int) bool { return sconvC1x6S1SIMD(oh, ow) }

// sconvC1x6S1Generic is the plain Go SconvC1x6S1, the reference of the SIMD
// version: the same sums in the same order, but with every product rounded
// before it is added (Go on amd64 does not fuse them; the conversion stops
// arm64 from fusing).
func sconvC1x6S1Generic(oh, ow int, img []float32, imgRow, kh, kw int, w, bias []float32, relu bool, out []float32, outRow int) {
	var sum [6]float32
	for oy := range oh {
		for ox := range ow {
			sum = [6]float32{}
			for ky := range kh {
				row := img[(oy+ky)*imgRow+ox:][:kw]
				taps := w[ky*kw*6:][:kw*6]
				for kx, x := range row {
					for c := range sum {
						sum[c] += float32(x * taps[kx*6+c])
					}
				}
			}
			px := out[oy*outRow+ox*6:][:6]
			for c, s := range sum {
				s += bias[c]
				if relu {
					s = max(s, 0)
				}
				px[c] = s
			}
		}
	}
}
