// Command extract generates package extract's AVX2 byte loops,
// bytes_amd64.s, and their Go declarations bytes_stubs_amd64.go: the scans
// over whole frames that its SWAR Go code does eight bytes at a time, 32
// at a time. Each works on whole 32-byte vectors only and leaves the rest
// to the Go code, which also defines what they compute (extract/simd.go).
package main

import (
	"github.com/edgeconv/edgeconv/engine/_asm/internal/asmfunc"
	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	. "github.com/mmcloughlin/avo/reg"
)

//go:generate go run . -out ../../../extract/bytes_amd64.s -stubs ../../../extract/bytes_stubs_amd64.go -pkg extract

func main() {
	ConstraintExpr("!purego")
	maxMin()
	paperRun()
	skipPaper()
	lerpRow()
	Generate()
}

// maxMin emits maxMinBytesAVX2: VPMAXUB and VPMINUB.
func maxMin() {
	asmfunc.Begin("maxMinBytesAVX2", "func(hi, lo, src *uint8, n int)",
		"maxMinBytesAVX2 sets hi[i] = max(hi[i], src[i]) and lo[i] = min(lo[i], src[i])",
		"for i < n rounded down to 32: maxMinBytesGeneric, 32 bytes a step.",
		"Requires: AVX2.",
	)
	hi := Load(Param("hi"), GP64())
	lo := Load(Param("lo"), GP64())
	src := Load(Param("src"), GP64())
	n := Load(Param("n"), GP64())
	vectors(n, 32, func(at func(Register, uint8, int) Mem) {
		v, a, b := YMM(), YMM(), YMM()
		VMOVDQU(at(src, 1, 0), v)
		VPMAXUB(at(hi, 1, 0), v, a)
		VPMINUB(at(lo, 1, 0), v, b)
		VMOVDQU(a, at(hi, 1, 0))
		VMOVDQU(b, at(lo, 1, 0))
	})
	VZEROUPPER()
	RET()
}

// vectors emits a loop over the whole steps of step bytes (or elements)
// of n: body, given at (the address of the current step of an array whose
// elements are scale bytes, plus disp bytes), runs for each, and may jump
// to "done" to stop. It returns the register that holds the offset of the
// step it stopped at (n rounded down to step when none stopped it).
func vectors(n Register, step int, body func(at func(base Register, scale uint8, disp int) Mem)) GPVirtual {
	i, end := GP64(), GP64()
	MOVQ(n, end)
	ANDQ(I32(-step), end)
	XORQ(i, i)
	Label("loop")
	CMPQ(i, end)
	JGE(LabelRef("done"))
	body(func(base Register, scale uint8, disp int) Mem {
		return Mem{Base: base, Index: i, Scale: scale, Disp: disp}
	})
	ADDQ(U8(step), i)
	JMP(LabelRef("loop"))
	Label("done")
	return i
}

// paperRun emits paperRunAVX2: row >= lo where max(row, lo) == row.
func paperRun() {
	asmfunc.Begin("paperRunAVX2", "func(row, lo *uint8, n int) int",
		"paperRunAVX2 returns the length, a multiple of 32 up to n, of the run of",
		"whole 32-byte vectors from the start in which every row[i] >= lo[i] (paper,",
		"not ink): labelRuns's skip over paper, 32 pixels a step.",
		"Requires: AVX2.",
	)
	row := Load(Param("row"), GP64())
	lo := Load(Param("lo"), GP64())
	n := Load(Param("n"), GP64())
	i := vectors(n, 32, func(at func(Register, uint8, int) Mem) {
		v, t, m := YMM(), YMM(), GP32()
		VMOVDQU(at(row, 1, 0), v)
		VPMAXUB(at(lo, 1, 0), v, t)
		VPCMPEQB(v, t, t)
		VPMOVMSKB(t, m)
		CMPL(m, U32(0xffffffff))
		JNE(LabelRef("done"))
	})
	Store(i, ReturnIndex(0))
	VZEROUPPER()
	RET()
}

// skipPaper emits skipPaperAVX2: |b-pb| + |r-pr| from saturating
// differences and a saturating sum, compared with near by a saturating
// subtraction that leaves zero where the sum is at most near.
func skipPaper() {
	asmfunc.Begin("skipPaperAVX2", "func(pen, b, r, pb, pr *uint8, n, near int) int",
		"skipPaperAVX2 zeroes pen[i] and returns i+32 for each whole 32-byte vector",
		"from the start, up to n, in which every |b[i]-pb[i]| + |r[i]-pr[i]| <= near",
		"(near < 255), and returns where it stopped: skipPaperGeneric, 32 samples a step.",
		"Requires: AVX2.",
	)
	pen := Load(Param("pen"), GP64())
	b := Load(Param("b"), GP64())
	r := Load(Param("r"), GP64())
	pb := Load(Param("pb"), GP64())
	pr := Load(Param("pr"), GP64())
	n := Load(Param("n"), GP64())
	near := Load(Param("near"), GP64())
	nv, zero := YMM(), YMM()
	MOVQ(near, nv.AsX())
	VPBROADCASTB(nv.AsX(), nv)
	VPXOR(zero, zero, zero)
	i := vectors(n, 32, func(at func(Register, uint8, int) Mem) {
		vb, vr, pv, d1, d2 := YMM(), YMM(), YMM(), YMM(), YMM()
		VMOVDQU(at(b, 1, 0), vb)
		VMOVDQU(at(pb, 1, 0), pv)
		VPSUBUSB(pv, vb, d1)
		VPSUBUSB(vb, pv, d2)
		VPOR(d1, d2, d1) // |b-pb|
		VMOVDQU(at(r, 1, 0), vr)
		VMOVDQU(at(pr, 1, 0), pv)
		VPSUBUSB(pv, vr, d2)
		VPSUBUSB(vr, pv, vr)
		VPOR(vr, d2, d2) // |r-pr|
		VPADDUSB(d2, d1, d1)
		VPSUBUSB(nv, d1, d1)
		VPTEST(d1, d1)
		JNZ(LabelRef("done"))
		VMOVDQU(zero, at(pen, 1, 0))
	})
	Store(i, ReturnIndex(0))
	VZEROUPPER()
	RET()
}

// lerpRow emits lerpRowAVX2: sixteen pixels a step, in lanes of uint32 as
// the Go code computes them (its wrapping subtract and multiply are
// VPSUBD and VPMULLD), packed to bytes.
func lerpRow() {
	asmfunc.Begin("lerpRowAVX2", "func(dst *uint8, a, b *uint16, n int, wy uint32)",
		"lerpRowAVX2 is lerpRowGeneric for the first n pixels, n rounded down to 16:",
		"dst[x] = (a[x]<<8 + (b[x]-a[x])*wy) >> 16 in uint32, wy at most 256, so",
		"that the value is a byte and the saturating packs keep it.",
		"Requires: AVX2.",
	)
	dst := Load(Param("dst"), GP64())
	a := Load(Param("a"), GP64())
	b := Load(Param("b"), GP64())
	n := Load(Param("n"), GP64())
	wy := Load(Param("wy"), GP32())
	w := YMM()
	MOVD(wy, w.AsX())
	VPBROADCASTD(w.AsX(), w)
	vectors(n, 16, func(at func(Register, uint8, int) Mem) {
		var half [2]VecVirtual
		for h := range half {
			va, vb := YMM(), YMM()
			VPMOVZXWD(at(a, 2, 16*h), va)
			VPMOVZXWD(at(b, 2, 16*h), vb)
			VPSUBD(va, vb, vb)
			VPMULLD(w, vb, vb)
			VPSLLD(U8(8), va, va)
			VPADDD(vb, va, va)
			VPSRLD(U8(16), va, va)
			half[h] = va
		}
		// Words in the order of the pixels, then bytes.
		VPACKUSDW(half[1], half[0], half[0])
		VPERMQ(U8(0xd8), half[0], half[0])
		hi := XMM()
		VEXTRACTI128(U8(1), half[0], hi)
		VPACKUSWB(hi, half[0].AsX(), hi)
		VMOVDQU(hi, at(dst, 1, 0))
	})
	VZEROUPPER()
	RET()
}
