package kernel

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// windowCase is one CopyWindows/AddWindows geometry.
type windowCase struct{ n, colStep, kh, rowStep, seg int }

func (c windowCase) String() string {
	return fmt.Sprintf("n%d_col%d_kh%d_row%d_seg%d", c.n, c.colStep, c.kh, c.rowStep, c.seg)
}

// srcLen and dstLen are the lengths CopyWindows needs (slack included).
func (c windowCase) srcLen() int  { return (c.n-1)*c.colStep + (c.kh-1)*c.rowStep + roundUpBlock(c.seg) }
func (c windowCase) colsLen() int { return (c.n*c.kh-1)*c.seg + roundUpBlock(c.seg) }

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
	for range 60 {
		c := windowCase{n: 1 + rng.IntN(20), kh: 1 + rng.IntN(7), seg: 1 + rng.IntN(70)}
		c.colStep = rng.IntN(c.seg + 5)
		c.rowStep = c.seg + rng.IntN(3*c.seg+1)
		cases = append(cases, c)
	}
	return cases
}

// windowGuard is the length of the guard bands around the windows' slices.
const windowGuard = 64

// windowBuf returns n random values between guard bands of random values:
// all, and the capped slice s of the n in the middle.
func windowBuf(rng *rand.Rand, n int) (all, s []float32) {
	all = make([]float32, n+2*windowGuard)
	for i := range all {
		all[i] = rng.Float32()*2 - 1
	}
	return all, all[windowGuard : windowGuard+n : windowGuard+n]
}

// checkWindowGuards fails when got's guard bands differ from want's.
func checkWindowGuards(t *testing.T, got, want []float32, n int) {
	t.Helper()
	g := windowGuard
	if !slices.Equal(got[:g], want[:g]) || !slices.Equal(got[g+n:], want[g+n:]) {
		t.Fatal("wrote outside its slice")
	}
}

func TestCopyWindows(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	impls := append([]windowKernel{{name: "dispatched", copy: CopyWindows, add: AddWindows}}, windowKernels...)
	for _, c := range windowCases(rng) {
		_, src := windowBuf(rng, c.srcLen())
		wantAll, want := windowBuf(rng, c.colsLen())
		base := slices.Clone(wantAll)
		copyWindowsGeneric(want, src, c.n, c.colStep, c.kh, c.rowStep, c.seg)
		// The windows proper must hold the source values.
		for i := range c.n {
			for ky := range c.kh {
				d := want[(i*c.kh+ky)*c.seg:][:c.seg]
				s := src[i*c.colStep+ky*c.rowStep:][:c.seg]
				if !slices.Equal(d, s) {
					t.Fatalf("%v: Generic window (%d, %d) is wrong", c, i, ky)
				}
			}
		}
		for _, k := range impls {
			if k.available != nil && !*k.available {
				continue
			}
			gotAll := slices.Clone(base)
			got := gotAll[windowGuard : windowGuard+c.colsLen() : windowGuard+c.colsLen()]
			k.copy(got, src, c.n, c.colStep, c.kh, c.rowStep, c.seg)
			checkWindowGuards(t, gotAll, base, c.colsLen())
			// Past the last window, the slack holds whatever the overrun
			// copied: compare the windows only.
			n := c.n * c.kh * c.seg
			if !slices.Equal(got[:n], want[:n]) {
				t.Fatalf("%s %v: differs from Generic", k.name, c)
			}
		}
	}
}

func TestAddWindows(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	impls := append([]windowKernel{{name: "dispatched", copy: CopyWindows, add: AddWindows}}, windowKernels...)
	for _, c := range windowCases(rng) {
		_, cols := windowBuf(rng, c.n*c.kh*c.seg)
		dstLen := (c.n-1)*c.colStep + (c.kh-1)*c.rowStep + c.seg
		baseAll, _ := windowBuf(rng, dstLen)
		wantAll := slices.Clone(baseAll)
		want := wantAll[windowGuard : windowGuard+dstLen]
		addWindowsGeneric(want, cols, c.n, c.colStep, c.kh, c.rowStep, c.seg)
		for _, k := range impls {
			if k.available != nil && !*k.available {
				continue
			}
			gotAll := slices.Clone(baseAll)
			got := gotAll[windowGuard : windowGuard+dstLen : windowGuard+dstLen]
			k.add(got, cols, c.n, c.colStep, c.kh, c.rowStep, c.seg)
			checkWindowGuards(t, gotAll, baseAll, dstLen)
			// Same additions in the same order: bit-identical.
			if !slices.Equal(got, want) {
				t.Fatalf("%s %v: differs from Generic", k.name, c)
			}
		}
	}
}

// TestWindowsAdjoint checks that AddWindows is the adjoint of CopyWindows:
// <CopyWindows(x), y> = <x, AddWindows(y)>.
func TestWindowsAdjoint(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, c := range windowCases(rng) {
		x := make([]float32, c.srcLen())
		for i := range x {
			x[i] = float32(rng.IntN(9) - 4)
		}
		cols := make([]float32, c.colsLen())
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
			CopyWindows(make([]float32, c.colsLen()), make([]float32, c.srcLen()-1), c.n, c.colStep, c.kh, c.rowStep, c.seg)
		}},
		{"short dst", func() {
			CopyWindows(make([]float32, c.colsLen()-1), make([]float32, c.srcLen()), c.n, c.colStep, c.kh, c.rowStep, c.seg)
		}},
		{"short cols", func() {
			AddWindows(make([]float32, 100), make([]float32, c.n*c.kh*c.seg-1), c.n, c.colStep, c.kh, c.rowStep, c.seg)
		}},
		{"negative", func() { AddWindows(nil, nil, -1, 0, 1, 1, 1) }},
		{"negative stride", func() { CopyWindows(make([]float32, 64), make([]float32, 64), 1, -1, 1, 1, 1) }},
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
		rng := rand.New(rand.NewPCG(seed, 7))
		src := make([]float32, c.srcLen())
		for i := range src {
			src[i] = rng.Float32()
		}
		got, want := make([]float32, c.colsLen()), make([]float32, c.colsLen())
		CopyWindows(got, src, c.n, c.colStep, c.kh, c.rowStep, c.seg)
		copyWindowsGeneric(want, src, c.n, c.colStep, c.kh, c.rowStep, c.seg)
		if m := c.n * c.kh * c.seg; !slices.Equal(got[:m], want[:m]) {
			t.Fatalf("%v: CopyWindows differs from Generic", c)
		}
		cols := got[:c.n*c.kh*c.seg]
		a, b := slices.Clone(src), slices.Clone(src)
		AddWindows(a, cols, c.n, c.colStep, c.kh, c.rowStep, c.seg)
		addWindowsGeneric(b, cols, c.n, c.colStep, c.kh, c.rowStep, c.seg)
		if !slices.Equal(a, b) {
			t.Fatalf("%v: AddWindows differs from Generic", c)
		}
	})
}

func BenchmarkCopyWindows(b *testing.B) {
	for _, c := range windowCases(rand.New(rand.NewPCG(1, 2)))[:3] {
		src := make([]float32, c.srcLen())
		dst := make([]float32, c.colsLen())
		b.Run(c.String(), func(b *testing.B) {
			b.SetBytes(int64(4 * c.n * c.kh * c.seg))
			for b.Loop() {
				CopyWindows(dst, src, c.n, c.colStep, c.kh, c.rowStep, c.seg)
			}
		})
	}
}
