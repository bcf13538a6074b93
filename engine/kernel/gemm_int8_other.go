//go:build (!amd64 && !arm64) || purego

package kernel

func gemmInt8(m, n, k int, a []int8, lda int, b []int8, c []int32, ldc int) {
	gemmInt8Generic(m, n, k, a, lda, b, c, ldc)
}
