package kernel

// sgemmGeneric is the reference: the plain triple loop that defines Sgemm.
// The product is formed with float32(x*y) so that Go does not fuse it into a
// multiply-add on architectures where it could, keeping the reference
// identical everywhere.
func sgemmGeneric(transA, transB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int, accumulate bool) {
	if m == 0 || n == 0 {
		return
	}
	for i := 0; i < m; i++ {
		crow := c[i*ldc : i*ldc+n]
		if !accumulate {
			clear(crow)
		}
		for p := 0; p < k; p++ {
			var av float32
			if transA {
				av = a[p*lda+i]
			} else {
				av = a[i*lda+p]
			}
			if transB {
				for j := range crow {
					crow[j] += float32(av * b[j*ldb+p])
				}
			} else {
				brow := b[p*ldb : p*ldb+n]
				for j, bv := range brow {
					crow[j] += float32(av * bv)
				}
			}
		}
	}
}
