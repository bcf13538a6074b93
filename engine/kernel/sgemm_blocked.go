//go:build (amd64 || arm64) && !purego

package kernel

// sgemmBlocked is the driver shared by the SIMD paths. It cuts the product
// into blocks of sgemmNC columns and sgemmKC steps of k, and each block into
// tiles of mr rows by w columns that one microkernel call computes
// (sgemmTile, per architecture; sgemmShapes lists its widths, widest first).
//
// A is never copied: the microkernels read op(A) in place through a row
// stride rsa and a column stride csa, which is how one kernel serves both A
// (rsa=lda, csa=1) and Aᵀ (rsa=1, csa=lda). B is read in place too when it is
// not transposed and a panel is full width, or narrower but its kernel masks
// the columns past nr (maskB); otherwise (Bᵀ, or a narrow panel of a kernel
// without masking) its kc×w panel is packed into scratch, row-major and
// padded with zeros up to w columns.
//
// A block's columns split into full panels of the widest width and one tail
// panel of the narrowest width that holds the rest, so N=6 runs on 8-wide
// tiles, N=12 on 16-wide ones and N=24, 200 and 1176 mostly on 24-wide ones.
func sgemmBlocked(transA, transB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int, accumulate bool, scratch []float32) {
	if m == 0 || n == 0 {
		return
	}
	if k == 0 {
		if !accumulate {
			for i := 0; i < m; i++ {
				clear(c[i*ldc : i*ldc+n])
			}
		}
		return
	}
	rsa, csa := lda, 1
	if transA {
		rsa, csa = 1, lda
	}
	wide := sgemmShapes[0]
	for jc := 0; jc < n; jc += sgemmNC {
		nc := min(sgemmNC, n-jc)
		nWide := nc / wide.w
		rem := nc - nWide*wide.w
		var tail sgemmShape
		if rem > 0 {
			for i := len(sgemmShapes) - 1; i >= 0; i-- {
				if sgemmShapes[i].w >= rem {
					tail = sgemmShapes[i]
					break
				}
			}
		}
		for pc := 0; pc < k; pc += sgemmKC {
			kc := min(sgemmKC, k-pc)
			load := accumulate || pc > 0

			// Pack what cannot be read in place.
			off := 0
			if transB {
				for q := 0; q < nWide; q++ {
					packBT(scratch[off:off+kc*wide.w], b, ldb, jc+q*wide.w, pc, kc, wide.w, wide.w)
					off += kc * wide.w
				}
			}
			tailOff := off
			tailDirect := !transB && (rem == tail.w || tail.maskB)
			if rem > 0 && !tailDirect {
				j0 := jc + nWide*wide.w
				if transB {
					packBT(scratch[off:off+kc*tail.w], b, ldb, j0, pc, kc, tail.w, rem)
				} else {
					packB(scratch[off:off+kc*tail.w], b, ldb, j0, pc, kc, tail.w, rem)
				}
			}

			if nWide > 0 {
				for i0 := 0; i0 < m; i0 += wide.mr {
					mr := min(wide.mr, m-i0)
					ap := &a[i0*rsa+pc*csa]
					for q := 0; q < nWide; q++ {
						j0 := jc + q*wide.w
						var bp *float32
						rsb := wide.w
						if transB {
							bp = &scratch[q*kc*wide.w]
						} else {
							bp = &b[pc*ldb+j0]
							rsb = ldb
						}
						sgemmTile(wide.w, mr, kc, ap, rsa, csa, bp, rsb, &c[i0*ldc+j0], ldc, wide.w, load)
					}
				}
			}
			if rem > 0 {
				j0 := jc + nWide*wide.w
				var bp *float32
				rsb := tail.w
				if tailDirect {
					bp = &b[pc*ldb+j0]
					rsb = ldb
				} else {
					bp = &scratch[tailOff]
				}
				for i0 := 0; i0 < m; i0 += tail.mr {
					mr := min(tail.mr, m-i0)
					sgemmTile(tail.w, mr, kc, &a[i0*rsa+pc*csa], rsa, csa, bp, rsb, &c[i0*ldc+j0], ldc, rem, load)
				}
			}
		}
	}
}

// sgemmShape is a microkernel geometry: w columns of C (a multiple of the
// vector width) and up to mr rows. maskB marks kernels that read only the nr
// valid columns of a narrower B panel, so that it need not be packed.
type sgemmShape struct {
	w, mr int
	maskB bool
}

// packB copies rows pc..pc+kc and columns j0..j0+nr of B (k×n, row stride
// ldb) into dst as a kc×w row-major panel, zero-filling columns nr..w.
func packB(dst, b []float32, ldb, j0, pc, kc, w, nr int) {
	for p := 0; p < kc; p++ {
		row := dst[p*w : p*w+w]
		copy(row, b[(pc+p)*ldb+j0:(pc+p)*ldb+j0+nr])
		clear(row[nr:])
	}
}

// packBT is packB for a transposed B, stored n×k with row stride ldb:
// dst[p*w+j] = b[(j0+j)*ldb+pc+p] for j < nr, and 0 for nr ≤ j < w.
func packBT(dst, b []float32, ldb, j0, pc, kc, w, nr int) {
	dst = dst[:kc*w]
	for j := 0; j < nr; j++ {
		src := b[(j0+j)*ldb+pc : (j0+j)*ldb+pc+kc]
		for p, v := range src {
			dst[p*w+j] = v
		}
	}
	if nr < w {
		for p := 0; p < kc; p++ {
			clear(dst[p*w+nr : p*w+w])
		}
	}
}
