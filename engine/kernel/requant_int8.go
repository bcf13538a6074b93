package kernel

// RequantInt8 is one layer's fixed-point requantisation from int32
// accumulators to int8 outputs, per output channel c of C:
//
//	x   = acc + Bias[c]
//	x   = SaturatingRoundingDoublingHighMul(x, Mult[c])  // (x·Mult + 2³⁰) >> 31
//	x   = RoundingDivideByPOT(x, Shift[c])               // ties away from zero
//	out = clamp(x + Zero, Lo, Hi)
//
// which is TensorFlow Lite's MultiplyByQuantizedMultiplier for a
// non-positive exponent (−Shift[c]) and a positive multiplier, followed by
// the output zero point and the clamp (which folds ReLU). For a positive
// multiplier, gemmlowp's SaturatingRoundingDoublingHighMul, whose nudge
// is 2³⁰ or 1−2³⁰ by sign followed by a division truncating toward zero,
// equals the floor of (x·Mult + 2³⁰)/2³¹: that is what every
// implementation computes.
//
// The parameters are stored repeated over P = lcm(C, 8) channels so that
// vector code can walk them 8 at a time.
type RequantInt8 struct {
	C, P              int
	Bias, Mult, Shift []int32 // (P): channel c's values at c, c+C, c+2C, …
	Mask, Half        []int32 // (P): 2^Shift − 1 and its half, precomputed
	Zero, Lo, Hi      int32
}

const errRequantParams = "kernel: NewRequantInt8: bad parameters"

// NewRequantInt8 builds the requantisation of C = len(bias) channels.
// mult must be positive and shift in [0, 31]; it panics otherwise.
func NewRequantInt8(bias, mult, shift []int32, zero, lo, hi int32) *RequantInt8 {
	C := len(bias)
	if C == 0 || len(mult) != C || len(shift) != C || lo > hi {
		panic(errRequantParams)
	}
	P := C
	for P%8 != 0 {
		P += C
	}
	r := &RequantInt8{C: C, P: P, Zero: zero, Lo: lo, Hi: hi,
		Bias: make([]int32, P), Mult: make([]int32, P), Shift: make([]int32, P),
		Mask: make([]int32, P), Half: make([]int32, P)}
	for j := range P {
		c := j % C
		if mult[c] <= 0 || shift[c] < 0 || shift[c] > 31 {
			panic(errRequantParams)
		}
		r.Bias[j], r.Mult[j], r.Shift[j] = bias[c], mult[c], shift[c]
		r.Mask[j] = int32(uint32(1)<<uint32(shift[c]) - 1)
		r.Half[j] = r.Mask[j] >> 1
	}
	return r
}

// Apply requantises acc, (rows, C) int32, into dst, (rows, C) int8. It
// allocates nothing and panics if dst is shorter than acc or acc is not a
// whole number of rows.
func (r *RequantInt8) Apply(dst []int8, acc []int32) {
	if len(acc)%r.C != 0 || len(dst) < len(acc) {
		panic(errShortSlice)
	}
	requantInt8(r, dst[:len(acc)], acc)
}

// requantInt8Generic is the reference Apply.
func requantInt8Generic(r *RequantInt8, dst []int8, acc []int32) {
	P := r.P
	bias, mult, shift, mask, half := r.Bias[:P], r.Mult[:P], r.Shift[:P], r.Mask[:P], r.Half[:P]
	zero, lo, hi := r.Zero, r.Lo, r.Hi
	for i0 := 0; i0 < len(acc); i0 += P {
		a := acc[i0:min(i0+P, len(acc))]
		d := dst[i0 : i0+len(a)]
		for j, v := range a {
			x := int32((int64(v+bias[j])*int64(mult[j]) + 1<<30) >> 31)
			threshold := half[j] - x>>31 // one more when x < 0
			e := uint32(shift[j]) & 31
			y := x>>e - (threshold-x&mask[j])>>31 // +1 when the remainder exceeds it
			d[j] = int8(max(lo, min(hi, y+zero)))
		}
	}
}
