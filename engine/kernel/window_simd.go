//go:build (amd64 || arm64) && !purego

package kernel

import "unsafe"

// copyWindows copies the windows of CopyWindows or CopyWindowsInt8, block
// values at a time. The SIMD code of both is copyWindowsAsm, which counts in
// bytes: the sizes scale by the size of a value.
func copyWindows[T float32 | int8](dst, src []T, n, colStep, kh, rowStep, seg, block int) {
	if useWindowSIMD() {
		size := int(unsafe.Sizeof(dst[0]))
		copyWindowsAsm(unsafe.Pointer(&dst[0]), unsafe.Pointer(&src[0]), n, size*colStep, kh, size*rowStep, size*seg)
		return
	}
	copyWindowsBlocks(dst, src, n, colStep, kh, rowStep, seg, block)
}

func addWindows(dst, src []float32, n, colStep, kh, rowStep, seg int) {
	if useWindowSIMD() {
		addWindowsAsm(unsafe.Pointer(&dst[0]), unsafe.Pointer(&src[0]), n, colStep, kh, rowStep, seg)
		return
	}
	addWindowsGeneric(dst, src, n, colStep, kh, rowStep, seg)
}

// copyWindowsAsm is in window_amd64.s (AVX2) and window_arm64.s (NEON). It
// takes the arguments of CopyWindowsInt8, unchecked: colStep, rowStep and
// seg count bytes, whatever the element type. It computes
//
//	over := (seg + 31) &^ 31
//	for i := range n {
//		for ky := range kh {
//			s := i*colStep + ky*rowStep
//			copy(dst[(i*kh+ky)*seg:][:over], src[s:][:over])
//		}
//	}
//
// Reference: copyWindowsInt8Generic in window.go. Requires AVX on amd64
// (taken with the AVX2 kernels, useAVX2); NEON is baseline on arm64.
//
//go:noescape
func copyWindowsAsm(dst, src unsafe.Pointer, n, colStep, kh, rowStep, seg int)

// addWindowsAsm is in window_amd64.s (AVX2) and window_arm64.s (NEON); it
// takes the same arguments as AddWindows, unchecked.
//
//go:noescape
func addWindowsAsm(dst, src unsafe.Pointer, n, colStep, kh, rowStep, seg int)
