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

// sgemmTileAdjacent runs a tile on the kernel for rows of A adjacent in
// memory when there is one for its shape, and reports whether it did:
// sgemm12x6AdjAVX2, for 12 rows of 6 columns with rsa = 1, where Aᵀ is read
// in place (the weight gradient of seed99's first convolution), with the
// bits of sgemm12x6AVX2 at about 1.5 times its speed (8 loads a step
// instead of 14).
func sgemmTileAdjacent(w, mr, k int, a *float32, rsa, csa int, b *float32, rsb int, c *float32, ldc, nr int, load bool) bool {
	if !useAVX2 || w != 6 || mr != 12 || rsa != 1 {
		return false
	}
	sgemm12x6AdjAVX2(k, 1, a, rsa, csa, 0, b, rsb, c, ldc, nr, load, 0)
	return true
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
