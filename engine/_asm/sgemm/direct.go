package main

import (
	"fmt"

	"github.com/edgeconv/edgeconv/engine/_asm/internal/asmfunc"
	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	. "github.com/mmcloughlin/avo/reg"
)

// directName is the direct convolution of one input channel into six
// output channels, stride 1 (engine/kernel.SconvC1x6S1).
const directName = "sconvC1x6S1AVX2"

// directKernel emits directName. A GEMM over the windows of a one-channel
// image has six columns (the output channels) and k = kh·kw, too narrow for
// the 24-wide tile: grouping four output pixels to fill it (engine's
// convGroup) wastes a third of the products on zero weights. This kernel
// puts output pixels in the lanes instead: a tile is 16 output pixels, four
// quads of four consecutive pixels of a row, two quads to a YMM register,
// times the six channels, twelve accumulators. Each step of the kh·kw
// window loads the four quads' input pixels (a quad's window starts at its
// first pixel; a pair in one row is one 256-bit load, a pair across rows
// two 128-bit ones) and broadcasts the step's six weights: 12 FMAs for at
// most 10 loads, so that the FMA units, not the loads, set the pace. Whole
// pairs, against inserting every high half, took the layer from 3.63 to
// 3.51 µs on seed99 (fastest of 10 alternating runs). The epilogue
// adds the bias, applies the ReLU and transposes the channel vectors into
// pixels of six channels (HWC) for the store.
//
// Every output value is the same chain of FMAs, in the same order of
// (ky, kx), as in the GEMM tiles that have a single accumulator set, the
// bias then added: the same bits.
func directKernel() {
	asmfunc.Begin(directName, "func(tiles, quads int, img *float32, imgRow, kh, kw int, w, bias *float32, relu bool, out *float32, outRow int)",
		directName+" computes the output of SconvC1x6S1 in tiles of 16 pixels",
		"(tiles ≥ 1): the quads of four consecutive output pixels are taken in",
		"order, quads to an output row, four to a tile. With quad t of the pass",
		"at output row oy = t/quads and column ox = 4*(t%quads):",
		"",
		"\tfor c := 0; c < 6; c++ {",
		"\t\tfor x := ox; x < ox+4; x++ {",
		"\t\t\tvar sum float32",
		"\t\t\tfor ky := 0; ky < kh; ky++ {",
		"\t\t\t\tfor kx := 0; kx < kw; kx++ {",
		"\t\t\t\t\tsum += img[(oy+ky)*imgRow+x+kx] * w[(ky*kw+kx)*6+c] // fused multiply-add",
		"\t\t\t\t}",
		"\t\t\t}",
		"\t\t\tsum += bias[c]",
		"\t\t\tif relu {",
		"\t\t\t\tsum = max(sum, 0)",
		"\t\t\t}",
		"\t\t\tout[oy*outRow+x*6+c] = sum",
		"\t\t}",
		"\t}",
		"",
		"kh, kw ≥ 1.",
		"Reference: sconv_generic.go (sconvC1x6S1Generic).",
		"Requires: AVX, FMA (dispatched only when AVX2 and FMA are both present).",
	)
	// Per-pass constants, kept in the frame: GP registers are short.
	inSkip, outSkip, kySkip, perRow, outs := AllocLocal(8), AllocLocal(8), AllocLocal(8), AllocLocal(8), AllocLocal(32)
	quads := Load(Param("quads"), GP64())
	MOVQ(quads, perRow)
	imgRow := Load(Param("imgRow"), GP64())
	SHLQ(U8(2), imgRow)
	kw := Load(Param("kw"), GP64())
	t := GP64()
	Comment("inSkip = 4·(imgRow - 4·quads): from past a row's last quad to the next row's first, in the image;")
	Comment("outSkip = 4·outRow - 96·quads, in the output; kySkip = 4·(imgRow - kw), from one window row to the next.")
	MOVQ(imgRow, t)
	SHLQ(U8(4), quads)
	SUBQ(quads, t)
	MOVQ(t, inSkip)
	MOVQ(imgRow, t)
	SHLQ(U8(2), kw)
	SUBQ(kw, t)
	MOVQ(t, kySkip)
	o := Load(Param("outRow"), GP64())
	SHLQ(U8(2), o)
	IMUL3Q(U32(6), quads, quads) // 96·quads
	SUBQ(quads, o)
	MOVQ(o, outSkip)

	// The cursor: the next quad's first input pixel and output value, and
	// the quads left in its row.
	inCur := Load(Param("img"), GP64())
	outCur := Load(Param("out"), GP64())
	col := Load(Param("quads"), GP64())
	tiles := Load(Param("tiles"), GP64())
	in := [4]GPVirtual{GP64(), GP64(), GP64(), GP64()}

	Label("tile")
	for q := range in {
		Commentf("Quad %d: its input and output, then the cursor moves on.", q)
		MOVQ(inCur, in[q])
		MOVQ(outCur, outs.Offset(8*q))
		ADDQ(U8(16), inCur)
		ADDQ(U8(96), outCur)
		DECQ(col)
		JNZ(LabelRef(fmt.Sprintf("sameRow%d", q)))
		MOVQ(perRow, col)
		ADDQ(inSkip, inCur)
		ADDQ(outSkip, outCur)
		Label(fmt.Sprintf("sameRow%d", q))
	}

	Comment("acc[c][v]: channel c of the pixels of quads 2v and 2v+1.")
	var acc [6][2]VecVirtual
	for c := range acc {
		for v := range acc[c] {
			acc[c][v] = YMM()
			VXORPS(acc[c][v], acc[c][v], acc[c][v])
		}
	}
	// A pair of quads in one row is one 256-bit load; a pair across two
	// rows (a row's last quad and the next one's first) is two 128-bit
	// loads. The window loop is emitted for each of the four cases.
	Comment("Which pairs of quads are split across rows?")
	next := GP64()
	contiguous := func(v int) {
		LEAQ(Mem{Base: in[2*v], Disp: 16}, next)
		CMPQ(next, in[2*v+1])
	}
	contiguous(0)
	JNE(LabelRef("split0"))
	contiguous(1)
	JNE(LabelRef("windows_ws"))
	JMP(LabelRef("windows_ww"))
	Label("split0")
	contiguous(1)
	JNE(LabelRef("windows_ss"))
	JMP(LabelRef("windows_sw"))
	x := [2]VecVirtual{YMM(), YMM()}
	wb := YMM()
	for _, split := range [][2]bool{{false, false}, {false, true}, {true, false}, {true, true}} {
		directWindows(split, in, x, wb, acc, kySkip)
		JMP(LabelRef("epilogue"))
	}
	Label("epilogue")
	Comment("Bias, then ReLU.")
	bias := Load(Param("bias"), GP64())
	for c := range acc {
		VBROADCASTSS(Mem{Base: bias, Disp: 4 * c}, wb)
		for v := range acc[c] {
			VADDPS(wb, acc[c][v], acc[c][v])
		}
	}
	relu := Load(Param("relu"), GP8())
	TESTB(relu, relu)
	JZ(LabelRef("store"))
	zero := YMM()
	VXORPS(zero, zero, zero)
	for c := range acc {
		for v := range acc[c] {
			VMAXPS(zero, acc[c][v], acc[c][v])
		}
	}
	Label("store")
	for v := range 2 {
		directStore(acc[0][v], acc[1][v], acc[2][v], acc[3][v], acc[4][v], acc[5][v], outs, 2*v)
	}
	DECQ(tiles)
	JNZ(LabelRef("tile"))
	VZEROUPPER()
	RET()
}

// directWindows emits the loop over the kh·kw window steps of a tile,
// into acc (x and wb its input and weight registers), for quads in the pairs split or not across rows as split says
// (labels windows_ plus w for whole pairs, s for split ones); kySkip holds
// the step from the end of one window row to the start of the next.
func directWindows(split [2]bool, in [4]GPVirtual, x [2]VecVirtual, wb VecVirtual, acc [6][2]VecVirtual, kySkip Mem) {
	name := "windows_"
	for _, sp := range split {
		name += map[bool]string{false: "w", true: "s"}[sp]
	}
	Label(name)
	off, wp, ky, kx := GP64(), Load(Param("w"), GP64()), Load(Param("kh"), GP64()), GP64()
	XORQ(off, off)
	Label(name + "_row")
	Load(Param("kw"), kx)
	Label(name + "_step")
	for v := range x {
		if split[v] {
			VMOVUPS(Mem{Base: in[2*v], Index: off, Scale: 1}, x[v].AsX())
			VINSERTF128(U8(1), Mem{Base: in[2*v+1], Index: off, Scale: 1}, x[v], x[v])
		} else {
			VMOVUPS(Mem{Base: in[2*v], Index: off, Scale: 1}, x[v])
		}
	}
	for c := range acc {
		VBROADCASTSS(Mem{Base: wp, Disp: 4 * c}, wb)
		for v := range x {
			VFMADD231PS(wb, x[v], acc[c][v])
		}
	}
	ADDQ(U8(24), wp)
	ADDQ(U8(4), off)
	DECQ(kx)
	JNZ(LabelRef(name + "_step"))
	ADDQ(kySkip, off)
	DECQ(ky)
	JNZ(LabelRef(name + "_row"))
}

// directStore transposes the six channel vectors a of two quads (the low
// 128-bit lane quad q, the high one quad q+1) into their pixels, six
// channels each, and stores the quads at the output addresses in
// outs[q] and outs[q+1]. In each lane, unpacking pairs of channels gives
// t = [a0p0 a1p0 a0p1 a1p1] and [a0p2 a1p2 a0p3 a1p3] (and the same for
// a2, a3 and a4, a5); two pixels' twelve values are then three shuffles of
// those. Quads of one row (outs[q+1] = outs[q] + 96 bytes) are 48
// consecutive values, stored as 6 YMM registers that join the lanes; quads
// of two rows as 12 halves.
func directStore(a0, a1, a2, a3, a4, a5 VecVirtual, outs Mem, q int) {
	Commentf("Quads %d and %d: transpose and store.", q, q+1)
	pairs := [3][2]VecVirtual{{a0, a1}, {a2, a3}, {a4, a5}}
	var lo, hi [3]VecVirtual
	for i, p := range pairs {
		lo[i], hi[i] = YMM(), YMM()
		VUNPCKLPS(p[1], p[0], lo[i])
		VUNPCKHPS(p[1], p[0], hi[i])
	}
	var v [6]VecVirtual // pixels 0 and 1 in v[0:3], 2 and 3 in v[3:6], of each quad
	for h, t := range [2][3]VecVirtual{lo, hi} {
		for i := range 3 {
			v[3*h+i] = YMM()
		}
		VSHUFPS(U8(0x44), t[1], t[0], v[3*h])   // a0 a1 a2 a3 of pixel 2h
		VSHUFPS(U8(0xe4), t[0], t[2], v[3*h+1]) // a4 a5 of pixel 2h, a0 a1 of 2h+1
		VSHUFPS(U8(0xee), t[2], t[1], v[3*h+2]) // a2 a3 a4 a5 of pixel 2h+1
	}
	o0, o1 := GP64(), GP64()
	MOVQ(outs.Offset(8*q), o0)
	MOVQ(outs.Offset(8*q+8), o1)
	next := GP64()
	LEAQ(Mem{Base: o0, Disp: 96}, next)
	CMPQ(next, o1)
	split := fmt.Sprintf("splitStore%d", q)
	done := fmt.Sprintf("stored%d", q)
	JNE(LabelRef(split))
	for i := 0; i < 6; i += 2 {
		y := YMM()
		VPERM2F128(U8(0x20), v[i+1], v[i], y) // the low lanes: quad q
		VMOVUPS(y, Mem{Base: o0, Disp: 16 * i})
		VPERM2F128(U8(0x31), v[i+1], v[i], y) // the high lanes: quad q+1
		VMOVUPS(y, Mem{Base: o0, Disp: 96 + 16*i})
	}
	JMP(LabelRef(done))
	Label(split)
	for i := range v {
		VMOVUPS(v[i].AsX(), Mem{Base: o0, Disp: 16 * i})
		VEXTRACTF128(U8(1), v[i], Mem{Base: o1, Disp: 16 * i})
	}
	Label(done)
}
