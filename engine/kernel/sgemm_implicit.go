package kernel

// Windows is the geometry of a matrix A that is not stored but read in place
// from an image: the windows of a convolution, whose im2col matrix this
// describes without copying it (implicit GEMM). Offsets are in elements.
//
// Row i of A, with i = q·Run + r and r < Run, starts at q·RunStep + r·Step;
// it is Segs segments of Seg consecutive elements, segment s starting SegStep
// after segment s-1. For a convolution over an image of rows of W pixels of
// C channels, stored (H, W, C), a run is one output row, Step = stride·C,
// RunStep = stride·W·C, Segs = KH, Seg = KW·C and SegStep = W·C. Rows of a
// run may overlap.
type Windows struct {
	Run, RunStep int // rows per run, and the offset from one run to the next
	Step         int // offset from one row of a run to the next
	Segs, Seg    int // segments per row, and their length
	SegStep      int // offset from one segment of a row to the next
}

// K returns the length of a row of A, Segs·Seg.
func (w Windows) K() int { return w.Segs * w.Seg }

// SgemmWindowsMaxK bounds the rows of B of SgemmPackedWindows (Windows.K,
// plus one with EpilogueBias): one slice of k of the packed layout, so that
// a tile walks all of its row in one call.
const SgemmWindowsMaxK = sgemmKC

// Epilogue is what SgemmPackedWindows does to each tile of A·B before it
// stores it, in the microkernel's registers: a layer's bias and activation
// without another pass over its output.
type Epilogue uint8

const (
	// EpilogueBias adds row k of the packed B to every row of the product:
	// B is packed with k+1 rows, the last one the bias.
	EpilogueBias Epilogue = epiBias
	// EpilogueReLU clamps the product (after the bias) at zero.
	EpilogueReLU Epilogue = epiReLU
)

// SgemmPackedWindows is SgemmPacked with A read from windows of a (see
// Windows) rather than from a stored m×k matrix:
//
//	C = epi(A·B)        (accumulate == false)
//	C = C + A·B         (accumulate == true, epi == 0)
//
// where B, k×n with k = win.K(), was packed by PackB(…, k, n, …), or with
// EpilogueBias by PackB(…, k+1, n, …) with the bias as row k; k+1 must be
// at most SgemmWindowsMaxK either way. C is m×n, in runs like A's: row
// i = q·Run + r (r < Run) starts at c[q·cRunStep + r·ldc], so that a
// convolution can write its output rows straight into the interior of the
// next layer's bordered image (cRunStep = Run·ldc for a plain matrix).
//
// A tile of rows never spans two runs, and walks the segments of its rows
// inside the microkernel, so a convolution runs at the speed of its matrix
// product without building the im2col matrix. It never allocates, and
// panics if the geometry is invalid or a slice is too short for it.
func SgemmPackedWindows(m, n int, a []float32, win Windows, packedB []float32, epi Epilogue, c []float32, ldc, cRunStep int, accumulate bool) {
	if m < 0 || n < 0 {
		panic(errNegativeDim)
	}
	if win.Run < 1 || win.Segs < 1 || win.Seg < 1 || win.RunStep < 0 || win.Step < 0 || win.SegStep < 0 {
		panic(errBadWindows)
	}
	k := win.K()
	if k+1 > SgemmWindowsMaxK || epi&^(EpilogueBias|EpilogueReLU) != 0 || epi != 0 && accumulate {
		panic(errBadWindows)
	}
	if ldc < max(n, 1) || cRunStep < 0 || m > win.Run && cRunStep < win.Run*ldc {
		panic(errBadStride)
	}
	if m == 0 || n == 0 {
		return
	}
	if len(a) < lastRunRow(m, win.Run, win.RunStep, win.Step)+(win.Segs-1)*win.SegStep+win.Seg {
		panic(errShortSlice)
	}
	if len(c) < lastRunRow(m, win.Run, cRunStep, ldc)+n {
		panic(errShortSlice)
	}
	rowsB := k
	if epi&EpilogueBias != 0 {
		rowsB++
	}
	if len(packedB) < PackedBLen(rowsB, n) {
		panic(errShortPacked)
	}
	sgemmWindows(m, n, a, win, packedB, rowsB, int(epi), c, ldc, cRunStep, accumulate)
}

// lastRunRow returns the greatest start of m ≥ 1 rows in runs of run rows,
// runs runStep apart and rows step apart: the last row, or the last of the
// run before it when runs overlap.
func lastRunRow(m, run, runStep, step int) int {
	q, r := (m-1)/run, (m-1)%run
	last := q*runStep + r*step
	if q > 0 {
		last = max(last, (q-1)*runStep+(run-1)*step)
	}
	return last
}

// sgemmWindows is SgemmPackedWindows's driver, the counterpart of
// sgemmBlocked with one slice of k (of rowsB rows of packed B, the bias row
// included): each run is cut into tiles of the full height and one shorter
// tile, and each tile runs once per panel of B. Full tiles first is faster
// than tiles of equal height: seed99's conv2, runs of 14 rows on the 6-row
// tile, took 7.6 µs as 6+6+2 and 8.3 µs as 5+5+4.
func sgemmWindows(m, n int, a []float32, win Windows, packed []float32, rowsB, epi int, c []float32, ldc, cRunStep int, accumulate bool) {
	wide := sgemmShapes[0]
	poff := 0
	for jc := 0; jc < n; jc += sgemmNC {
		nc := min(sgemmNC, n-jc)
		nWide, rem, tail := sgemmSplit(nc)
		wideB := packed[poff : poff+nWide*rowsB*wide.w]
		poff += nWide * rowsB * wide.w
		var tailB []float32
		if rem > 0 {
			tailB = packed[poff : poff+rowsB*tail.w]
			poff += rowsB * tail.w
		}
		for r0 := 0; r0 < m; r0 += win.Run {
			run := min(win.Run, m-r0)
			q := r0 / win.Run
			base, cBase := q*win.RunStep, q*cRunStep+jc
			if nWide > 0 {
				for i0 := 0; i0 < run; i0 += wide.mr {
					ap := &a[base+i0*win.Step]
					for p := range nWide {
						sgemmTile(wide.w, min(wide.mr, run-i0), win.Seg, win.Segs, ap, win.Step, 1, win.SegStep,
							&wideB[p*rowsB*wide.w], wide.w, &c[cBase+i0*ldc+p*wide.w], ldc, wide.w, accumulate, epi)
					}
				}
			}
			if rem > 0 {
				for i0 := 0; i0 < run; i0 += tail.mr {
					sgemmTile(tail.w, min(tail.mr, run-i0), win.Seg, win.Segs, &a[base+i0*win.Step], win.Step, 1, win.SegStep,
						&tailB[0], tail.w, &c[cBase+i0*ldc+nWide*wide.w], ldc, rem, accumulate, epi)
				}
			}
		}
	}
}
