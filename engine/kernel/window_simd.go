//go:build (amd64 || arm64) && !purego

package kernel

import "unsafe"

func copyWindows(dst, src []float32, n, colStep, kh, rowStep, seg int) {
	if useWindowSIMD() {
		copyWindowsSIMD(dst, src, n, colStep, kh, rowStep, seg)
		return
	}
	copyWindowsGeneric(dst, src, n, colStep, kh, rowStep, seg)
}

func copyWindowsInt8(dst, src []int8, n, colStep, kh, rowStep, seg int) {
	if useWindowSIMD() {
		copyWindowsInt8SIMD(dst, src, n, colStep, kh, rowStep, seg)
		return
	}
	copyWindowsInt8Generic(dst, src, n, colStep, kh, rowStep, seg)
}

func addWindows(dst, src []float32, n, colStep, kh, rowStep, seg int) {
	if useWindowSIMD() {
		addWindowsSIMD(dst, src, n, colStep, kh, rowStep, seg)
		return
	}
	addWindowsGeneric(dst, src, n, colStep, kh, rowStep, seg)
}

// copyWindowsSIMD and copyWindowsInt8SIMD share copyWindowsAsm, which
// counts in bytes: the float32 one scales its sizes by 4.
func copyWindowsSIMD(dst, src []float32, n, colStep, kh, rowStep, seg int) {
	copyWindowsAsm(unsafe.Pointer(&dst[0]), unsafe.Pointer(&src[0]), n, 4*colStep, kh, 4*rowStep, 4*seg)
}

func copyWindowsInt8SIMD(dst, src []int8, n, colStep, kh, rowStep, seg int) {
	copyWindowsAsm(unsafe.Pointer(&dst[0]), unsafe.Pointer(&src[0]), n, colStep, kh, rowStep, seg)
}

func addWindowsSIMD(dst, src []float32, n, colStep, kh, rowStep, seg int) {
	addWindowsAsm(unsafe.Pointer(&dst[0]), unsafe.Pointer(&src[0]), n, colStep, kh, rowStep, seg)
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
