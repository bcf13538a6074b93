package kernel

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/edgeconv/edgeconv/internal/alloctest"
)

// windowsCase is one SgemmPackedWindows product: m rows of windows, n
// columns.
type windowsCase struct {
	name       string
	m, n       int
	win        Windows
	epi        Epilogue
	accumulate bool
	ldcPad     int // C's row stride is n + ldcPad
	runGap     int // and its run stride Run·ldc + runGap
}

func (tc windowsCase) String() string {
	return fmt.Sprintf("%s m=%d n=%d %+v epi=%d acc=%v ldc+%d run+%d", tc.name, tc.m, tc.n, tc.win, tc.epi, tc.accumulate, tc.ldcPad, tc.runGap)
}

// convWindows is the geometry of a VALID convolution's windows in its
// zero-bordered image (what the engine passes), with g output pixels per row
// of A.
func convWindows(name string, oh, ow, cin, kh, kw, stride, g, cout int) windowsCase {
	padW := (ow-1)*stride + kw
	return windowsCase{
		name: name, m: oh * ow / g, n: g * cout,
		win: Windows{
			Run: ow / g, RunStep: stride * padW * cin, Step: g * stride * cin,
			Segs: kh, Seg: ((g-1)*stride + kw) * cin, SegStep: padW * cin,
		},
	}
}

// seed99Windows are the convolutions of seed99 as the engine reads them in
// place: conv1 in groups of 4 pixels and alone, conv2, conv3.
func seed99Windows() []windowsCase {
	return []windowsCase{
		convWindows("seed99-conv1-g4", 28, 28, 1, 6, 6, 1, 4, 6),
		convWindows("seed99-conv1", 28, 28, 1, 6, 6, 1, 1, 6),
		convWindows("seed99-conv2", 14, 14, 6, 5, 5, 2, 1, 12),
		convWindows("seed99-conv3", 7, 7, 12, 4, 4, 2, 1, 24),
	}
}

// sweepWindows draws the windows of a sweep case, runs of run rows whose
// segments are segs of seg values, and its row count: rows step 0 (every
// row the same window) to maxStep values apart, segments apart by their
// length and a little more or overlapping, runs a little further apart,
// and a partial last run.
func sweepWindows(rng *rand.Rand, run, segs, seg, maxStep int) (win Windows, m int) {
	step := rng.IntN(maxStep + 1)
	segStep := seg + rng.IntN(3)
	if rng.IntN(3) == 0 {
		segStep = rng.IntN(seg + 1) // overlapping segments
	}
	runStep := run*step + rng.IntN(5)
	m = run*(1+rng.IntN(3)) + rng.IntN(run) // a partial last run
	return Windows{Run: run, RunStep: runStep, Step: step, Segs: segs, Seg: seg, SegStep: segStep}, m
}

// windowsCases crosses run lengths below, at and above every tile height,
// segment counts and lengths, overlapping and gapped rows, widths at the
// panel edges, and the convolutions of seed98, seed99 and seed995 whose rows
// fit SgemmWindowsMaxK, grouped as the engine groups them and not.
func windowsCases() []windowsCase {
	var cases []windowsCase
	rng := rand.New(rand.NewPCG(7, 11))
	runs := []int{1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 13, 14, 16, 17, 28}
	widths := []int{1, 4, 5, 6, 8, 12, 16, 23, 24, 25, 47, 48, 200, 241}
	segShapes := []struct{ segs, seg int }{{1, 1}, {1, 7}, {2, 3}, {3, 9}, {5, 30}, {6, 6}, {4, 48}, {6, 42}, {1, 255}, {8, 31}}
	for ri, run := range runs {
		for wi, n := range widths {
			s := segShapes[(ri+wi)%len(segShapes)]
			win, m := sweepWindows(rng, run, s.segs, s.seg, 3)
			tc := windowsCase{name: "sweep", m: m, n: n, ldcPad: wi % 3, runGap: ri % 4, win: win}
			if (ri+wi)%2 == 0 {
				tc.accumulate = true
			} else {
				tc.epi = Epilogue(rng.IntN(4))
			}
			cases = append(cases, tc)
		}
	}
	for _, c := range append(seed99Windows(),
		convWindows("seed98-conv1", 28, 28, 1, 5, 5, 1, 1, 4),
		convWindows("seed98-conv1-g4", 28, 28, 1, 5, 5, 1, 4, 4),
		convWindows("seed98-conv2", 14, 14, 4, 5, 5, 2, 1, 8),
		convWindows("seed98-conv3", 7, 7, 8, 4, 4, 2, 1, 12),
		convWindows("seed995-conv1", 28, 28, 1, 6, 6, 1, 1, 24),
	) {
		for _, epi := range []Epilogue{0, EpilogueBias | EpilogueReLU} {
			c.epi = epi
			cases = append(cases, c)
		}
		c.epi, c.accumulate, c.runGap = 0, true, 5
		cases = append(cases, c)
	}
	return cases
}

// run checks SgemmPackedWindows on tc against sgemmGeneric on the explicit
// matrix of windows. Image elements that no window covers hold NaN
// sentinels, as do the guards around every buffer, so that a read outside
// the windows shows in C and a write outside C is caught.
func (tc windowsCase) run(t testing.TB, seed uint64) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, uint64(tc.m)<<20|uint64(tc.n)))
	win, k := tc.win, tc.win.K()
	rowStart := func(i int) int { return i/win.Run*win.RunStep + i%win.Run*win.Step }

	// The image, and the explicit A gathered from it.
	size := 0
	for i := range tc.m {
		size = max(size, rowStart(i)+(win.Segs-1)*win.SegStep+win.Seg)
	}
	img := make([]float32, size+2*guardLen)
	for i := range img {
		img[i] = sentinel
	}
	view := img[guardLen : guardLen+size : guardLen+size]
	explicit := make([]float32, tc.m*k)
	for i := range tc.m {
		for s := range win.Segs {
			for p := range win.Seg {
				at := rowStart(i) + s*win.SegStep + p
				if math.IsNaN(float64(view[at])) {
					view[at] = rng.Float32()*2 - 1
				}
				explicit[i*k+s*win.Seg+p] = view[at]
			}
		}
	}
	imgBefore := append([]float32(nil), img...)

	rowsB := k
	if tc.epi&EpilogueBias != 0 {
		rowsB++
	}
	b := newGuarded(rng, rowsB, tc.n, tc.n).view()
	packed := make([]float32, PackedBLen(rowsB, tc.n))
	PackB(false, rowsB, tc.n, b, tc.n, packed)

	// C, in runs, inside sentinels; want is what it must hold after.
	ldc := max(tc.n, 1) + tc.ldcPad
	cRunStep := win.Run*ldc + tc.runGap
	cStart := func(i int) int { return guardLen + i/win.Run*cRunStep + i%win.Run*ldc }
	cLen := 0
	if tc.m > 0 {
		cLen = cStart(tc.m-1) - guardLen + tc.n
	}
	c := make([]float32, cLen+2*guardLen)
	for i := range c {
		c[i] = sentinel
	}
	for i := range tc.m {
		for j := range tc.n {
			c[cStart(i)+j] = rng.Float32()*2 - 1
		}
	}
	want := append([]float32(nil), c...)
	row := make([]float32, tc.n)
	for i := range tc.m {
		sgemmGeneric(false, false, 1, tc.n, k, explicit[i*k:], k, b, tc.n, row, tc.n, false)
		for j, v := range row {
			if tc.epi&EpilogueBias != 0 {
				v += b[k*tc.n+j]
			}
			if tc.epi&EpilogueReLU != 0 {
				v = max(v, 0)
			}
			if tc.accumulate {
				v += want[cStart(i)+j]
			}
			want[cStart(i)+j] = v
		}
	}

	SgemmPackedWindows(tc.m, tc.n, view, win, packed, tc.epi, c[guardLen:guardLen+cLen:guardLen+cLen], ldc, cRunStep, tc.accumulate)

	for i := range img {
		if math.Float32bits(img[i]) != math.Float32bits(imgBefore[i]) {
			t.Fatalf("image changed at buffer index %d; %v", i, tc)
		}
	}
	atol := 1e-6 * float64(k+2)
	bad := 0
	for idx, v := range c {
		w := want[idx]
		if math.Float32bits(w) == math.Float32bits(sentinel) {
			if math.Float32bits(v) != math.Float32bits(sentinel) {
				t.Fatalf("write outside C at buffer index %d; %v", idx, tc)
			}
			continue
		}
		if !closeEnough(v, w, atol) {
			t.Errorf("C buffer[%d] = %v, want %v; %v", idx, v, w, tc)
			if bad++; bad > 5 {
				t.FailNow()
			}
		}
	}
	if bad > 0 {
		t.FailNow()
	}
}

func TestSgemmPackedWindows(t *testing.T) {
	eachImpl(t, familyFloat32, func(t *testing.T, _ string) {
		for ci, tc := range windowsCases() {
			tc.run(t, testSeed+uint64(ci))
		}
	})
}

func TestSgemmPackedWindowsAllocs(t *testing.T) {
	if testing.CoverMode() != "" {
		t.Skip("coverage instrumentation")
	}
	tc := convWindows("seed99-conv2", 14, 14, 6, 5, 5, 2, 1, 12)
	img := make([]float32, 31*31*6)
	k := tc.win.K()
	packed := make([]float32, PackedBLen(k, tc.n))
	c := make([]float32, tc.m*tc.n)
	alloctest.Zero(t, "SgemmPackedWindows", 0, 20, func() {
		SgemmPackedWindows(tc.m, tc.n, img, tc.win, packed, 0, c, tc.n, tc.win.Run*tc.n, false)
	})
}

func TestSgemmPackedWindowsPanics(t *testing.T) {
	win := Windows{Run: 2, RunStep: 4, Step: 1, Segs: 2, Seg: 2, SegStep: 3}
	img := make([]float32, 4+3+2) // m=3: the last row starts at 4
	packed := make([]float32, PackedBLen(4, 3))
	c := make([]float32, 9)
	wantPanics(t, []panicCase{
		{errNegativeDim, func() { SgemmPackedWindows(-1, 3, img, win, packed, 0, c, 3, 6, false) }},
		{errBadWindows, func() { SgemmPackedWindows(3, 3, img, Windows{Run: 0, Segs: 1, Seg: 1}, packed, 0, c, 3, 6, false) }},
		{errBadWindows, func() {
			SgemmPackedWindows(3, 3, img, Windows{Run: 1, Segs: 1, Seg: SgemmWindowsMaxK + 1}, packed, 0, c, 3, 6, false)
		}},
		{errBadWindows, func() {
			SgemmPackedWindows(3, 3, img, Windows{Run: 1, Step: -1, Segs: 1, Seg: 1}, packed, 0, c, 3, 6, false)
		}},
		{errShortSlice, func() { SgemmPackedWindows(3, 3, img[:len(img)-1], win, packed, 0, c, 3, 6, false) }},
		{errShortSlice, func() { SgemmPackedWindows(3, 3, img, win, packed, 0, c[:8], 3, 6, false) }},
		{errShortPacked, func() { SgemmPackedWindows(3, 3, img, win, packed[:len(packed)-1], 0, c, 3, 6, false) }},
		{errShortPacked, func() { SgemmPackedWindows(3, 3, img, win, packed, EpilogueBias, c, 3, 6, false) }},
		{errBadWindows, func() { SgemmPackedWindows(3, 3, img, win, packed, EpilogueReLU, c, 3, 6, true) }},
		{errBadWindows, func() { SgemmPackedWindows(3, 3, img, win, packed, 4, c, 3, 6, false) }},
		{errBadStride, func() { SgemmPackedWindows(3, 3, img, win, packed, 0, c, 2, 6, false) }},
		{errBadStride, func() { SgemmPackedWindows(3, 3, img, win, packed, 0, c, 3, 5, false) }},
	})
	SgemmPackedWindows(3, 3, img, win, packed, 0, c, 3, 6, false) // the exact lengths are enough
}

// FuzzSgemmPackedWindows compares SgemmPackedWindows with the reference on
// geometries decoded from the fuzzer's input.
func FuzzSgemmPackedWindows(f *testing.F) {
	f.Add(uint8(7), uint8(24), uint8(6), uint8(9), uint8(4), uint8(33), uint16(33), uint8(13), uint64(1))
	f.Add(uint8(14), uint8(12), uint8(5), uint8(30), uint8(12), uint8(186), uint16(372), uint8(40), uint64(2))
	f.Fuzz(func(t *testing.T, run, n, segs, seg, step, segStep uint8, runStep uint16, m uint8, seed uint64) {
		tc := windowsCase{
			name: "fuzz", m: int(m), n: int(n), accumulate: seed&1 != 0,
			ldcPad: int(seed>>8) % 3, runGap: int(seed>>16) % 5,
			win: Windows{
				Run: 1 + int(run)%32, RunStep: int(runStep) % 1024, Step: int(step) % 64,
				Segs: 1 + int(segs)%8, Seg: 1 + int(seg)%31, SegStep: int(segStep),
			},
		}
		if !tc.accumulate {
			tc.epi = Epilogue(seed>>1) & (EpilogueBias | EpilogueReLU)
		}
		tc.run(t, seed)
	})
}

// BenchmarkSgemmPackedWindows times the seed99 convolutions at batch 1 (one
// image) read in place, with each implementation's tiles (Go tiles for
// Generic, what purego runs), against SgemmPacked on the im2col matrix (built outside the loop)
// of the same product.
func BenchmarkSgemmPackedWindows(b *testing.B) {
	for _, tc := range append(seed99Windows(), convWindows("seed99-conv1-g2", 28, 28, 1, 6, 6, 1, 2, 6)) {
		k := tc.win.K()
		rng := rand.New(rand.NewPCG(1, 2))
		size := lastRunRow(tc.m, tc.win.Run, tc.win.RunStep, tc.win.Step) + (tc.win.Segs-1)*tc.win.SegStep + tc.win.Seg
		img := newGuarded(rng, 1, size, size).view()
		bm := newGuarded(rng, k, tc.n, tc.n).view()
		packed := make([]float32, PackedBLen(k, tc.n))
		PackB(false, k, tc.n, bm, tc.n, packed)
		c := make([]float32, tc.m*tc.n)
		flops := 2 * float64(tc.m*tc.n*k)
		b.Run(tc.name+"/windows", func(b *testing.B) {
			eachImpl(b, familyFloat32, func(b *testing.B, _ string) {
				b.ReportAllocs()
				for b.Loop() {
					SgemmPackedWindows(tc.m, tc.n, img, tc.win, packed, 0, c, tc.n, tc.win.Run*tc.n, false)
				}
				b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		})
		cols := make([]float32, tc.m*k)
		b.Run(tc.name+"/im2col", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				SgemmPacked(false, tc.m, tc.n, k, cols, k, packed, c, tc.n, false)
			}
			b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}
