package kernel

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// windowsCase is one SgemmPackedWindows product: m rows of windows, n
// columns.
type windowsCase struct {
	name       string
	m, n       int
	win        Windows
	accumulate bool
	ldcPad     int
}

func (tc windowsCase) String() string {
	return fmt.Sprintf("%s m=%d n=%d %+v acc=%v", tc.name, tc.m, tc.n, tc.win, tc.accumulate)
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

// windowsCases crosses run lengths below, at and above every tile height,
// segment counts and lengths, overlapping and gapped rows, widths at the
// panel edges, and the convolutions of seed98, seed99 and seed995 whose rows
// fit SgemmWindowsMaxK, grouped as the engine groups them and not.
func windowsCases() []windowsCase {
	var cases []windowsCase
	rng := rand.New(rand.NewPCG(7, 11))
	runs := []int{1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 13, 14, 16, 17, 28}
	widths := []int{1, 4, 5, 6, 8, 12, 16, 23, 24, 25, 47, 48, 200, 241}
	segShapes := []struct{ segs, seg int }{{1, 1}, {1, 7}, {2, 3}, {3, 9}, {5, 30}, {6, 6}, {4, 48}, {6, 42}, {1, 256}, {8, 32}}
	for ri, run := range runs {
		for wi, n := range widths {
			s := segShapes[(ri+wi)%len(segShapes)]
			step := rng.IntN(4) // 0 (every row the same window) to 3
			segStep := s.seg + rng.IntN(3)
			if rng.IntN(3) == 0 {
				segStep = rng.IntN(s.seg + 1) // overlapping segments
			}
			runStep := run*step + rng.IntN(5)
			m := run*(1+rng.IntN(3)) + rng.IntN(run) // a partial last run
			cases = append(cases, windowsCase{
				name: "sweep", m: m, n: n, accumulate: (ri+wi)%2 == 0, ldcPad: wi % 3,
				win: Windows{Run: run, RunStep: runStep, Step: step, Segs: s.segs, Seg: s.seg, SegStep: segStep},
			})
		}
	}
	for _, c := range []windowsCase{
		convWindows("seed99-conv1-g4", 28, 28, 1, 6, 6, 1, 4, 6),
		convWindows("seed99-conv1", 28, 28, 1, 6, 6, 1, 1, 6),
		convWindows("seed99-conv2", 14, 14, 6, 5, 5, 2, 1, 12),
		convWindows("seed99-conv3", 7, 7, 12, 4, 4, 2, 1, 24),
		convWindows("seed98-conv1", 28, 28, 1, 5, 5, 1, 1, 4),
		convWindows("seed98-conv1-g4", 28, 28, 1, 5, 5, 1, 4, 4),
		convWindows("seed98-conv2", 14, 14, 4, 5, 5, 2, 1, 8),
		convWindows("seed98-conv3", 7, 7, 8, 4, 4, 2, 1, 12),
		convWindows("seed995-conv1", 28, 28, 1, 6, 6, 1, 1, 24),
	} {
		for _, acc := range []bool{false, true} {
			c.accumulate = acc
			cases = append(cases, c)
		}
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
	if tc.m > 0 {
		size = (tc.m-1)/win.Run*win.RunStep + (min(win.Run, tc.m)-1)*win.Step + (win.Segs-1)*win.SegStep + win.Seg
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

	b := newGuarded(rng, k, tc.n, tc.n).view()
	packed := make([]float32, PackedBLen(k, tc.n))
	PackB(false, k, tc.n, b, tc.n, packed)
	ldc := max(tc.n, 1) + tc.ldcPad
	c := newGuarded(rng, tc.m, tc.n, ldc)
	want := c.clone()
	sgemmGeneric(false, false, tc.m, tc.n, k, explicit, k, b, tc.n, want.view(), ldc, tc.accumulate)

	SgemmPackedWindows(tc.m, tc.n, view, win, packed, c.view(), ldc, tc.accumulate)

	for i := range img {
		if math.Float32bits(img[i]) != math.Float32bits(imgBefore[i]) {
			t.Fatalf("image changed at buffer index %d; %v", i, tc)
		}
	}
	atol := 1e-6 * float64(k+2)
	bad := 0
	for idx, v := range c.buf {
		i, j, ok := c.inMatrix(idx)
		if !ok {
			if math.Float32bits(v) != math.Float32bits(sentinel) {
				t.Fatalf("guard or row gap of C overwritten at buffer index %d (row %d, col %d); %v", idx, i, j, tc)
			}
			continue
		}
		if w := want.buf[idx]; !closeEnough(v, w, atol) {
			t.Errorf("C[%d,%d] = %v, want %v; %v", i, j, v, w, tc)
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
	for _, generic := range []bool{false, true} {
		t.Run(fmt.Sprintf("forceGeneric=%v", generic), func(t *testing.T) {
			if generic {
				defer forceGeneric()()
			}
			for ci, tc := range windowsCases() {
				tc.run(t, testSeed+uint64(ci))
			}
		})
	}
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
	if allocs := testing.AllocsPerRun(20, func() {
		SgemmPackedWindows(tc.m, tc.n, img, tc.win, packed, c, tc.n, false)
	}); allocs != 0 {
		t.Errorf("SgemmPackedWindows allocates %v times per call, want 0", allocs)
	}
}

func TestSgemmPackedWindowsPanics(t *testing.T) {
	win := Windows{Run: 2, RunStep: 4, Step: 1, Segs: 2, Seg: 2, SegStep: 3}
	img := make([]float32, 4+1+3+2) // m=3: last row starts at 4+1
	packed := make([]float32, PackedBLen(4, 3))
	c := make([]float32, 9)
	for _, tt := range []struct {
		want string
		fn   func()
	}{
		{errNegativeDim, func() { SgemmPackedWindows(-1, 3, img, win, packed, c, 3, false) }},
		{errBadWindows, func() { SgemmPackedWindows(3, 3, img, Windows{Run: 0, Segs: 1, Seg: 1}, packed, c, 3, false) }},
		{errBadWindows, func() { SgemmPackedWindows(3, 3, img, Windows{Run: 1, Segs: 1, Seg: SgemmWindowsMaxK + 1}, packed, c, 3, false) }},
		{errBadWindows, func() { SgemmPackedWindows(3, 3, img, Windows{Run: 1, Step: -1, Segs: 1, Seg: 1}, packed, c, 3, false) }},
		{errShortSlice, func() { SgemmPackedWindows(3, 3, img[:len(img)-1], win, packed, c, 3, false) }},
		{errShortSlice, func() { SgemmPackedWindows(3, 3, img, win, packed, c[:8], 3, false) }},
		{errShortPacked, func() { SgemmPackedWindows(3, 3, img, win, packed[:len(packed)-1], c, 3, false) }},
	} {
		func() {
			defer func() {
				if r := recover(); r != tt.want {
					t.Errorf("panic = %v, want %q", r, tt.want)
				}
			}()
			tt.fn()
		}()
	}
	SgemmPackedWindows(3, 3, img, win, packed, c, 3, false) // the exact lengths are enough
}

// FuzzSgemmPackedWindows compares SgemmPackedWindows with the reference on
// geometries decoded from the fuzzer's input.
func FuzzSgemmPackedWindows(f *testing.F) {
	f.Add(uint8(7), uint8(24), uint8(6), uint8(9), uint8(4), uint8(33), uint16(33), uint8(13), uint64(1))
	f.Add(uint8(14), uint8(12), uint8(5), uint8(30), uint8(12), uint8(186), uint16(372), uint8(40), uint64(2))
	f.Fuzz(func(t *testing.T, run, n, segs, seg, step, segStep uint8, runStep uint16, m uint8, seed uint64) {
		tc := windowsCase{
			name: "fuzz", m: int(m), n: int(n), accumulate: seed&1 != 0,
			win: Windows{
				Run: 1 + int(run)%32, RunStep: int(runStep) % 1024, Step: int(step) % 64,
				Segs: 1 + int(segs)%8, Seg: 1 + int(seg)%32, SegStep: int(segStep),
			},
		}
		tc.run(t, seed)
	})
}

// BenchmarkSgemmPackedWindows times the seed99 convolutions at batch 1 (one
// image) read in place, against SgemmPacked on the im2col matrix (built
// outside the loop) of the same product.
func BenchmarkSgemmPackedWindows(b *testing.B) {
	for _, tc := range []windowsCase{
		convWindows("conv1-g4", 28, 28, 1, 6, 6, 1, 4, 6),
		convWindows("conv1", 28, 28, 1, 6, 6, 1, 1, 6),
		convWindows("conv2", 14, 14, 6, 5, 5, 2, 1, 12),
		convWindows("conv3", 7, 7, 12, 4, 4, 2, 1, 24),
	} {
		k := tc.win.K()
		rng := rand.New(rand.NewPCG(1, 2))
		size := (tc.m-1)/tc.win.Run*tc.win.RunStep + (tc.win.Run-1)*tc.win.Step + (tc.win.Segs-1)*tc.win.SegStep + tc.win.Seg
		img := newGuarded(rng, 1, size, size).view()
		bm := newGuarded(rng, k, tc.n, tc.n).view()
		packed := make([]float32, PackedBLen(k, tc.n))
		PackB(false, k, tc.n, bm, tc.n, packed)
		c := make([]float32, tc.m*tc.n)
		flops := 2 * float64(tc.m*tc.n*k)
		b.Run(tc.name+"/windows", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				SgemmPackedWindows(tc.m, tc.n, img, tc.win, packed, c, tc.n, false)
			}
			b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
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
