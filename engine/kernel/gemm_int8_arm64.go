//go:build !purego

package kernel

// gemmInt8Kernels lists the SIMD implementations of GemmInt8 for the tests
// and benchmarks, which add the Generic one.
var gemmInt8Kernels []gemmInt8Kernel

func gemmInt8(m, n, k int, a []int8, lda int, b []int8, c []int32, ldc int) {
	gemmInt8Generic(m, n, k, a, lda, b, c, ldc)
}
