package main

import (
	"fmt"

	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	. "github.com/mmcloughlin/avo/reg"
)

// sparseWidths are the widths of the one-row kernels that have a sparse
// twin (sparseKernel). Only the widest: a narrow tail panel (seed99's
// dense1 has one of 8 columns) costs less run dense than a second set of
// lists, and the twins of 16 and 8, tried, did not pay (seed99 dense1 at a
// quarter nonzero, medians of 5 alternating runs: 6.7 µs with them, 5.8 µs
// with the tail dense).
var sparseWidths = []int{24}

// setsOf returns how many accumulator sets the mr-row kernel of width w
// (a plain family, microkernel) splits k over: steps p < sets·⌊k/sets⌋ go to
// set p mod sets, the rest to set 0, and the sets are summed in order.
func setsOf(mr, w int) int { return max(1, min(8, 12/(mr*(w/8)))) }

// sparseName is the name of the sparse twin of the one-row kernel of width w.
func sparseName(w int) string { return fmt.Sprintf("sgemv1x%dSparseAVX2", w) }

// sparseKernel emits the sparse twin of the one-row kernel of width w: the
// same accumulator sets, FMAs, sum of the sets and store, but each set's
// steps come from a list (the nonzero elements of A's row, with the byte
// offsets of their rows of B) instead of every step of k. Step t of the
// kernel takes entry t·sets+u of xs and offs for set u.
func sparseKernel(w int) {
	nv, sets := w/8, setsOf(1, w)
	TEXT(sparseName(w), NOSPLIT, "func(steps int, xs *float32, offs *int64, b *float32, c *float32, nr int, load bool)")
	Pragma("noescape")
	Doc(sparseDoc(w, sets)...)
	steps := Load(Param("steps"), GP64())
	xs := Load(Param("xs"), GP64())
	offs := Load(Param("offs"), GP64())
	b := Load(Param("b"), GP64())
	acc := make([][]VecVirtual, sets)
	for u := range acc {
		acc[u] = make([]VecVirtual, nv)
		for v := range acc[u] {
			acc[u][v] = YMM()
			VXORPS(acc[u][v], acc[u][v], acc[u][v])
		}
	}
	TESTQ(steps, steps)
	JZ(LabelRef("reduce"))
	Label("loop")
	for u := 0; u < sets; u++ {
		off, t := GP64(), YMM()
		MOVQ(Mem{Base: offs, Disp: 8 * u}, off)
		VBROADCASTSS(Mem{Base: xs, Disp: 4 * u}, t)
		for v := 0; v < nv; v++ {
			VFMADD231PS(Mem{Base: b, Index: off, Scale: 1, Disp: 32 * v}, t, acc[u][v])
		}
	}
	ADDQ(U32(4*sets), xs)
	ADDQ(U32(8*sets), offs)
	DECQ(steps)
	JNZ(LabelRef("loop"))
	Label("reduce")
	for u := 1; u < sets; u++ {
		for v := 0; v < nv; v++ {
			VADDPS(acc[u][v], acc[0][v], acc[0][v])
		}
	}
	cp := Load(Param("c"), GP64())
	nr := Load(Param("nr"), GP64())
	ld := Load(Param("load"), GP8())
	CMPQ(nr, U8(w))
	JNE(LabelRef("partial"))
	TESTB(ld, ld)
	JNZ(LabelRef("fullload"))
	none := GP64() // ldc: unused by a one-row store
	fullStore(1, nv, acc[:1], cp, none, false)
	Label("fullload")
	fullStore(1, nv, acc[:1], cp, none, true)
	Label("partial")
	TESTB(ld, ld)
	JNZ(LabelRef("partialload"))
	partialStore(1, nv, acc[:1], cp, none, nr, false)
	Label("partialload")
	partialStore(1, nv, acc[:1], cp, none, nr, true)
}

// sparseDoc is the documentation of the sparse twin of the one-row kernel of
// width w, with its sets accumulator sets.
func sparseDoc(w, sets int) []string {
	return []string{
		fmt.Sprintf("%s is %s with the steps of k listed: set u of its", sparseName(w), kernelName(1, w)),
		fmt.Sprintf("%d accumulator sets runs the steps t·%d+u of xs (elements of A) and offs", sets, sets),
		"(the byte offsets from b of their rows of B), so that a caller that lists",
		"only the nonzero elements of A's row, each in the set that the dense",
		"kernel gives its step and in the same order, gets the same sums:",
		"",
		fmt.Sprintf("\tvar sum [%d][%d]float32", sets, w),
		"\tfor t := 0; t < steps; t++ {",
		fmt.Sprintf("\t\tfor u := 0; u < %d; u++ {", sets),
		fmt.Sprintf("\t\t\tx, row := xs[t*%d+u], offs[t*%d+u]/4", sets, sets),
		fmt.Sprintf("\t\t\tfor j := 0; j < %d; j++ {", w),
		"\t\t\t\tsum[u][j] += x * b[row+j] // fused multiply-add",
		"\t\t\t}",
		"\t\t}",
		"\t}",
		"\tfor j := 0; j < nr; j++ {",
		"\t\ts := sum[0][j]",
		fmt.Sprintf("\t\tfor u := 1; u < %d; u++ {", sets),
		"\t\t\ts += sum[u][j]",
		"\t\t}",
		"\t\tif load {",
		"\t\t\ts = c[j] + s",
		"\t\t}",
		"\t\tc[j] = s",
		"\t}",
		"",
		fmt.Sprintf("It reads all %d columns of every listed row of b (a zero-padded packed", w),
		fmt.Sprintf("panel), 1 ≤ nr ≤ %d and steps ≥ 0.", w),
		fmt.Sprintf("Tested against %s, whose bits it gives (sgemv_sparse_test.go).", kernelName(1, w)),
		"Requires: AVX, FMA (dispatched only when AVX2 and FMA are both present).",
	}
}

// nonzeroKernel emits sgemvNonzeroAVX2, which finds the nonzero elements of
// a row eight at a time for SgemvPackedSparse's lists: one compare and one
// VMOVMSKPS per eight, where a Go loop took about four cycles an element.
func nonzeroKernel() {
	TEXT("sgemvNonzeroAVX2", NOSPLIT, "func(blocks int, row *float32, mask *uint8)")
	Pragma("noescape")
	Doc(
		"sgemvNonzeroAVX2 sets bit j of mask[i] when row[8*i+j] is not zero (±0",
		"are zero, NaN is not), for i < blocks:",
		"",
		"\tfor i := 0; i < blocks; i++ {",
		"\t\tmask[i] = 0",
		"\t\tfor j := 0; j < 8; j++ {",
		"\t\t\tif row[8*i+j] != 0 {",
		"\t\t\t\tmask[i] |= 1 << j",
		"\t\t\t}",
		"\t\t}",
		"\t}",
		"",
		"Reference: sgemv_sparse.go (nonzeroMaskGo).",
		"Requires: AVX.",
	)
	n := Load(Param("blocks"), GP64())
	row := Load(Param("row"), GP64())
	mask := Load(Param("mask"), GP64())
	zero := YMM()
	VXORPS(zero, zero, zero)
	TESTQ(n, n)
	JZ(LabelRef("done"))
	Label("loop")
	v, bits := YMM(), GP32()
	VCMPPS(U8(4), Mem{Base: row}, zero, v) // NEQ_UQ: true for nonzero and NaN
	VMOVMSKPS(v, bits)
	MOVB(bits.As8(), Mem{Base: mask})
	ADDQ(U8(32), row)
	INCQ(mask)
	DECQ(n)
	JNZ(LabelRef("loop"))
	Label("done")
	VZEROUPPER()
	RET()
}
