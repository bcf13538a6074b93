package main

// The AVX512-VNNI GemmInt8Windows microkernels.
//
// VPDPBUSD multiplies 4 unsigned bytes by 4 signed bytes and adds the 4
// products to an int32 lane, exactly (the non-saturating form): on a YMM
// register, one instruction is the 32 multiply-adds of a group of 4 k for
// 8 columns, in the packed layout as it is, with no widening and no pair
// sums. The activations are signed, so the kernels feed x XOR 0x80 = x+128
// (one EVEX VPXORD with the row's 4 bytes as a broadcast memory operand)
// and subtract 128·Σw, which a further VPDPBUSD of 0x80 bytes by the same
// B vector sums alongside: every tile computes it (one more VPDPBUSD per
// group for mr rows) rather than a correction that the weights' packed
// form or the requantisation would have to carry. Wrapping int32
// arithmetic makes the difference the exact sum.

import (
	"fmt"

	"github.com/edgeconv/edgeconv/engine/_asm/internal/asmfunc"
	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	. "github.com/mmcloughlin/avo/reg"
)

// maxRowsVNNI is the tallest VNNI tile: 7 divides seed99's output rows (28,
// 14 and 7 pixels), and its 7 accumulators and the correction's are the 8
// VPDPBUSD chains that keep both multiply pipes of a Zen 4 busy (latency 4,
// 2 per cycle).
const maxRowsVNNI = 7

// signatureVNNI is the Go declaration of the VNNI kernels: A as int8, and
// the loops over a product's tiles, panels and runs in the kernel.
const signatureVNNI = "func(runs, tiles, panels, kg, segs int, a *int8, lda, segStep, aRunStep int, b *int8, q *int32, c *int8, ldc, cRunStep, w int)"

func kernelNameVNNI(mr int) string { return fmt.Sprintf("gemmInt8Req%dx8VNNI", mr) }

// x80 holds the bytes 0x80: XORed into A, and the correction's A.
var x80 Mem

func kernelDocVNNI(mr int) []string {
	if mr > 1 {
		return []string{fmt.Sprintf("%s is %s for mr = %d.", kernelNameVNNI(mr), kernelNameVNNI(1), mr)}
	}
	return []string{
		fmt.Sprintf("%s to %s run the tiles of mr rows by 8 columns of", kernelNameVNNI(1), kernelNameVNNI(maxRowsVNNI)),
		"GemmInt8Windows on AVX512-VNNI, 1 ≤ mr ≤ 7, a whole product (or its",
		"last rows) in one call:",
		"",
		"\tfor r := range runs {",
		"\t\tfor p := range panels {",
		"\t\t\tfor t := range tiles {",
		"\t\t\t\t// rows mr·t … mr·t+mr−1 of run r, columns 8p … 8p+7:",
		fmt.Sprintf("\t\t\t\t%s(kg, segs, a + r·aRunStep + mr·t·lda, lda, segStep,", kernelName(1, 8)),
		"\t\t\t\t\tb + p·32·kg·segs, q + p·320 bytes, c + r·cRunStep + mr·t·ldc + 8p, ldc,",
		"\t\t\t\t\tw if p = panels−1, else 8)",
		"\t\t\t}",
		"\t\t}",
		"\t}",
		"",
		fmt.Sprintf("(%s's tile, but A's int8 values read in place: a row's 4 bytes", kernelName(1, 8)),
		"XOR 0x80 make VPDPBUSD's unsigned operand, and the tile subtracts 128",
		"times its columns' weight sums). runs, tiles and panels are at least 1.",
		"",
		"Reference: gemm_int8_implicit.go (gemmInt8WindowsGeneric).",
		"Requires: AVX512F, AVX512VL, AVX512_VNNI, BMI2.",
	}
}

// vnniKernel emits the mr-row VNNI kernel: the tile of mr rows and 8
// columns in the loops over a product's tiles, panels and runs, whose
// state lives on the stack (a tile's loop needs the registers; the Go
// driver's call per tile cost more than these loads and stores). Rows of
// few accumulators take u sets of them, one per group of an unrolled loop,
// since a VPDPBUSD chain waits 4 cycles for the previous one: a dense
// layer at batch 1 runs one row.
func vnniKernel(mr int) {
	u := 1
	switch {
	case mr == 1:
		u = 4
	case mr <= 3:
		u = 2
	}
	asmfunc.Begin(kernelNameVNNI(mr), signatureVNNI, kernelDocVNNI(mr)...)
	local := func() Mem { return AllocLocal(8) }
	runsLeft, panelsLeft, tilesLeft := local(), local(), local()
	runA, runC, panelB, panelQ, panelC, tileA, tileC, panelBytes := local(), local(), local(), local(), local(), local(), local(), local()
	copyTo := func(src Mem, dst Mem) {
		t := GP64()
		MOVQ(src, t)
		MOVQ(t, dst)
	}
	param := func(name string, dst Mem) { MOVQ(Load(Param(name), GP64()), dst) }
	param("runs", runsLeft)
	param("a", runA)
	param("c", runC)
	{
		t := Load(Param("kg"), GP64())
		IMULQ(Load(Param("segs"), GP64()), t)
		SHLQ(U8(5), t)
		MOVQ(t, panelBytes)
	}
	c80 := YMM()
	VPBROADCASTD(x80, c80)
	km := K()

	Label("run")
	param("b", panelB)
	param("q", panelQ)
	copyTo(runC, panelC)
	param("panels", panelsLeft)

	Label("panel")
	Comment("Store 8 columns, or w in the last panel (a mask of w bits).")
	{
		ones := GP32()
		MOVL(U32(0xFF), ones)
		CMPQ(panelsLeft, U8(1))
		JNE(LabelRef("mask"))
		w := GP64()
		Load(Param("w"), w)
		BZHIL(w.As32(), ones, ones)
		Label("mask")
		KMOVW(ones, km)
	}
	copyTo(runA, tileA)
	copyTo(panelC, tileC)
	param("tiles", tilesLeft)

	Label("tile")
	tile(mr, u, c80, km, tileA, tileC, panelB, panelQ)
	Comment("Next tile, panel, run.")
	for _, p := range []struct {
		ptr  Mem
		step string
	}{{tileA, "lda"}, {tileC, "ldc"}} {
		t := Load(Param(p.step), GP64())
		IMUL3Q(U8(mr), t, t)
		ADDQ(t, p.ptr)
	}
	DECQ(tilesLeft)
	JNZ(LabelRef("tile"))
	{
		t := GP64()
		MOVQ(panelBytes, t)
		ADDQ(t, panelB)
		ADDQ(U32(4*requantPanelLen), panelQ)
		ADDQ(U8(8), panelC)
	}
	DECQ(panelsLeft)
	JNZ(LabelRef("panel"))
	for _, p := range []struct {
		ptr  Mem
		step string
	}{{runA, "aRunStep"}, {runC, "cRunStep"}} {
		t := Load(Param(p.step), GP64())
		ADDQ(t, p.ptr)
	}
	DECQ(runsLeft)
	JNZ(LabelRef("run"))
	VZEROUPPER()
	RET()
}

// requantPanelLen is the int32s of a requantisation panel (kernel.requantPanel).
const requantPanelLen = 80

// tile emits one tile of vnniKernel: mr rows of A from *tileA, the panel of
// B at *panelB requantised by the block at *panelQ, the rows stored at
// *tileC under the mask km.
func tile(mr, u int, c80 VecVirtual, km Register, tileA, tileC, panelB, panelQ Mem) {
	kg := Load(Param("kg"), GP64())
	segs := Load(Param("segs"), GP64())
	a0 := GP64()
	MOVQ(tileA, a0)
	b := GP64()
	MOVQ(panelB, b)
	var lda, lda3, a3 Register
	if mr > 1 {
		lda = Load(Param("lda"), GP64())
	}
	if mr > 3 {
		a3, lda3 = GP64(), GP64()
		LEAQ(Mem{Base: lda, Index: lda, Scale: 2}, lda3)
		LEAQ(Mem{Base: a0, Index: lda3, Scale: 1}, a3)
	}
	// adj moves the row pointers from the end of a segment to the start
	// of the next: segStep − 4·kg bytes.
	adj := Load(Param("segStep"), GP64())
	{
		t := GP64()
		MOVQ(kg, t)
		SHLQ(U8(2), t)
		SUBQ(t, adj)
	}
	// Row i: a0 + {0, 1, 2}·lda, then a3 = a0 + 3·lda + {0, 1, 2}·lda, and
	// row 6 a3 + 3·lda.
	rowAddr := func(i, disp int) Mem {
		switch i {
		case 0:
			return Mem{Base: a0, Disp: disp}
		case 1, 2:
			return Mem{Base: a0, Index: lda, Scale: uint8(i), Disp: disp}
		case 3:
			return Mem{Base: a3, Disp: disp}
		case 4, 5:
			return Mem{Base: a3, Index: lda, Scale: uint8(i - 3), Disp: disp}
		default:
			return Mem{Base: a3, Index: lda3, Scale: 1, Disp: disp}
		}
	}

	acc := make([][]VecVirtual, u) // acc[s][mr] is set s's correction
	for s := range acc {
		acc[s] = make([]VecVirtual, mr+1)
		for i := range acc[s] {
			acc[s][i] = YMM()
			VPXOR(acc[s][i], acc[s][i], acc[s][i])
		}
	}
	group := func(s int) {
		bv := YMM()
		VMOVDQU(Mem{Base: b, Disp: 32 * s}, bv)
		VPDPBUSD(bv, c80, acc[s][mr])
		for i := range mr {
			x := YMM()
			VPXORD_BCST(rowAddr(i, 4*s), c80, x)
			VPDPBUSD(bv, x, acc[s][i])
		}
	}
	advance := func(groups int) {
		ADDQ(U8(32*groups), b)
		ADDQ(U8(4*groups), a0)
		if mr > 3 {
			ADDQ(U8(4*groups), a3)
		}
	}
	k := GP64()
	Label("segment")
	MOVQ(kg, k)
	if u > 1 {
		Comment(fmt.Sprintf("%d groups of 4 k at a time, one set of accumulators each.", u))
		CMPQ(k, U8(u))
		JB(LabelRef("tail"))
		Label("unrolled")
		for s := range u {
			group(s)
		}
		advance(u)
		SUBQ(U8(u), k)
		CMPQ(k, U8(u))
		JAE(LabelRef("unrolled"))
		Label("tail")
		TESTQ(k, k)
		JZ(LabelRef("next"))
	}
	Label("group")
	Comment("One group of 4 k: B's 8 columns, the correction's 0x80 bytes and",
		"each row's 4 bytes XOR 0x80 by them.")
	group(0)
	advance(1)
	DECQ(k)
	JNZ(LabelRef("group"))
	Label("next")
	ADDQ(adj, a0)
	if mr > 3 {
		ADDQ(adj, a3)
	}
	DECQ(segs)
	JNZ(LabelRef("segment"))

	Comment("Epilogue: subtract the correction, requantise each row's 8 columns",
		"and store them under the mask.")
	for s := 1; s < u; s++ {
		for i := range acc[s] {
			VPADDD(acc[s][i], acc[0][i], acc[0][i])
		}
	}
	q := GP64()
	MOVQ(panelQ, q)
	cp := GP64()
	MOVQ(tileC, cp)
	var ldc Register
	if mr > 1 {
		ldc = Load(Param("ldc"), GP64())
	}
	corr := acc[0][mr]
	for i := range mr {
		x := acc[0][i]
		VPSUBD(corr, x, x)
		requantLanes(x, YMM(), q)
		VPMOVDB(x, km, Mem{Base: cp}) // exact: the values lie in [lo, hi] ⊂ [−128, 127]
		if i < mr-1 {
			ADDQ(ldc, cp)
		}
	}
}
