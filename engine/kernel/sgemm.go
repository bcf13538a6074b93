package kernel

// Sgemm computes the row-major single-precision matrix product
//
//	C = op(A)·op(B)         (accumulate == false)
//	C = C + op(A)·op(B)     (accumulate == true)
//
// where op(A) is m×k and op(B) is k×n. A is stored m×k with row stride lda,
// or k×m when transA is set; B is stored k×n with row stride ldb, or n×k when
// transB is set. C is m×n with row stride ldc. scratch must hold at least
// SgemmScratchLen(m, n, k) elements; its contents are overwritten.
//
// Sgemm panics if a slice is too short for the shape it describes.
func Sgemm(transA, transB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int, accumulate bool, scratch []float32) {
	if m < 0 || n < 0 || k < 0 {
		panic(errNegativeDim)
	}
	if m == 0 || n == 0 {
		return
	}
	ar, ac := m, k
	if transA {
		ar, ac = k, m
	}
	br, bc := k, n
	if transB {
		br, bc = n, k
	}
	checkMatrix(a, ar, ac, lda)
	checkMatrix(b, br, bc, ldb)
	checkMatrix(c, m, n, ldc)
	if len(scratch) < SgemmScratchLen(m, n, k) {
		panic(errShortScratch)
	}
	sgemm(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, scratch)
}

// checkMatrix panics unless s holds a rows×cols matrix with row stride ld.
func checkMatrix(s []float32, rows, cols, ld int) {
	if ld < cols || ld < 1 {
		panic(errBadStride)
	}
	if rows == 0 || cols == 0 {
		return
	}
	if len(s) < (rows-1)*ld+cols {
		panic(errShortSlice)
	}
}
