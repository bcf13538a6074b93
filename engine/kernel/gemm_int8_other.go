//go:build (!amd64 && !arm64) || purego

package kernel

// gemmInt8Kernels is empty: only the Generic kernel exists here.
var gemmInt8Kernels []gemmInt8Kernel

func gemmInt8(m, n, k int, a []int8, lda int, b []int8, c []int32, ldc int) {
	gemmInt8Generic(m, n, k, a, lda, b, c, ldc)
}
