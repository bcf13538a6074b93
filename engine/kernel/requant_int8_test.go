package kernel

import (
	"math/rand/v2"
	"testing"
)

// requantInt8Naive is RequantInt8's definition with gemmlowp's own two
// steps written out (nudge by sign, truncating division; remainder against
// threshold).
func requantInt8Naive(bias, mult, shift []int32, zero, lo, hi int32, dst []int8, acc []int32) {
	C := len(bias)
	for i, a := range acc {
		c := i % C
		ab := int64(a+bias[c]) * int64(mult[c])
		nudge := int64(1 << 30)
		if ab < 0 {
			nudge = 1 - (1 << 30)
		}
		x := int32((ab + nudge) / (1 << 31))
		mask := int32((int64(1) << shift[c]) - 1)
		threshold := mask >> 1
		if x < 0 {
			threshold++
		}
		y := x >> shift[c]
		if x&mask > threshold {
			y++
		}
		dst[i] = int8(max(lo, min(hi, y+zero)))
	}
}

// requantThroughGemm requantises acc, (rows, C), through GemmInt8Windows:
// with one k step, A's row i holding 1 and B's row the weights 1, every
// accumulator is 1, and the bias carries acc − 1 (the sum acc + bias wraps
// as int32 addition does). Each row's window reads 3 bytes past its one
// byte, which meet zero weights.
func requantThroughGemm(bias, mult, shift []int32, zero, lo, hi int32, dst []int8, acc []int32) {
	C := len(bias)
	rows := len(acc) / C
	ones := make([]int8, C)
	for c := range ones {
		ones[c] = 1
	}
	packed := make([]int8, Int8WindowsPackedLen(1, 1, C))
	PackInt8Windows(packed, ones, 1, 1, C, C)
	a := make([]int8, rows+3)
	for i := range rows {
		a[i] = 1
	}
	rowBias := make([]int32, C)
	for i := range rows {
		for c := range C {
			rowBias[c] = acc[i*C+c] + bias[c] - 1
		}
		rq := NewRequantInt8(rowBias, mult, shift, zero, lo, hi)
		win := Windows{Run: 1, Step: 1, Segs: 1, Seg: 1}
		GemmInt8Windows(1, C, a[i:], win, packed, rq, dst[i*C:(i+1)*C], C, C, make([]int16, Int8WindowsScratchLen(1, win)))
	}
}

// TestRequantInt8 checks every implementation's requantisation (the
// epilogue of its GemmInt8Windows kernels) against the naive definition for
// channel counts below, at and above the 8-lane vectors (including
// seed99's 6, 12, 24, 200 and 10), every shift, extreme sums (wrapping
// ones too), the largest multiplier, and ReLU clamps; with guard bands on
// the output.
func TestRequantInt8(t *testing.T) {
	eachImpl(t, familyInt8, func(t *testing.T, _ string) {
		rng := rand.New(rand.NewPCG(5, 6))
		for _, C := range []int{1, 3, 6, 7, 8, 9, 10, 12, 16, 24, 25, 200} {
			for _, rows := range []int{1, 2, 3, 5, 8, 13} {
				bias, mult, shift := make([]int32, C), make([]int32, C), make([]int32, C)
				for c := range C {
					bias[c] = int32(rng.IntN(1<<20) - 1<<19)
					mult[c] = int32(1<<30 + rng.IntN(1<<30))
					shift[c] = int32((c*7 + rows) % 32)
				}
				if C == 1 {
					mult[0] = 1<<31 - 1
				}
				zero := int32(rng.IntN(256) - 128)
				lo := int32(-128)
				if rows%2 == 0 {
					lo = zero
				}
				acc := make([]int32, rows*C)
				for i := range acc {
					switch i % 5 {
					case 0:
						acc[i] = int32(rng.Uint32())
					case 1:
						acc[i] = int32(rng.IntN(4096) - 2048)
					case 2:
						acc[i] = 1<<31 - 1 - bias[i%C]*int32(max(0, bias[i%C]>>31+1))
					case 3:
						acc[i] = -1 << 31 // with a positive bias, the sum wraps
					default:
						acc[i] = int32(rng.IntN(1<<24) - 1<<23)
					}
				}
				want := make([]int8, len(acc))
				requantInt8Naive(bias, mult, shift, zero, lo, 127, want, acc)
				buf := make([]int8, len(acc)+2*guardLenI8)
				for i := range buf {
					buf[i] = guardI8
				}
				got := buf[guardLenI8 : guardLenI8+len(acc)]
				requantThroughGemm(bias, mult, shift, zero, lo, 127, got, acc)
				for i := range want {
					if got[i] != want[i] {
						t.Fatalf("C=%d rows=%d i=%d (channel %d, acc %d, bias %d, mult %d, shift %d): %d, want %d",
							C, rows, i, i%C, acc[i], bias[i%C], mult[i%C], shift[i%C], got[i], want[i])
					}
				}
				for i := range guardLenI8 {
					if buf[i] != guardI8 || buf[len(buf)-1-i] != guardI8 {
						t.Fatalf("C=%d rows=%d: wrote outside dst", C, rows)
					}
				}
			}
		}
	})
}
