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

// SgemmWindowsMaxK is the longest row (Windows.K) that SgemmPackedWindows
// takes: one slice of k of the packed layout, so that a tile walks all of
// its row in one call.
const SgemmWindowsMaxK = sgemmKC

// SgemmPackedWindows is SgemmPacked with A read from windows of a (see
// Windows) rather than from a stored m×k matrix:
//
//	C = A·B         (accumulate == false)
//	C = C + A·B     (accumulate == true)
//
// where B, k×n with k = win.K() ≤ SgemmWindowsMaxK, was packed by
// PackB(…, k, n, …) and C is m×n with row stride ldc. A tile of rows never
// spans two runs, and walks the segments of its rows inside the
// microkernel, so a convolution runs at the speed of its matrix product
// without building the im2col matrix. It never allocates, and panics if the
// geometry is invalid or a slice too short for it.
func SgemmPackedWindows(m, n int, a []float32, win Windows, packedB, c []float32, ldc int, accumulate bool) {
	if m < 0 || n < 0 {
		panic(errNegativeDim)
	}
	if win.Run < 1 || win.Segs < 1 || win.Seg < 1 || win.RunStep < 0 || win.Step < 0 || win.SegStep < 0 {
		panic(errBadWindows)
	}
	k := win.K()
	if k > SgemmWindowsMaxK {
		panic(errBadWindows)
	}
	if m == 0 || n == 0 {
		return
	}
	last := (m-1)/win.Run*win.RunStep + (min(win.Run, m)-1)*win.Step + (win.Segs-1)*win.SegStep + win.Seg
	if len(a) < last {
		panic(errShortSlice)
	}
	checkMatrix(c, m, n, ldc)
	if len(packedB) < PackedBLen(k, n) {
		panic(errShortPacked)
	}
	sgemmWindows(m, n, a, win, packedB, c, ldc, accumulate)
}

// sgemmWindows is SgemmPackedWindows's driver, the counterpart of
// sgemmBlocked with one slice of k: each run is cut into tiles of the full
// height and one shorter tile, and each tile runs once per panel of B. Full
// tiles first is faster than tiles of equal height: seed99's conv2, runs of
// 14 rows on the 6-row tile, took 7.6 µs as 6+6+2 and 8.3 µs as 5+5+4.
func sgemmWindows(m, n int, a []float32, win Windows, packed, c []float32, ldc int, accumulate bool) {
	k := win.K()
	wide := sgemmShapes[0]
	poff := 0
	for jc := 0; jc < n; jc += sgemmNC {
		nc := min(sgemmNC, n-jc)
		nWide, rem, tail := sgemmSplit(nc)
		wideB := packed[poff : poff+nWide*k*wide.w]
		poff += nWide * k * wide.w
		var tailB []float32
		if rem > 0 {
			tailB = packed[poff : poff+k*tail.w]
			poff += k * tail.w
		}
		for r0 := 0; r0 < m; r0 += win.Run {
			run := min(win.Run, m-r0)
			base := r0 / win.Run * win.RunStep
			if nWide > 0 {
				for i0 := 0; i0 < run; i0 += wide.mr {
					i1 := min(run, i0+wide.mr)
					ap := &a[base+i0*win.Step]
					for q := range nWide {
						j0 := jc + q*wide.w
						sgemmTile(wide.w, i1-i0, win.Seg, win.Segs, ap, win.Step, 1, win.SegStep,
							&wideB[q*k*wide.w], wide.w, &c[(r0+i0)*ldc+j0], ldc, wide.w, accumulate)
					}
				}
			}
			if rem > 0 {
				j0 := jc + nWide*wide.w
				for i0 := 0; i0 < run; i0 += tail.mr {
					i1 := min(run, i0+tail.mr)
					sgemmTile(tail.w, i1-i0, win.Seg, win.Segs, &a[base+i0*win.Step], win.Step, 1, win.SegStep,
						&tailB[0], tail.w, &c[(r0+i0)*ldc+j0], ldc, rem, accumulate)
				}
			}
		}
	}
}
