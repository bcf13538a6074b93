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
// Sgemm is single-threaded and never allocates. Calls may run concurrently
// as long as each has its own C and scratch (A and B are only read); a
// caller that splits the rows of C, or slices of k, between threads calls it
// once per part. C must not overlap A, B or scratch.
//
// Sgemm panics if a slice is too short for the shape it describes.
func Sgemm(transA, transB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int, accumulate bool, scratch []float32) {
	if m < 0 || n < 0 || k < 0 {
		panic(errNegativeDim)
	}
	if m == 0 || n == 0 {
		return
	}
	checkOp(transA, a, m, k, lda)
	checkOp(transB, b, k, n, ldb)
	checkMatrix(c, m, n, ldc)
	if len(scratch) < SgemmScratchLen(m, n, k) {
		panic(errShortScratch)
	}
	sgemm(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, scratch)
}

// Blocking of the SIMD paths. K is cut into slices of at most sgemmKC steps
// (a packed B slice and a tile of A rows stay in the L1 and L2 caches), and
// N into blocks of at most sgemmNC columns. sgemmNC is a multiple of 48, the
// least common multiple of every microkernel width (8, 16, 24), so a block
// always splits into whole panels.
const (
	sgemmKC = 256
	sgemmNC = 240
)

// SgemmScratchLen returns how many float32 elements of scratch Sgemm needs
// for an m×n×k product, whatever the transposition flags: 0 when the product
// is empty, otherwise min(k, 256)·min(roundUp(n, 48), 240), at most 61,440
// elements (240 KiB). The value is the same on every architecture and with
// the purego tag, so a memory plan made on one machine holds on another.
func SgemmScratchLen(m, n, k int) int {
	if m <= 0 || n <= 0 || k <= 0 {
		return 0
	}
	return min(k, sgemmKC) * min((n+47)/48*48, sgemmNC)
}

// PackedBLen returns how many float32 elements PackB needs to pack a k×n
// op(B): 0 when it is empty, otherwise k·roundUp(n, 48). Like
// SgemmScratchLen it is the same on every architecture.
func PackedBLen(k, n int) int {
	if k <= 0 || n <= 0 {
		return 0
	}
	return k * ((n + 47) / 48 * 48)
}

// PackB copies op(B), k×n, into dst in the layout SgemmPacked reads, so that
// a matrix multiplied many times (a layer's weights) is rearranged once. B is
// stored k×n with row stride ldb, or n×k when transB is set; dst must hold
// PackedBLen(k, n) elements.
//
// The layout (see the package documentation) follows this build's
// microkernels, so a packed matrix is only for SgemmPacked of the same
// program: it is not a file format. PackB panics if a slice is too short for
// its shape.
func PackB(transB bool, k, n int, b []float32, ldb int, dst []float32) {
	PackBPart(transB, k, n, b, ldb, dst, 0, 1)
}

// PackBPart does the share part (from 0) of parts of PackB's work: the
// calls for every part pack all of op(B), so that several goroutines can
// pack one large matrix together, each calling with its own part. The
// arguments are PackB's.
func PackBPart(transB bool, k, n int, b []float32, ldb int, dst []float32, part, parts int) {
	if k < 0 || n < 0 {
		panic(errNegativeDim)
	}
	if parts < 1 || part < 0 || part >= parts {
		panic(errBadPart)
	}
	if k == 0 || n == 0 {
		return
	}
	checkOp(transB, b, k, n, ldb)
	if len(dst) < PackedBLen(k, n) {
		panic(errShortPacked)
	}
	packBLayout(transB, k, n, b, ldb, dst, part, parts)
}

// SgemmPacked is Sgemm with op(B) packed beforehand by PackB(…, k, n, …):
//
//	C = op(A)·B         (accumulate == false)
//	C = C + op(A)·B     (accumulate == true)
//
// with op(A) m×k as in Sgemm and C m×n with row stride ldc. It needs no
// scratch and never allocates; one packed B can serve concurrent calls that
// write different parts of C. It panics if a slice is too short for its
// shape.
func SgemmPacked(transA bool, m, n, k int, a []float32, lda int, packedB []float32, c []float32, ldc int, accumulate bool) {
	if m < 0 || n < 0 || k < 0 {
		panic(errNegativeDim)
	}
	if m == 0 || n == 0 {
		return
	}
	checkOp(transA, a, m, k, lda)
	checkMatrix(c, m, n, ldc)
	if len(packedB) < PackedBLen(k, n) {
		panic(errShortPacked)
	}
	sgemmBlocked(transA, false, m, n, k, a, lda, nil, 0, c, ldc, accumulate, nil, packedB)
}

// checkOp panics unless s holds op(S), rows×cols: S itself with row stride
// ld, or, when trans is set, Sᵀ, stored cols×rows.
func checkOp(trans bool, s []float32, rows, cols, ld int) {
	if trans {
		rows, cols = cols, rows
	}
	checkMatrix(s, rows, cols, ld)
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

// SgemmPanelWidth returns the number of columns of the widest microkernel
// tile that SgemmPacked runs at full speed in this build on this CPU: 24 with
// AVX2, 8 with NEON and on the Generic path. A caller whose product has fewer
// columns may reshape it to fill whole panels (the engine groups output
// pixels of narrow convolutions this way).
func SgemmPanelWidth() int { return sgemmShapes[0].w }
