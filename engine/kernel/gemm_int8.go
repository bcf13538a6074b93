package kernel

// Int8 matrix product.
//
// GemmInt8 multiplies signed 8-bit activations by signed 8-bit weights into
// 32-bit accumulators. The zero-point correction of asymmetric activations is
// not done here: the caller folds −zeroPoint·colsum(weights) into its int32
// bias once, at plan time (see quant), so the kernel is a plain integer
// product and every implementation gives the same bits.
//
// # Packed weight layout
//
// B, the k×n weight matrix, is packed once by PackInt8 into panels of
// Int8NR = 8 columns. K is rounded up to a multiple of Int8KR = 4 (KP) and
// n to a multiple of 8, the padding filled with zeros. Panel p holds columns
// 8p..8p+7; inside it, k-group g (rows 4g..4g+3) takes 32 bytes: column j's
// four weights at bytes 4j..4j+3:
//
//	packed[p·8·KP + g·32 + j·4 + r] = B[4g+r][8p+j]
//
// This is the operand order of the arm64 SDOT instruction (four int8 pairs
// summed into one int32 lane) and, widened to int16, of the AVX2 VPMADDWD
// instruction (pairs summed, then pairs of pairs).
//
// # Reading A
//
// Kernels read each row of A in groups of 4 bytes, so up to KP−k bytes past
// the end of a row; they meet zero weights and contribute nothing. The slice
// a must therefore hold (m−1)·lda + KP bytes, not just (m−1)·lda + k.

// Int8NR is the number of weight columns in one packed panel.
const Int8NR = 8

// Int8KR is the number of k steps in one packed group.
const Int8KR = 4

// Panic values of the int8 kernels.
const (
	errInt8ShortPacked = "kernel: packed int8 weights shorter than Int8PackedLen"
	errInt8ShortA      = "kernel: int8 A shorter than (m-1)*lda + roundUp(k, 4)"
)

func roundUp4(k int) int { return (k + 3) &^ 3 }

// Int8PackedLen returns the length of the packed form of a k×n int8 weight
// matrix: roundUp(n, 8)·roundUp(k, 4).
func Int8PackedLen(k, n int) int {
	if k < 0 || n < 0 {
		panic(errNegativeDim)
	}
	return (n + 7) / 8 * 8 * roundUp4(k)
}

// PackInt8 packs the k×n row-major matrix b (row stride ldb) into dst in the
// layout described in the package documentation. dst must hold
// Int8PackedLen(k, n) values; all of them are written.
func PackInt8(dst, b []int8, k, n, ldb int) {
	if k < 0 || n < 0 {
		panic(errNegativeDim)
	}
	packInt8Segments(dst, b, 1, k, n, ldb)
}

// GemmInt8 computes the m×n int32 matrix
//
//	C[i][j] = Σ_{p<k} int32(A[i][p]) · int32(B[p][j])
//
// where A is m×k int8 with row stride lda, B is the k×n int8 matrix packed by
// PackInt8 into b, and C has row stride ldc. C is overwritten. Sums wrap
// modulo 2³² (they cannot overflow for k < 131072). a must hold
// (m−1)·lda + roundUp(k, 4) values (see "Reading A" above).
//
// GemmInt8 panics if a slice is too short for the shape it describes.
func GemmInt8(m, n, k int, a []int8, lda int, b []int8, c []int32, ldc int) {
	if m < 0 || n < 0 || k < 0 {
		panic(errNegativeDim)
	}
	if m == 0 || n == 0 {
		return
	}
	if lda < k || lda < 1 || ldc < n {
		panic(errBadStride)
	}
	if len(a) < (m-1)*lda+roundUp4(k) {
		panic(errInt8ShortA)
	}
	if len(b) < Int8PackedLen(k, n) {
		panic(errInt8ShortPacked)
	}
	if len(c) < (m-1)*ldc+n {
		panic(errShortSlice)
	}
	if k == 0 {
		// A sum of nothing; the SIMD drivers need a group of k to read.
		for i := range m {
			clear(c[i*ldc : i*ldc+n])
		}
		return
	}
	gemmInt8(m, n, k, a, lda, b, c, ldc)
}

func checkInt8Matrix(l, rows, cols, ld int) {
	if ld < cols || ld < 1 {
		panic(errBadStride)
	}
	if rows == 0 || cols == 0 {
		return
	}
	if l < (rows-1)*ld+cols {
		panic(errShortSlice)
	}
}
