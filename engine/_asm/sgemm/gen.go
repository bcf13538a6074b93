// Command sgemm generates engine/kernel's AVX2/FMA single-precision GEMM
// microkernels, sgemm_amd64.s and their Go declarations sgemm_stubs_amd64.go.
//
// One parameterised function, microkernel, emits every tile: a tile is mr
// rows of C by w columns (w = 8, 16 or 24, one to three YMM vectors), and a
// kernel is emitted for every mr from 1 to the row count its width allows in
// the 16 YMM registers (w·mr/8 accumulators, w/8 B vectors and one broadcast
// register). The kernels read A in place through a row stride and a column
// stride (so the same code serves A and Aᵀ) and broadcast one element of A
// per row; they read w columns of B per step through a row stride (a packed
// panel or the caller's matrix).
package main

import (
	"fmt"

	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	. "github.com/mmcloughlin/avo/reg"
)

//go:generate go run . -out ../../kernel/sgemm_amd64.s -stubs ../../kernel/sgemm_stubs_amd64.go -pkg kernel

// widths maps a tile width (columns of C) to the largest row count emitted.
var widths = []struct{ w, maxRows int }{
	{24, 4},
	{16, 6},
	{8, 12},
}

func main() {
	ConstraintExpr("!purego")
	for _, t := range widths {
		for mr := 1; mr <= t.maxRows; mr++ {
			microkernel(mr, t.w)
		}
	}
	Generate()
}

func microkernel(mr, w int) {
	name := fmt.Sprintf("sgemm%dx%dAVX2", mr, w)
	nv := w / 8
	TEXT(name, 0, "func(k int, a *float32, rsa, csa int, b *float32, rsb int, c *float32, ldc, nr int, load bool)")
	Pragma("noescape")
	Doc(
		fmt.Sprintf("%s computes one %d×nr tile of C = A·B (1 ≤ nr ≤ %d, k ≥ 0):", name, mr, w),
		"",
		fmt.Sprintf("\tfor i := 0; i < %d; i++ {", mr),
		"\t\tfor j := 0; j < nr; j++ {",
		"\t\t\tvar s float32",
		"\t\t\tfor p := 0; p < k; p++ {",
		"\t\t\t\ts += a[i*rsa+p*csa] * b[p*rsb+j] // fused multiply-add",
		"\t\t\t}",
		"\t\t\tif load {",
		"\t\t\t\ts = c[i*ldc+j] + s",
		"\t\t\t}",
		"\t\t\tc[i*ldc+j] = s",
		"\t\t}",
		"\t}",
		"",
		fmt.Sprintf("All strides are in elements. It reads all %d columns of every row of b,", w),
		"so b must hold them even when nr is smaller (a zero-padded packed panel).",
		"Reference: sgemm_generic.go (sgemmGeneric).",
		"Requires: AVX, FMA (dispatched only when AVX2 and FMA are both present).",
	)

	// Pointers and byte strides.
	k := Load(Param("k"), GP64())
	a0 := Load(Param("a"), GP64())
	csa := Load(Param("csa"), GP64())
	SHLQ(U8(2), csa)
	b := Load(Param("b"), GP64())
	rsb := Load(Param("rsb"), GP64())
	SHLQ(U8(2), rsb)
	var rsa, rsa3 Register
	if mr > 1 {
		rsa = Load(Param("rsa"), GP64())
		SHLQ(U8(2), rsa)
	}
	if mr > 3 {
		rsa3 = GP64()
		LEAQ(Mem{Base: rsa, Index: rsa, Scale: 2}, rsa3)
	}
	bases := []Register{a0}
	for i := 4; i < mr; i += 4 {
		nb := GP64()
		LEAQ(Mem{Base: bases[len(bases)-1], Index: rsa, Scale: 4}, nb)
		bases = append(bases, nb)
	}
	rowAddr := func(i int) Mem {
		base := bases[i/4]
		switch i % 4 {
		case 0:
			return Mem{Base: base}
		case 1:
			return Mem{Base: base, Index: rsa, Scale: 1}
		case 2:
			return Mem{Base: base, Index: rsa, Scale: 2}
		default:
			return Mem{Base: base, Index: rsa3, Scale: 1}
		}
	}

	acc := make([][]VecVirtual, mr)
	for i := range acc {
		acc[i] = make([]VecVirtual, nv)
		for v := range acc[i] {
			acc[i][v] = YMM()
			VXORPS(acc[i][v], acc[i][v], acc[i][v])
		}
	}

	Comment("Main loop: one step of k per iteration.")
	TESTQ(k, k)
	JZ(LabelRef("epilogue"))
	Label("loop")
	bv := make([]VecVirtual, nv)
	for v := range bv {
		bv[v] = YMM()
		VMOVUPS(Mem{Base: b, Disp: 32 * v}, bv[v])
	}
	for i := 0; i < mr; i++ {
		t := YMM()
		VBROADCASTSS(rowAddr(i), t)
		for v := 0; v < nv; v++ {
			VFMADD231PS(bv[v], t, acc[i][v])
		}
	}
	for _, base := range bases {
		ADDQ(csa, base)
	}
	ADDQ(rsb, b)
	DECQ(k)
	JNZ(LabelRef("loop"))

	Label("epilogue")
	cp := Load(Param("c"), GP64())
	ldc := Load(Param("ldc"), GP64())
	SHLQ(U8(2), ldc)
	nr := Load(Param("nr"), GP64())
	ld := Load(Param("load"), GP8())
	CMPQ(nr, U8(w))
	JNE(LabelRef("partial"))
	TESTB(ld, ld)
	JNZ(LabelRef("fullload"))

	Comment("Full tile, C = A·B.")
	for i := 0; i < mr; i++ {
		for v := 0; v < nv; v++ {
			VMOVUPS(acc[i][v], Mem{Base: cp, Disp: 32 * v})
		}
		if i < mr-1 {
			ADDQ(ldc, cp)
		}
	}
	VZEROUPPER()
	RET()

	Label("fullload")
	Comment("Full tile, C = C + A·B.")
	for i := 0; i < mr; i++ {
		for v := 0; v < nv; v++ {
			VADDPS(Mem{Base: cp, Disp: 32 * v}, acc[i][v], acc[i][v])
			VMOVUPS(acc[i][v], Mem{Base: cp, Disp: 32 * v})
		}
		if i < mr-1 {
			ADDQ(ldc, cp)
		}
	}
	VZEROUPPER()
	RET()

	Label("partial")
	Comment("Partial tile (nr < width): spill the accumulators, then store each",
		"row in pieces of 8, 4, 2 and 1 columns.")
	tmp := AllocLocal(mr * w * 4)
	for i := 0; i < mr; i++ {
		for v := 0; v < nv; v++ {
			VMOVUPS(acc[i][v], tmp.Offset((i*w+8*v)*4))
		}
	}
	tp := GP64()
	LEAQ(tmp, tp)
	rows := GP64()
	MOVQ(U32(mr), rows)
	rem, src, dst := GP64(), GP64(), GP64()
	Label("prow")
	MOVQ(nr, rem)
	MOVQ(tp, src)
	MOVQ(cp, dst)

	Label("p8")
	CMPQ(rem, U8(8))
	JL(LabelRef("p4"))
	y := YMM()
	VMOVUPS(Mem{Base: src}, y)
	TESTB(ld, ld)
	JZ(LabelRef("p8s"))
	VADDPS(Mem{Base: dst}, y, y)
	Label("p8s")
	VMOVUPS(y, Mem{Base: dst})
	ADDQ(U8(32), src)
	ADDQ(U8(32), dst)
	SUBQ(U8(8), rem)
	JMP(LabelRef("p8"))

	Label("p4")
	CMPQ(rem, U8(4))
	JL(LabelRef("p2"))
	x4 := XMM()
	VMOVUPS(Mem{Base: src}, x4)
	TESTB(ld, ld)
	JZ(LabelRef("p4s"))
	VADDPS(Mem{Base: dst}, x4, x4)
	Label("p4s")
	VMOVUPS(x4, Mem{Base: dst})
	ADDQ(U8(16), src)
	ADDQ(U8(16), dst)
	SUBQ(U8(4), rem)

	Label("p2")
	CMPQ(rem, U8(2))
	JL(LabelRef("p1"))
	x2, c2 := XMM(), XMM()
	VMOVSD(Mem{Base: src}, x2)
	TESTB(ld, ld)
	JZ(LabelRef("p2s"))
	VMOVSD(Mem{Base: dst}, c2)
	VADDPS(c2, x2, x2)
	Label("p2s")
	VMOVSD(x2, Mem{Base: dst})
	ADDQ(U8(8), src)
	ADDQ(U8(8), dst)
	SUBQ(U8(2), rem)

	Label("p1")
	TESTQ(rem, rem)
	JZ(LabelRef("pnext"))
	x1 := XMM()
	VMOVSS(Mem{Base: src}, x1)
	TESTB(ld, ld)
	JZ(LabelRef("p1s"))
	VADDSS(Mem{Base: dst}, x1, x1)
	Label("p1s")
	VMOVSS(x1, Mem{Base: dst})

	Label("pnext")
	ADDQ(U32(w*4), tp)
	ADDQ(ldc, cp)
	DECQ(rows)
	JNZ(LabelRef("prow"))
	VZEROUPPER()
	RET()
}
