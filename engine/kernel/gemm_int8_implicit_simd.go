//go:build (amd64 || arm64) && !purego

package kernel

// int8Tile is a GemmInt8Windows microkernel: rows (1 to its maximum) rows
// of a tile of 8 columns, each row segs segments of kg groups of 4 values of
// A (rows lda values apart from a, segments segStep apart; int8, or int16
// for the AVX2 kernels), times the packed panel b, requantised by the
// panel block q (RequantInt8.panels), the first w (1 to 8) columns stored
// as int8 at c, rows ldc bytes apart.
type int8Tile[T int8 | int16] func(rows, kg, segs int, a *T, lda, segStep int, b *int8, q *int32, c *int8, ldc, w int)

// gemmInt8WindowsTiles is the SIMD GemmInt8Windows driver, the counterpart
// of sgemmWindows: within each run, panel by panel (its weights stay in L1
// while the run's rows pass), the rows in tiles of mr and one shorter tile.
// A is the caller's (int8, NEON) or the scratch (int16, AVX2), on the heap
// either way: tile, a function value, lets it escape.
func gemmInt8WindowsTiles[T int8 | int16](m, n int, a []T, win Windows, packed []int8, rq *RequantInt8, c []int8, ldc, cRunStep, mr int, tile int8Tile[T]) {
	sp := roundUp4(win.Seg)
	kp := win.Segs * sp
	for r0 := 0; r0 < m; r0 += win.Run {
		run := min(win.Run, m-r0)
		q := r0 / win.Run
		base, cBase := q*win.RunStep, q*cRunStep
		for p := 0; p*8 < n; p++ {
			w := min(8, n-p*8)
			bp, qp := &packed[p*8*kp], &rq.panels[p*requantPanelLen]
			for i0 := 0; i0 < run; i0 += mr {
				tile(min(mr, run-i0), sp/4, win.Segs, &a[base+i0*win.Step], win.Step, win.SegStep,
					bp, qp, &c[cBase+i0*ldc+p*8], ldc, w)
			}
		}
	}
}
