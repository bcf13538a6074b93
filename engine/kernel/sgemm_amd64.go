//go:build !purego

package kernel

// The AVX2 assembly is generated with avo by engine/_asm/sgemm, a module of
// its own.
//go:generate go -C ../_asm/sgemm generate

// sgemmShapes are the AVX2 microkernel geometries, widest first: every
// width/8·mr accumulators plus width/8 B vectors and one broadcast register
// fit the 16 YMM registers; the 16- and 8-wide ones also fit a load mask.
// The 12-, 6- and 4-wide kernels (where rows share registers, so that no
// lane is idle) only do exactly 12, 6 and 4 columns.
var sgemmShapes = [...]sgemmShape{
	{w: 24, mr: 4},
	{w: 16, mr: 6, maskB: true},
	{w: 12, mr: 6, exact: true},
	{w: 8, mr: 12, maskB: true},
	{w: 6, mr: 12, exact: true},
	{w: 4, mr: 16, exact: true},
}

func sgemm(transA, transB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int, accumulate bool, scratch []float32) {
	if useAVX2 {
		sgemmBlocked(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, scratch, nil)
		return
	}
	sgemmGeneric(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate)
}

// sgemmTile runs the mr×w microkernel (see sgemm_stubs_amd64.go) on segs
// segments of k steps, then the epilogue epi (segs = 1 and epi = 0 outside
// SgemmPackedWindows).
func sgemmTile(w, mr, k, segs int, a *float32, rsa, csa, segStep int, b *float32, rsb int, c *float32, ldc, nr int, load bool, epi int) {
	if !useAVX2 {
		sgemmTileGo(mr, k, segs, a, rsa, csa, segStep, b, rsb, c, ldc, nr, load, epi)
		return
	}
	switch w {
	case 24:
		switch mr {
		case 4:
			sgemm4x24AVX2(k, segs, a, rsa, csa, segStep, b, rsb, c, ldc, nr, load, epi)
		case 3:
			sgemm3x24AVX2(k, segs, a, rsa, csa, segStep, b, rsb, c, ldc, nr, load, epi)
		case 2:
			sgemm2x24AVX2(k, segs, a, rsa, csa, segStep, b, rsb, c, ldc, nr, load, epi)
		default:
			sgemm1x24AVX2(k, segs, a, rsa, csa, segStep, b, rsb, c, ldc, nr, load, epi)
		}
	case 4:
		switch mr {
		case 16:
			sgemm16x4AVX2(k, segs, a, rsa, csa, segStep, b, rsb, c, ldc, nr, load, epi)
		case 15:
			sgemm15x4AVX2(k, segs, a, rsa, csa, segStep, b, rsb, c, ldc, nr, load, epi)
		case 14:
			sgemm14x4AVX2(k, segs, a, rsa, csa, segStep, b, rsb, c, ldc, nr, load, epi)
		case 13:
			sgemm13x4AVX2(k, segs, a, rsa, csa, segStep, b, rsb, c, ldc, nr, load, epi)
		case 12:
			sgemm12x4AVX2(k, segs, a, rsa, csa, segStep, b, rsb, c, ldc, nr, load, epi)
		case 11:
			sgemm11x4AVX2(k, segs, a, rsa, csa, segStep, b, rsb, c, ldc, nr, load, epi)
		case 10:
			sgemm10x4AVX2(k, segs, a, rsa, csa, segStep, b, rsb, c, ldc, nr, load, epi)
		case 9:
			sgemm9x4AVX2(k, segs, a, rsa, csa, segStep, b, rsb, c, ldc, nr, load, epi)
		case 8:
			sgemm8x4AVX2(k, segs, a, rsa, csa, segStep, b, rsb, c, ldc, nr, load, epi)
		case 7:
			sgemm7x4AVX2(k, segs, a, rsa, csa, segStep, b, rsb, c, ldc, nr, load, epi)
		case 6:
			sgemm6x4AVX2(k, segs, a, rsa, csa, segStep, b, rsb, c, ldc, nr, load, epi)
		case 5:
			sgemm5x4AVX2(k, segs, a, rsa, csa, segStep, b, rsb, c, ldc, nr, load, epi)
		case 4:
			sgemm4x4AVX2(k, segs, a, rsa, csa, segStep, b, rsb, c, ldc, nr, load, epi)
		case 3:
			sgemm3x4AVX2(k, segs, a, rsa, csa, segStep, b, rsb, c, ldc, nr, load, epi)
		case 2:
			sgemm2x4AVX2(k, segs, a, rsa, csa, segStep, b, rsb, c, ldc, nr, load, epi)
		default:
			sgemm1x4AVX2(k, segs, a, rsa, csa, segStep, b, rsb, c, ldc, nr, load, epi)
		}
	case 6:
		switch mr {
		case 12:
			sgemm12x6AVX2(k, segs, a, rsa, csa, segStep, b, rsb, c, ldc, nr, load, epi)
		case 11:
			sgemm11x6AVX2(k, segs, a, rsa, csa, segStep, b, rsb, c, ldc, nr, load, epi)
		case 10:
			sgemm10x6AVX2(k, segs, a, rsa, csa, segStep, b, rsb, c, ldc, nr, load, epi)
		case 9:
			sgemm9x6AVX2(k, segs, a, rsa, csa, segStep, b, rsb, c, ldc, nr, load, epi)
		case 8:
			sgemm8x6AVX2(k, segs, a, rsa, csa, segStep, b, rsb, c, ldc, nr, load, epi)
		case 7:
			sgemm7x6AVX2(k, segs, a, rsa, csa, segStep, b, rsb, c, ldc, nr, load, epi)
		case 6:
			sgemm6x6AVX2(k, segs, a, rsa, csa, segStep, b, rsb, c, ldc, nr, load, epi)
		case 5:
			sgemm5x6AVX2(k, segs, a, rsa, csa, segStep, b, rsb, c, ldc, nr, load, epi)
		case 4:
			sgemm4x6AVX2(k, segs, a, rsa, csa, segStep, b, rsb, c, ldc, nr, load, epi)
		case 3:
			sgemm3x6AVX2(k, segs, a, rsa, csa, segStep, b, rsb, c, ldc, nr, load, epi)
		case 2:
			sgemm2x6AVX2(k, segs, a, rsa, csa, segStep, b, rsb, c, ldc, nr, load, epi)
		default:
			sgemm1x6AVX2(k, segs, a, rsa, csa, segStep, b, rsb, c, ldc, nr, load, epi)
		}
	case 12:
		switch mr {
		case 6:
			sgemm6x12AVX2(k, segs, a, rsa, csa, segStep, b, rsb, c, ldc, nr, load, epi)
		case 5:
			sgemm5x12AVX2(k, segs, a, rsa, csa, segStep, b, rsb, c, ldc, nr, load, epi)
		case 4:
			sgemm4x12AVX2(k, segs, a, rsa, csa, segStep, b, rsb, c, ldc, nr, load, epi)
		case 3:
			sgemm3x12AVX2(k, segs, a, rsa, csa, segStep, b, rsb, c, ldc, nr, load, epi)
		case 2:
			sgemm2x12AVX2(k, segs, a, rsa, csa, segStep, b, rsb, c, ldc, nr, load, epi)
		default:
			sgemm1x12AVX2(k, segs, a, rsa, csa, segStep, b, rsb, c, ldc, nr, load, epi)
		}
	case 16:
		switch mr {
		case 6:
			sgemm6x16AVX2(k, segs, a, rsa, csa, segStep, b, rsb, c, ldc, nr, load, epi)
		case 5:
			sgemm5x16AVX2(k, segs, a, rsa, csa, segStep, b, rsb, c, ldc, nr, load, epi)
		case 4:
			sgemm4x16AVX2(k, segs, a, rsa, csa, segStep, b, rsb, c, ldc, nr, load, epi)
		case 3:
			sgemm3x16AVX2(k, segs, a, rsa, csa, segStep, b, rsb, c, ldc, nr, load, epi)
		case 2:
			sgemm2x16AVX2(k, segs, a, rsa, csa, segStep, b, rsb, c, ldc, nr, load, epi)
		default:
			sgemm1x16AVX2(k, segs, a, rsa, csa, segStep, b, rsb, c, ldc, nr, load, epi)
		}
	default:
		switch mr {
		case 12:
			sgemm12x8AVX2(k, segs, a, rsa, csa, segStep, b, rsb, c, ldc, nr, load, epi)
		case 11:
			sgemm11x8AVX2(k, segs, a, rsa, csa, segStep, b, rsb, c, ldc, nr, load, epi)
		case 10:
			sgemm10x8AVX2(k, segs, a, rsa, csa, segStep, b, rsb, c, ldc, nr, load, epi)
		case 9:
			sgemm9x8AVX2(k, segs, a, rsa, csa, segStep, b, rsb, c, ldc, nr, load, epi)
		case 8:
			sgemm8x8AVX2(k, segs, a, rsa, csa, segStep, b, rsb, c, ldc, nr, load, epi)
		case 7:
			sgemm7x8AVX2(k, segs, a, rsa, csa, segStep, b, rsb, c, ldc, nr, load, epi)
		case 6:
			sgemm6x8AVX2(k, segs, a, rsa, csa, segStep, b, rsb, c, ldc, nr, load, epi)
		case 5:
			sgemm5x8AVX2(k, segs, a, rsa, csa, segStep, b, rsb, c, ldc, nr, load, epi)
		case 4:
			sgemm4x8AVX2(k, segs, a, rsa, csa, segStep, b, rsb, c, ldc, nr, load, epi)
		case 3:
			sgemm3x8AVX2(k, segs, a, rsa, csa, segStep, b, rsb, c, ldc, nr, load, epi)
		case 2:
			sgemm2x8AVX2(k, segs, a, rsa, csa, segStep, b, rsb, c, ldc, nr, load, epi)
		default:
			sgemm1x8AVX2(k, segs, a, rsa, csa, segStep, b, rsb, c, ldc, nr, load, epi)
		}
	}
}
