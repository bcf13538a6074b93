package kernel

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/edgeconv/edgeconv/internal/alloctest"
)

// TestInterleaveInt8 checks InterleaveInt8 against the definition for
// lengths around the block of 16, with guard bands around dst, on every
// int8 implementation.
func TestInterleaveInt8(t *testing.T) {
	eachImplSeeded(t, familyInt8, 2, func(t *testing.T, rng *rand.Rand) {
		for _, n := range []int{0, 1, 15, 16, 17, 32, 33, 65, 1089} {
			a, b := make([]int8, n), make([]int8, n+3)
			fillInt8(rng, a, "rand", 1)
			fillInt8(rng, b, "rand", 1)
			all, dst := guardedBuf[int8](rng, 2*n)
			base := slices.Clone(all)
			InterleaveInt8(dst, a, b)
			for i := range n {
				if dst[2*i] != a[i] || dst[2*i+1] != b[i] {
					t.Fatalf("n=%d: dst[%d:%d] = %d %d, want %d %d", n, 2*i, 2*i+2, dst[2*i], dst[2*i+1], a[i], b[i])
				}
			}
			if !guardsIntact(all, base, 2*n) {
				t.Fatalf("n=%d: wrote outside dst", n)
			}
		}
	})
	for _, c := range []struct{ dst, a, b int }{{3, 2, 2}, {4, 2, 1}} {
		func() {
			defer func() {
				if r := recover(); r != errInterleaveLen {
					t.Errorf("%+v: panic %v, want %q", c, r, errInterleaveLen)
				}
			}()
			InterleaveInt8(make([]int8, c.dst), make([]int8, c.a), make([]int8, c.b))
		}()
	}
}

func TestInterleaveInt8ZeroAlloc(t *testing.T) {
	a, b, dst := make([]int8, 1056), make([]int8, 1056), make([]int8, 2112)
	alloctest.Zero(t, "InterleaveInt8", 0, 20, func() { InterleaveInt8(dst, a, b) })
}
