package kernel

// WindowBlock is the granularity of CopyWindows: it moves float32 values in
// blocks of this many, so it reads and writes up to WindowBlock-1 values past
// each window (see CopyWindows).
const WindowBlock = 8

// CopyWindows gathers n×kh windows of seg consecutive float32 values from src
// into dst, back to back: window (i, ky) starts at src[i·colStep + ky·rowStep]
// and lands at dst[(i·kh + ky)·seg]. This is the inner loop of im2col: i runs
// over the output pixels of one image row, ky over the kernel rows, and a
// window is one kernel row of the input patch (KW·Cin values of a
// zero-bordered image).
//
// To move whole vector registers, it copies every window rounded up to a
// multiple of WindowBlock values: it reads up to WindowBlock-1 values past
// the end of each window, and writes as many past it, into the next window,
// which is written after. dst must therefore have WindowBlock-1 values of
// slack past n·kh·seg, and src as many past its last window. It panics if a
// slice is too short or a size negative.
func CopyWindows(dst, src []float32, n, colStep, kh, rowStep, seg int) {
	if windowsEmpty(n, colStep, kh, rowStep, seg) {
		return
	}
	over := roundUpBlock(seg)
	if len(dst) < (n*kh-1)*seg+over || len(src) < (n-1)*colStep+(kh-1)*rowStep+over {
		panic(errShortSlice)
	}
	copyWindows(dst, src, n, colStep, kh, rowStep, seg)
}

// AddWindows is the adjoint of CopyWindows: it adds window (i, ky) of src,
// src[(i·kh + ky)·seg:][:seg], into dst[i·colStep + ky·rowStep:][:seg], in
// order of i and ky, so that windows that overlap in dst (a stride smaller
// than the kernel) all add up. It writes exactly seg values per window; it
// panics if a slice is too short or a size negative.
func AddWindows(dst, src []float32, n, colStep, kh, rowStep, seg int) {
	if windowsEmpty(n, colStep, kh, rowStep, seg) {
		return
	}
	if len(src) < n*kh*seg || len(dst) < (n-1)*colStep+(kh-1)*rowStep+seg {
		panic(errShortSlice)
	}
	addWindows(dst, src, n, colStep, kh, rowStep, seg)
}

// windowsEmpty reports whether there is no window to move, and panics on a
// negative size or step.
func windowsEmpty(n, colStep, kh, rowStep, seg int) bool {
	if n < 0 || kh < 0 || seg < 0 {
		panic(errNegativeDim)
	}
	if colStep < 0 || rowStep < 0 {
		panic(errBadStride)
	}
	return n == 0 || kh == 0 || seg == 0
}

func roundUpBlock(n int) int { return (n + WindowBlock - 1) / WindowBlock * WindowBlock }

// copyWindowsGeneric is the plain Go CopyWindows, the reference of the SIMD
// versions. It keeps their overrun so that the tests compare like with like.
func copyWindowsGeneric(dst, src []float32, n, colStep, kh, rowStep, seg int) {
	over := roundUpBlock(seg)
	d := 0
	for i := range n {
		for ky := range kh {
			s := i*colStep + ky*rowStep
			copy(dst[d:d+over], src[s:s+over])
			d += seg
		}
	}
}

// addWindowsGeneric is the plain Go AddWindows.
func addWindowsGeneric(dst, src []float32, n, colStep, kh, rowStep, seg int) {
	s := 0
	for i := range n {
		for ky := range kh {
			w := dst[i*colStep+ky*rowStep:][:seg]
			for j, v := range src[s : s+seg] {
				w[j] += v
			}
			s += seg
		}
	}
}

// windowKernel is one implementation of CopyWindows and AddWindows, listed
// for the tests (see windowKernels in the architecture files).
type windowKernel struct {
	name      string
	available *bool
	copy, add func(dst, src []float32, n, colStep, kh, rowStep, seg int)
}
