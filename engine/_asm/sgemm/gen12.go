package main

import (
	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	. "github.com/mmcloughlin/avo/reg"
)

// maxRows12 is the largest row count of the 12-column kernels: 8
// accumulators for columns 0-7, 4 for the paired columns 8-11, 2 B vectors
// and 2 broadcast temporaries (the blend of a pair's two elements goes into
// the first). Eight rows, not six, because a convolution's runs cut into
// full tiles and one shorter: seed99's conv2 (runs of 14 rows) ran 6+6+2,
// the 2-row tile at 3 accumulator sets about a quarter slower per row than
// the 6-row one, and runs 8+6 at 6.85 against 7.43 µs (fastest of 8
// alternating runs of BenchmarkLayers on the trained model).
const maxRows12 = 8

// pfDist is how far ahead (in bytes) the 6- and 12-column kernels prefetch
// each row of A, once every 16 steps of k. These kernels serve conv1 and
// conv2, whose im2col matrices (M≈20,000-78,000 rows) stream from L3 through
// 6 or 12 rows at once; the prefetch gained 5-10% there in noisy
// measurements, and nothing measurable on L2-resident batch-1 shapes.
var pfDist = 512

// rowPrefetch returns what prefetches the mr rows of A pfDist bytes ahead,
// or nil when pfDist is 0.
func rowPrefetch(mr int, rowAddr func(int) Mem) func() {
	if pfDist == 0 {
		return nil
	}
	return func() {
		for i := 0; i < mr; i++ {
			m := rowAddr(i)
			m.Disp += pfDist
			PREFETCHT0(m)
		}
	}
}

// microkernel12 emits an mr×12 tile for N=12 (conv2's output channels), which
// a 16-wide tile covers with a quarter of its lanes idle. Columns 0-7 of each
// row take one YMM; columns 8-11 of two rows share one YMM, low half row 2q
// and high half row 2q+1, multiplied by B's columns 8-11 loaded into both
// halves (VBROADCASTF128) and by A's two elements blended into the halves
// (VBLENDPS). Six rows cost 9 FMAs per step instead of 12.
func microkernel12(mr int) {
	pairs := (mr + 1) / 2
	k, csa, segs, b, rsb, bases, rowAddr := begin(mr, 12)
	perSet := mr + pairs
	sets := max(1, min(4, 11/perSet))
	type accSet struct{ lo, pair []VecVirtual }
	accs := make([]accSet, sets)
	for u := range accs {
		accs[u].lo = make([]VecVirtual, mr)
		accs[u].pair = make([]VecVirtual, pairs)
		for i := range accs[u].lo {
			accs[u].lo[i] = YMM()
			VXORPS(accs[u].lo[i], accs[u].lo[i], accs[u].lo[i])
		}
		for q := range accs[u].pair {
			accs[u].pair[q] = YMM()
			VXORPS(accs[u].pair[q], accs[u].pair[q], accs[u].pair[q])
		}
	}
	step := func(s accSet) {
		b0, b1 := YMM(), YMM()
		VMOVUPS(Mem{Base: b}, b0)
		VBROADCASTF128(Mem{Base: b, Disp: 32}, b1)
		for q := 0; q < pairs; q++ {
			i := 2 * q
			t0 := YMM()
			VBROADCASTSS(rowAddr(i), t0)
			VFMADD231PS(b0, t0, s.lo[i])
			if i+1 < mr {
				t1 := YMM()
				VBROADCASTSS(rowAddr(i+1), t1)
				VFMADD231PS(b0, t1, s.lo[i+1])
				VBLENDPS(U8(0xf0), t1, t0, t0)
				VFMADD231PS(b1, t0, s.pair[q])
			} else {
				VFMADD231PS(b1, t0, s.pair[q])
			}
		}
		nextStep(bases, csa, b, rsb)
	}
	segmentLoops("", k, segs, bases, sets, func(u int) { step(accs[u]) }, rowPrefetch(mr, rowAddr))
	Label("reduce")
	acc := accs[0]
	for u := 1; u < sets; u++ {
		for i := range acc.lo {
			VADDPS(accs[u].lo[i], acc.lo[i], acc.lo[i])
		}
		for q := range acc.pair {
			VADDPS(accs[u].pair[q], acc.pair[q], acc.pair[q])
		}
	}

	all := append(append([]VecVirtual(nil), acc.lo...), acc.pair...)
	epilogue(func() {
		b0, b1 := YMM(), YMM()
		VMOVUPS(Mem{Base: b}, b0)
		VBROADCASTF128(Mem{Base: b, Disp: 32}, b1)
		for i := range acc.lo {
			VADDPS(b0, acc.lo[i], acc.lo[i])
		}
		for q := range acc.pair {
			VADDPS(b1, acc.pair[q], acc.pair[q])
		}
	}, all)

	storeTile(func(cp, ldc Register, load bool) { store12(mr, acc.lo, acc.pair, cp, ldc, load) })
}

// store12 stores the 12-column tile: columns 0-7 of each row, then columns
// 8-11 from the low (even row) or high (odd row) half of the pair register.
func store12(mr int, lo, pair []VecVirtual, cp, ldc Register, load bool) {
	if load {
		Comment("C = C + A·B.")
	} else {
		Comment("C = A·B.")
	}
	var hi VecVirtual
	for i := 0; i < mr; i++ {
		if load {
			VADDPS(Mem{Base: cp}, lo[i], lo[i])
		}
		VMOVUPS(lo[i], Mem{Base: cp})
		p := pair[i/2]
		x := p.AsX()
		if i%2 == 0 {
			if i+1 < mr {
				hi = XMM()
				VEXTRACTF128(U8(1), p, hi)
			}
		} else {
			x = hi
		}
		if load {
			VADDPS(Mem{Base: cp, Disp: 32}, x, x)
		}
		VMOVUPS(x, Mem{Base: cp, Disp: 32})
		if i < mr-1 {
			ADDQ(ldc, cp)
		}
	}
	VZEROUPPER()
	RET()
}
