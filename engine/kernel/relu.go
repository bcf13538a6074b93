package kernel

import "math"

// Relu sets every negative element of x to zero: x[i] = max(x[i], 0), with
// NaN and −0 left as they are on amd64 and the purego path; NEON's FMAX
// turns −0 into +0. vek32.MaximumNumber_Inplace does the same job at about
// a tenth of the speed of a plain vector maximum, so the engine has its own.
func Relu(x []float32) {
	n := len(x) &^ (reluBlock - 1)
	if n > 0 && useReluSIMD() {
		reluSIMD(x[:n])
		x = x[n:]
	}
	reluGeneric(x)
}

// reluBlock is the number of values the SIMD loops take at a time.
const reluBlock = 8

// reluGeneric is the plain Go Relu, the reference of the SIMD versions.
func reluGeneric(x []float32) {
	for i, v := range x {
		if v < 0 {
			x[i] = 0
		}
	}
}

// ReluGrad is the backward pass of Relu: it zeroes d[i] wherever out[i], the
// Relu output (possibly scaled by dropout), is not positive, and leaves it
// elsewhere. Whether a NaN in out keeps its gradient is not specified. It
// panics if out is shorter than d.
//
// The signs of a layer's units are as good as random, so a branch per value
// would be mispredicted half the time: the Go version tests bits and the
// SIMD versions compare a vector at a time and mask.
func ReluGrad(d, out []float32) {
	if len(out) < len(d) {
		panic(errShortSlice)
	}
	n := len(d) &^ (reluBlock - 1)
	if n > 0 && useReluSIMD() {
		reluGradSIMD(d[:n], out[:n])
		d, out = d[n:], out[n:]
	}
	reluGradGeneric(d, out)
}

// reluGradGeneric is the plain Go ReluGrad, the reference of the SIMD
// versions. int32(bits) > 0 exactly for positive values (and positive NaN);
// the mask is all ones then, without a branch.
func reluGradGeneric(d, out []float32) {
	out = out[:len(d)]
	for i, o := range out {
		b := int32(math.Float32bits(o))
		keep := uint32(^((b - 1) | b) >> 31)
		d[i] = math.Float32frombits(math.Float32bits(d[i]) & keep)
	}
}
