package kernel

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/edgeconv/edgeconv/internal/alloctest"
)

// sgemmCase is one product to test: op(A) is m×k, op(B) k×n. Leading
// dimensions of 0 mean "as small as allowed"; pad adds that many elements to
// each of them.
type sgemmCase struct {
	name           string
	transA, transB bool
	m, n, k        int
	pad            int
	accumulate     bool
}

func (tc sgemmCase) String() string {
	return fmt.Sprintf("%s transA=%v transB=%v m=%d n=%d k=%d pad=%d accumulate=%v",
		tc.name, tc.transA, tc.transB, tc.m, tc.n, tc.k, tc.pad, tc.accumulate)
}

// stored returns the stored shapes of A and B: op(A) is m×k, and A is
// stored k×m when transposed; likewise B.
func (tc sgemmCase) stored() (ar, ac, br, bc int) {
	ar, ac, br, bc = tc.m, tc.k, tc.k, tc.n
	if tc.transA {
		ar, ac = tc.k, tc.m
	}
	if tc.transB {
		br, bc = tc.n, tc.k
	}
	return ar, ac, br, bc
}

func (tc sgemmCase) flops() float64 { return 2 * float64(tc.m) * float64(tc.n) * float64(tc.k) }

// sentinel marks every element a kernel must neither change nor use: the
// guard bands around each matrix and the gaps between rows.
var sentinel = math.Float32frombits(0x7fc0dead)

const guardLen = 37

// guarded is a rows×cols matrix with row stride ld inside a buffer that
// starts and ends with guardLen sentinels; row gaps hold sentinels too.
type guarded struct {
	rows, cols, ld int
	buf            []float32
}

func newGuarded(rng *rand.Rand, rows, cols, ld int) guarded {
	g := guarded{rows: rows, cols: cols, ld: ld}
	n := 0
	if rows > 0 && cols > 0 {
		n = (rows-1)*ld + cols
	}
	g.buf = make([]float32, n+2*guardLen)
	for i := range g.buf {
		g.buf[i] = sentinel
	}
	for i := 0; i < rows; i++ {
		for j := 0; j < cols; j++ {
			g.buf[guardLen+i*ld+j] = rng.Float32()*2 - 1
		}
	}
	return g
}

// view is the matrix as Sgemm sees it, capped so that Go code cannot reach
// the guards either.
func (g guarded) view() []float32 {
	n := len(g.buf) - 2*guardLen
	return g.buf[guardLen : guardLen+n : guardLen+n]
}

func (g guarded) inMatrix(idx int) (i, j int, ok bool) {
	idx -= guardLen
	if idx < 0 || idx >= len(g.buf)-2*guardLen {
		return 0, 0, false
	}
	i, j = idx/g.ld, idx%g.ld
	return i, j, j < g.cols
}

func (g guarded) clone() guarded {
	h := g
	h.buf = append([]float32(nil), g.buf...)
	return h
}

// sgemmOperands holds one test product's inputs and expected output.
type sgemmOperands struct {
	tc      sgemmCase
	a, b, c guarded
	lda     int
	ldb     int
	ldc     int
	want    guarded // C after the reference, on the rows in checkRows
	rows    []int   // rows of C to check (all of them unless the product is large)
	scratch []float32
}

// refBudget is the largest m·n·k for which the reference computes every row;
// above it a sample of rows is checked.
const refBudget = 8_000_000

func newSgemmOperands(tc sgemmCase, seed uint64) *sgemmOperands {
	rng := rand.New(rand.NewPCG(seed, uint64(tc.m)<<40|uint64(tc.n)<<20|uint64(tc.k)))
	o := &sgemmOperands{tc: tc}
	ar, ac, br, bc := tc.stored()
	o.lda = max(ac, 1) + tc.pad
	o.ldb = max(bc, 1) + tc.pad
	o.ldc = max(tc.n, 1) + tc.pad
	o.a = newGuarded(rng, ar, ac, o.lda)
	o.b = newGuarded(rng, br, bc, o.ldb)
	o.c = newGuarded(rng, tc.m, tc.n, o.ldc)
	o.scratch = make([]float32, SgemmScratchLen(tc.m, tc.n, tc.k)+guardLen)
	for i := range o.scratch {
		o.scratch[i] = sentinel
	}

	// The reference, on every row or on a sample that includes both ends.
	if float64(tc.m)*float64(tc.n)*float64(tc.k) <= refBudget {
		for i := 0; i < tc.m; i++ {
			o.rows = append(o.rows, i)
		}
	} else {
		seen := map[int]bool{}
		add := func(i int) {
			if i >= 0 && i < tc.m && !seen[i] {
				seen[i] = true
				o.rows = append(o.rows, i)
			}
		}
		for i := 0; i < 13; i++ {
			add(i)
			add(tc.m - 1 - i)
		}
		budget := max(4, refBudget/max(1, tc.n*tc.k))
		for len(o.rows) < min(tc.m, budget) {
			add(rng.IntN(tc.m))
		}
	}
	o.want = o.c.clone()
	av, bv, wv := o.a.view(), o.b.view(), o.want.view()
	for _, i := range o.rows {
		if tc.n == 0 {
			break
		}
		var ai []float32 // row i of op(A)
		switch {
		case tc.k == 0:
		case tc.transA:
			ai = av[i:]
		default:
			ai = av[i*o.lda:]
		}
		sgemmGeneric(tc.transA, tc.transB, 1, tc.n, tc.k, ai, o.lda, bv, o.ldb, wv[i*o.ldc:], o.ldc, tc.accumulate)
	}
	return o
}

// run calls fn on a fresh copy of C and checks the result, the guards and
// the inputs.
func (o *sgemmOperands) run(t testing.TB, name string, fn func(transA, transB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int, accumulate bool, scratch []float32)) {
	t.Helper()
	tc := o.tc
	a0, b0 := o.a.clone(), o.b.clone()
	c := o.c.clone()
	fn(tc.transA, tc.transB, tc.m, tc.n, tc.k, o.a.view(), o.lda, o.b.view(), o.ldb, c.view(), o.ldc, tc.accumulate, o.scratch[:len(o.scratch)-guardLen])
	for _, in := range []struct {
		what      string
		got, want guarded
	}{{"A", o.a, a0}, {"B", o.b, b0}} {
		for idx := range in.got.buf {
			if math.Float32bits(in.got.buf[idx]) != math.Float32bits(in.want.buf[idx]) {
				t.Fatalf("%s: input %s changed at buffer index %d: %v, was %v; %v", name, in.what, idx, in.got.buf[idx], in.want.buf[idx], tc)
			}
		}
	}
	for idx := len(o.scratch) - guardLen; idx < len(o.scratch); idx++ {
		if math.Float32bits(o.scratch[idx]) != math.Float32bits(sentinel) {
			t.Fatalf("%s: write past SgemmScratchLen at scratch[%d]; %v", name, idx, tc)
		}
	}
	checked := make([]bool, tc.m)
	for _, i := range o.rows {
		checked[i] = true
	}
	atol := 1e-6 * float64(tc.k+2)
	bad := 0
	for idx, v := range c.buf {
		i, j, ok := c.inMatrix(idx)
		if !ok {
			if math.Float32bits(v) != math.Float32bits(sentinel) {
				t.Fatalf("%s: guard or row gap of C overwritten at buffer index %d (row %d, col %d): %v; %v", name, idx, i, j, v, tc)
			}
			continue
		}
		if !checked[i] {
			if math.IsNaN(float64(v)) {
				t.Fatalf("%s: C[%d,%d] is NaN; %v", name, i, j, tc)
			}
			continue
		}
		w := o.want.buf[idx]
		if !closeEnough(v, w, atol) {
			t.Errorf("%s: C[%d,%d] = %v, want %v (diff %g, atol %g); %v", name, i, j, v, w, math.Abs(float64(v-w)), atol, tc)
			if bad++; bad > 5 {
				t.FailNow()
			}
		}
	}
	if bad > 0 {
		t.FailNow()
	}
}

// closeEnough is the tolerance rule: |a-b| ≤ atol or ≤ 1e-4·max(|a|,|b|).
func closeEnough(a, b float32, atol float64) bool {
	d := math.Abs(float64(a) - float64(b))
	return d <= atol || d <= 1e-4*math.Max(math.Abs(float64(a)), math.Abs(float64(b)))
}

// sweepCases crosses sizes below, at and above every tile edge (the mr of
// each microkernel: 4, 6, 8, 12; the widths 8, 16, 24; the column block 240;
// the k block 256) with the four transposition combinations, accumulation on
// and off, and packed or padded strides.
func sweepCases() []sgemmCase {
	ms := []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 22, 23, 24, 25, 31, 33}
	ns := []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 15, 16, 17, 23, 24, 25, 31, 32, 33, 36, 40, 47, 48, 49, 60}
	ks := []int{1, 2, 3, 5, 8, 17, 36, 0, 9}
	var cases []sgemmCase
	x := 0
	for _, m := range ms {
		for _, n := range ns {
			for combo := 0; combo < 8; combo++ {
				x++
				cases = append(cases, sgemmCase{
					name: "sweep", m: m, n: n, k: ks[x%len(ks)],
					transA: combo&1 != 0, transB: combo&2 != 0, accumulate: combo&4 != 0,
					pad: x % 3,
				})
			}
		}
	}
	// Block edges in k and n, and a zero m.
	for _, e := range []struct{ m, n, k int }{
		{5, 7, 255}, {5, 7, 256}, {5, 7, 257}, {13, 25, 513}, {12, 24, 300},
		{3, 239, 5}, {3, 240, 5}, {7, 241, 4}, {2, 481, 3}, {13, 250, 260},
		{1, 30, 129}, {3, 50, 300}, {4, 25, 128}, {4, 241, 257},
		{0, 5, 5}, {5, 0, 5},
	} {
		for combo := 0; combo < 8; combo++ {
			cases = append(cases, sgemmCase{
				name: "edge", m: e.m, n: e.n, k: e.k,
				transA: combo&1 != 0, transB: combo&2 != 0, accumulate: combo&4 != 0, pad: combo % 2,
			})
		}
	}
	return cases
}

// A netShape is one product of the engine's networks (batch 100 unless the
// name says b1): forward (fwd), weight gradient (wgrad: transA) and input
// gradient (igrad: transB).
type netShape struct {
	name           string
	transA, transB bool
	m, n, k        int
}

func (s netShape) flops() float64 { return 2 * float64(s.m) * float64(s.n) * float64(s.k) }

var netShapes = []netShape{
	{"seed99-conv1-fwd", false, false, 78400, 6, 36},
	{"seed99-conv2-fwd", false, false, 19600, 12, 150},
	{"seed99-conv3-fwd", false, false, 4900, 24, 192},
	{"seed99-dense1-fwd", false, false, 100, 200, 1176},
	{"seed99-dense2-fwd", false, false, 100, 10, 200},
	{"seed99-conv1-fwd-b1", false, false, 784, 6, 36},
	{"seed99-conv2-fwd-b1", false, false, 196, 12, 150},
	{"seed99-conv3-fwd-b1", false, false, 49, 24, 192},
	{"seed99-dense1-fwd-b1", false, false, 1, 200, 1176},
	{"seed99-dense2-fwd-b1", false, false, 1, 10, 200},
	{"seed99-conv1-wgrad", true, false, 36, 6, 78400},
	{"seed99-conv2-wgrad", true, false, 150, 12, 19600},
	{"seed99-conv3-wgrad", true, false, 192, 24, 4900},
	{"seed99-dense1-wgrad", true, false, 1176, 200, 100},
	{"seed99-dense2-wgrad", true, false, 200, 10, 100},
	{"seed99-conv2-igrad", false, true, 19600, 150, 12},
	{"seed99-conv3-igrad", false, true, 4900, 192, 24},
	{"seed99-dense1-igrad", false, true, 100, 1176, 200},
	{"seed99-dense2-igrad", false, true, 100, 200, 10},

	{"seed98-conv1-fwd", false, false, 78400, 4, 25},
	{"seed98-conv2-fwd", false, false, 19600, 8, 100},
	{"seed98-conv3-fwd", false, false, 4900, 12, 128},
	{"seed98-dense1-fwd", false, false, 100, 200, 588},
	{"seed98-conv1-wgrad", true, false, 25, 4, 78400},
	{"seed98-conv2-wgrad", true, false, 100, 8, 19600},
	{"seed98-conv3-wgrad", true, false, 128, 12, 4900},
	{"seed98-dense1-wgrad", true, false, 588, 200, 100},
	{"seed98-conv2-igrad", false, true, 19600, 100, 8},
	{"seed98-conv3-igrad", false, true, 4900, 128, 12},
	{"seed98-dense1-igrad", false, true, 100, 588, 200},

	{"seed995-conv1-fwd", false, false, 78400, 24, 36},
	{"seed995-conv2-fwd", false, false, 19600, 48, 600},
	{"seed995-conv3-fwd", false, false, 4900, 64, 768},
	{"seed995-dense1-fwd", false, false, 100, 200, 3136},
	{"seed995-conv1-wgrad", true, false, 36, 24, 78400},
	{"seed995-conv2-wgrad", true, false, 600, 48, 19600},
	{"seed995-conv3-wgrad", true, false, 768, 64, 4900},
	{"seed995-dense1-wgrad", true, false, 3136, 200, 100},
	{"seed995-conv2-igrad", false, true, 19600, 600, 48},
	{"seed995-conv3-igrad", false, true, 4900, 768, 64},
	{"seed995-dense1-igrad", false, true, 100, 3136, 200},
}

// bigShape reports whether a shape is skipped under -short.
func bigShape(s netShape) bool { return s.flops() > 100e6 }

const testSeed = 0x5eed99

// TestSgemmSweep runs the sweep through Sgemm on every implementation.
func TestSgemmSweep(t *testing.T) {
	cases := sweepCases()
	eachImpl(t, familyFloat32, func(t *testing.T, impl string) {
		for ci, tc := range cases {
			newSgemmOperands(tc, testSeed+uint64(ci)).run(t, impl, Sgemm)
		}
	})
}

// TestSgemmNetShapes runs the networks' products through Sgemm on every
// SIMD implementation, and on the Generic code only where it is the one
// path (these shapes take it seconds, and the sweep covers its logic).
func TestSgemmNetShapes(t *testing.T) {
	eachImpl(t, familyFloat32, func(t *testing.T, impl string) {
		if impl == "Generic" && simdAvailable(familyFloat32) {
			t.Skip("the Generic code runs the networks' shapes only where it is the only path")
		}
		for si, s := range netShapes {
			if testing.Short() && bigShape(s) {
				continue
			}
			for _, acc := range []bool{false, true} {
				tc := sgemmCase{name: s.name, transA: s.transA, transB: s.transB, m: s.m, n: s.n, k: s.k, accumulate: acc}
				newSgemmOperands(tc, testSeed+uint64(si)).run(t, impl, Sgemm)
			}
		}
	})
}

func TestSgemmAllocs(t *testing.T) {
	if testing.CoverMode() != "" {
		t.Skip("coverage instrumentation")
	}
	for _, s := range []netShape{
		{"fwd", false, false, 40, 30, 300},
		{"wgrad", true, false, 36, 6, 600},
		{"igrad", false, true, 50, 150, 12},
	} {
		tc := sgemmCase{transA: s.transA, transB: s.transB, m: s.m, n: s.n, k: s.k}
		o := newSgemmOperands(tc, 3)
		a, b, c := o.a.view(), o.b.view(), o.c.clone().view()
		scratch := o.scratch
		alloctest.Zero(t, s.name+": Sgemm", 0, 20, func() {
			Sgemm(s.transA, s.transB, s.m, s.n, s.k, a, o.lda, b, o.ldb, c, o.ldc, true, scratch)
		})
	}
}

func TestSgemmScratchLen(t *testing.T) {
	for _, s := range netShapes {
		got := SgemmScratchLen(s.m, s.n, s.k)
		if got < 0 || got > sgemmKC*sgemmNC {
			t.Errorf("SgemmScratchLen(%d, %d, %d) = %d, out of [0, %d]", s.m, s.n, s.k, got, sgemmKC*sgemmNC)
		}
	}
	if got := SgemmScratchLen(0, 5, 5); got != 0 {
		t.Errorf("SgemmScratchLen(0, 5, 5) = %d, want 0", got)
	}
}

func TestSgemmPanics(t *testing.T) {
	a := make([]float32, 12)
	b := make([]float32, 12)
	c := make([]float32, 9)
	scratch := make([]float32, SgemmScratchLen(3, 3, 4))
	wantPanics(t, []panicCase{
		{errNegativeDim, func() { Sgemm(false, false, -1, 3, 4, a, 4, b, 3, c, 3, false, scratch) }},
		{errBadStride, func() { Sgemm(false, false, 3, 3, 4, a, 3, b, 3, c, 3, false, scratch) }},
		{errShortSlice, func() { Sgemm(false, false, 3, 3, 4, a[:11], 4, b, 3, c, 3, false, scratch) }},
		{errShortSlice, func() { Sgemm(false, true, 3, 3, 4, a, 4, b[:11], 4, c, 3, false, scratch) }},
		{errShortSlice, func() { Sgemm(false, false, 3, 3, 4, a, 4, b, 3, c[:8], 3, false, scratch) }},
		{errShortScratch, func() { Sgemm(false, false, 3, 3, 4, a, 4, b, 3, c, 3, false, scratch[:len(scratch)-1]) }},
	})
}

// FuzzSgemm compares the dispatched Sgemm with the reference on shapes and
// data decoded from the fuzzer's input.
func FuzzSgemm(f *testing.F) {
	f.Add(uint8(0), uint8(13), uint8(25), uint16(37), uint64(1))
	f.Add(uint8(7), uint8(1), uint8(6), uint16(300), uint64(2))
	f.Add(uint8(3), uint8(24), uint8(241), uint16(3), uint64(3))
	f.Fuzz(func(t *testing.T, flags, m, n uint8, k uint16, seed uint64) {
		tc := sgemmCase{
			name:   "fuzz",
			transA: flags&1 != 0, transB: flags&2 != 0, accumulate: flags&4 != 0,
			pad: int(flags>>3) % 4,
			m:   int(m) % 64, n: int(n), k: int(k) % 600,
		}
		newSgemmOperands(tc, seed).run(t, "Sgemm", Sgemm)
	})
}

func BenchmarkSgemm(b *testing.B) {
	eachImpl(b, familyFloat32, func(b *testing.B, _ string) {
		for _, s := range netShapes {
			b.Run(s.name, func(b *testing.B) {
				tc := sgemmCase{transA: s.transA, transB: s.transB, m: s.m, n: s.n, k: s.k}
				rng := rand.New(rand.NewPCG(1, 2))
				ar, ac, br, bc := tc.stored()
				a := newGuarded(rng, ar, ac, ac).view()
				bm := newGuarded(rng, br, bc, bc).view()
				c := newGuarded(rng, s.m, s.n, s.n).view()
				scratch := make([]float32, SgemmScratchLen(s.m, s.n, s.k))
				b.ReportAllocs()
				b.SetBytes(0)
				for b.Loop() {
					Sgemm(s.transA, s.transB, s.m, s.n, s.k, a, ac, bm, bc, c, s.n, false, scratch)
				}
				b.ReportMetric(tc.flops()*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		}
	})
}
