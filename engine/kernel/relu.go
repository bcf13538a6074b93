package kernel

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
