package kernel

import "unsafe"

// sgemmBlocked is the driver of the SIMD paths of Sgemm, and of SgemmPacked
// on every build (with Go tiles where there is no SIMD). It cuts the product
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
// tiles, N=12 on 12-wide ones (amd64) and N=24, 200 and 1176 mostly on
// 24-wide ones.
//
// When packed is not nil it holds all of op(B) in PackB's layout, and b,
// ldb, transB and scratch are not used.
func sgemmBlocked(transA, transB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int, accumulate bool, scratch, packed []float32) {
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
	poff := 0 // start of the current block in packed
	kcMax := sgemmKC
	if packed == nil && m <= sgemmFewRows && n > wide.w {
		kcMax = sgemmKCFewRows
	}
	for jc := 0; jc < n; jc += sgemmNC {
		nc := min(sgemmNC, n-jc)
		nWide, rem, tail := sgemmSplit(nc)
		for pc := 0; pc < k; pc += kcMax {
			kc := min(kcMax, k-pc)
			load := accumulate || pc > 0

			// Where each panel of this block comes from: packed, read in
			// place, or packed now into scratch.
			var wideB []float32 // the nWide panels, each kc×wide.w, when not read in place
			var tailB []float32 // the tail panel (rsb = tail.w), when not read in place
			tailDirect := false
			switch {
			case packed != nil:
				wideB = packed[poff : poff+nWide*kc*wide.w]
				poff += nWide * kc * wide.w
				if rem > 0 {
					tailB = packed[poff : poff+kc*tail.w]
					poff += kc * tail.w
				}
			case transB:
				off := 0
				for q := 0; q < nWide; q++ {
					packBT(scratch[off:off+kc*wide.w], b, ldb, jc+q*wide.w, pc, kc, wide.w, wide.w)
					off += kc * wide.w
				}
				wideB = scratch[:off]
				if rem > 0 {
					tailB = scratch[off : off+kc*tail.w]
					packBT(tailB, b, ldb, jc+nWide*wide.w, pc, kc, tail.w, rem)
				}
			default:
				tailDirect = rem == tail.w || tail.maskB
				if rem > 0 && !tailDirect {
					tailB = scratch[:kc*tail.w]
					packB(tailB, b, ldb, jc+nWide*wide.w, pc, kc, tail.w, rem)
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
						if wideB != nil {
							bp = &wideB[q*kc*wide.w]
						} else {
							bp = &b[pc*ldb+j0]
							rsb = ldb
						}
						sgemmTile(wide.w, mr, kc, 1, ap, rsa, csa, 0, bp, rsb, &c[i0*ldc+j0], ldc, wide.w, load, 0)
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
					bp = &tailB[0]
				}
				for i0 := 0; i0 < m; i0 += tail.mr {
					mr := min(tail.mr, m-i0)
					ap, cp := &a[i0*rsa+pc*csa], &c[i0*ldc+j0]
					if !sgemmTileAdjacent(tail.w, mr, kc, ap, rsa, csa, bp, rsb, cp, ldc, rem, load) {
						sgemmTile(tail.w, mr, kc, 1, ap, rsa, csa, 0, bp, rsb, cp, ldc, rem, load, 0)
					}
				}
			}
		}
	}
}

// sgemmSplit splits a block of nc columns into nWide panels of the widest
// microkernel and a tail of rem columns (0 ≤ rem < widest) that runs on the
// narrowest microkernel at least rem wide (an exact one only if it is
// exactly rem wide).
func sgemmSplit(nc int) (nWide, rem int, tail sgemmShape) {
	wide := sgemmShapes[0]
	nWide = nc / wide.w
	rem = nc - nWide*wide.w
	if rem > 0 {
		for i := len(sgemmShapes) - 1; i >= 0; i-- {
			if sh := sgemmShapes[i]; sh.w > rem && !sh.exact || sh.w == rem {
				tail = sgemmShapes[i]
				break
			}
		}
	}
	return nWide, rem, tail
}

// panels returns how many panels a block split by sgemmSplit has: nWide,
// and the tail if rem > 0.
func panels(nWide, rem int) int {
	if rem > 0 {
		return nWide + 1
	}
	return nWide
}

// panelWidth returns the width of panel q of a block split by sgemmSplit,
// and how many of its columns are the block's.
func panelWidth(q, nWide, rem int, tail sgemmShape) (w, nr int) {
	if q == nWide {
		return tail.w, rem
	}
	return sgemmShapes[0].w, sgemmShapes[0].w
}

// packBLayout packs op(B) (k×n) into dst in the order sgemmBlocked reads a
// packed B: blocks of sgemmNC columns, each cut into slices of sgemmKC rows,
// each slice a run of kc×w panels (see sgemmSplit), zero-padded to w
// columns. It packs only the share part of parts of the panels, counted in
// that order: the calls for every part in 0..parts-1 pack all of it.
func packBLayout(transB bool, k, n int, b []float32, ldb int, dst []float32, part, parts int) {
	total := 0
	for jc := 0; jc < n; jc += sgemmNC {
		nWide, rem, _ := sgemmSplit(min(sgemmNC, n-jc))
		total += panels(nWide, rem) * ((k + sgemmKC - 1) / sgemmKC)
	}
	lo, hi := part*total/parts, (part+1)*total/parts
	wide := sgemmShapes[0]
	off, t := 0, 0
	for jc := 0; jc < n && t < hi; jc += sgemmNC {
		nc := min(sgemmNC, n-jc)
		nWide, rem, tail := sgemmSplit(nc)
		for pc := 0; pc < k && t < hi; pc += sgemmKC {
			kc := min(sgemmKC, k-pc)
			for q := range panels(nWide, rem) {
				w, nr := panelWidth(q, nWide, rem, tail)
				if t >= lo && t < hi {
					panel := dst[off : off+kc*w]
					if transB {
						packBT(panel, b, ldb, jc+q*wide.w, pc, kc, w, nr)
					} else {
						packB(panel, b, ldb, jc+q*wide.w, pc, kc, w, nr)
					}
				}
				off += kc * w
				t++
			}
		}
	}
}

// sgemmTileGo is the microkernel contract in plain Go, for the packed path
// when the SIMD kernels are unavailable or switched off:
//
//	c[i*ldc+j] (+)= Σ_s Σ_p a[i*rsa+s*segStep+p*csa] · b[(s*k+p)*rsb+j]
//
// for i < mr, j < nr, s < segs (≥ 1) and p < k, followed by the epilogue
// epi (with load false; see tileEpilogue). It reads only the nr valid
// columns of b.
func sgemmTileGo(mr, k, segs int, a *float32, rsa, csa, segStep int, b *float32, rsb int, c *float32, ldc, nr int, load bool, epi int) {
	steps := segs * k
	as := unsafe.Slice(a, (mr-1)*rsa+(segs-1)*segStep+max(k-1, 0)*csa+1)
	bRows := max(steps-1, 0)
	if epi&epiBias != 0 {
		bRows = steps
	}
	bs := unsafe.Slice(b, bRows*rsb+nr)
	cs := unsafe.Slice(c, (mr-1)*ldc+nr)
	for i := 0; i < mr; i++ {
		crow := cs[i*ldc : i*ldc+nr]
		if !load {
			clear(crow)
		}
		for s := 0; s < segs; s++ {
			for p := 0; p < k; p++ {
				av := as[i*rsa+s*segStep+p*csa]
				brow := bs[(s*k+p)*rsb : (s*k+p)*rsb+nr]
				for j, bv := range brow {
					crow[j] += float32(av * bv)
				}
			}
		}
	}
	if epi != 0 {
		var bias []float32
		if epi&epiBias != 0 {
			bias = bs[steps*rsb:]
		}
		tileEpilogue(mr, bias, cs, ldc, nr, epi)
	}
}

// Bits of a microkernel's epilogue (its epi argument), applied to a tile of
// A·B before it is stored.
const (
	epiBias = 1 << iota // add the row of B after the last step: the bias
	epiReLU             // then clamp at zero
)

// tileEpilogue applies epi to an mr×nr tile of C already holding A·B, with
// bias the row of B after the last step (nil without epiBias).
func tileEpilogue(mr int, bias, c []float32, ldc, nr, epi int) {
	for i := 0; i < mr; i++ {
		crow := c[i*ldc : i*ldc+nr]
		if epi&epiBias != 0 {
			for j, v := range bias[:nr] {
				crow[j] += v
			}
		}
		if epi&epiReLU != 0 {
			for j, v := range crow {
				crow[j] = max(v, 0)
			}
		}
	}
}

// sgemmShape is a microkernel geometry: w columns of C (a multiple of the
// vector width) and up to mr rows. maskB marks kernels that read only the nr
// valid columns of a narrower B panel, so that it need not be packed.
// exact marks kernels that only compute exactly w columns (nr == w).
type sgemmShape struct {
	w, mr int
	maskB bool
	exact bool
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
// dst[p*w+j] = b[(j0+j)*ldb+pc+p] for j < nr, and 0 for nr ≤ j < w. It
// reads four rows of B at a time and writes four adjacent values of each
// row of dst, which halved the time of a column at a time (seed99's dense
// weights, 1176×200: ~250 → ~120 µs).
func packBT(dst, b []float32, ldb, j0, pc, kc, w, nr int) {
	dst = dst[:kc*w]
	j := 0
	for ; j+4 <= nr; j += 4 {
		s0 := b[(j0+j)*ldb+pc:][:kc]
		s1 := b[(j0+j+1)*ldb+pc:][:kc]
		s2 := b[(j0+j+2)*ldb+pc:][:kc]
		s3 := b[(j0+j+3)*ldb+pc:][:kc]
		for p := range s0 {
			d := (*[4]float32)(dst[p*w+j:])
			d[0], d[1], d[2], d[3] = s0[p], s1[p], s2[p], s3[p]
		}
	}
	for ; j < nr; j++ {
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

// With at most sgemmFewRows rows of C and several panels (batch-1 dense
// layers) nothing reuses a tile of A and B, read in place panel after panel,
// is the whole cost: shorter slices of k keep the rows of B that all panels
// of a slice touch closer in cache, so that a line shared by two panels is
// fetched once (seed99 dense1 batch 1: 15.2 µs with 256 steps, 12.6 µs with
// 128). A packed B keeps sgemmKC, the slice its layout was made with.
const (
	sgemmFewRows   = 4
	sgemmKCFewRows = 128
)
