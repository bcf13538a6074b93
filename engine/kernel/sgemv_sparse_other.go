//go:build !amd64 || purego

package kernel

// sparseSets is 0 here: only the AVX2 one-row tiles have sparse twins, so
// SgemvPackedSparse runs the tiles of this build dense, as SgemmPacked does.
func sparseSets(int) int { return 0 }

// sgemvSparseTile is never called where sparseSets is 0.
func sgemvSparseTile(w, steps int, xs *float32, offs *int64, b, c *float32, nr int, load bool) {
	panic("kernel: no sparse tiles in this build")
}

// nonzeroMask is nonzeroMaskGo here.
func nonzeroMask(row []float32, mask []uint8) { nonzeroMaskGo(row, mask) }
