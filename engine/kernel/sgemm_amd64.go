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

// sparseSets returns how many accumulator sets the one-row AVX2 tile of
// width w has when it has a sparse twin (SgemvPackedSparse), and 0 when it
// has none or the AVX2 kernels are off.
func sparseSets(w int) int {
	if !useAVX2 {
		return 0
	}
	return sgemvSparseSets(w)
}

// nonzeroMask is nonzeroMaskGo, eight elements at a time with AVX.
func nonzeroMask(row []float32, mask []uint8) {
	blocks := 0
	if useAVX2 {
		blocks = len(row) / 8
		if blocks > 0 {
			sgemvNonzeroAVX2(blocks, &row[0], &mask[0])
		}
	}
	if rest := row[8*blocks:]; len(rest) > 0 {
		nonzeroMaskGo(rest, mask[blocks:])
	}
}
