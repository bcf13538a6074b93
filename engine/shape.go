package engine

import "fmt"

// Shape is the shape of one sample's activation in NHWC order, without the
// batch dimension: Height × Width × Channels. A dense layer's output is
// 1 × 1 × Units.
type Shape struct {
	H, W, C int
}

// Size returns the number of float32 values in one sample: H·W·C.
func (s Shape) Size() int { return s.H * s.W * s.C }

// String formats the shape as HxWxC.
func (s Shape) String() string { return fmt.Sprintf("%dx%dx%d", s.H, s.W, s.C) }

// Padding selects how a convolution treats the border.
type Padding uint8

const (
	// Same pads so that the output is ceil(input/stride) in each dimension,
	// with TensorFlow's rule: when the total padding is odd, the extra row
	// and column go at the bottom and right.
	Same Padding = iota
	// Valid uses no padding: the output is ceil((input-kernel+1)/stride).
	Valid
)

// String returns "same" or "valid".
func (p Padding) String() string {
	if p == Valid {
		return "valid"
	}
	return "same"
}

// convOutput returns the output length and the padding before the first
// element for one spatial dimension of a convolution, following TensorFlow.
func convOutput(in, k, stride int, pad Padding) (out, before int) {
	if pad == Valid {
		if in < k {
			return 0, 0
		}
		return (in-k)/stride + 1, 0
	}
	out = (in + stride - 1) / stride
	total := max((out-1)*stride+k-in, 0)
	return out, total / 2
}
