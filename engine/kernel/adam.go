package kernel

import "math"

// Adam applies one step of the Adam optimiser to params from grad, with the
// moments m and v, all of the same length:
//
//	m[i] = b1·m[i] + (1−b1)·g
//	v[i] = b2·v[i] + (1−b2)·g·g
//	params[i] −= lrt·m[i] / (√v[i] + eps)
//
// with 1−b1 and 1−b2 rounded to float32 and the square root correctly
// rounded. On amd64, where Go rounds every operation on its own (it fuses
// no multiply-add there), the AVX2 loop (VMULPS, VADDPS, VSQRTPS, VDIVPS)
// gives the bits of the Go loop, adamGeneric. lrt is the step size with the bias correction folded
// in. It panics if grad, m or v is shorter than params.
func Adam(params, grad, m, v []float32, b1, b2, eps, lrt float32) {
	n := len(params)
	if len(grad) < n || len(m) < n || len(v) < n {
		panic(errShortSlice)
	}
	if k := n &^ (adamBlock - 1); k > 0 && useAdamSIMD() {
		adamSIMD(params[:k], grad[:k], m[:k], v[:k], b1, b2, eps, lrt)
		params, grad, m, v = params[k:], grad[k:n], m[k:n], v[k:n]
	}
	adamGeneric(params, grad, m, v, b1, b2, eps, lrt)
}

// adamBlock is the number of values the SIMD loop takes at a time.
const adamBlock = 8

// adamGeneric is the plain Go Adam, the reference of the SIMD version, and
// the loop the trainer ran before there was one. On amd64 Go rounds every
// operation on its own; elsewhere the compiler may fuse a product and a sum
// into one rounding (arm64 does), which the trained bits there have always
// included.
func adamGeneric(params, grad, m, v []float32, b1, b2, eps, lrt float32) {
	c1, c2 := 1-b1, 1-b2
	grad, m, v = grad[:len(params)], m[:len(params)], v[:len(params)]
	for i, g := range grad {
		mi := b1*m[i] + c1*g
		vi := b2*v[i] + c2*g*g
		m[i], v[i] = mi, vi
		params[i] -= lrt * mi / (float32(math.Sqrt(float64(vi))) + eps)
	}
}
