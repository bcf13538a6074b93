//go:build !purego

package kernel

// gemmInt8 takes the SDOT kernels where the CPU has them (useInt8Dot),
// else the SMULL ones.
func gemmInt8(m, n, k int, a []int8, lda int, b []int8, c []int32, ldc int) {
	switch {
	case useInt8Dot:
		gemmInt8NEON(m, n, k, a, lda, b, c, ldc, true)
	case useInt8NEON:
		gemmInt8NEON(m, n, k, a, lda, b, c, ldc, false)
	default:
		gemmInt8Generic(m, n, k, a, lda, b, c, ldc)
	}
}

// gemmInt8NEON drives the 4×8 and 1×8 NEON microkernels over C, the SDOT
// ones when dot is set: for every panel of 8 columns, rows in fours, then
// one at a time. A panel narrower than 8 columns goes through a stack
// buffer.
func gemmInt8NEON(m, n, k int, a []int8, lda int, b []int8, c []int32, ldc int, dot bool) {
	kp := roundUp4(k) // > 0: GemmInt8 answers k = 0 itself
	var tmp [4 * 8]int32
	for p := 0; p*8 < n; p++ {
		bp := &b[p*8*kp]
		w := min(8, n-p*8)
		i := 0
		for ; i+4 <= m; i += 4 {
			dst, ld := &c[i*ldc+p*8], ldc*4
			if w < 8 {
				dst, ld = &tmp[0], 32
			}
			if dot {
				gemmInt8x4x8DotNEON(kp/4, &a[i*lda], lda, bp, dst, ld)
			} else {
				gemmInt8x4x8NEON(kp/4, &a[i*lda], lda, bp, dst, ld)
			}
			if w < 8 {
				for r := range 4 {
					copy(c[(i+r)*ldc+p*8:(i+r)*ldc+p*8+w], tmp[r*8:])
				}
			}
		}
		for ; i < m; i++ {
			dst := &c[i*ldc+p*8]
			if w < 8 {
				dst = &tmp[0]
			}
			if dot {
				gemmInt8x1x8DotNEON(kp/4, &a[i*lda], bp, dst)
			} else {
				gemmInt8x1x8NEON(kp/4, &a[i*lda], bp, dst)
			}
			if w < 8 {
				copy(c[i*ldc+p*8:i*ldc+p*8+w], tmp[:])
			}
		}
	}
}

// gemmInt8x4x8NEON computes a 4×8 tile of GemmInt8 from kg groups of 4 k
// with SMULL/SMULL2/SADALP (Reference: gemm_int8_generic.go). Requires ASIMD.
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
func gemmInt8x4x8NEON(kg int, a *int8, lda int, b *int8, c *int32, ldcBytes int)

// gemmInt8x1x8NEON is gemmInt8x4x8NEON for one row (Reference:
// gemm_int8_generic.go). Requires ASIMD.
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
func gemmInt8x1x8NEON(kg int, a *int8, b *int8, c *int32)

// gemmInt8x4x8DotNEON is gemmInt8x4x8NEON with SDOT (Reference:
// gemm_int8_generic.go). Requires ASIMD and ASIMDDP.
//
//go:noescape
func gemmInt8x4x8DotNEON(kg int, a *int8, lda int, b *int8, c *int32, ldcBytes int)

// gemmInt8x1x8DotNEON is gemmInt8x1x8NEON with SDOT (Reference:
// gemm_int8_generic.go). Requires ASIMD and ASIMDDP.
//
//go:noescape
func gemmInt8x1x8DotNEON(kg int, a *int8, b *int8, c *int32)
