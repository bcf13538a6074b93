// Command int8 generates engine/kernel's amd64 int8 microkernels, the AVX2
// ones of GemmInt8Windows and of GemmInt8 and the AVX512-VNNI ones of
// GemmInt8Windows (vnni.go), gemm_int8_implicit_amd64.s, their Go
// declarations gemm_int8_implicit_stubs_amd64.go, and the Go functions that
// call the one of a row count, gemm_int8_implicit_dispatch_amd64.go, so that
// the row counts are written down once, here.
//
// One parameterised function, microkernel, emits the kernel of mr rows of
// 8 (or 4) columns for every mr from 1 to maxRows. Its loop widens both
// operands to int16 (VPMOVSXBW) and multiplies them in pairs (VPMADDWD),
// each int32 lane of an accumulator the sum of two columns' k pairs; it
// walks the rows of A as segs segments of kg groups of 4 bytes, segStep
// apart (the windows of a convolution read in place). The GemmInt8Windows
// epilogue sums the lane pairs and requantises the 8 columns in registers,
// reading the parameters of its panel of channels as memory operands
// (kernel.RequantInt8's panels), then stores w int8 values per row; the
// GemmInt8 one stores the int32 sums. vnniKernel emits the VNNI kernels
// of GemmInt8Windows, 8 columns by 1 to maxRowsVNNI rows.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"slices"

	"github.com/edgeconv/edgeconv/engine/_asm/internal/asmfunc"
	"github.com/edgeconv/edgeconv/engine/_asm/internal/gofile"
	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	. "github.com/mmcloughlin/avo/reg"
)

//go:generate go run . -out ../../kernel/gemm_int8_implicit_amd64.s -stubs ../../kernel/gemm_int8_implicit_stubs_amd64.go -dispatch ../../kernel/gemm_int8_implicit_dispatch_amd64.go -pkg kernel

// maxRows is the tallest tile: 2 accumulators per row, 12 for 6 rows, and
// the two B vectors, the A broadcast and the product fill the 16 YMM
// registers.
const maxRows = 6

// signature is the Go declaration shared by every requantising
// microkernel (GemmInt8Windows), and signature32 by the int32 ones
// (GemmInt8).
const (
	signature   = "func(kg, segs int, a *int16, lda, segStep int, b *int8, q *int32, c *int8, ldc, w int)"
	signature32 = "func(kg, segs int, a *int8, lda, segStep int, b *int8, c *int32, ldcBytes int)"
)

// args and args32 are their argument lists.
const (
	args   = "kg, segs, a, lda, segStep, b, q, c, ldc, w"
	args32 = "kg, segs, a, lda, segStep, b, c, ldcBytes"
)

// kernelName is the name of the mr-row requantising kernel of width 8 or 4,
// kernelName32 of the int32 one.
func kernelName(mr, width int) string   { return fmt.Sprintf("gemmInt8Req%dx%dAVX2", mr, width) }
func kernelName32(mr, width int) string { return fmt.Sprintf("gemmInt8Acc%dx%dAVX2", mr, width) }

// half30 is 2³⁰ in every quadword: the rounding term of the high multiply.
var half30 Mem

func main() {
	flag.Parse()
	ConstraintExpr("!purego")
	half30 = asmfunc.Data("int8half30", 4, func(int) Constant { return U64(1 << 30) })
	x80 = asmfunc.Data("int8x80", 1, func(int) Constant { return U32(0x80808080) })
	widen()
	interleave()
	for _, int32Out := range []bool{false, true} {
		for _, width := range []int{8, 4} {
			for mr := 1; mr <= maxRows; mr++ {
				microkernel(mr, width, int32Out)
			}
		}
	}
	for mr := 1; mr <= maxRowsVNNI; mr++ {
		vnniKernel(mr)
	}
	gofile.Dispatch(writeDispatch)
	Generate()
}

func kernelDoc(mr, width int) []string {
	if mr > 1 {
		return []string{fmt.Sprintf("%s is %s for mr = %d.", kernelName(mr, width), kernelName(1, width), mr)}
	}
	if width == 4 {
		return []string{
			fmt.Sprintf("%s to %s are %s to %s for a panel of at most", kernelName(1, 4), kernelName(maxRows, 4), kernelName(1, 8), kernelName(maxRows, 8)),
			"4 columns (w ≤ 4): they multiply by B's columns 0-3 only.",
		}
	}
	return slices.Concat([]string{
		fmt.Sprintf("%s to %s compute one mr×8 int8 tile of GemmInt8Windows,", kernelName(1, 8), kernelName(maxRows, 8)),
		fmt.Sprintf("mr being the row count in the name (1 ≤ mr ≤ %d, kg ≥ 1, segs ≥ 1, 1 ≤ w ≤ 8),", maxRows),
		"where row i of A is segs segments of 4·kg values, segment s at",
		"a[i*lda+s*segStep] (A's int8 values widened to int16, so that a row's 4",
		"values are one 8-byte broadcast), b one packed panel",
		"(kernel.PackInt8Windows) and q its requantisation panel",
		"(kernel.RequantInt8.panels), in Go:",
		"",
	}, docLoop("w",
		"\t\t\tc[i*ldc+j] = requantValue(acc, q[rqBias+j], q[rqMult+j], q[rqShift+j],",
		"\t\t\t\tq[rqMask+j], q[rqHalf+j], q[rqZero], q[rqLo], q[rqHi])",
	), []string{
		"",
		"Reference: gemm_int8_implicit.go (gemmInt8WindowsGeneric). Requires: AVX2.",
	})
}

// docLoop is the Go loop of the kernels' documentation: the sums of the
// first n columns of mr rows, each then stored by the lines of store.
func docLoop(n string, store ...string) []string {
	return slices.Concat([]string{
		"\tfor i := 0; i < mr; i++ {",
		"\t\tfor j := 0; j < " + n + "; j++ {",
		"\t\t\tvar acc int32",
		"\t\t\tfor s := 0; s < segs; s++ {",
		"\t\t\t\tfor p := 0; p < 4*kg; p++ {",
		"\t\t\t\t\tacc += int32(a[i*lda+s*segStep+p]) * int32(b[(s*kg+p/4)*32+4*j+p%4])",
		"\t\t\t\t}",
		"\t\t\t}",
	}, store, []string{
		"\t\t}",
		"\t}",
	})
}

// widen emits widenInt8AVX2, which sign-extends int8 values to int16 in
// blocks of 16, for the requantising kernels' A.
func widen() {
	asmfunc.Begin("widenInt8AVX2", "func(dst *int16, src *int8, n int)",
		"widenInt8AVX2 sign-extends n int8 values, n a positive multiple of 16,",
		"to int16:",
		"",
		"\tfor i := 0; i < n; i++ {",
		"\t\tdst[i] = int16(src[i])",
		"\t}",
		"",
		"Reference: gemm_int8_implicit_amd64.go (widenInt8). Requires: AVX2.",
	)
	dst := Load(Param("dst"), GP64())
	src := Load(Param("src"), GP64())
	n := Load(Param("n"), GP64())
	Label("block")
	y := YMM()
	VPMOVSXBW(Mem{Base: src}, y)
	VMOVDQU(y, Mem{Base: dst})
	ADDQ(U8(16), src)
	ADDQ(U8(32), dst)
	SUBQ(U8(16), n)
	JNZ(LabelRef("block"))
	VZEROUPPER()
	RET()
}

// interleave emits interleaveInt8AVX2, which interleaves two int8 rows
// in blocks of 16 (quant reads a one-channel image as row pairs).
func interleave() {
	asmfunc.Begin("interleaveInt8AVX2", "func(dst, a, b *int8, n int)",
		"interleaveInt8AVX2 interleaves n values of a and b, n a positive",
		"multiple of 16:",
		"",
		"\tfor i := 0; i < n; i++ {",
		"\t\tdst[2*i], dst[2*i+1] = a[i], b[i]",
		"\t}",
		"",
		"Reference: interleave_int8.go (interleaveInt8Generic). Requires: AVX2.",
	)
	dst := Load(Param("dst"), GP64())
	a := Load(Param("a"), GP64())
	b := Load(Param("b"), GP64())
	n := Load(Param("n"), GP64())
	Label("block")
	x, y, lo, hi := XMM(), XMM(), XMM(), XMM()
	VMOVDQU(Mem{Base: a}, x)
	VMOVDQU(Mem{Base: b}, y)
	VPUNPCKLBW(y, x, lo)
	VPUNPCKHBW(y, x, hi)
	VMOVDQU(lo, Mem{Base: dst})
	VMOVDQU(hi, Mem{Base: dst, Disp: 16})
	ADDQ(U8(16), a)
	ADDQ(U8(16), b)
	ADDQ(U8(32), dst)
	SUBQ(U8(16), n)
	JNZ(LabelRef("block"))
	RET()
}

// kernelDoc32 is the documentation of the mr-row int32 kernel.
func kernelDoc32(mr, width int) []string {
	if mr > 1 || width == 4 {
		return []string{fmt.Sprintf("%s is %s for mr = %d and %d columns.", kernelName32(mr, width), kernelName32(1, 8), mr, width)}
	}
	return slices.Concat([]string{
		fmt.Sprintf("%s to %s and %s to %s compute one mr×8", kernelName32(1, 8), kernelName32(maxRows, 8), kernelName32(1, 4), kernelName32(maxRows, 4)),
		"or mr×4 tile of GemmInt8's int32 accumulators: the loop of the",
		fmt.Sprintf("%s kernels, the 8 (or 4) sums stored at c, rows ldcBytes apart:", kernelName(1, 8)),
		"",
	}, docLoop("width", "\t\t\tc[i*ldcBytes/4+j] = acc"), []string{
		"",
		"Reference: gemm_int8_generic.go (gemmInt8Generic). Requires: AVX2.",
	})
}

// microkernel emits the mr-row kernel of width 8, or of width 4: a panel's
// columns 0-3, half the multiplies (seed99's conv2 has 12 channels); with
// int32Out, the kernel stores the accumulators instead of requantising.
func microkernel(mr, width int, int32Out bool) {
	nv := width / 4 // B vectors of 4 columns
	// The requantising kernels read A widened to int16 (wideA), so a row's
	// 4 values are one 8-byte broadcast; the int32 ones read int8.
	wideA, step := !int32Out, 1
	if wideA {
		step = 2
	}
	if int32Out {
		asmfunc.Begin(kernelName32(mr, width), signature32, kernelDoc32(mr, width)...)
	} else {
		asmfunc.Begin(kernelName(mr, width), signature, kernelDoc(mr, width)...)
	}
	kg := Load(Param("kg"), GP64())
	segs := Load(Param("segs"), GP64())
	a0 := Load(Param("a"), GP64())
	b := Load(Param("b"), GP64())
	var lda, a3 Register
	if mr > 1 {
		lda = Load(Param("lda"), GP64())
		if wideA {
			SHLQ(U8(1), lda) // int16 elements
		}
	}
	if mr > 3 {
		a3 = GP64()
		LEAQ(Mem{Base: a0, Index: lda, Scale: 2}, a3)
		ADDQ(lda, a3)
	}
	// adj moves the row pointers from the end of a segment to the start
	// of the next: segStep − 4·kg elements, in bytes.
	adj := Load(Param("segStep"), GP64())
	t := GP64()
	MOVQ(kg, t)
	SHLQ(U8(2), t)
	if wideA {
		SHLQ(U8(1), adj)
		SHLQ(U8(1), t)
	}
	SUBQ(t, adj)
	rowAddr := func(i int) Mem {
		base := a0
		if i >= 3 {
			base, i = a3, i-3
		}
		switch i {
		case 0:
			return Mem{Base: base}
		case 1:
			return Mem{Base: base, Index: lda, Scale: 1}
		default:
			return Mem{Base: base, Index: lda, Scale: 2}
		}
	}

	acc := make([][2]VecVirtual, mr)
	for i := range acc {
		for v := range nv {
			acc[i][v] = YMM()
			VPXOR(acc[i][v], acc[i][v], acc[i][v])
		}
	}
	k := GP64()
	Label("segment")
	MOVQ(kg, k)
	Label("group")
	Comment("One group of 4 k: B's 8 columns widened to int16 (columns 0-3, 4-7),",
		"each row's 4 bytes broadcast and widened, VPMADDWD sums pairs.")
	bv := [2]VecVirtual{YMM(), YMM()}
	for v := range nv {
		VPMOVSXBW(Mem{Base: b, Disp: 16 * v}, bv[v])
	}
	for i := range mr {
		x := YMM()
		if wideA {
			VPBROADCASTQ(rowAddr(i), x)
		} else {
			VPBROADCASTD(rowAddr(i), x.AsX())
			VPMOVSXBW(x.AsX(), x)
		}
		for v := range nv {
			p := YMM()
			VPMADDWD(bv[v], x, p)
			VPADDD(p, acc[i][v], acc[i][v])
		}
	}
	ADDQ(U8(32), b)
	ADDQ(U8(4*step), a0)
	if mr > 3 {
		ADDQ(U8(4*step), a3)
	}
	DECQ(k)
	JNZ(LabelRef("group"))
	ADDQ(adj, a0)
	if mr > 3 {
		ADDQ(adj, a3)
	}
	DECQ(segs)
	JNZ(LabelRef("segment"))

	if int32Out {
		Comment("Epilogue: sum each row's lane pairs and store its columns.")
		cp := Load(Param("c"), GP64())
		ldc := Load(Param("ldcBytes"), GP64())
		for i := range mr {
			x := sumPairs(&acc[i], nv)
			if nv == 2 {
				VMOVDQU(x, Mem{Base: cp})
			} else {
				VMOVDQU(x.AsX(), Mem{Base: cp})
			}
			if i < mr-1 {
				ADDQ(ldc, cp)
			}
		}
		VZEROUPPER()
		RET()
		return
	}
	Comment("Epilogue: requantise each row's 8 columns and store w of them.")
	q := Load(Param("q"), GP64())
	cp := Load(Param("c"), GP64())
	ldc := Load(Param("ldc"), GP64())
	w := Load(Param("w"), GP64())
	for i := range mr {
		sumPairs(&acc[i], nv)
		requantRow(acc[i][0], acc[i][1], q)
		store(acc[i][0].AsX(), cp, w, fmt.Sprintf("r%d", i))
		if i < mr-1 {
			ADDQ(ldc, cp)
		}
	}
	VZEROUPPER()
	RET()
}

// sumPairs sums the lane pairs of a row's nv accumulators into its 8 int32
// columns, in order, in acc[0], which it returns (columns 4-7 are 0 when
// nv = 1; acc[1] is then a new zeroed register, free after).
func sumPairs(acc *[2]VecVirtual, nv int) VecVirtual {
	if nv == 1 {
		acc[1] = YMM()
		VPXOR(acc[1], acc[1], acc[1])
	}
	x := acc[0]
	VPHADDD(acc[1], x, x) // c0 c1 c4 c5 | c2 c3 c6 c7
	VPERMQ(U8(0xD8), x, x)
	return x
}

// requantRow requantises a row's 8 int32 columns in x (kernel.requantValue)
// into the low 8 bytes of x, as int8; o is a free register.
func requantRow(x, o VecVirtual, q Register) {
	requantLanes(x, o, q)
	hi := XMM()
	VEXTRACTI128(U8(1), x, hi)
	VPACKSSDW(hi, x.AsX(), x.AsX()) // exact: the values lie in [lo, hi] ⊂ [−128, 127]
	VPACKSSWB(x.AsX(), x.AsX(), x.AsX())
}

// requantLanes requantises a row's 8 int32 columns in x (kernel.requantValue)
// in place, the results in x's int32 lanes; o is a free register.
func requantLanes(x, o VecVirtual, q Register) {
	at := func(vector string) Mem { return Mem{Base: q, Disp: requantOffset(vector)} }
	VPADDD(at("rqBias"), x, x)
	Comment("x·mult + 2³⁰ in 64 bits, even lanes then odd, >> 31.")
	e := YMM()
	VPMULDQ(at("rqMult"), x, e)
	VPSRLQ(U8(32), x, o)
	VPMULDQ(at("rqMultOdd"), o, o)
	VPADDQ(half30, e, e)
	VPADDQ(half30, o, o)
	VPSRLQ(U8(31), e, e)
	VPSRLQ(U8(31), o, o)
	VPSLLQ(U8(32), o, o)
	VPBLENDD(U8(0xAA), o, e, x)
	Comment("Divide by 2^shift, rounding to nearest, ties away from zero.")
	r, th := YMM(), YMM()
	VPAND(at("rqMask"), x, r)
	VPSRAD(U8(31), x, o)
	VMOVDQU(at("rqHalf"), th)
	VPSUBD(o, th, th)
	VPSRAVD(at("rqShift"), x, x)
	VPCMPGTD(th, r, r)
	VPSUBD(r, x, x)
	VPADDD(at("rqZero"), x, x)
	VPMAXSD(at("rqLo"), x, x)
	VPMINSD(at("rqHi"), x, x)
}

// store writes the first w (1-8) bytes of x at cp: all 8 at once, or in
// pieces of 4, 2 and 1.
func store(x, cp, w Register, lbl string) {
	v, d := GP64(), GP64()
	MOVQ(x, v)
	CMPQ(w, U8(8))
	JNE(LabelRef(lbl + "p"))
	MOVQ(v, Mem{Base: cp})
	JMP(LabelRef(lbl + "e"))
	Label(lbl + "p")
	MOVQ(cp, d)
	// Each piece is stored when its bit of w is set, then shifted out of v
	// (the last needs no shift); after it, the label of the next.
	for _, p := range []struct {
		bytes int
		mov   func(src, dst Op)
		src   Register
		after string
	}{{4, MOVL, v.As32(), "h"}, {2, MOVW, v.As16(), "o"}, {1, MOVB, v.As8(), "e"}} {
		TESTQ(U32(p.bytes), w)
		JZ(LabelRef(lbl + p.after))
		p.mov(p.src, Mem{Base: d})
		if p.bytes > 1 {
			SHRQ(U8(8*p.bytes), v)
			ADDQ(U8(p.bytes), d)
		}
		Label(lbl + p.after)
	}
}

// writeDispatch writes int8TileAVX2 and int8Int32TileAVX2, which call the
// AVX2 kernels of a row count and width through tables of them, and
// int8RunsVNNI, the same for the VNNI kernels (gofile.Dispatch).
func writeDispatch(buf *bytes.Buffer) {
	fmt.Fprintf(buf, "// int8TileRowsAVX2 is the tallest AVX2 GemmInt8Windows tile.\nconst int8TileRowsAVX2 = %d\n\n", maxRows)
	fmt.Fprintf(buf, `// int8ReqKernel is the signature of the requantising AVX2 kernels and
// int8AccKernel of the int32 ones (see gemm_int8_implicit_stubs_amd64.go).
type (
	int8ReqKernel func(kg, segs int, a *int16, lda, segStep int, b *int8, q *int32, c *int8, ldc, w int)
	int8AccKernel func(kg, segs int, a *int8, lda, segStep int, b *int8, c *int32, ldcBytes int)
)

// int8ReqAVX2[0][rows-1] is the requantising kernel of rows rows and 4
// columns, int8ReqAVX2[1][rows-1] the 8-column one; int8AccAVX2 the same
// for the int32 kernels.
var (
	int8ReqAVX2 = [2][int8TileRowsAVX2]int8ReqKernel{
		%s,
		%s,
	}
	int8AccAVX2 = [2][int8TileRowsAVX2]int8AccKernel{
		%s,
		%s,
	}
)

// int8TileAVX2 runs the AVX2 GemmInt8Windows microkernel of rows rows,
// the 4-column one when w ≤ 4.
func int8TileAVX2(rows, kg, segs int, a *int16, lda, segStep int, b *int8, q *int32, c *int8, ldc, w int) {
	wide := 0
	if w > 4 {
		wide = 1
	}
	int8ReqAVX2[wide][rows-1](%s)
}

// int8Int32TileAVX2 runs the AVX2 GemmInt8 microkernel of rows rows, 8
// columns wide or, with narrow, 4.
func int8Int32TileAVX2(rows int, narrow bool, kg, segs int, a *int8, lda, segStep int, b *int8, c *int32, ldcBytes int) {
	wide := 1
	if narrow {
		wide = 0
	}
	int8AccAVX2[wide][rows-1](%s)
}
`, list(kernelName, 4), list(kernelName, 8), list(kernelName32, 4), list(kernelName32, 8), args, args32)
	fmt.Fprintf(buf, "\n// int8TileRowsVNNI is the tallest AVX512-VNNI GemmInt8Windows tile.\nconst int8TileRowsVNNI = %d\n\n", maxRowsVNNI)
	fmt.Fprintf(buf, `// int8RunsKernel is the signature of the AVX512-VNNI kernels (see
// gemm_int8_implicit_stubs_amd64.go).
type int8RunsKernel func(runs, tiles, panels, kg, segs int, a *int8, lda, segStep, aRunStep int, b *int8, q *int32, c *int8, ldc, cRunStep, w int)

// int8RunsVNNIKernels[rows-1] is the VNNI kernel of rows rows.
var int8RunsVNNIKernels = [int8TileRowsVNNI]int8RunsKernel%s

// int8RunsVNNI runs the AVX512-VNNI GemmInt8Windows kernel of rows-row
// tiles.
func int8RunsVNNI(rows, runs, tiles, panels, kg, segs int, a *int8, lda, segStep, aRunStep int, b *int8, q *int32, c *int8, ldc, cRunStep, w int) {
	int8RunsVNNIKernels[rows-1](%s)
}
`, gofile.List(maxRowsVNNI, kernelNameVNNI), argsVNNI)
}

// argsVNNI is the VNNI kernels' argument list.
const argsVNNI = "runs, tiles, panels, kg, segs, a, lda, segStep, aRunStep, b, q, c, ldc, cRunStep, w"

// list is the table of the kernels name(rows, width), rows from 1 up.
func list(name func(mr, width int) string, width int) string {
	return gofile.List(maxRows, func(mr int) string { return name(mr, width) })
}
