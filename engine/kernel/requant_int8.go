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
// The microkernels of GemmInt8Windows apply it in their epilogue, reading
// the parameters of their 8 channels from one block (a panel).
type RequantInt8 struct {
	C                 int
	Bias, Mult, Shift []int32 // (C)
	Mask, Half        []int32 // (C): 2^Shift − 1 and its half, precomputed
	Zero, Lo, Hi      int32

	// panels holds, for every panel p of 8 channels (8p..8p+7, the last
	// one padded with channels from 0 on), requantPanelLen int32s: ten
	// vectors of 8 lanes that the epilogue reads through one pointer, as
	// memory operands (see requantPanel).
	panels []int32
}

// requantPanel names the vectors of a RequantInt8 panel, in order: the 8
// channels' Bias, Mult, Mult of the odd channels in the even lanes (lane 2t
// holds channel 2t+1's, for VPMULDQ, which reads even lanes), Shift, Mask,
// Half, −Shift (for SRSHL), then Zero, Lo and Hi in every lane, 8 int32s
// (32 bytes) per vector. The amd64 generator (engine/_asm/int8) reads these
// offsets from this block; the NEON assembly hard-codes them.
const (
	rqBias = iota * 8
	rqMult
	rqMultOdd
	rqShift
	rqMask
	rqHalf
	rqNegShift
	rqZero
	rqLo
	rqHi
	requantPanelLen
)

// The panel's layout is what the assembly reads: 320 bytes.
const (
	_ = uint(requantPanelLen*4 - 320)
	_ = uint(320 - requantPanelLen*4)
)

const errRequantParams = "kernel: NewRequantInt8: bad parameters"

// NewRequantInt8 builds the requantisation of C = len(bias) channels.
// mult must be positive and shift in [0, 31]; it panics otherwise.
func NewRequantInt8(bias, mult, shift []int32, zero, lo, hi int32) *RequantInt8 {
	C := len(bias)
	if C == 0 || len(mult) != C || len(shift) != C || lo > hi {
		panic(errRequantParams)
	}
	r := &RequantInt8{C: C, Zero: zero, Lo: lo, Hi: hi,
		Bias: append([]int32(nil), bias...), Mult: append([]int32(nil), mult...), Shift: append([]int32(nil), shift...),
		Mask: make([]int32, C), Half: make([]int32, C)}
	for c := range C {
		if mult[c] <= 0 || shift[c] < 0 || shift[c] > 31 {
			panic(errRequantParams)
		}
		r.Mask[c] = int32(uint32(1)<<uint32(shift[c]) - 1)
		r.Half[c] = r.Mask[c] >> 1
	}
	np := (C + 7) / 8
	r.panels = make([]int32, np*requantPanelLen)
	for p := range np {
		q := r.panels[p*requantPanelLen : (p+1)*requantPanelLen]
		for j := range 8 {
			c := (p*8 + j) % C
			q[rqBias+j], q[rqMult+j], q[rqShift+j] = r.Bias[c], r.Mult[c], r.Shift[c]
			q[rqMask+j], q[rqHalf+j], q[rqNegShift+j] = r.Mask[c], r.Half[c], -r.Shift[c]
			q[rqZero+j], q[rqLo+j], q[rqHi+j] = zero, lo, hi
			if j%2 == 0 {
				q[rqMultOdd+j] = r.Mult[(c+1)%C]
			}
		}
	}
	return r
}

// one requantises the accumulator v of channel c.
func (r *RequantInt8) one(v int32, c int) int8 {
	return requantValue(v, r.Bias[c], r.Mult[c], r.Shift[c], r.Mask[c], r.Half[c], r.Zero, r.Lo, r.Hi)
}

// requantValue is the requantisation of one accumulator v: the reference
// every implementation matches bit for bit.
func requantValue(v, bias, mult, shift, mask, half, zero, lo, hi int32) int8 {
	x := int32((int64(v+bias)*int64(mult) + 1<<30) >> 31)
	threshold := half - x>>31                           // one more when x < 0
	y := x>>(uint32(shift)&31) - (threshold-x&mask)>>31 // +1 when the remainder exceeds it
	return int8(max(lo, min(hi, y+zero)))
}
