// Command sgemm generates engine/kernel's AVX2/FMA single-precision GEMM
// microkernels, sgemm_amd64.s, their Go declarations sgemm_stubs_amd64.go,
// and the dispatch that calls them, sgemm_dispatch_amd64.go (the tile
// geometries sgemmShapes and sgemmTile), so that the widths and row counts
// are written down once, here.
//
// One parameterised function, microkernel, emits every tile: a tile is mr
// rows of C by w columns (w = 8, 16 or 24, one to three YMM vectors), and a
// kernel is emitted for every mr from 1 to the row count its width allows in
// the 16 YMM registers (w·mr/8 accumulators, w/8 B vectors and one broadcast
// register). The kernels read A in place through a row stride and a column
// stride (so the same code serves A and Aᵀ) and broadcast one element of A
// per row; they read w columns of B per step through a row stride (a packed
// panel or the caller's matrix). Every kernel (these and the 12-, 6- and
// 4-column ones of gen12.go and gen6.go) walks its rows of A as segs
// segments of k steps, segStep apart, which is how SgemmPackedWindows reads
// a convolution's windows in place, and ends with the optional epilogue
// (bias row, ReLU) before its store: see segments and epilogue.
package main

import (
	"flag"
	"fmt"

	"github.com/edgeconv/edgeconv/engine/_asm/internal/asmfunc"
	"github.com/edgeconv/edgeconv/engine/_asm/internal/gofile"
	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	. "github.com/mmcloughlin/avo/reg"
)

//go:generate go run . -out ../../kernel/sgemm_amd64.s -stubs ../../kernel/sgemm_stubs_amd64.go -dispatch ../../kernel/sgemm_dispatch_amd64.go -pkg kernel

// family is the microkernels of one tile width w, one for every row count
// from 1 to maxRows. maskB marks the widths whose kernels read a narrower B
// (nr < w) in place with VMASKMOVPS instead of from a zero-padded copy: the
// mask takes one more YMM register, which the 4×24 tile does not have.
// exact marks the kernels that compute exactly w columns: the 12-, 6- and
// 4-wide ones, where rows share registers so that no lane is idle.
type family struct {
	w, maxRows int
	maskB      bool
	exact      bool
}

// families lists the kernels in the order they are emitted.
var families = []family{
	{w: 24, maxRows: 4},
	{w: 16, maxRows: 6, maskB: true},
	{w: 8, maxRows: 12, maskB: true},
	{w: 12, maxRows: maxRows12, exact: true},
	{w: 6, maxRows: maxRows6, exact: true},
	{w: 4, maxRows: maxRows4, exact: true},
}

// emit emits the family's mr-row kernel.
func (f family) emit(mr int) {
	switch f.w {
	case 12:
		microkernel12(mr)
	case 6, 4:
		microkernel6(mr, f.w)
	default:
		microkernel(mr, f.w, f.maskB)
	}
}

// kernelName is the name of the mr×w kernel.
func kernelName(mr, w int) string { return fmt.Sprintf("sgemm%dx%dAVX2", mr, w) }

// maskTable holds 8 all-ones then 8 zero int32s: the 8 int32s from index
// 8-r are a VMASKMOVPS mask of the first r lanes.
var maskTable Mem

func main() {
	flag.Parse()
	ConstraintExpr("!purego")
	maskTable = asmfunc.Data("sgemmmask", 16, func(i int) Constant {
		if i < 8 {
			return U32(0xffffffff)
		}
		return U32(0)
	})
	for _, f := range families {
		for mr := 1; mr <= f.maxRows; mr++ {
			f.emit(mr)
		}
	}
	pairSpread = asmfunc.Data("sgemmpairs", 8, func(i int) Constant { return U32(i / 4) })
	microkernel6Adjacent()
	for _, w := range sparseWidths {
		sparseKernel(w)
	}
	nonzeroKernel()
	directKernel()
	gofile.Dispatch(writeDispatch)
	Generate()
}

func microkernel(mr, w int, masked bool) {
	nv := w / 8
	k, csa, segs, b, rsb, bases, rowAddr := begin(mr, w)
	// With few rows, k is unrolled over independent accumulator sets so that
	// enough FMAs are in flight to hide their latency; the sets are summed
	// at the end.
	sets := max(1, min(8, 12/(mr*nv)))
	accs := make([][][]VecVirtual, sets)
	for u := range accs {
		accs[u] = make([][]VecVirtual, mr)
		for i := range accs[u] {
			accs[u][i] = make([]VecVirtual, nv)
			for v := range accs[u][i] {
				accs[u][i][v] = YMM()
				VXORPS(accs[u][i][v], accs[u][i][v], accs[u][i][v])
			}
		}
	}
	acc := accs[0]
	step := func(set [][]VecVirtual, mask VecVirtual) {
		bv := make([]VecVirtual, nv)
		for v := range bv {
			bv[v] = YMM()
			if mask != nil && v == nv-1 {
				VMASKMOVPS(Mem{Base: b, Disp: 32 * v}, mask, bv[v])
			} else {
				VMOVUPS(Mem{Base: b, Disp: 32 * v}, bv[v])
			}
		}
		for i := 0; i < mr; i++ {
			t := YMM()
			VBROADCASTSS(rowAddr(i), t)
			for v := 0; v < nv; v++ {
				VFMADD231PS(bv[v], t, set[i][v])
			}
		}
		nextStep(bases, csa, b, rsb)
	}

	nr := Load(Param("nr"), GP64())
	loops := func(sfx string, mask VecVirtual) {
		segmentLoops(sfx, k, segs, bases, sets, func(u int) { step(accs[u], mask) }, nil)
	}
	if masked {
		CMPQ(nr, U8(w))
		JNE(LabelRef("masked"))
	}
	loops("", nil)
	if masked {
		Label("masked")
		Comment("nr < width: the last B vector is loaded under a mask of its",
			"nr-8·(width/8-1) valid lanes.")
		tbl, r := GP64(), GP64()
		LEAQ(maskTable, tbl)
		MOVQ(nr, r)
		NEGQ(r)
		mask := YMM()
		VMOVDQU(Mem{Base: tbl, Index: r, Scale: 4, Disp: 32 + 32*(nv-1)}, mask)
		loops("m", mask)
	}
	Label("reduce")
	for u := 1; u < sets; u++ {
		for i := 0; i < mr; i++ {
			for v := 0; v < nv; v++ {
				VADDPS(accs[u][i][v], acc[i][v], acc[i][v])
			}
		}
	}

	var all []VecVirtual
	for i := range acc {
		all = append(all, acc[i]...)
	}
	epilogue(func() {
		for v := 0; v < nv; v++ {
			bv := YMM()
			VMOVUPS(Mem{Base: b, Disp: 32 * v}, bv)
			for i := 0; i < mr; i++ {
				VADDPS(bv, acc[i][v], acc[i][v])
			}
		}
	}, all)

	Label("epilogue")
	cp := Load(Param("c"), GP64())
	ldc := Load(Param("ldc"), GP64())
	SHLQ(U8(2), ldc)
	ld := Load(Param("load"), GP8())
	CMPQ(nr, U8(w))
	JNE(LabelRef("partial"))
	TESTB(ld, ld)
	JNZ(LabelRef("fullload"))

	fullStore(mr, nv, acc, cp, ldc, false)
	Label("fullload")
	fullStore(mr, nv, acc, cp, ldc, true)

	Label("partial")
	TESTB(ld, ld)
	JNZ(LabelRef("partialload"))
	partialStore(mr, nv, acc, cp, ldc, nr, false)
	Label("partialload")
	partialStore(mr, nv, acc, cp, ldc, nr, true)
}

// begin emits what every microkernel starts with: the declaration and
// documentation of the mr×w kernel, then the loads of its pointers and byte
// strides. It returns k, the counter of the steps left in the current
// segment; csa, A's column stride; the segments of A's rows; B and its row
// stride rsb; the pointers to the first row of each quad of rows of A; and
// rowAddr, where row i of A is read.
func begin(mr, w int) (k, csa Register, segs segments, b, rsb Register, bases []Register, rowAddr func(i int) Mem) {
	return beginAs(kernelName(mr, w), kernelDoc(mr, w), mr)
}

// beginAs is begin for a kernel of another name and documentation.
func beginAs(name string, doc []string, mr int) (k, csa Register, segs segments, b, rsb Register, bases []Register, rowAddr func(i int) Mem) {
	asmfunc.Begin(name, signature, doc...)
	k = GP64() // steps left in the current segment
	a0 := Load(Param("a"), GP64())
	csa = Load(Param("csa"), GP64())
	SHLQ(U8(2), csa)
	segs = newSegments(csa)
	b = Load(Param("b"), GP64())
	rsb = Load(Param("rsb"), GP64())
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
	bases = []Register{a0}
	for i := 4; i < mr; i += 4 {
		nb := GP64()
		LEAQ(Mem{Base: bases[len(bases)-1], Index: rsa, Scale: 4}, nb)
		bases = append(bases, nb)
	}
	rowAddr = func(i int) Mem {
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
	return k, csa, segs, b, rsb, bases, rowAddr
}

// fullStore emits the store of a whole tile, mr rows of nv vectors, adding
// C's values first when load is set, and the return.
func fullStore(mr, nv int, acc [][]VecVirtual, cp, ldc Register, load bool) {
	if load {
		Comment("Full tile, C = C + A·B.")
	} else {
		Comment("Full tile, C = A·B.")
	}
	for i := 0; i < mr; i++ {
		for v := 0; v < nv; v++ {
			if load {
				VADDPS(Mem{Base: cp, Disp: 32 * v}, acc[i][v], acc[i][v])
			}
			VMOVUPS(acc[i][v], Mem{Base: cp, Disp: 32 * v})
		}
		if i < mr-1 {
			ADDQ(ldc, cp)
		}
	}
	VZEROUPPER()
	RET()
}

// storeTile emits the end of the exact-width kernels: C's pointer and byte
// stride, then the store twice, store(cp, ldc, load): C = A·B, and, for
// the argument load, C = C + A·B.
func storeTile(store func(cp, ldc Register, load bool)) {
	cp := Load(Param("c"), GP64())
	ldc := Load(Param("ldc"), GP64())
	SHLQ(U8(2), ldc)
	ld := Load(Param("load"), GP8())
	TESTB(ld, ld)
	JNZ(LabelRef("storeload"))
	store(cp, ldc, false)
	Label("storeload")
	store(cp, ldc, true)
}

// partialStore emits the store of a tile narrower than its width (nr < w):
// for each row, whole vectors while 8 or more columns remain, then the last
// 0-7 columns in pieces of 4, 2 and 1, straight from the registers.
func partialStore(mr, nv int, acc [][]VecVirtual, cp, ldc, nr Register, load bool) {
	sfx := "s"
	if load {
		sfx = "l"
		Comment("Partial tile, C = C + A·B.")
	} else {
		Comment("Partial tile, C = A·B.")
	}
	rem, dst := GP64(), GP64()
	for i := 0; i < mr; i++ {
		row := fmt.Sprintf("%s%d", sfx, i)
		MOVQ(nr, rem)
		MOVQ(cp, dst)
		// Whole vectors while 8 or more columns remain; the last vector
		// always has fewer than 8 left.
		for v := 0; v < nv-1; v++ {
			CMPQ(rem, U8(8))
			JL(LabelRef(fmt.Sprintf("%s_%d", row, v)))
			if load {
				VADDPS(Mem{Base: dst}, acc[i][v], acc[i][v])
			}
			VMOVUPS(acc[i][v], Mem{Base: dst})
			ADDQ(U8(32), dst)
			SUBQ(U8(8), rem)
		}
		for v := nv - 1; v >= 0; v-- {
			lbl := fmt.Sprintf("%s_%d", row, v)
			Label(lbl)
			partialVector(acc[i][v], rem, dst, lbl, load)
			if v > 0 {
				JMP(LabelRef(row + "_end"))
			}
		}
		Label(row + "_end")
		if i < mr-1 {
			ADDQ(ldc, cp)
		}
	}
	VZEROUPPER()
	RET()
}

// partialVector stores the first rem (0-7) lanes of y at dst, added to what
// is there when load is set, in pieces of 4, 2 and 1 lanes.
func partialVector(y VecVirtual, rem, dst Register, lbl string, load bool) {
	x := y.AsX()
	TESTQ(U32(4), rem)
	JZ(LabelRef(lbl + "h"))
	hi := XMM()
	VEXTRACTF128(U8(1), y, hi)
	if load {
		VADDPS(Mem{Base: dst}, x, x)
	}
	VMOVUPS(x, Mem{Base: dst})
	VMOVAPS(hi, x)
	ADDQ(U8(16), dst)
	Label(lbl + "h")
	TESTQ(U32(2), rem)
	JZ(LabelRef(lbl + "o"))
	if load {
		t := XMM()
		VMOVSD(Mem{Base: dst}, t)
		VADDPS(t, x, x)
	}
	VMOVSD(x, Mem{Base: dst})
	VMOVHLPS(x, x, x)
	ADDQ(U8(8), dst)
	Label(lbl + "o")
	TESTQ(U32(1), rem)
	JZ(LabelRef(lbl + "e"))
	if load {
		VADDSS(Mem{Base: dst}, x, x)
	}
	VMOVSS(x, Mem{Base: dst})
	Label(lbl + "e")
}

// signature is the Go declaration shared by every microkernel.
const signature = "func(k, segs int, a *float32, rsa, csa, segStep int, b *float32, rsb int, c *float32, ldc, nr int, load bool, epi int)"

// kernelDoc is the documentation of the mr×w kernel: the whole family's
// on its one-row kernel, and a line that points there on the others.
func kernelDoc(mr, w int) []string {
	f := familyOf(w)
	first := kernelName(1, w)
	if mr > 1 {
		return []string{fmt.Sprintf("%s is %s for mr = %d.", kernelName(mr, w), first, mr)}
	}
	cols, bounds := "nr", fmt.Sprintf("1 ≤ nr ≤ %d, ", w)
	if f.exact {
		cols, bounds = fmt.Sprint(w), ""
	}
	doc := []string{
		fmt.Sprintf("%s to %s, the %d-column kernels, compute one mr×%s tile", first, kernelName(f.maxRows, w), w, cols),
		fmt.Sprintf("of C = A·B, mr being the row count in the name (1 ≤ mr ≤ %d, %sk ≥ 0,", f.maxRows, bounds),
		"segs ≥ 1), where row i of A is segs segments of k elements, element p of",
		"segment s at a[i*rsa+s*segStep+p*csa], and B has segs·k rows:",
		"",
		"\tfor i := 0; i < mr; i++ {",
		fmt.Sprintf("\t\tfor j := 0; j < %s; j++ {", cols),
		"\t\t\tvar sum float32",
		"\t\t\tfor s := 0; s < segs; s++ {",
		"\t\t\t\tfor p := 0; p < k; p++ {",
		"\t\t\t\t\tsum += a[i*rsa+s*segStep+p*csa] * b[(s*k+p)*rsb+j] // fused multiply-add",
		"\t\t\t\t}",
		"\t\t\t}",
		"\t\t\tif epi&1 != 0 {",
		"\t\t\t\tsum += b[segs*k*rsb+j]",
		"\t\t\t}",
		"\t\t\tif epi&2 != 0 {",
		"\t\t\t\tsum = max(sum, 0)",
		"\t\t\t}",
		"\t\t\tif load {",
		"\t\t\t\tsum = c[i*ldc+j] + sum",
		"\t\t\t}",
		"\t\t\tc[i*ldc+j] = sum",
		"\t\t}",
		"\t}",
		"",
		"With segs = 1 it is a plain GEMM tile; with segs > 1 the rows of A are the",
		"windows of a convolution read from its image (implicit GEMM). Before the",
		"store, bit 0 of epi adds row segs·k of b (a bias) to every row of the",
		"product, and bit 1 then clamps it at zero; callers set epi only with",
		"load false.",
	}
	doc = append(doc, readsB(f)...)
	return append(doc,
		"Reference: sgemm_generic.go (sgemmGeneric).",
		"Requires: AVX, FMA (dispatched only when AVX2 and FMA are both present).",
	)
}

// familyOf returns the family of width w.
func familyOf(w int) family {
	for _, f := range families {
		if f.w == w {
			return f
		}
	}
	panic(fmt.Sprintf("no kernel family of width %d", w))
}

// epilogue emits what a tile does to A·B before it stores it, by the bits
// of the parameter epi: bit 0 adds the row of B after the last step (where
// b points then), the bias packed as row k of B, with addBias; bit 1 clamps
// the accumulators acc at zero (ReLU).
func epilogue(addBias func(), acc []VecVirtual) {
	e := Load(Param("epi"), GP64())
	TESTQ(e, e)
	JZ(LabelRef("noepi"))
	TESTQ(U32(1), e)
	JZ(LabelRef("nobias"))
	Comment("Bias: the row of B after the last step.")
	addBias()
	Label("nobias")
	TESTQ(U32(2), e)
	JZ(LabelRef("noepi"))
	Comment("ReLU.")
	zero := YMM()
	VXORPS(zero, zero, zero)
	for _, a := range acc {
		VMAXPS(zero, a, a)
	}
	Label("noepi")
}

// nextStep emits the end of one step of k: every row base of A moves on by
// csa, B by rsb.
func nextStep(bases []Register, csa, b, rsb Register) {
	for _, base := range bases {
		ADDQ(csa, base)
	}
	ADDQ(rsb, b)
}

// segmentLoops emits the loops over A's segments and, in each, over its
// steps of k (kLoops), ending at "reduce".
func segmentLoops(sfx string, k Register, segs segments, bases []Register, sets int, step func(u int), prefetch func()) {
	segs.loop(sfx, k, bases, "reduce", func(end string) {
		kLoops(sfx, k, sets, end, step, prefetch)
	})
}

// kLoops emits the k loop of one segment, counting k down to zero: with
// several accumulator sets, sets steps per iteration (step(u) for set u)
// while that many remain; then one step per iteration on set 0, and with a
// single set, prefetch (unless nil) every 16 steps. It ends at, or jumps
// to, end.
func kLoops(sfx string, k Register, sets int, end string, step func(u int), prefetch func()) {
	if sets > 1 {
		Commentf("Main loop: %d steps of k per iteration, one per accumulator set.", sets)
		CMPQ(k, U8(sets))
		JL(LabelRef("single" + sfx))
		Label("loopsets" + sfx)
		for u := 0; u < sets; u++ {
			step(u)
		}
		SUBQ(U8(sets), k)
		CMPQ(k, U8(sets))
		JGE(LabelRef("loopsets" + sfx))
		Label("single" + sfx)
	}
	Comment("One step of k per iteration.")
	TESTQ(k, k)
	JZ(LabelRef(end))
	Label("loop" + sfx)
	if sets == 1 && prefetch != nil {
		TESTQ(U32(15), k)
		JNZ(LabelRef("nopf" + sfx))
		prefetch()
		Label("nopf" + sfx)
	}
	step(0)
	DECQ(k)
	JNZ(LabelRef("loop" + sfx))
}

// segments is the state, on the stack, of a microkernel's loop over the
// segments of A's rows: the segments left, and the bytes from where one
// segment's k steps leave a row pointer to where the next segment starts.
type segments struct{ left, skip Mem }

// newSegments loads the segment parameters; csa is the column stride of A in
// bytes.
func newSegments(csa Register) segments {
	s := segments{left: AllocLocal(8), skip: AllocLocal(8)}
	n := Load(Param("segs"), GP64())
	MOVQ(n, s.left)
	skip := Load(Param("segStep"), GP64())
	SHLQ(U8(2), skip)
	walked := Load(Param("k"), GP64())
	IMULQ(csa, walked)
	SUBQ(walked, skip)
	MOVQ(skip, s.skip)
	return s
}

// loop emits the loop over the segments: body emits one segment's steps,
// counting k down from the parameter k and ending at (or jumping to) the
// label it is given; between segments the row pointers in bases move to the
// next segment. After the last segment it jumps to done.
func (s segments) loop(sfx string, k Register, bases []Register, done string, body func(end string)) {
	Label("segment" + sfx)
	Load(Param("k"), k)
	body("segend" + sfx)
	Label("segend" + sfx)
	DECQ(s.left)
	JZ(LabelRef(done))
	for _, base := range bases {
		ADDQ(s.skip, base)
	}
	JMP(LabelRef("segment" + sfx))
}

// readsB says how a family's kernels read B.
func readsB(f family) []string {
	switch {
	case f.exact:
		return []string{fmt.Sprintf("All strides are in elements; it reads exactly %d columns of every row of b.", f.w)}
	case f.maskB:
		return []string{
			fmt.Sprintf("All strides are in elements. With nr = %d it reads all columns of b; with", f.w),
			fmt.Sprintf("nr < %d only the first nr of every row (a masked load that never touches", f.w),
			"the others), so b can be the caller's matrix.",
		}
	}
	return []string{
		fmt.Sprintf("All strides are in elements. It reads all %d columns of every row of b,", f.w),
		"so b must hold them even when nr is smaller (a zero-padded packed panel).",
	}
}
