//go:build !purego

package kernel

//go:generate go -C ../_asm/int8 generate

// gemmInt8Windows runs the AVX512-VNNI kernels on A in place where the CPU
// has them (VPDPBUSD reads bytes: the scratch is not used), else the AVX2
// kernels on A widened to int16 in scratch
// (they then broadcast a row's 4 values in one 8-byte load instead of
// widening them, which freed the shuffle pipes that bound the loop): the
// whole of A when it fits, else run by run in chunks of rows that fit. A
// row longer than the scratch (never in our networks) runs the Generic
// code.
func gemmInt8Windows(m, n int, a []int8, win Windows, packed []int8, rq *RequantInt8, c []int8, ldc, cRunStep int, scratch []int16) {
	if useInt8VNNI {
		gemmInt8WindowsVNNI(m, n, a, win, packed, rq, c, ldc, cRunStep)
		return
	}
	reach := (win.Segs-1)*win.SegStep + roundUp4(win.Seg) // of one row
	buf := scratch[:Int8WindowsScratchLen(m, win)]
	if !useInt8AVX2 || reach > len(buf) {
		gemmInt8WindowsGeneric(m, n, a, win, packed, rq, c, ldc, cRunStep)
		return
	}
	if need := lastRunRow(m, win.Run, win.RunStep, win.Step) + reach; need <= len(buf) {
		widenInt8(buf[:need], a[:need])
		gemmInt8WindowsTiles(m, n, buf[:need], win, packed, rq, c, ldc, cRunStep, int8TileRowsAVX2, int8TileAVX2)
		return
	}
	rows := win.Run
	if win.Step > 0 {
		rows = min(rows, (len(buf)-reach)/win.Step+1)
	}
	for r0 := 0; r0 < m; r0 += win.Run {
		run, q := min(win.Run, m-r0), r0/win.Run
		for i0 := 0; i0 < run; i0 += rows {
			nr := min(rows, run-i0)
			off, l := q*win.RunStep+i0*win.Step, (nr-1)*win.Step+reach
			widenInt8(buf[:l], a[off:off+l])
			chunk := win
			chunk.Run = nr
			gemmInt8WindowsTiles(nr, n, buf[:l], chunk, packed, rq, c[q*cRunStep+i0*ldc:], ldc, nr*ldc, int8TileRowsAVX2, int8TileAVX2)
		}
	}
}

// gemmInt8WindowsVNNI is the AVX512-VNNI GemmInt8Windows: at most four
// kernel calls, each of which walks its runs, panels and tiles itself (the
// calls of a driver per tile, 214 for seed99 at batch 1, cost as much as a
// tenth of the work): the whole runs' tiles of int8TileRowsVNNI rows, then
// their last rows in one shorter tile each, then the same for the partial
// last run.
func gemmInt8WindowsVNNI(m, n int, a []int8, win Windows, packed []int8, rq *RequantInt8, c []int8, ldc, cRunStep int) {
	const mr = int8TileRowsVNNI
	kg := roundUp4(win.Seg) / 4
	panels := (n + 7) / 8
	w := n - 8*(panels-1)
	part := func(r0, runs, rows int) { // rows 0..rows-1 of runs runs from run r0
		tiles, rest := rows/mr, rows%mr
		ai, ci := r0*win.RunStep, r0*cRunStep
		if tiles > 0 {
			int8RunsVNNI(mr, runs, tiles, panels, kg, win.Segs, &a[ai], win.Step, win.SegStep, win.RunStep,
				&packed[0], &rq.panels[0], &c[ci], ldc, cRunStep, w)
		}
		if rest > 0 {
			int8RunsVNNI(rest, runs, 1, panels, kg, win.Segs, &a[ai+tiles*mr*win.Step], win.Step, win.SegStep, win.RunStep,
				&packed[0], &rq.panels[0], &c[ci+tiles*mr*ldc], ldc, cRunStep, w)
		}
	}
	full := m / win.Run
	if full > 0 {
		part(0, full, win.Run)
	}
	if last := m - full*win.Run; last > 0 {
		part(full, 1, last)
	}
}

// widenInt8 sign-extends src into dst, of the same length: widenInt8AVX2
// in blocks of 16, the rest in Go.
func widenInt8(dst []int16, src []int8) {
	n := len(src) &^ 15
	if n > 0 {
		widenInt8AVX2(&dst[0], &src[0], n)
	}
	for i := n; i < len(src); i++ {
		dst[i] = int16(src[i])
	}
}
