//go:build !purego

package kernel

// The AVX2 assembly (sgemm_amd64.s), its declarations
// (sgemm_stubs_amd64.go) and the dispatch to it (sgemm_dispatch_amd64.go)
// are generated with avo by engine/_asm/sgemm, a module of its own.
//go:generate go -C ../_asm/sgemm generate

func sgemm(transA, transB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int, accumulate bool, scratch []float32) {
	if useAVX2 {
		sgemmBlocked(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, scratch, nil)
		return
	}
	sgemmGeneric(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate)
}
