package kernel

// AddBias adds bias to x, repeated: x[i] += bias[i mod len(bias)], and then,
// when relu is set, clamps x at zero as Relu does. It is the store half of
// a layer's forward pass: the matrix product writes x·W, and this pass adds
// the bias and applies the activation in one sweep, instead of the product
// starting from a copy of the bias and a separate ReLU pass (one write and
// one read of the output fewer). It panics if bias is empty and x is not.
func AddBias(x, bias []float32, relu bool) {
	if len(x) == 0 {
		return
	}
	if len(bias) == 0 {
		panic(errShortSlice)
	}
	for len(x) > 0 {
		n := min(len(x), len(bias))
		seg, b := x[:n], bias[:n]
		if m := n &^ (reluBlock - 1); m > 0 && useReluSIMD() {
			addBiasSIMD(seg[:m], b[:m], relu)
			seg, b = seg[m:], b[m:]
		}
		addBiasGeneric(seg, b, relu)
		x = x[n:]
	}
}

// addBiasGeneric is the plain Go AddBias for len(bias) ≥ len(x), the
// reference of the SIMD versions.
func addBiasGeneric(x, bias []float32, relu bool) {
	bias = bias[:len(x)]
	for i := range x {
		v := x[i] + bias[i]
		if relu && v < 0 {
			v = 0
		}
		x[i] = v
	}
}
