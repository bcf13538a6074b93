package main

import (
	"fmt"

	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	. "github.com/mmcloughlin/avo/reg"
)

// maxRows6 is the largest row count of the 6-column kernels: 3 quads of rows,
// 3 accumulators each, plus 2 B vectors and 3 temporaries. The 4-column
// kernels, 2 accumulators per quad, go to 16 rows.
const (
	maxRows6 = 12
	maxRows4 = 16
)

// quadAcc holds the accumulators of one quad of rows: p01 (columns 0-3 of
// rows 0 and 1), p23 (rows 2 and 3; nil when the quad has at most 2 rows) and
// q (columns 4-5 of the four rows).
type quadAcc struct{ p01, p23, q VecVirtual }

// microkernel6 emits an mr×6 tile for N=6 (conv1's output channels), which an
// 8-wide tile covers with a quarter of its lanes idle. Rows go in quads
// r0..r3. Columns 0-3 of r0 and r1 share one YMM (low and high half), as do
// those of r2 and r3, multiplied by B's columns 0-3 in both halves
// (VBROADCASTF128). Columns 4-5 of all four rows share a third YMM, lanes
// [r0 r0 r2 r2 | r1 r1 r3 r3], multiplied by B's columns 4-5 repeated
// (VBROADCASTSD); its A operand is one VBLENDPS of the two pair operands.
// Twelve rows cost 9 FMAs per step instead of 12.
//
// With cols = 4 (seed98's conv1) only the pair registers remain.
func microkernel6(mr, cols int) {
	microkernel6As(mr, cols, false)
}

// adjacentName is the name of the 12×6 kernel for rows of A adjacent in
// memory.
const adjacentName = "sgemm12x6AdjAVX2"

// pairSpread holds the int32s 0, 0, 0, 0, 1, 1, 1, 1: the VPERMILPS control
// that spreads elements 0 and 1 of each half of a register over the low
// and the high half.
var pairSpread Mem

// microkernel6Adjacent emits sgemm12x6AdjAVX2, the 12×6 tile for rows of A
// adjacent in memory (rsa = 1: Aᵀ read in place, as the weight gradient of
// a convolution with 6 output channels reads its im2col matrix). The
// 12×6 kernel broadcasts each of its 12 rows' elements on its own, 14
// loads per step of 9 FMAs; this one loads two rows' elements at once
// (VBROADCASTSD) and spreads them over the halves of the pair register
// (VPERMILPS), 8 loads per step. The lanes, and so the bits, are the
// 12×6 kernel's.
func microkernel6Adjacent() {
	microkernel6As(12, 6, true)
}

// microkernel6As emits the mr×cols kernel, or with adjacent set its
// variant for rows of A adjacent in memory (microkernel6Adjacent).
func microkernel6As(mr, cols int, adjacent bool) {
	quads := (mr + 3) / 4
	rowsIn := func(g int) int { return min(4, mr-4*g) }
	var k, csa Register
	var segs segments
	var b, rsb Register
	var bases []Register
	var rowAddr func(i int) Mem
	var spread VecVirtual
	prefetch := func() func() { return rowPrefetch(mr, rowAddr) }
	if adjacent {
		k, csa, segs, b, rsb, bases, rowAddr = beginAs(adjacentName, []string{
			fmt.Sprintf("%s is %s for rsa = 1, rows of A adjacent in memory: it", adjacentName, kernelName(mr, cols)),
			"loads the elements of two rows at once and spreads them over the halves of",
			"a register, for the same lanes and the same bits.",
		}, mr)
		spread = YMM()
		VMOVDQU(pairSpread, spread)
		// The hardware prefetcher follows a column of A at its
		// constant stride; prefetching along the rows would fetch
		// the same line twelve times.
		prefetch = func() func() { return nil }
	} else {
		k, csa, segs, b, rsb, bases, rowAddr = begin(mr, cols)
	}
	perSet := 0
	for g := 0; g < quads; g++ {
		perSet++
		if cols == 6 {
			perSet++
		}
		if rowsIn(g) > 2 {
			perSet++
		}
	}
	sets := max(1, min(4, 11/perSet))
	zero := func() VecVirtual {
		v := YMM()
		VXORPS(v, v, v)
		return v
	}
	accs := make([][]quadAcc, sets)
	for u := range accs {
		accs[u] = make([]quadAcc, quads)
		for g := range accs[u] {
			accs[u][g].p01 = zero()
			if rowsIn(g) > 2 {
				accs[u][g].p23 = zero()
			}
			if cols == 6 {
				accs[u][g].q = zero()
			}
		}
	}
	// pairOperand broadcasts rows i and i+1 of A into the two halves of a
	// register (row i alone when i+1 is past the tile).
	pairOperand := func(i int) VecVirtual {
		t0 := YMM()
		if adjacent && i+1 < mr {
			p := YMM()
			VBROADCASTSD(rowAddr(i), t0)
			VPERMILPS(spread, t0, p)
			return p
		}
		VBROADCASTSS(rowAddr(i), t0)
		if i+1 >= mr {
			return t0
		}
		t1, p := YMM(), YMM()
		VBROADCASTSS(rowAddr(i+1), t1)
		VBLENDPS(U8(0xf0), t1, t0, p)
		return p
	}
	// loadB loads the row of B at b: columns 0-3 in both halves of bLo
	// and, for 6 columns, 4-5 in every quarter of bHi.
	loadB := func() (bLo, bHi VecVirtual) {
		bLo = YMM()
		VBROADCASTF128(Mem{Base: b}, bLo)
		if cols == 6 {
			bHi = YMM()
			VBROADCASTSD(Mem{Base: b, Disp: 16}, bHi)
		}
		return bLo, bHi
	}
	step := func(set []quadAcc) {
		bLo, bHi := loadB()
		for g := 0; g < quads; g++ {
			s := set[g]
			p01 := pairOperand(4 * g)
			VFMADD231PS(bLo, p01, s.p01)
			p23 := p01
			if rowsIn(g) > 2 {
				p23 = pairOperand(4*g + 2)
				VFMADD231PS(bLo, p23, s.p23)
			}
			if cols == 6 {
				qa := YMM()
				VBLENDPS(U8(0xcc), p23, p01, qa)
				VFMADD231PS(bHi, qa, s.q)
			}
		}
		nextStep(bases, csa, b, rsb)
	}
	segmentLoops("", k, segs, bases, sets, func(u int) { step(accs[u]) }, prefetch())
	Label("reduce")
	acc := accs[0]
	for u := 1; u < sets; u++ {
		for g := range acc {
			VADDPS(accs[u][g].p01, acc[g].p01, acc[g].p01)
			if acc[g].p23 != nil {
				VADDPS(accs[u][g].p23, acc[g].p23, acc[g].p23)
			}
			if cols == 6 {
				VADDPS(accs[u][g].q, acc[g].q, acc[g].q)
			}
		}
	}

	var all []VecVirtual
	for _, q := range acc {
		for _, v := range []VecVirtual{q.p01, q.p23, q.q} {
			if v != nil {
				all = append(all, v)
			}
		}
	}
	epilogue(func() {
		bLo, bHi := loadB()
		for _, q := range acc {
			VADDPS(bLo, q.p01, q.p01)
			if q.p23 != nil {
				VADDPS(bLo, q.p23, q.p23)
			}
			if cols == 6 {
				VADDPS(bHi, q.q, q.q)
			}
		}
	}, all)

	storeTile(func(cp, ldc Register, load bool) { store6(mr, cols, acc, cp, ldc, load) })
}

// store6 stores the 6-column tile row by row: columns 0-3 from a half of a
// pair register, columns 4-5 from a quarter of the quad register.
func store6(mr, cols int, acc []quadAcc, cp, ldc Register, load bool) {
	if load {
		Comment("C = C + A·B.")
	} else {
		Comment("C = A·B.")
	}
	for g := range acc {
		n := min(4, mr-4*g)
		// cols03[r] holds row r's columns 0-3; cols45[r] holds row r's
		// columns 4-5 in its low 64 bits.
		var cols03, cols45 [4]Register
		cols03[0] = acc[g].p01.AsX()
		if n > 1 {
			cols03[1] = XMM()
			VEXTRACTF128(U8(1), acc[g].p01, cols03[1])
		}
		if n > 2 {
			cols03[2] = acc[g].p23.AsX()
		}
		if n > 3 {
			cols03[3] = XMM()
			VEXTRACTF128(U8(1), acc[g].p23, cols03[3])
		}
		if cols == 6 {
			ql := acc[g].q.AsX()
			if n > 1 {
				cols45[1] = XMM()
				VEXTRACTF128(U8(1), acc[g].q, cols45[1])
			}
			if n > 3 {
				cols45[3] = XMM()
				VMOVHLPS(cols45[1], cols45[1], cols45[3])
			}
			if n > 2 {
				cols45[2] = XMM()
				VMOVHLPS(ql, ql, cols45[2])
			}
			cols45[0] = ql
		}
		for r := 0; r < n; r++ {
			x := cols03[r]
			if load {
				VADDPS(Mem{Base: cp}, x, x)
			}
			VMOVUPS(x, Mem{Base: cp})
			if y := cols45[r]; y != nil {
				if load {
					t := XMM()
					VMOVSD(Mem{Base: cp, Disp: 16}, t)
					VADDPS(t, y, y)
				}
				VMOVSD(y, Mem{Base: cp, Disp: 16})
			}
			if 4*g+r < mr-1 {
				ADDQ(ldc, cp)
			}
		}
	}
	VZEROUPPER()
	RET()
}
