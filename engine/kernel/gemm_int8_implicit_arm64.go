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
