package quant

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/edgeconv/edgeconv/engine/kernel"
)

// roundHalfAway returns num/den (den > 0) rounded to nearest, ties away
// from zero, exactly.
func roundHalfAway(num, den *big.Int) *big.Int {
	twice := new(big.Int).Lsh(new(big.Int).Abs(num), 1)
	twice.Add(twice, den)
	q := twice.Quo(twice, new(big.Int).Lsh(den, 1))
	if num.Sign() < 0 {
		q.Neg(q)
	}
	return q
}

// TestMultiplyByQuantizedMultiplier checks the fixed-point path against
// exact rational arithmetic: TFLite's two roundings (high multiply, then
// shift) may differ from one exact rounding by at most one unit.
func TestMultiplyByQuantizedMultiplier(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200000 {
		x := int32(rng.Uint32())
		if rng.IntN(2) == 0 {
			x = int32(rng.IntN(1<<20) - 1<<19)
		}
		m := int32(1<<30 + rng.IntN(1<<30))
		s := int32(rng.IntN(33) - 31)
		if s > 0 {
			x >>= s // no saturation in the left shift
		}
		got := MultiplyByQuantizedMultiplier(x, m, s)
		num := new(big.Int).Mul(big.NewInt(int64(x)), big.NewInt(int64(m)))
		den := new(big.Int).Lsh(big.NewInt(1), uint(31-s))
		want := roundHalfAway(num, den).Int64()
		if d := int64(got) - want; d < -1 || d > 1 {
			t.Fatalf("MBQM(%d, %d, %d) = %d, exact %d", x, m, s, got, want)
		}
	}
	if got := MultiplyByQuantizedMultiplier(math.MaxInt32, 1<<30, 2); got != 1<<30 {
		t.Errorf("saturating left shift: %d", got)
	}
	// Known values of gemmlowp/TFLite.
	for _, c := range []struct{ a, b, want int32 }{
		{math.MinInt32, math.MinInt32, math.MaxInt32},
		{1 << 30, 1 << 30, 1 << 29},
		{-1, 1 << 30, 0},  // -0.5 rounds to 0: the nudge is 1-2^30 for negatives
		{1, 1 << 30, 1},   // 0.5 rounds up
		{-3, 1 << 30, -1}, // -1.5 -> -1 (truncating division of ab+nudge)
	} {
		if got := SaturatingRoundingDoublingHighMul(c.a, c.b); got != c.want {
			t.Errorf("SRDHM(%d, %d) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
	for _, c := range []struct{ x, e, want int32 }{
		{5, 1, 3}, {-5, 1, -3}, {4, 1, 2}, {7, 2, 2}, {-6, 2, -2}, {-7, 2, -2}, {6, 2, 2}, {math.MinInt32, 31, -1}, {math.MaxInt32, 31, 1}, {9, 0, 9},
	} {
		if got := RoundingDivideByPOT(c.x, c.e); got != c.want {
			t.Errorf("RoundingDivideByPOT(%d, %d) = %d, want %d", c.x, c.e, got, c.want)
		}
	}
}

func TestQuantizeMultiplier(t *testing.T) {
	for _, r := range []float64{1, 0.5, 0.75, 1e-3, 3.5, 0.9999999999, 1 << 20, 1e-9} {
		m, s, ok := QuantizeMultiplier(r)
		if !ok || m < 1<<30 {
			t.Fatalf("QuantizeMultiplier(%g) = %d, %d, %v", r, m, s, ok)
		}
		if got := RealMultiplier(m, s); math.Abs(got-r) > r*1e-9 {
			t.Errorf("QuantizeMultiplier(%g) = %d·2^(%d-31) = %g", r, m, s, got)
		}
	}
	for _, r := range []float64{0, -1, math.NaN(), math.Inf(1), 1e-12, 1e12} {
		if _, _, ok := QuantizeMultiplier(r); ok {
			t.Errorf("QuantizeMultiplier(%g): ok", r)
		}
	}
}

// TestRequantizeKernel checks the requantisation of kernel.GemmInt8Windows,
// which the plan uses, against MultiplyByQuantizedMultiplier, zero point
// and clamp. Its weights are zero, so each accumulator a + bias is all in
// the bias: one row of 64·C channels, channel i taking channel i%C's
// multiplier and shift.
func TestRequantizeKernel(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const C, n = 7, 64 * 7
	bias, mult, rshift := make([]int32, C), make([]int32, C), make([]int32, C)
	acc, dst := make([]int32, n), make([]int8, n)
	sum, multN, shiftN := make([]int32, n), make([]int32, n), make([]int32, n)
	packed := make([]int8, kernel.Int8WindowsPackedLen(1, 1, n))
	a := make([]int8, 4)
	win := kernel.Windows{Run: 1, Segs: 1, Seg: 1}
	scratch := make([]int16, kernel.Int8WindowsScratchLen(1, win))
	for round := range 3000 {
		for c := range C {
			bias[c] = int32(rng.IntN(1<<16) - 1<<15)
			mult[c] = int32(1<<30 + rng.IntN(1<<30))
			rshift[c] = int32(rng.IntN(32))
		}
		for i := range acc {
			acc[i] = int32(rng.Uint32()) >> (rng.IntN(32))
			if round%3 == 0 {
				acc[i] = int32(rng.IntN(4096) - 2048)
			}
			c := i % C
			sum[i], multN[i], shiftN[i] = acc[i]+bias[c], mult[c], rshift[c]
		}
		zero := int32(rng.IntN(256) - 128)
		lo := int32(-128)
		if round%2 == 0 {
			lo = zero
		}
		rq := kernel.NewRequantInt8(sum, multN, shiftN, zero, lo, 127)
		kernel.GemmInt8Windows(1, n, a, win, packed, rq, dst, n, n, scratch)
		for i, a := range acc {
			c := i % C
			v := MultiplyByQuantizedMultiplier(a+bias[c], mult[c], -rshift[c]) + zero
			if want := int8(max(lo, min(127, v))); dst[i] != want {
				t.Fatalf("acc %d bias %d mult %d shift -%d: %d, want %d", a, bias[c], mult[c], rshift[c], dst[i], want)
			}
		}
	}
}
