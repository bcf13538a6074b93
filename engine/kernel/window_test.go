package kernel

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"unsafe"
)

// windowCase is one CopyWindows/AddWindows geometry.
type windowCase struct{ n, colStep, kh, rowStep, seg int }

func (c windowCase) String() string {
	return fmt.Sprintf("n%d_col%d_kh%d_row%d_seg%d", c.n, c.colStep, c.kh, c.rowStep, c.seg)
}

// srcLen and colsLen are the lengths CopyWindows (block WindowBlock) or
// CopyWindowsInt8 (block WindowBlockInt8) needs, slack included.
func (c windowCase) srcLen(block int) int {
	return (c.n-1)*c.colStep + (c.kh-1)*c.rowStep + roundUp(c.seg, block)
}
func (c windowCase) colsLen(block int) int { return (c.n*c.kh-1)*c.seg + roundUp(c.seg, block) }

// windowCases are the seed98/seed99/seed995 im2col geometries (one output
// row of a zero-bordered image) and random ones: windows shorter than,
// equal to and longer than a block, overlapping (stride < kernel) and not.
func windowCases(rng *rand.Rand) []windowCase {
	cases := []windowCase{
		{28, 1, 6, 33, 6},       // seed99 conv1: 6x6, Cin 1, stride 1
		{14, 12, 5, 31 * 6, 30}, // seed99 conv2: 5x5, Cin 6, stride 2
		{7, 24, 4, 16 * 12, 48}, // seed99 conv3: 4x4, Cin 12, stride 2
		{28, 1, 5, 32, 5},       // seed98 conv1
		{14, 8, 4, 30 * 4, 16},  // seed98 conv2
		{28, 1, 3, 30, 3},       // 3x3
		{1, 1, 1, 1, 1},
		{3, 0, 2, 0, 8},
		{2, 5, 3, 17, 9},
	}
	return appendRandomWindowCases(cases, rng, 60, 70, 5)
}

// appendRandomWindowCases appends count random cases to cases: up to 20
// pixels, 7 kernel rows and maxSeg values a window, pixels up to seg+colGap
// values apart, kernel rows at least a window apart.
func appendRandomWindowCases(cases []windowCase, rng *rand.Rand, count, maxSeg, colGap int) []windowCase {
	for range count {
		c := windowCase{n: 1 + rng.IntN(20), kh: 1 + rng.IntN(7), seg: 1 + rng.IntN(maxSeg)}
		c.colStep = rng.IntN(c.seg + colGap)
		c.rowStep = c.seg + rng.IntN(3*c.seg+1)
		cases = append(cases, c)
	}
	return cases
}

// windowGuard is the length of the guard bands around the windows' slices.
const windowGuard = 64

// windowBuf returns n random float32 values between guard bands of random
// values: all, and the capped slice s of the n in the middle.
func windowBuf(rng *rand.Rand, n int) (all, s []float32) { return guardedBuf[float32](rng, n) }

// sprinkle replaces about one value of x in four with one of special, at
// random: the zeros, infinities, NaNs and subnormals that the SIMD code
// must treat as the Go code does.
func sprinkle(rng *rand.Rand, x, special []float32) {
	for i := range x {
		if rng.IntN(4) == 0 {
			x[i] = special[rng.IntN(len(special))]
		}
	}
}

// guardedBuf is windowBuf for float32 or int8 values.
func guardedBuf[T float32 | int8](rng *rand.Rand, n int) (all, s []T) {
	all = randomWindowValues[T](rng, n+2*windowGuard)
	return all, all[windowGuard : windowGuard+n : windowGuard+n]
}

// randomWindowValues returns n random values: float32s in [-1, 1), or any
// int8.
func randomWindowValues[T float32 | int8](rng *rand.Rand, n int) []T {
	v := make([]T, n)
	for i := range v {
		switch p := any(&v[i]).(type) {
		case *float32:
			*p = rng.Float32()*2 - 1
		case *int8:
			*p = int8(rng.Uint32())
		}
	}
	return v
}

// checkWindowGuards fails when got's guard bands differ from want's.
func checkWindowGuards(t *testing.T, got, want []float32, n int) {
	t.Helper()
	if !guardsIntact(got, want, n) {
		t.Fatal("wrote outside its slice")
	}
}

// withGuards runs fn on k slices of n random values, each between guard
// bands (windowBuf), and fails the test if fn wrote into a band: the check
// every in-place kernel's test makes of its writes.
func withGuards(t *testing.T, rng *rand.Rand, n, k int, fn func(x [][]float32)) {
	t.Helper()
	all, base, x := make([][]float32, k), make([][]float32, k), make([][]float32, k)
	for i := range k {
		all[i], x[i] = windowBuf(rng, n)
		base[i] = slices.Clone(all[i])
	}
	fn(x)
	for i := range k {
		checkWindowGuards(t, all[i], base[i], n)
	}
}

// inPlace compares an in-place kernel fn with its Go reference ref on n
// random values between guard bands, which prep (if not nil) may first
// change: it returns x as fn left it, want as ref left a copy of it, and
// orig, the values both started from.
func inPlace(t *testing.T, rng *rand.Rand, n int, prep, ref, fn func(x []float32)) (x, want, orig []float32) {
	t.Helper()
	withGuards(t, rng, n, 1, func(b [][]float32) {
		x = b[0]
		if prep != nil {
			prep(x)
		}
		orig, want = slices.Clone(x), slices.Clone(x)
		ref(want)
		fn(x)
	})
	return x, want, orig
}

// sameOrNaN reports whether a SIMD result g equals the reference's w, or
// both are NaN; −0 and +0 count as equal (FMAX may turn one into the other).
func sameOrNaN(g, w float32) bool { return g == w || g != g && w != w }

// eachImplSeeded is eachImpl with a generator seeded with seed, afresh for
// each implementation, so that every one of them meets the same values.
func eachImplSeeded(t *testing.T, family string, seed uint64, f func(t *testing.T, rng *rand.Rand)) {
	t.Helper()
	eachImpl(t, family, func(t *testing.T, _ string) {
		f(t, rand.New(rand.NewPCG(seed, seed+1)))
	})
}

// guardsIntact reports whether got's guard bands, around n values, equal
// want's.
func guardsIntact[T float32 | int8](got, want []T, n int) bool {
	g := windowGuard
	return slices.Equal(got[:g], want[:g]) && slices.Equal(got[g+n:], want[g+n:])
}

// checkCopyWindows compares fn, a dispatched copy of block values at a
// time, on every implementation with ref, its Generic version, on each
// case, between guard bands.
func checkCopyWindows[T float32 | int8](t *testing.T, seed uint64, cases func(*rand.Rand) []windowCase, block int, ref, fn func(dst, src []T, n, colStep, kh, rowStep, seg int)) {
	eachImpl(t, familyFloat32, func(t *testing.T, impl string) {
		rng := rand.New(rand.NewPCG(seed, 1))
		for _, c := range cases(rng) {
			srcAll, src := guardedBuf[T](rng, c.srcLen(block))
			srcBase := slices.Clone(srcAll)
			cl := c.colsLen(block)
			wantAll, want := guardedBuf[T](rng, cl)
			base := slices.Clone(wantAll)
			ref(want, src, c.n, c.colStep, c.kh, c.rowStep, c.seg)
			if !guardsIntact(wantAll, base, cl) {
				t.Fatalf("reference %v: wrote outside its slice", c)
			}
			// The windows proper must hold the source values.
			for i := range c.n {
				for ky := range c.kh {
					d := want[(i*c.kh+ky)*c.seg:][:c.seg]
					s := src[i*c.colStep+ky*c.rowStep:][:c.seg]
					if !slices.Equal(d, s) {
						t.Fatalf("%v: reference window (%d, %d) is wrong", c, i, ky)
					}
				}
			}
			gotAll := slices.Clone(base)
			got := gotAll[windowGuard : windowGuard+cl : windowGuard+cl]
			fn(got, src, c.n, c.colStep, c.kh, c.rowStep, c.seg)
			if !guardsIntact(gotAll, base, cl) {
				t.Fatalf("%s %v: wrote outside its slice", impl, c)
			}
			if !slices.Equal(srcAll, srcBase) {
				t.Fatalf("%s %v: wrote to src", impl, c)
			}
			// Past the last window, the slack holds whatever the overrun
			// copied: compare the windows only.
			n := c.n * c.kh * c.seg
			if !slices.Equal(got[:n], want[:n]) {
				t.Fatalf("%s %v: differs from the reference", impl, c)
			}
		}
	})
}

func TestCopyWindows(t *testing.T) {
	checkCopyWindows(t, 1, windowCases, WindowBlock, copyWindowsGeneric, CopyWindows)
}

func TestAddWindows(t *testing.T) {
	eachImpl(t, familyFloat32, func(t *testing.T, impl string) {
		rng := rand.New(rand.NewPCG(3, 4))
		for _, c := range windowCases(rng) {
			_, cols := windowBuf(rng, c.n*c.kh*c.seg)
			dstLen := (c.n-1)*c.colStep + (c.kh-1)*c.rowStep + c.seg
			baseAll, _ := windowBuf(rng, dstLen)
			wantAll := slices.Clone(baseAll)
			want := wantAll[windowGuard : windowGuard+dstLen]
			addWindowsGeneric(want, cols, c.n, c.colStep, c.kh, c.rowStep, c.seg)
			gotAll := slices.Clone(baseAll)
			got := gotAll[windowGuard : windowGuard+dstLen : windowGuard+dstLen]
			AddWindows(got, cols, c.n, c.colStep, c.kh, c.rowStep, c.seg)
			checkWindowGuards(t, gotAll, baseAll, dstLen)
			// Same additions in the same order: bit-identical.
			if !slices.Equal(got, want) {
				t.Fatalf("%s %v: differs from the reference", impl, c)
			}
		}
	})
}

// TestWindowsAdjoint checks that AddWindows is the adjoint of CopyWindows:
// <CopyWindows(x), y> = <x, AddWindows(y)>.
func TestWindowsAdjoint(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, c := range windowCases(rng) {
		x := make([]float32, c.srcLen(WindowBlock))
		for i := range x {
			x[i] = float32(rng.IntN(9) - 4)
		}
		cols := make([]float32, c.colsLen(WindowBlock))
		CopyWindows(cols, x, c.n, c.colStep, c.kh, c.rowStep, c.seg)
		y := make([]float32, c.n*c.kh*c.seg)
		for i := range y {
			y[i] = float32(rng.IntN(9) - 4)
		}
		ax := make([]float32, len(x))
		AddWindows(ax, y, c.n, c.colStep, c.kh, c.rowStep, c.seg)
		var lhs, rhs float64
		for i, v := range y {
			lhs += float64(v) * float64(cols[i])
		}
		for i, v := range x {
			rhs += float64(v) * float64(ax[i])
		}
		if lhs != rhs {
			t.Fatalf("%v: <Cx, y> = %v, <x, C'y> = %v", c, lhs, rhs)
		}
	}
}

func TestWindowsPanics(t *testing.T) {
	c := windowCase{n: 4, colStep: 2, kh: 3, rowStep: 20, seg: 6}
	for _, tc := range []struct {
		name string
		fn   func()
	}{
		{"short src", func() {
			CopyWindows(make([]float32, c.colsLen(WindowBlock)), make([]float32, c.srcLen(WindowBlock)-1), c.n, c.colStep, c.kh, c.rowStep, c.seg)
		}},
		{"short dst", func() {
			CopyWindows(make([]float32, c.colsLen(WindowBlock)-1), make([]float32, c.srcLen(WindowBlock)), c.n, c.colStep, c.kh, c.rowStep, c.seg)
		}},
		{"short cols", func() {
			AddWindows(make([]float32, 100), make([]float32, c.n*c.kh*c.seg-1), c.n, c.colStep, c.kh, c.rowStep, c.seg)
		}},
		{"negative", func() { AddWindows(nil, nil, -1, 0, 1, 1, 1) }},
		{"negative stride", func() { CopyWindows(make([]float32, 64), make([]float32, 64), 1, -1, 1, 1, 1) }},
		{"int8 short src", func() {
			CopyWindowsInt8(make([]int8, c.colsLen(WindowBlockInt8)), make([]int8, c.srcLen(WindowBlockInt8)-1), c.n, c.colStep, c.kh, c.rowStep, c.seg)
		}},
		{"int8 short dst", func() {
			CopyWindowsInt8(make([]int8, c.colsLen(WindowBlockInt8)-1), make([]int8, c.srcLen(WindowBlockInt8)), c.n, c.colStep, c.kh, c.rowStep, c.seg)
		}},
		{"int8 slack of a float32 block", func() {
			// Enough for CopyWindows' 8-value blocks, not for 32 bytes.
			CopyWindowsInt8(make([]int8, c.colsLen(WindowBlock)), make([]int8, c.srcLen(WindowBlock)), c.n, c.colStep, c.kh, c.rowStep, c.seg)
		}},
		{"int8 negative", func() { CopyWindowsInt8(nil, nil, 1, 0, -1, 1, 1) }},
		{"int8 negative stride", func() { CopyWindowsInt8(make([]int8, 64), make([]int8, 64), 1, 0, 1, -1, 1) }},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", tc.name)
				}
			}()
			tc.fn()
		}()
	}
}

// FuzzWindows compares the dispatched CopyWindows and AddWindows with the
// Generic ones on fuzzed geometries.
func FuzzWindows(f *testing.F) {
	f.Add(uint8(28), uint8(1), uint8(6), uint8(33), uint8(6), uint64(1))
	f.Add(uint8(14), uint8(12), uint8(5), uint8(186), uint8(30), uint64(2))
	f.Fuzz(func(t *testing.T, n, colStep, kh, rowStep, seg uint8, seed uint64) {
		c := windowCase{int(n%32) + 1, int(colStep), int(kh%8) + 1, int(rowStep), int(seg%96) + 1}
		src := randomWindowValues[float32](rand.New(rand.NewPCG(seed, 7)), c.srcLen(WindowBlock))
		cols := fuzzCopyWindows(t, c, src, WindowBlock, CopyWindows, copyWindowsGeneric)
		a, b := slices.Clone(src), slices.Clone(src)
		AddWindows(a, cols, c.n, c.colStep, c.kh, c.rowStep, c.seg)
		addWindowsGeneric(b, cols, c.n, c.colStep, c.kh, c.rowStep, c.seg)
		if !slices.Equal(a, b) {
			t.Fatalf("%v: AddWindows differs from Generic", c)
		}
	})
}

// fuzzCopyWindows runs fn, a dispatched copy of block values at a time, and
// ref, its Generic version, on src and fails unless their windows agree; it
// returns the windows.
func fuzzCopyWindows[T float32 | int8](t *testing.T, c windowCase, src []T, block int, fn, ref func(dst, src []T, n, colStep, kh, rowStep, seg int)) []T {
	t.Helper()
	got, want := make([]T, c.colsLen(block)), make([]T, c.colsLen(block))
	fn(got, src, c.n, c.colStep, c.kh, c.rowStep, c.seg)
	ref(want, src, c.n, c.colStep, c.kh, c.rowStep, c.seg)
	m := c.n * c.kh * c.seg
	if !slices.Equal(got[:m], want[:m]) {
		t.Fatalf("%v: dispatched copy differs from Generic", c)
	}
	return got[:m]
}

func BenchmarkCopyWindows(b *testing.B) {
	benchCopyWindows(b, WindowBlock, CopyWindows)
}

// benchCopyWindows times copyWindows, CopyWindows or CopyWindowsInt8, of
// block-value blocks, on the first window cases, in bytes moved.
func benchCopyWindows[T int8 | float32](b *testing.B, block int, copyWindows func(dst, src []T, n, colStep, kh, rowStep, seg int)) {
	for _, c := range windowCases(rand.New(rand.NewPCG(1, 2)))[:3] {
		src := make([]T, c.srcLen(block))
		dst := make([]T, c.colsLen(block))
		b.Run(c.String(), func(b *testing.B) {
			eachImpl(b, familyFloat32, func(b *testing.B, _ string) {
				b.SetBytes(int64(c.n * c.kh * c.seg * int(unsafe.Sizeof(src[0]))))
				for b.Loop() {
					copyWindows(dst, src, c.n, c.colStep, c.kh, c.rowStep, c.seg)
				}
			})
		})
	}
}

// BenchmarkAddWindows times AddWindows on the col2im of seed99's conv2 (a
// window of 30 values: three vectors and a tail of 6) and conv3 (48, six
// vectors), one output row of a sample at a time, as the engine calls it.
func BenchmarkAddWindows(b *testing.B) {
	for _, c := range []windowCase{
		{n: 14, colStep: 12, kh: 5, rowStep: 31 * 6, seg: 30},
		{n: 7, colStep: 24, kh: 4, rowStep: 16 * 12, seg: 48},
	} {
		dst := make([]float32, (c.n-1)*c.colStep+(c.kh-1)*c.rowStep+c.seg)
		src := make([]float32, c.n*c.kh*c.seg)
		b.Run(c.String(), func(b *testing.B) {
			eachImpl(b, familyFloat32, func(b *testing.B, _ string) {
				b.SetBytes(int64(4 * len(src)))
				for b.Loop() {
					AddWindows(dst, src, c.n, c.colStep, c.kh, c.rowStep, c.seg)
				}
			})
		})
	}
}
