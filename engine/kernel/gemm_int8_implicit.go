package kernel

// Int8 implicit GEMM with the requantisation in the epilogue.
//
// GemmInt8Windows is the int8 counterpart of SgemmPackedWindows: it reads the
// rows of A from windows of an image in place (see Windows) and, instead of
// storing int32 accumulators for a separate pass, requantises each tile in
// the microkernel's registers and stores int8.
//
// The int8 kernels read k in groups of Int8KR = 4 bytes, and a window's
// segments need not be a multiple of 4 long (seed99's conv1: 6 bytes). So
// PackInt8Windows pads every segment of the weights to a multiple of 4 k
// steps with zero weights, and the kernels read each segment rounded up to
// that length: the bytes past a segment, the next pixel's or the slack's,
// meet zero weights and add nothing. PackInt8's layout is the case of one
// segment.

const (
	errInt8Requant      = "kernel: GemmInt8Windows: requantisation of another channel count"
	errInt8ShortWinA    = "kernel: int8 windows shorter than their rows rounded up to 4 bytes"
	errInt8ShortScratch = "kernel: GemmInt8Windows: scratch shorter than Int8WindowsScratchLen"
)

// int8WidenLen bounds GemmInt8Windows's scratch: 16 Ki int16 values
// (32 KiB), room for seed99's largest padded image (5,766 values) or 13 of
// its dense layer's input rows (1,176 each).
const int8WidenLen = 16 << 10

// Int8WindowsScratchLen returns the length of the scratch GemmInt8Windows
// takes for m rows of win: the values the rows reach, up to 16 Ki. The AVX2
// kernels read A widened to int16 from it (a row's 4 values then cost one
// broadcast instead of a broadcast and a widening, which bound the loop);
// the other implementations leave it alone. The length is the same on every
// architecture.
func Int8WindowsScratchLen(m int, win Windows) int {
	if m <= 0 || win.Run < 1 {
		return 0
	}
	return min(lastRunRow(m, win.Run, win.RunStep, win.Step)+(win.Segs-1)*win.SegStep+roundUp4(win.Seg), int8WidenLen)
}

// Int8WindowsPackedLen returns the length of PackInt8Windows's packed form of
// a (segs·seg)×n matrix: roundUp(n, 8)·segs·roundUp(seg, 4).
func Int8WindowsPackedLen(segs, seg, n int) int {
	if segs < 0 || seg < 0 || n < 0 {
		panic(errNegativeDim)
	}
	return (n + 7) / 8 * 8 * segs * roundUp4(seg)
}

// PackInt8Windows packs the (segs·seg)×n row-major matrix b (row stride ldb)
// for GemmInt8Windows over windows of segs segments of seg bytes: row
// s·seg + t of b is step t of segment s. It is PackInt8's layout for
// K = segs·roundUp(seg, 4) rows, each segment's rows followed by zero rows up
// to a multiple of 4. dst must hold Int8WindowsPackedLen(segs, seg, n)
// values; all of them are written.
func PackInt8Windows(dst, b []int8, segs, seg, n, ldb int) {
	packInt8Segments(dst, b, segs, seg, n, ldb)
}

// packInt8Segments is PackInt8Windows, and PackInt8 for one segment.
func packInt8Segments(dst, b []int8, segs, seg, n, ldb int) {
	k := segs * seg
	checkInt8Matrix(len(b), k, n, ldb)
	if len(dst) < Int8WindowsPackedLen(segs, seg, n) {
		panic(errInt8ShortPacked)
	}
	sp := roundUp4(seg)
	kp := segs * sp
	for p := 0; p < (n+7)/8; p++ {
		panel := dst[p*8*kp : (p+1)*8*kp]
		for kk := range kp {
			s, t := kk/sp, kk%sp
			for j := range 8 {
				col := p*8 + j
				var v int8
				if t < seg && col < n {
					v = b[(s*seg+t)*ldb+col]
				}
				panel[(kk/4)*32+j*4+kk%4] = v
			}
		}
	}
}

// GemmInt8Windows computes the m×n int8 matrix
//
//	C[i][j] = rq(Σ_{p<k} int32(A[i][p])·int32(B[p][j]), j)
//
// where row i of A is read from windows of a (see Windows; k = win.K()), B
// was packed by PackInt8Windows(…, win.Segs, win.Seg, n, …), and rq is the
// requantisation of channel j (RequantInt8, whose C must be n): bias,
// fixed-point rescale, zero point and clamp, bit for bit as RequantInt8
// describes it. C is in runs like A's:
// row i = q·Run + r (r < Run) starts at c[q·cRunStep + r·ldc].
//
// Each segment is read rounded up to a multiple of 4 bytes, so a must hold
// roundUp(Seg, 4) − Seg bytes past the last window (their values do not
// matter). A dense layer is one run of rows lda apart: Windows{Run: m,
// Step: lda, Segs: 1, Seg: k}. scratch must hold Int8WindowsScratchLen(m,
// win) values. GemmInt8Windows never allocates, and panics if the geometry
// is invalid or a slice too short for it.
func GemmInt8Windows(m, n int, a []int8, win Windows, packed []int8, rq *RequantInt8, c []int8, ldc, cRunStep int, scratch []int16) {
	if m < 0 || n < 0 {
		panic(errNegativeDim)
	}
	if win.Run < 1 || win.Segs < 1 || win.Seg < 1 || win.RunStep < 0 || win.Step < 0 || win.SegStep < 0 {
		panic(errBadWindows)
	}
	if rq == nil || rq.C != n {
		panic(errInt8Requant)
	}
	if ldc < max(n, 1) || cRunStep < 0 || m > win.Run && cRunStep < win.Run*ldc {
		panic(errBadStride)
	}
	if m == 0 || n == 0 {
		return
	}
	if len(a) < lastRunRow(m, win.Run, win.RunStep, win.Step)+(win.Segs-1)*win.SegStep+roundUp4(win.Seg) {
		panic(errInt8ShortWinA)
	}
	if len(c) < lastRunRow(m, win.Run, cRunStep, ldc)+n {
		panic(errShortSlice)
	}
	if len(packed) < Int8WindowsPackedLen(win.Segs, win.Seg, n) {
		panic(errInt8ShortPacked)
	}
	if len(scratch) < Int8WindowsScratchLen(m, win) {
		panic(errInt8ShortScratch)
	}
	gemmInt8Windows(m, n, a, win, packed, rq, c, ldc, cRunStep, scratch)
}

// gemmInt8WindowsGeneric is the reference GemmInt8Windows: plain Go over
// the packed layout, eight accumulators per panel, then requantInt8One.
// Every other implementation must match it bit for bit.
func gemmInt8WindowsGeneric(m, n int, a []int8, win Windows, packed []int8, rq *RequantInt8, c []int8, ldc, cRunStep int) {
	sp := roundUp4(win.Seg)
	kp := win.Segs * sp
	for i := range m {
		q, r := i/win.Run, i%win.Run
		row := q*win.RunStep + r*win.Step
		crow := c[q*cRunStep+r*ldc:][:n]
		for p := 0; p*8 < n; p++ {
			panel := packed[p*8*kp : (p+1)*8*kp]
			var acc [8]int32
			for s := range win.Segs {
				seg := a[row+s*win.SegStep:][:sp]
				w := panel[s*sp*8:]
				for g := 0; g < sp; g += 4 {
					a0, a1, a2, a3 := int32(seg[g]), int32(seg[g+1]), int32(seg[g+2]), int32(seg[g+3])
					wg := w[g*8 : g*8+32]
					for j := range 8 {
						acc[j] += a0*int32(wg[4*j]) + a1*int32(wg[4*j+1]) + a2*int32(wg[4*j+2]) + a3*int32(wg[4*j+3])
					}
				}
			}
			for j := range min(8, n-p*8) {
				crow[p*8+j] = rq.one(acc[j], p*8+j)
			}
		}
	}
}
