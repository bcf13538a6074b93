//go:build !purego

package kernel

// interleaveInt8 runs interleaveInt8AVX2 on blocks of 16 where the int8
// AVX2 kernels are on, the rest in Go.
func interleaveInt8(dst, a, b []int8) {
	n := 0
	if useInt8AVX2 {
		n = len(a) &^ 15
	}
	if n > 0 {
		interleaveInt8AVX2(&dst[0], &a[0], &b[0], n)
	}
	interleaveInt8Generic(dst[2*n:], a[n:], b[n:])
}
