//go:build !purego

package kernel

import "unsafe"

// sgemmShapes are the NEON microkernel geometries: one 8×8 tile, 16
// accumulators of the 32 vector registers.
var sgemmShapes = [...]sgemmShape{{w: 8, mr: 8}}

func sgemm(transA, transB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int, accumulate bool, scratch []float32) {
	if useNEON {
		sgemmBlocked(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, scratch, nil)
		return
	}
	sgemmGeneric(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate)
}

// sgemmTile runs a microkernel on an mr×w tile (w is always 8 here) over
// segs segments of k steps, then the epilogue epi: the one-row kernel for a
// single row (batch-1 dense layers), where the 8-row one would compute 8
// rows to keep 1. The one-row kernel walks one segment, so a one-row tile of
// several runs once per segment, the later ones adding to it, and its
// epilogue (only ever with load false) is a pass over the stored row.
func sgemmTile(w, mr, k, segs int, a *float32, rsa, csa, segStep int, b *float32, rsb int, c *float32, ldc, nr int, load bool, epi int) {
	if !useNEON {
		sgemmTileGo(mr, k, segs, a, rsa, csa, segStep, b, rsb, c, ldc, nr, load, epi)
		return
	}
	if mr > 1 {
		sgemm8x8NEON(k, segs, a, rsa, csa, segStep, b, rsb, c, ldc, mr, nr, load, epi)
		return
	}
	for s := range segs {
		sgemm1x8NEON(k, a, csa, b, rsb, c, nr, load)
		if s < segs-1 {
			a = (*float32)(unsafe.Add(unsafe.Pointer(a), 4*segStep))
		}
		b = (*float32)(unsafe.Add(unsafe.Pointer(b), 4*k*rsb))
		load = true
	}
	if epi != 0 {
		var bias []float32
		if epi&epiBias != 0 {
			bias = unsafe.Slice(b, nr)
		}
		tileEpilogue(1, bias, unsafe.Slice(c, nr), ldc, nr, epi)
	}
}

// sgemm8x8NEON computes one mr×nr tile of C = A·B (1 ≤ mr ≤ 8,
// 1 ≤ nr ≤ 8, k ≥ 0, segs ≥ 1), where row i of A is segs segments of k
// elements, element p of segment s at a[i*rsa+s*segStep+p*csa]:
//
//	for i := 0; i < mr; i++ {
//		for j := 0; j < nr; j++ {
//			var sum float32
//			for s := 0; s < segs; s++ {
//				for p := 0; p < k; p++ {
//					sum += a[i*rsa+s*segStep+p*csa] * b[(s*k+p)*rsb+j] // fused multiply-add
//				}
//			}
//			if epi&1 != 0 {
//				sum += b[segs*k*rsb+j]
//			}
//			if epi&2 != 0 {
//				sum = max(sum, 0)
//			}
//			if load {
//				sum = c[i*ldc+j] + sum
//			}
//			c[i*ldc+j] = sum
//		}
//	}
//
// Callers set epi only with load false. All strides are in elements. It
// reads all 8 columns of every row of b, so b must hold them even when nr is
// smaller (a zero-padded packed panel).
// Reference: sgemm_blocked.go (sgemmTileGo).
// Requires: ASIMD (NEON), part of the arm64 baseline.
//
//go:noescape
func sgemm8x8NEON(k, segs int, a *float32, rsa, csa, segStep int, b *float32, rsb int, c *float32, ldc, mr, nr int, load bool, epi int)

// sgemm1x8NEON computes one 1×nr row of C = A·B (1 ≤ nr ≤ 8, k ≥ 0), with k
// unrolled over four independent accumulator sets that are summed at the end
// (vector FADD, written as WORD):
//
//	for j := 0; j < nr; j++ {
//		var s float32
//		if load {
//			s = c[j]
//		}
//		for p := 0; p < k; p++ {
//			s += a[p*csa] * b[p*rsb+j] // fused multiply-add
//		}
//		c[j] = s
//	}
//
// Strides are in elements. It reads all 8 columns of every row of b.
// Reference: sgemm_generic.go (sgemmGeneric).
// Requires: ASIMD (NEON), part of the arm64 baseline.
//
//go:noescape
func sgemm1x8NEON(k int, a *float32, csa int, b *float32, rsb int, c *float32, nr int, load bool)
