//go:build !purego

package kernel

func gemmInt8(m, n, k int, a []int8, lda int, b []int8, c []int32, ldc int) {
	if useInt8AVX2 {
		gemmInt8AVX2(m, n, k, a, lda, b, c, ldc)
		return
	}
	gemmInt8Generic(m, n, k, a, lda, b, c, ldc)
}

// gemmInt8AVX2 drives the generated AVX2 int32 microkernels (the
// GemmInt8Windows ones' loop over one segment, int8Int32TileAVX2) over C:
// for every panel of 8 columns, rows in tiles of up to int8TileRowsAVX2.
// The last panel, when n is not a multiple of 8, takes the 4-column kernels
// if it has at most 4 columns, and goes through a stack buffer unless it has
// exactly 4.
func gemmInt8AVX2(m, n, k int, a []int8, lda int, b []int8, c []int32, ldc int) {
	kp := roundUp4(k) // > 0: GemmInt8 answers k = 0 itself
	var tmp [int8TileRowsAVX2 * 8]int32
	for p := 0; p*8 < n; p++ {
		bp := &b[p*8*kp]
		w := min(8, n-p*8)
		for i := 0; i < m; i += int8TileRowsAVX2 {
			rows := min(int8TileRowsAVX2, m-i)
			if w == 8 || w == 4 {
				int8Int32TileAVX2(rows, w == 4, kp/4, 1, &a[i*lda], lda, kp, bp, &c[i*ldc+p*8], ldc*4)
				continue
			}
			int8Int32TmpAVX2(rows, w < 4, kp/4, a[i*lda:], lda, kp, bp, &tmp)
			for r := range rows {
				copy(c[(i+r)*ldc+p*8:(i+r)*ldc+p*8+w], tmp[r*8:])
			}
		}
	}
}

// int8Int32TmpAVX2 is int8Int32TileAVX2 from a into tmp, a stack buffer
// of 8 int32s a row. Its calls are direct, a full tile by the tallest
// kernel and a shorter one row at a time: a call through the kernel tables
// would move tmp to the heap, one allocation a GemmInt8.
func int8Int32TmpAVX2(rows int, narrow bool, kg int, a []int8, lda, segStep int, b *int8, tmp *[int8TileRowsAVX2 * 8]int32) {
	if rows == int8TileRowsAVX2 {
		if narrow {
			gemmInt8Acc6x4AVX2(kg, 1, &a[0], lda, segStep, b, &tmp[0], 32)
		} else {
			gemmInt8Acc6x8AVX2(kg, 1, &a[0], lda, segStep, b, &tmp[0], 32)
		}
		return
	}
	for r := range rows {
		if narrow {
			gemmInt8Acc1x4AVX2(kg, 1, &a[r*lda], lda, segStep, b, &tmp[r*8], 32)
		} else {
			gemmInt8Acc1x8AVX2(kg, 1, &a[r*lda], lda, segStep, b, &tmp[r*8], 32)
		}
	}
}
