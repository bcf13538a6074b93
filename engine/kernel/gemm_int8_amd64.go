//go:build !purego

package kernel

import "golang.org/x/sys/cpu"

// hasInt8AVX2 reports whether this CPU runs the AVX2 int8 kernel;
// useInt8AVX2 is the dispatch switch, false only while a test forces the
// Generic path.
var (
	hasInt8AVX2 = cpu.X86.HasAVX2
	useInt8AVX2 = hasInt8AVX2
)

// gemmInt8Kernels lists the SIMD implementations of GemmInt8 for the tests
// and benchmarks, which add the Generic one.
var gemmInt8Kernels = []gemmInt8Kernel{
	{name: "AVX2", available: &hasInt8AVX2, fn: gemmInt8AVX2},
}

func gemmInt8(m, n, k int, a []int8, lda int, b []int8, c []int32, ldc int) {
	if useInt8AVX2 {
		gemmInt8AVX2(m, n, k, a, lda, b, c, ldc)
		return
	}
	gemmInt8Generic(m, n, k, a, lda, b, c, ldc)
}

// gemmInt8AVX2 drives the 4×8 and 1×8 AVX2 microkernels over C.
func gemmInt8AVX2(m, n, k int, a []int8, lda int, b []int8, c []int32, ldc int) {
	gemmInt8Generic(m, n, k, a, lda, b, c, ldc) // replaced by the assembly driver
}
