// Command extract generates package extract's AVX2 byte loops,
// bytes_amd64.s, and their Go declarations bytes_stubs_amd64.go: the scans
// over whole frames that its SWAR Go code does eight bytes at a time, 32
// at a time. Each works on whole 32-byte vectors only and leaves the rest
// to the Go code, which also defines what they compute (extract/simd.go).
package main

import (
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
	Generate()
}

// maxMin emits maxMinBytesAVX2: VPMAXUB and VPMINUB.
func maxMin() {
	TEXT("maxMinBytesAVX2", NOSPLIT, "func(hi, lo, src *uint8, n int)")
	Pragma("noescape")
	Doc(
		"maxMinBytesAVX2 sets hi[i] = max(hi[i], src[i]) and lo[i] = min(lo[i], src[i])",
		"for i < n rounded down to 32: maxMinBytesGeneric, 32 bytes a step.",
		"Requires: AVX2.",
	)
	hi := Load(Param("hi"), GP64())
	lo := Load(Param("lo"), GP64())
	src := Load(Param("src"), GP64())
	n := Load(Param("n"), GP64())
	vectors(n, func(at func(Register) Mem) {
		v, a, b := YMM(), YMM(), YMM()
		VMOVDQU(at(src), v)
		VPMAXUB(at(hi), v, a)
		VPMINUB(at(lo), v, b)
		VMOVDQU(a, at(hi))
		VMOVDQU(b, at(lo))
	})
	VZEROUPPER()
	RET()
}

// vectors emits a loop over the whole 32-byte vectors of n bytes: body,
// given at (the address of the current vector of an array), runs for
// each, and may jump to "done" to stop. It returns the register that
// holds the offset of the vector it stopped at (n rounded down to 32 when
// none stopped it).
func vectors(n Register, body func(at func(Register) Mem)) GPVirtual {
	i, end := GP64(), GP64()
	MOVQ(n, end)
	ANDQ(I32(-32), end)
	XORQ(i, i)
	Label("loop")
	CMPQ(i, end)
	JGE(LabelRef("done"))
	body(func(base Register) Mem { return Mem{Base: base, Index: i, Scale: 1} })
	ADDQ(U8(32), i)
	JMP(LabelRef("loop"))
	Label("done")
	return i
}

// paperRun emits paperRunAVX2: row >= lo where max(row, lo) == row.
func paperRun() {
	TEXT("paperRunAVX2", NOSPLIT, "func(row, lo *uint8, n int) int")
	Pragma("noescape")
	Doc(
		"paperRunAVX2 returns the length, a multiple of 32 up to n, of the run of",
		"whole 32-byte vectors from the start in which every row[i] >= lo[i] (paper,",
		"not ink): labelRuns's skip over paper, 32 pixels a step.",
		"Requires: AVX2.",
	)
	row := Load(Param("row"), GP64())
	lo := Load(Param("lo"), GP64())
	n := Load(Param("n"), GP64())
	i := vectors(n, func(at func(Register) Mem) {
		v, t, m := YMM(), YMM(), GP32()
		VMOVDQU(at(row), v)
		VPMAXUB(at(lo), v, t)
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
	TEXT("skipPaperAVX2", NOSPLIT, "func(pen, b, r, pb, pr *uint8, n, near int) int")
	Pragma("noescape")
	Doc(
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
	i := vectors(n, func(at func(Register) Mem) {
		vb, vr, pv, d1, d2 := YMM(), YMM(), YMM(), YMM(), YMM()
		VMOVDQU(at(b), vb)
		VMOVDQU(at(pb), pv)
		VPSUBUSB(pv, vb, d1)
		VPSUBUSB(vb, pv, d2)
		VPOR(d1, d2, d1) // |b-pb|
		VMOVDQU(at(r), vr)
		VMOVDQU(at(pr), pv)
		VPSUBUSB(pv, vr, d2)
		VPSUBUSB(vr, pv, vr)
		VPOR(vr, d2, d2) // |r-pr|
		VPADDUSB(d2, d1, d1)
		VPSUBUSB(nv, d1, d1)
		VPTEST(d1, d1)
		JNZ(LabelRef("done"))
		VMOVDQU(zero, at(pen))
	})
	Store(i, ReturnIndex(0))
	VZEROUPPER()
	RET()
}
