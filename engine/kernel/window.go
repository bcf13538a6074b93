package kernel

// WindowBlock is the granularity of CopyWindows: it moves float32 values in
// blocks of this many, so it reads and writes up to WindowBlock-1 values past
// each window (see CopyWindows).
const WindowBlock = 8

// WindowBlockInt8 is the granularity of CopyWindowsInt8: it moves int8 values
// in blocks of this many, so it reads and writes up to WindowBlockInt8-1
// values past each window (see CopyWindowsInt8).
const WindowBlockInt8 = 32

// Both copies run the same assembly, which moves 32 bytes at a time.
const (
	_ = uint(WindowBlockInt8 - 4*WindowBlock)
	_ = uint(4*WindowBlock - WindowBlockInt8)
)

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
	if windowsToCopy(len(dst), len(src), n, colStep, kh, rowStep, seg, WindowBlock) {
		copyWindows(dst, src, n, colStep, kh, rowStep, seg, WindowBlock)
	}
}

// CopyWindowsInt8 is CopyWindows for int8 values: it gathers n×kh windows of
// seg consecutive bytes from src into dst, back to back: window (i, ky)
// starts at src[i·colStep + ky·rowStep] and lands at dst[(i·kh + ky)·seg].
// This is the inner loop of the quantised network's im2col.
//
// To move whole vector registers, it copies every window rounded up to a
// multiple of WindowBlockInt8 values: it reads up to WindowBlockInt8-1 values
// past the end of each window, and writes as many past it, into the next
// window, which is written after. dst must therefore have WindowBlockInt8-1
// values of slack past n·kh·seg, and src as many past its last window. It
// panics if a slice is too short or a size negative.
func CopyWindowsInt8(dst, src []int8, n, colStep, kh, rowStep, seg int) {
	if windowsToCopy(len(dst), len(src), n, colStep, kh, rowStep, seg, WindowBlockInt8) {
		copyWindows(dst, src, n, colStep, kh, rowStep, seg, WindowBlockInt8)
	}
}

// windowsToCopy reports whether CopyWindows or CopyWindowsInt8 has a window
// to move, and panics on a negative size or step, or if dst or src (of
// lengths dstLen and srcLen) cannot hold the windows rounded up to block.
func windowsToCopy(dstLen, srcLen, n, colStep, kh, rowStep, seg, block int) bool {
	if windowsEmpty(n, colStep, kh, rowStep, seg) {
		return false
	}
	over := roundUp(seg, block)
	if dstLen < (n*kh-1)*seg+over || srcLen < (n-1)*colStep+(kh-1)*rowStep+over {
		panic(errShortSlice)
	}
	return true
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

// roundUp rounds n up to a multiple of block.
func roundUp(n, block int) int { return (n + block - 1) / block * block }

// copyWindowsGeneric is the plain Go CopyWindows, the reference of the SIMD
// versions. It keeps their overrun so that the tests compare like with like.
func copyWindowsGeneric(dst, src []float32, n, colStep, kh, rowStep, seg int) {
	copyWindowsBlocks(dst, src, n, colStep, kh, rowStep, seg, WindowBlock)
}

// copyWindowsInt8Generic is the plain Go CopyWindowsInt8, the reference of
// the SIMD versions, with their overrun.
func copyWindowsInt8Generic(dst, src []int8, n, colStep, kh, rowStep, seg int) {
	copyWindowsBlocks(dst, src, n, colStep, kh, rowStep, seg, WindowBlockInt8)
}

// copyWindowsBlocks copies the windows as CopyWindows describes, each
// rounded up to a multiple of block values.
func copyWindowsBlocks[T float32 | int8](dst, src []T, n, colStep, kh, rowStep, seg, block int) {
	over := roundUp(seg, block)
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
