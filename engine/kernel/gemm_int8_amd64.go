//go:build !purego

package kernel

func gemmInt8(m, n, k int, a []int8, lda int, b []int8, c []int32, ldc int) {
	if useInt8AVX2 {
		gemmInt8AVX2(m, n, k, a, lda, b, c, ldc)
		return
	}
	gemmInt8Generic(m, n, k, a, lda, b, c, ldc)
}

// gemmInt8AVX2 drives the 4×8, 4×4 and 1×8 AVX2 microkernels over C: for
// every panel of 8 columns, rows in fours, then one at a time. The last
// panel, when n is not a multiple of 8, takes the 4×4 kernel if it has at
// most 4 columns, and goes through a stack buffer unless it has exactly 4.
func gemmInt8AVX2(m, n, k int, a []int8, lda int, b []int8, c []int32, ldc int) {
	kp := roundUp4(k) // > 0: GemmInt8 answers k = 0 itself
	var tmp [4 * 8]int32
	for p := 0; p*8 < n; p++ {
		bp := &b[p*8*kp]
		w := min(8, n-p*8)
		i := 0
		for ; i+4 <= m; i += 4 {
			if w == 8 {
				gemmInt8x4x8AVX2(kp/4, &a[i*lda], lda, bp, &c[i*ldc+p*8], ldc*4)
				continue
			}
			if w == 4 {
				gemmInt8x4x4AVX2(kp/4, &a[i*lda], lda, bp, &c[i*ldc+p*8], ldc*4)
				continue
			}
			if w < 4 {
				gemmInt8x4x4AVX2(kp/4, &a[i*lda], lda, bp, &tmp[0], 32)
			} else {
				gemmInt8x4x8AVX2(kp/4, &a[i*lda], lda, bp, &tmp[0], 32)
			}
			for r := range 4 {
				copy(c[(i+r)*ldc+p*8:(i+r)*ldc+p*8+w], tmp[r*8:])
			}
		}
		for ; i < m; i++ {
			if w == 8 {
				gemmInt8x1x8AVX2(kp/4, &a[i*lda], bp, &c[i*ldc+p*8])
				continue
			}
			gemmInt8x1x8AVX2(kp/4, &a[i*lda], bp, &tmp[0])
			copy(c[i*ldc+p*8:i*ldc+p*8+w], tmp[:])
		}
	}
}

// gemmInt8x4x8AVX2 computes a 4×8 tile of GemmInt8 from kg groups of 4 k
// (Reference: gemm_int8_generic.go). Requires AVX2.
//
//	for r := range 4 {
//		for j := range 8 {
//			var s int32
//			for g := range kg {
//				for q := range 4 {
//					s += int32(a[r*lda+4*g+q]) * int32(b[32*g+4*j+q])
//				}
//			}
//			c[r*ldcBytes/4+j] = s
//		}
//	}
//
//go:noescape
func gemmInt8x4x8AVX2(kg int, a *int8, lda int, b *int8, c *int32, ldcBytes int)

// gemmInt8x4x4AVX2 is gemmInt8x4x8AVX2 for the first 4 columns of a panel
// (Reference: gemm_int8_generic.go). Requires AVX2.
//
//	for r := range 4 {
//		for j := range 4 {
//			var s int32
//			for g := range kg {
//				for q := range 4 {
//					s += int32(a[r*lda+4*g+q]) * int32(b[32*g+4*j+q])
//				}
//			}
//			c[r*ldcBytes/4+j] = s
//		}
//	}
//
//go:noescape
func gemmInt8x4x4AVX2(kg int, a *int8, lda int, b *int8, c *int32, ldcBytes int)

// gemmInt8x1x8AVX2 is gemmInt8x4x8AVX2 for one row (Reference:
// gemm_int8_generic.go). Requires AVX2.
//
//	for j := range 8 {
//		var s int32
//		for g := range kg {
//			for q := range 4 {
//				s += int32(a[4*g+q]) * int32(b[32*g+4*j+q])
//			}
//		}
//		c[j] = s
//	}
//
//go:noescape
func gemmInt8x1x8AVX2(kg int, a *int8, b *int8, c *int32)
