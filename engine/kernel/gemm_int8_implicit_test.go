package kernel

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/edgeconv/edgeconv/internal/alloctest"
)

// int8WindowsCase is one GemmInt8Windows product: m rows of windows, n
// channels.
type int8WindowsCase struct {
	name   string
	m, n   int
	win    Windows
	fill   string // fillInt8's: "rand", "max", "min", "mixed"
	ldcPad int    // C's row stride is n + ldcPad
	runGap int    // and its run stride Run·ldc + runGap
}

func (tc int8WindowsCase) String() string {
	return fmt.Sprintf("%s m=%d n=%d %+v %s ldc+%d run+%d", tc.name, tc.m, tc.n, tc.win, tc.fill, tc.ldcPad, tc.runGap)
}

// int8WindowsCases crosses run lengths below, at and above the tile
// heights (4 on NEON, 6 on AVX2, 7 on AVX512-VNNI, whose kernels walk
// several tiles, panels and runs in one call), segment lengths that are and are not
// multiples of 4, overlapping rows and segments, widths at the panel edges,
// and seed99's layers: its convolutions in their padded images, and its
// dense layers as one run (batch 1 and 100, which the AVX2 code widens in
// chunks of rows), and rows too long for the AVX2 scratch.
func int8WindowsCases() []int8WindowsCase {
	var cases []int8WindowsCase
	rng := rand.New(rand.NewPCG(17, 15))
	runs := []int{1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 13, 14, 15, 22, 28}
	widths := []int{1, 3, 4, 5, 6, 7, 8, 9, 12, 15, 16, 17, 24, 25, 41}
	segShapes := []struct{ segs, seg int }{{1, 1}, {1, 3}, {1, 4}, {2, 3}, {3, 9}, {5, 30}, {6, 6}, {4, 48}, {1, 200}, {8, 31}, {2, 2}, {3, 5}}
	fills := []string{"rand", "rand", "max", "min", "mixed"}
	for ri, run := range runs {
		for wi, n := range widths {
			s := segShapes[(ri*3+wi)%len(segShapes)]
			win, m := sweepWindows(rng, run, s.segs, s.seg, 4)
			cases = append(cases, int8WindowsCase{
				name: "sweep", m: m, n: n, ldcPad: wi % 3, runGap: ri % 4, fill: fills[(ri+wi)%len(fills)], win: win,
			})
		}
	}
	conv := func(name string, oh, ow, cin, kh, kw, stride, cout int) int8WindowsCase {
		padW := (ow-1)*stride + kw
		return int8WindowsCase{name: name, m: oh * ow, n: cout, fill: "rand",
			win: Windows{Run: ow, RunStep: stride * padW * cin, Step: stride * cin, Segs: kh, Seg: kw * cin, SegStep: padW * cin}}
	}
	dense := func(name string, m, k, n int) int8WindowsCase {
		return int8WindowsCase{name: name, m: m, n: n, fill: "rand", win: Windows{Run: m, Step: k, Segs: 1, Seg: k}}
	}
	for _, c := range []int8WindowsCase{
		conv("seed99-conv1", 28, 28, 1, 6, 6, 1, 6),
		conv("seed99-conv2", 14, 14, 6, 5, 5, 2, 12),
		conv("seed99-conv3", 7, 7, 12, 4, 4, 2, 24),
		conv("seed98-conv1", 28, 28, 1, 5, 5, 1, 4),
		dense("seed99-dense1-b1", 1, 1176, 200),
		dense("seed99-dense1-b100", 100, 1176, 200),
		dense("seed99-dense2-b7", 7, 200, 10),
		dense("dense-k-odd", 9, 37, 13),
		dense("dense-k-long", 2, 17001, 3), // rows longer than the AVX2 scratch
	} {
		for _, f := range []string{"rand", "mixed"} {
			c.fill = f
			cases = append(cases, c)
		}
	}
	return cases
}

// run checks GemmInt8Windows on tc against the naive product of the
// explicit windows with the unpacked weights, requantised by
// requantInt8Naive. The whole image is random, the bytes no window covers
// too (a kernel reads up to 3 past each segment, where the packed weights
// are zero), and guard bytes around C catch a write outside it.
func (tc int8WindowsCase) run(t testing.TB, seed uint64) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, uint64(tc.m)<<20|uint64(tc.n)<<8|uint64(tc.win.Seg)))
	win, k := tc.win, tc.win.K()
	rowStart := func(i int) int { return i/win.Run*win.RunStep + i%win.Run*win.Step }
	size := 0
	for i := range tc.m {
		size = max(size, rowStart(i)+(win.Segs-1)*win.SegStep+roundUp4(win.Seg))
	}
	img := make([]int8, size)
	fillInt8(rng, img, tc.fill, 1)
	imgBefore := append([]int8(nil), img...)
	explicit := make([]int8, tc.m*k)
	for i := range tc.m {
		for s := range win.Segs {
			copy(explicit[i*k+s*win.Seg:][:win.Seg], img[rowStart(i)+s*win.SegStep:])
		}
	}
	w := make([]int8, k*tc.n)
	fillInt8(rng, w, tc.fill, -1)
	packed := make([]int8, Int8WindowsPackedLen(win.Segs, win.Seg, tc.n))
	PackInt8Windows(packed, w, win.Segs, win.Seg, tc.n, tc.n)

	bias, mult, shift := make([]int32, tc.n), make([]int32, tc.n), make([]int32, tc.n)
	for c := range tc.n {
		bias[c] = int32(rng.IntN(1<<24) - 1<<23)
		mult[c] = int32(1<<30 + rng.IntN(1<<30))
		shift[c] = int32(rng.IntN(32))
	}
	if tc.n > 1 {
		mult[1], shift[1] = 1<<31-1, 0 // the largest multiplier, no shift: the clamp
	}
	zero := int32(rng.IntN(256) - 128)
	lo := int32(-128)
	if rng.IntN(2) == 0 {
		lo = zero // a ReLU
	}
	rq := NewRequantInt8(bias, mult, shift, zero, lo, 127)

	ldc := tc.n + tc.ldcPad
	cRunStep := win.Run*ldc + tc.runGap
	cLen := lastRunRow(tc.m, win.Run, cRunStep, ldc) + tc.n
	cBuf := make([]int8, cLen+2*guardLenI8)
	for i := range cBuf {
		cBuf[i] = guardI8
	}
	want := append([]int8(nil), cBuf...)
	acc := make([]int32, tc.n)
	for i := range tc.m {
		gemmInt8Naive(1, tc.n, k, explicit[i*k:], k, w, acc, tc.n)
		at := guardLenI8 + i/win.Run*cRunStep + i%win.Run*ldc
		requantInt8Naive(bias, mult, shift, zero, lo, 127, want[at:at+tc.n], acc)
	}
	GemmInt8Windows(tc.m, tc.n, img, win, packed, rq, cBuf[guardLenI8:guardLenI8+cLen], ldc, cRunStep, make([]int16, Int8WindowsScratchLen(tc.m, win)))
	for i := range cBuf {
		if cBuf[i] != want[i] {
			t.Fatalf("%v seed=%d: C byte %d (from the start of C) = %d, want %d", tc, seed, i-guardLenI8, cBuf[i], want[i])
		}
	}
	for i := range img {
		if img[i] != imgBefore[i] {
			t.Fatalf("%v: modified the image at %d", tc, i)
		}
	}
}

// TestGemmInt8Windows runs every case on every int8 implementation (on
// arm64: SDOT, SMULL and Go).
func TestGemmInt8Windows(t *testing.T) {
	cases := int8WindowsCases()
	eachImpl(t, familyInt8, func(t *testing.T, _ string) {
		for i, tc := range cases {
			tc.run(t, uint64(i))
		}
	})
}

// TestPackInt8Windows checks that one segment is PackInt8's layout, and
// that segments are padded with zero rows to a multiple of 4.
func TestPackInt8Windows(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, s := range []struct{ segs, seg, n int }{{1, 5, 9}, {3, 6, 6}, {2, 4, 17}, {4, 1, 3}} {
		k := s.segs * s.seg
		b := make([]int8, k*s.n)
		fillInt8(rng, b, "rand", 1)
		got := make([]int8, Int8WindowsPackedLen(s.segs, s.seg, s.n))
		PackInt8Windows(got, b, s.segs, s.seg, s.n, s.n)
		sp := roundUp4(s.seg)
		padded := make([]int8, s.segs*sp*s.n) // the rows of b with zero rows after each segment
		for r := range k {
			copy(padded[(r/s.seg*sp+r%s.seg)*s.n:][:s.n], b[r*s.n:])
		}
		want := make([]int8, Int8PackedLen(s.segs*sp, s.n))
		PackInt8(want, padded, s.segs*sp, s.n, s.n)
		if len(got) != len(want) {
			t.Fatalf("%+v: packed length %d, want %d", s, len(got), len(want))
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("%+v: packed[%d] = %d, want %d", s, i, got[i], want[i])
			}
		}
	}
}

func TestGemmInt8WindowsPanics(t *testing.T) {
	win := Windows{Run: 2, RunStep: 12, Step: 6, Segs: 1, Seg: 6}
	a := make([]int8, 4*6+2)
	b := make([]int8, Int8WindowsPackedLen(1, 6, 8))
	rq := NewRequantInt8(make([]int32, 8), []int32{1 << 30, 1 << 30, 1 << 30, 1 << 30, 1 << 30, 1 << 30, 1 << 30, 1 << 30}, make([]int32, 8), 0, -128, 127)
	c := make([]int8, 4*8)
	sc := make([]int16, Int8WindowsScratchLen(4, win))
	for _, tc := range []struct {
		name string
		fn   func()
		want string
	}{
		{"negative", func() { GemmInt8Windows(-1, 8, a, win, b, rq, c, 8, 16, sc) }, errNegativeDim},
		{"windows", func() { GemmInt8Windows(4, 8, a, Windows{Run: 0, Segs: 1, Seg: 1}, b, rq, c, 8, 16, sc) }, errBadWindows},
		{"channels", func() { GemmInt8Windows(4, 7, a, win, b, rq, c, 8, 16, sc) }, errInt8Requant},
		{"short A", func() { GemmInt8Windows(4, 8, a[:25], win, b, rq, c, 8, 16, sc) }, errInt8ShortWinA},
		{"short B", func() { GemmInt8Windows(4, 8, a, win, b[:len(b)-1], rq, c, 8, 16, sc) }, errInt8ShortPacked},
		{"short C", func() { GemmInt8Windows(4, 8, a, win, b, rq, c[:31], 8, 16, sc) }, errShortSlice},
		{"ldc", func() { GemmInt8Windows(4, 8, a, win, b, rq, c, 7, 16, sc) }, errBadStride},
		{"scratch", func() { GemmInt8Windows(4, 8, a, win, b, rq, c, 8, 16, sc[:len(sc)-1]) }, errInt8ShortScratch},
		{"pack dst", func() { PackInt8Windows(b[:3], a, 1, 6, 4, 4) }, errInt8ShortPacked},
	} {
		wantPanic(t, tc.name, tc.want, tc.fn)
	}
}

func TestGemmInt8WindowsZeroAlloc(t *testing.T) {
	var tc int8WindowsCase
	for _, c := range int8WindowsCases() {
		if c.name == "seed99-conv2" {
			tc = c
		}
	}
	win := tc.win
	a := make([]int8, lastRunRow(tc.m, win.Run, win.RunStep, win.Step)+(win.Segs-1)*win.SegStep+roundUp4(win.Seg))
	b := make([]int8, Int8WindowsPackedLen(win.Segs, win.Seg, tc.n))
	bias, mult, shift := make([]int32, tc.n), make([]int32, tc.n), make([]int32, tc.n)
	for c := range mult {
		mult[c] = 1 << 30
	}
	rq := NewRequantInt8(bias, mult, shift, 0, -128, 127)
	c := make([]int8, tc.m*tc.n)
	sc := make([]int16, Int8WindowsScratchLen(tc.m, win))
	alloctest.Zero(t, "GemmInt8Windows", 0, 20, func() { GemmInt8Windows(tc.m, tc.n, a, win, b, rq, c, tc.n, win.Run*tc.n, sc) })
}

func BenchmarkGemmInt8Windows(b *testing.B) {
	for _, tc := range int8WindowsCases() {
		if tc.name == "sweep" || tc.fill != "rand" {
			continue
		}
		b.Run(tc.name, func(b *testing.B) {
			eachImpl(b, familyInt8, func(b *testing.B, _ string) {
				win := tc.win
				a := make([]int8, lastRunRow(tc.m, win.Run, win.RunStep, win.Step)+(win.Segs-1)*win.SegStep+roundUp4(win.Seg))
				p := make([]int8, Int8WindowsPackedLen(win.Segs, win.Seg, tc.n))
				mult := make([]int32, tc.n)
				for c := range mult {
					mult[c] = 1 << 30
				}
				rq := NewRequantInt8(make([]int32, tc.n), mult, make([]int32, tc.n), 0, -128, 127)
				c := make([]int8, tc.m*tc.n)
				sc := make([]int16, Int8WindowsScratchLen(tc.m, win))
				b.ReportAllocs()
				for b.Loop() {
					GemmInt8Windows(tc.m, tc.n, a, win, p, rq, c, tc.n, win.Run*tc.n, sc)
				}
				b.ReportMetric(2*float64(tc.m*tc.n*win.K())*float64(b.N)/b.Elapsed().Seconds()/1e9, "GOP/s")
			})
		})
	}
}
