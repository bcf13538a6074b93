package kernel

import (
	"fmt"
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

// TestRequantInt8 checks every implementation against the naive definition
// for channel counts below, at and above the 8-lane vectors (including
// seed99's 6, 12, 24, 200 and 10), every shift, extreme accumulators, and
// lengths that end inside a period; with guard bands on the output.
func TestRequantInt8(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	eachImpl(t, familyInt8, func(t *testing.T, _ string) {
		for _, C := range []int{1, 3, 6, 7, 8, 9, 10, 12, 16, 24, 25, 200} {
			for _, rows := range []int{1, 2, 3, 4, 5, 8, 13, 40} {
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
				r := NewRequantInt8(bias, mult, shift, zero, lo, 127)
				acc := make([]int32, rows*C)
				for i := range acc {
					switch i % 5 {
					case 0:
						acc[i] = int32(rng.Uint32())
					case 1:
						acc[i] = int32(rng.IntN(4096) - 2048)
					case 2:
						acc[i] = 1<<31 - 1 - bias[i%C]*int32(max(0, bias[i%C]>>31+1))
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
				r.Apply(got, acc)
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

func TestRequantInt8ZeroAlloc(t *testing.T) {
	r := NewRequantInt8(make([]int32, 6), []int32{1 << 30, 1 << 30, 1 << 30, 1 << 30, 1 << 30, 1 << 30}, make([]int32, 6), 0, -128, 127)
	acc, dst := make([]int32, 600), make([]int8, 600)
	if got := testing.AllocsPerRun(20, func() { r.Apply(dst, acc) }); got != 0 {
		t.Errorf("Apply: %v allocations, want 0", got)
	}
}

func BenchmarkRequantInt8(b *testing.B) {
	for _, C := range []int{6, 12, 24, 200} {
		b.Run(fmt.Sprintf("C%d", C), func(b *testing.B) {
			eachImpl(b, familyInt8, func(b *testing.B, _ string) {
				m := make([]int32, C)
				for i := range m {
					m[i] = 1 << 30
				}
				r := NewRequantInt8(make([]int32, C), m, make([]int32, C), 0, -128, 127)
				acc, dst := make([]int32, 4800), make([]int8, 4800)
				for b.Loop() {
					r.Apply(dst, acc[:4800/C*C])
				}
			})
		})
	}
}
