// Command idct generates camera/internal/jpeg420's AVX2 inverse DCT,
// idct_amd64.s, and its Go declaration idct_stubs_amd64.go.
//
// The kernel is jpeg420's idctGo (image/jpeg's integer IDCT, followed by
// the level shift and clamp) with eight lanes of int32: every operation of
// the Go code, an add, a subtract, an arithmetic shift or a 32-bit multiply
// that keeps the low half, is one instruction on eight rows or columns at
// once, so the results are the same bits. The row pass runs on the block
// transposed (a lane per row), the column pass on it transposed back (a
// lane per column). The constants come from the caller, each repeated in
// the eight lanes of a vector (jpeg420.idctK), so that they are written
// once, in Go.
package main

import (
	"fmt"

	"github.com/edgeconv/edgeconv/engine/_asm/internal/asmfunc"
	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	. "github.com/mmcloughlin/avo/reg"
)

//go:generate go run . -out ../../../camera/internal/jpeg420/idct_amd64.s -stubs ../../../camera/internal/jpeg420/idct_stubs_amd64.go -pkg jpeg420

// Vectors of the constant table, in the order of jpeg420's idctK. A box
// (dctBox) takes three: kcos, ksin-kcos and kcos+ksin.
const (
	kRowBox23 = iota * 3 // rows: x2, x3 by (1/√2)cos, -(1/√2)sin 6π/16, 18 bits
	kColBox23            // columns: the same, 12 bits
	kBox47               // x4, x7 by cos, -sin 3π/16, 12 bits
	kBox56               // x5, x6 by cos, -sin π/16, 12 bits
)

const (
	kRowHalf = 12 + iota // rows: 1/√2, 8 bits
	kColHalf             // columns: 1/√2, 14 bits
	kRound               // 1<<19, the rounding of the column pass
	kLevel               // 128, the level shift
	kPerm                // the dword order that puts the packed rows in place
	kVectors
)

var k Mem

func vec(i int) Mem { return k.Offset(32 * i) }

// box emits dctBox(x0, x1) with the three constants from vector i:
// ksum = kcos*(x0+x1), y0 = ksum + (ksin-kcos)*x1, y1 = ksum - (kcos+ksin)*x0.
func box(x0, x1 VecVirtual, i int) (y0, y1 VecVirtual) {
	sum, t := YMM(), YMM()
	VPADDD(x1, x0, sum)
	VPMULLD(vec(i), sum, sum)
	y0, y1 = YMM(), YMM()
	VPMULLD(vec(i+1), x1, t)
	VPADDD(t, sum, y0)
	VPMULLD(vec(i+2), x0, t)
	VPSUBD(t, sum, y1)
	return y0, y1
}

// butterfly returns a+b, a-b.
func butterfly(a, b VecVirtual) (VecVirtual, VecVirtual) {
	s, d := YMM(), YMM()
	VPADDD(b, a, s)
	VPSUBD(b, a, d)
	return s, d
}

func sra(x VecVirtual, n uint64) VecVirtual {
	y := YMM()
	VPSRAD(U8(n), x, y)
	return y
}

func sll(x VecVirtual, n uint64) VecVirtual {
	y := YMM()
	VPSLLD(U8(n), x, y)
	return y
}

// transpose returns the 8x8 int32 matrix whose rows are r, transposed.
func transpose(r [8]VecVirtual) [8]VecVirtual {
	var t, u, o [8]VecVirtual
	for i := 0; i < 8; i += 2 {
		t[i], t[i+1] = YMM(), YMM()
		VPUNPCKLDQ(r[i+1], r[i], t[i])
		VPUNPCKHDQ(r[i+1], r[i], t[i+1])
	}
	for _, i := range []int{0, 4} {
		for j := 0; j < 2; j++ {
			u[i+2*j], u[i+2*j+1] = YMM(), YMM()
			VPUNPCKLQDQ(t[i+2+j], t[i+j], u[i+2*j])
			VPUNPCKHQDQ(t[i+2+j], t[i+j], u[i+2*j+1])
		}
	}
	for i := range 4 {
		o[i], o[i+4] = YMM(), YMM()
		VPERM2I128(U8(0x20), u[i+4], u[i], o[i])
		VPERM2I128(U8(0x31), u[i+4], u[i], o[i+4])
	}
	return o
}

// finish emits the end that the row and the column pass share, the odd
// half's last butterflies and boxes (its inputs shifted right by shift
// first) and stage 1:
//
//	x7, x5 = x7+x5, x7-x5
//	x4, x6 = x4+x6, x4-x6
//	x4, x7 = dctBox(x4>>shift, x7>>shift, cos 3π/16, -sin 3π/16)
//	x5, x6 = dctBox(x5>>shift, x6>>shift, cos π/16, -sin π/16)
//	x0, x7 = x0+x7, x0-x7 (and x1, x6; x2, x5; x3, x4)
func finish(x0, x1, x2, x3, x4, x5, x6, x7 VecVirtual, shift uint64) (y0, y1, y2, y3, y4, y5, y6, y7 VecVirtual) {
	x7, x5 = butterfly(x7, x5)
	x4, x6 = butterfly(x4, x6)
	x4, x7 = box(sra(x4, shift), sra(x7, shift), kBox47)
	x5, x6 = box(sra(x5, shift), sra(x6, shift), kBox56)
	y0, y7 = butterfly(x0, x7)
	y1, y6 = butterfly(x1, x6)
	y2, y5 = butterfly(x2, x5)
	y3, y4 = butterfly(x3, x4)
	return
}

func main() {
	ConstraintExpr("!purego")
	asmfunc.Begin("idctAVX2", fmt.Sprintf("func(b *[64]int32, px *[64]uint8, k *[%d][8]int32)", kVectors),
		"idctAVX2 is idctGo (dct.go) with eight lanes of int32: the inverse DCT of",
		"b, which it leaves as it was, level-shifted and clamped into px. k holds",
		"the constants, idctK.",
		"Requires: AVX2.",
	)
	b := Mem{Base: Load(Param("b"), GP64())}
	px := Mem{Base: Load(Param("px"), GP64())}
	k = Mem{Base: Load(Param("k"), GP64())}

	var r [8]VecVirtual
	for i := range r {
		r[i] = YMM()
		VMOVDQU(b.Offset(32*i), r[i])
	}
	// Rows, a lane each: column j of the block is vector j.
	c := transpose(r)
	x0, x7, x2, x5, x1, x6, x3, x4 := c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]
	x0, x1 = butterfly(sll(x0, 17), sll(x1, 17))
	x2, x3 = box(x2, x3, kRowBox23)
	x1, x2 = butterfly(x1, x2)
	x0, x3 = butterfly(x0, x3)
	x7, x4 = butterfly(sll(x7, 7), sll(x4, 7))
	h := YMM()
	VPMULLD(vec(kRowHalf), x6, h)
	x6 = h
	h = YMM()
	VPMULLD(vec(kRowHalf), x5, h)
	x5 = h
	x0, x1, x2, x3, x4, x5, x6, x7 = finish(x0, x1, x2, x3, x4, x5, x6, x7, 2)

	// Columns, a lane each: row i of the row pass's output is vector i.
	r = transpose([8]VecVirtual{x0, x1, x2, x3, x4, x5, x6, x7})
	x0, x7, x2, x5, x1, x6, x3, x4 = r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7]
	h = YMM()
	VPADDD(vec(kRound), x0, h)
	x0 = h
	x0, x1 = butterfly(x0, x1)
	x0, x1 = sra(x0, 2), sra(x1, 2)
	x2, x3 = box(sra(x2, 13), sra(x3, 13), kColBox23)
	x1, x2 = butterfly(x1, x2)
	x0, x3 = butterfly(x0, x3)
	x7, x4 = butterfly(x7, x4)
	h = sra(x5, 13)
	VPMULLD(vec(kColHalf), h, h)
	x5 = h
	h = sra(x6, 13)
	VPMULLD(vec(kColHalf), h, h)
	x6 = h
	x0, x1, x2, x3, x4, x5, x6, x7 = finish(x0, x1, x2, x3, x4, x5, x6, x7, 14)

	// Shift to Q10.3, level-shift, and clamp by saturating packs: int32 to
	// int16 (signed) and int16 to uint8 (unsigned) clamp to [0, 255] as
	// min(max(v, 0), 255) does. The packs interleave the two 128-bit
	// halves; VPERMD puts rows 4n to 4n+3 in order.
	out := []VecVirtual{x0, x1, x2, x3, x4, x5, x6, x7}
	for i := range out {
		v := sra(out[i], 18)
		VPADDD(vec(kLevel), v, v)
		out[i] = v
	}
	perm := YMM()
	VMOVDQU(vec(kPerm), perm)
	for half := range 2 {
		o := out[4*half:]
		p01, p23 := YMM(), YMM()
		VPACKSSDW(o[1], o[0], p01)
		VPACKSSDW(o[3], o[2], p23)
		VPACKUSWB(p23, p01, p01)
		VPERMD(p01, perm, p01)
		VMOVDQU(p01, px.Offset(32*half))
	}
	VZEROUPPER()
	RET()
	Generate()
}
