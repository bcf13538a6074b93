package kernel

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/edgeconv/edgeconv/internal/alloctest"
)

// TestSconvC1x6S1 checks SconvC1x6S1 against the sums it documents, bit
// for bit: chains of fused multiply-adds where it runs SIMD code, of
// rounded products in the Generic code. The shapes take the SIMD path
// (whole tiles, quads crossing rows within a tile) and the Go fallback
// (ow not a multiple of 4, or pixels not a multiple of 16); the image and
// output rows are longer than they must be, and every value of the output
// buffer that is not an output must keep its sentinel.
func TestSconvC1x6S1(t *testing.T) {
	shapes := []struct{ oh, ow, kh, kw int }{
		{28, 28, 6, 6}, {28, 28, 5, 5}, {4, 4, 1, 1}, {2, 8, 3, 2}, {3, 12, 2, 4}, {6, 8, 7, 3},
		{3, 3, 2, 2}, {5, 4, 3, 3}, {1, 20, 2, 2},
	}
	eachImpl(t, familyFloat32, func(t *testing.T, impl string) {
		rng := rand.New(rand.NewPCG(5, 6))
		for _, s := range shapes {
			simd := impl != "Generic" && SconvC1x6S1SIMD(s.oh, s.ow)
			imgRow, outRow := s.ow+s.kw+2, 6*s.ow+5
			img := newGuarded(rng, s.oh+s.kh-1, s.ow+s.kw-1, imgRow).view()
			w := newGuarded(rng, 1, s.kh*s.kw*6, s.kh*s.kw*6).view()
			bias := newGuarded(rng, 1, 6, 6).view()
			for _, relu := range []bool{false, true} {
				out := make([]float32, (s.oh-1)*outRow+6*s.ow)
				for i := range out {
					out[i] = sentinel
				}
				SconvC1x6S1(s.oh, s.ow, img, imgRow, s.kh, s.kw, w, bias, relu, out, outRow)
				name := fmt.Sprintf("%s %dx%d, %dx%d window, relu %v", impl, s.oh, s.ow, s.kh, s.kw, relu)
				for i, got := range out {
					oy, j := i/outRow, i%outRow
					want := float32(sentinel)
					if j < 6*s.ow {
						want = sconvRef(img, imgRow, w, bias, relu, s.kh, s.kw, oy, j/6, j%6, simd)
					}
					if math.Float32bits(got) != math.Float32bits(want) {
						t.Fatalf("%s: out[%d] (row %d, value %d) = %v, want %v", name, i, oy, j, got, want)
					}
				}
			}
		}
	})
}

// sconvRef is output (oy, ox, c) of SconvC1x6S1, with fused multiply-adds
// when fused is set.
func sconvRef(img []float32, imgRow int, w, bias []float32, relu bool, kh, kw, oy, ox, c int, fused bool) float32 {
	var sum float32
	for ky := range kh {
		for kx := range kw {
			x, wt := img[(oy+ky)*imgRow+ox+kx], w[(ky*kw+kx)*6+c]
			if fused {
				sum = fma32(x, wt, sum)
			} else {
				sum += float32(x * wt)
			}
		}
	}
	sum += bias[c]
	if relu {
		sum = max(sum, 0)
	}
	return sum
}

// fma32 is the float32 fused multiply-add a·b + c, rounded once. The
// float64 product is exact, and the float64 sum s is off the exact sum by
// e; rounding s to float32 is then right unless s falls on a tie between
// two float32 values while the exact sum does not, so s is first moved one
// float64 step toward the exact sum (which changes no other rounding).
func fma32(a, b, c float32) float32 {
	p, q := float64(a)*float64(b), float64(c)
	s := p + q
	v := s - p
	e := (p - (s - v)) + (q - v) // TwoSum: s + e = p + q exactly
	if e != 0 {
		s = math.Nextafter(s, math.Copysign(math.Inf(1), e))
	}
	return float32(s)
}

func TestFMA32(t *testing.T) {
	for _, tt := range []struct{ a, b, c, want float32 }{
		{2, 3, 1, 7},
		// a·b = 2⁻²⁴ + r·2⁻⁷¹ with r = 124463 (8390641·16773151 = 2⁴⁷ + r):
		// the sum rounded to float64 is the tie 1 + 2⁻²⁴, which rounds to
		// even (1), while the exact sum is above the tie.
		{8390641 * 0x1p-23, 16773151 * 0x1p-48, 1, 1 + 0x1p-23},
	} {
		if got := fma32(tt.a, tt.b, tt.c); got != tt.want {
			t.Errorf("fma32(%v, %v, %v) = %v, want %v", tt.a, tt.b, tt.c, got, tt.want)
		}
	}
}

func TestSconvC1x6S1Allocs(t *testing.T) {
	if testing.CoverMode() != "" {
		t.Skip("coverage instrumentation")
	}
	const oh, ow, kh, kw = 28, 28, 6, 6
	img := make([]float32, (oh+kh-1)*(ow+kw-1))
	w, bias := make([]float32, kh*kw*6), make([]float32, 6)
	out := make([]float32, oh*ow*6)
	alloctest.Zero(t, "SconvC1x6S1", 0, 20, func() {
		SconvC1x6S1(oh, ow, img, ow+kw-1, kh, kw, w, bias, true, out, 6*ow)
	})
}

func TestSconvC1x6S1Panics(t *testing.T) {
	img, w, bias, out := make([]float32, 5*5), make([]float32, 4*6), make([]float32, 6), make([]float32, 4*4*6)
	wantPanics(t, []panicCase{
		{errNegativeDim, func() { SconvC1x6S1(0, 4, img, 5, 2, 2, w, bias, false, out, 24) }},
		{errNegativeDim, func() { SconvC1x6S1(4, 4, img, 5, 2, 0, w, bias, false, out, 24) }},
		{errBadStride, func() { SconvC1x6S1(4, 4, img, 4, 2, 2, w, bias, false, out, 24) }},
		{errBadStride, func() { SconvC1x6S1(4, 4, img, 5, 2, 2, w, bias, false, out, 23) }},
		{errShortSlice, func() { SconvC1x6S1(4, 4, img[:24], 5, 2, 2, w, bias, false, out, 24) }},
		{errShortSlice, func() { SconvC1x6S1(4, 4, img, 5, 2, 2, w[:23], bias, false, out, 24) }},
		{errShortSlice, func() { SconvC1x6S1(4, 4, img, 5, 2, 2, w, bias[:5], false, out, 24) }},
		{errShortSlice, func() { SconvC1x6S1(4, 4, img, 5, 2, 2, w, bias, false, out[:95], 24) }},
	})
}
