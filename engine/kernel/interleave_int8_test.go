package kernel

import (
	"math/rand/v2"
	"testing"

	"github.com/edgeconv/edgeconv/internal/alloctest"
)

// TestInterleaveInt8 checks InterleaveInt8 against the definition for
// lengths around the block of 16, with guard bytes after dst, on every
// int8 implementation.
func TestInterleaveInt8(t *testing.T) {
	eachImpl(t, familyInt8, func(t *testing.T, _ string) {
		rng := rand.New(rand.NewPCG(2, 3))
		for _, n := range []int{0, 1, 15, 16, 17, 32, 33, 65, 1089} {
			a, b := make([]int8, n), make([]int8, n+3)
			fillInt8(rng, a, "rand", 1)
			fillInt8(rng, b, "rand", 1)
			dst := make([]int8, 2*n+8)
			for i := range dst {
				dst[i] = 77
			}
			InterleaveInt8(dst[:2*n], a, b)
			for i := range n {
				if dst[2*i] != a[i] || dst[2*i+1] != b[i] {
					t.Fatalf("n=%d: dst[%d:%d] = %d %d, want %d %d", n, 2*i, 2*i+2, dst[2*i], dst[2*i+1], a[i], b[i])
				}
			}
			for i := 2 * n; i < len(dst); i++ {
				if dst[i] != 77 {
					t.Fatalf("n=%d: wrote dst[%d] past 2n", n, i)
				}
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
