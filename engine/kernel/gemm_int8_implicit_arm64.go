//go:build !purego

package kernel

// gemmInt8Windows takes the SDOT kernel where the CPU has it (useInt8Dot),
// else the SMULL one. SDOT and SMULL read int8, so the scratch is unused.
func gemmInt8Windows(m, n int, a []int8, win Windows, packed []int8, rq *RequantInt8, c []int8, ldc, cRunStep int, _ []int16) {
	switch {
	case useInt8Dot:
		gemmInt8WindowsTiles(m, n, a, win, packed, rq, c, ldc, cRunStep, 4, int8TileDotNEON)
	case useInt8NEON:
		gemmInt8WindowsTiles(m, n, a, win, packed, rq, c, ldc, cRunStep, 4, int8TileNEON)
	default:
		gemmInt8WindowsGeneric(m, n, a, win, packed, rq, c, ldc, cRunStep)
	}
}

// int8Tile is a GemmInt8Windows microkernel: rows (1 to its maximum) rows
// of a tile of 8 columns, each row segs segments of kg groups of 4 bytes of
// A (rows lda bytes apart from a, segments segStep apart), times the packed
// panel b, requantised by the panel block q (RequantInt8.panels), the first
// w (1 to 8) columns stored as int8 at c, rows ldc bytes apart.
type int8Tile func(rows, kg, segs int, a *int8, lda, segStep int, b *int8, q *int32, c *int8, ldc, w int)

// gemmInt8WindowsTiles is the NEON GemmInt8Windows driver, the counterpart
// of sgemmWindows: within each run, panel by panel (its weights stay in L1
// while the run's rows pass), the rows in tiles of mr and one shorter tile.
func gemmInt8WindowsTiles(m, n int, a []int8, win Windows, packed []int8, rq *RequantInt8, c []int8, ldc, cRunStep, mr int, tile int8Tile) {
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

// int8TileNEON and int8TileDotNEON run the kernel of a row count (int8Tile):
// the 1-row one for one row, else the 4-row one.
func int8TileNEON(rows, kg, segs int, a *int8, lda, segStep int, b *int8, q *int32, c *int8, ldc, w int) {
	if rows == 1 {
		gemmInt8Req1x8NEON(rows, kg, segs, a, lda, segStep, b, q, c, ldc, w)
		return
	}
	gemmInt8Req4x8NEON(rows, kg, segs, a, lda, segStep, b, q, c, ldc, w)
}

func int8TileDotNEON(rows, kg, segs int, a *int8, lda, segStep int, b *int8, q *int32, c *int8, ldc, w int) {
	if rows == 1 {
		gemmInt8Req1x8DotNEON(rows, kg, segs, a, lda, segStep, b, q, c, ldc, w)
		return
	}
	gemmInt8Req4x8DotNEON(rows, kg, segs, a, lda, segStep, b, q, c, ldc, w)
}

// gemmInt8Req4x8NEON computes rows (1 to 4) rows of an 8-column int8 tile
// of GemmInt8Windows with SMULL/SMULL2/SADALP, requantised in the epilogue,
// and stores the first w (1 to 8) columns of each (an int8Tile; Reference:
// gemm_int8_implicit.go, gemmInt8WindowsGeneric). Requires ASIMD.
//
//	for i := 0; i < rows; i++ {
//		for j := 0; j < w; j++ {
//			var acc int32
//			for s := 0; s < segs; s++ {
//				for p := 0; p < 4*kg; p++ {
//					acc += int32(a[i*lda+s*segStep+p]) * int32(b[(s*kg+p/4)*32+4*j+p%4])
//				}
//			}
//			c[i*ldc+j] = requantValue(acc, q[rqBias+j], q[rqMult+j], q[rqShift+j],
//				q[rqMask+j], q[rqHalf+j], q[rqZero], q[rqLo], q[rqHi])
//		}
//	}
//
//go:noescape
func gemmInt8Req4x8NEON(rows, kg, segs int, a *int8, lda, segStep int, b *int8, q *int32, c *int8, ldc, w int)

// gemmInt8Req4x8DotNEON is gemmInt8Req4x8NEON with SDOT (Reference:
// gemm_int8_implicit.go). Requires ASIMD and ASIMDDP.
//
//go:noescape
func gemmInt8Req4x8DotNEON(rows, kg, segs int, a *int8, lda, segStep int, b *int8, q *int32, c *int8, ldc, w int)

// gemmInt8Req1x8NEON is gemmInt8Req4x8NEON for rows = 1 (Reference:
// gemm_int8_implicit.go). Requires ASIMD.
//
//go:noescape
func gemmInt8Req1x8NEON(rows, kg, segs int, a *int8, lda, segStep int, b *int8, q *int32, c *int8, ldc, w int)

// gemmInt8Req1x8DotNEON is gemmInt8Req4x8DotNEON for rows = 1 (Reference:
// gemm_int8_implicit.go). Requires ASIMD and ASIMDDP.
//
//go:noescape
func gemmInt8Req1x8DotNEON(rows, kg, segs int, a *int8, lda, segStep int, b *int8, q *int32, c *int8, ldc, w int)
