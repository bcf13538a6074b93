package quant

import "math"

// Fixed-point requantisation, bit for bit as TensorFlow Lite's reference
// kernels compute it (tensorflow/lite/kernels/internal/common.h), so that the
// integer network gives the same logits on every machine.

// QuantizeMultiplier splits a positive real multiplier into a Q0.31 integer
// multiplier in [2³⁰, 2³¹) and a power-of-two exponent, so that
// real ≈ multiplier·2^(shift−31). It returns ok == false when real is not
// finite and positive or the exponent falls outside [MinShift, MaxShift].
func QuantizeMultiplier(real float64) (multiplier, shift int32, ok bool) {
	if !(real > 0) || math.IsInf(real, 0) {
		return 0, 0, false
	}
	frac, exp := math.Frexp(real) // real = frac·2^exp, frac in [0.5, 1)
	q := int64(math.Round(frac * (1 << 31)))
	if q == 1<<31 {
		q /= 2
		exp++
	}
	if exp < MinShift || exp > MaxShift {
		return 0, 0, false
	}
	return int32(q), int32(exp), true
}

// The exponent range QuantizeMultiplier produces and files may hold.
const (
	MinShift = -31
	MaxShift = 30
)

// RealMultiplier is the value multiplier·2^(shift−31) that a quantised
// multiplier stands for.
func RealMultiplier(multiplier, shift int32) float64 {
	return math.Ldexp(float64(multiplier), int(shift)-31)
}

// SaturatingRoundingDoublingHighMul returns the high 32 bits of 2·a·b,
// rounded to nearest with ties away from zero, saturating the one overflowing
// case (a = b = −2³¹) to 2³¹−1: gemmlowp's function of the same name.
func SaturatingRoundingDoublingHighMul(a, b int32) int32 {
	if a == b && a == math.MinInt32 {
		return math.MaxInt32
	}
	ab := int64(a) * int64(b)
	nudge := int64(1 << 30)
	if ab < 0 {
		nudge = 1 - (1 << 30)
	}
	return int32((ab + nudge) / (1 << 31)) // Go's division truncates toward zero, as C++'s does
}

// RoundingDivideByPOT returns x/2^exponent rounded to nearest, ties away
// from zero (gemmlowp's RoundingDivideByPOT), for exponent in [0, 31].
func RoundingDivideByPOT(x int32, exponent int32) int32 {
	mask := int32((int64(1) << exponent) - 1)
	remainder := x & mask
	threshold := mask >> 1
	if x < 0 {
		threshold++
	}
	r := x >> exponent
	if remainder > threshold {
		r++
	}
	return r
}

// MultiplyByQuantizedMultiplier returns x·multiplier·2^(shift−31) rounded as
// TensorFlow Lite's function of the same name rounds: a left shift for a
// positive exponent (which here saturates instead of overflowing), then
// SaturatingRoundingDoublingHighMul, then RoundingDivideByPOT for a negative
// exponent. Both roundings are to nearest; the first breaks ties upward
// (toward +∞ for the doubled product's nudge, i.e. away from zero), the second
// away from zero.
func MultiplyByQuantizedMultiplier(x, multiplier, shift int32) int32 {
	if shift > 0 {
		v := int64(x) << shift
		x = int32(max(min(v, math.MaxInt32), math.MinInt32))
	}
	r := SaturatingRoundingDoublingHighMul(x, multiplier)
	if shift < 0 {
		r = RoundingDivideByPOT(r, -shift)
	}
	return r
}
