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

func addWindows(dst, src []float32, n, colStep, kh, rowStep, seg int) {
	if useWindowSIMD() {
		addWindowsSIMD(dst, src, n, colStep, kh, rowStep, seg)
		return
	}
	addWindowsGeneric(dst, src, n, colStep, kh, rowStep, seg)
}

func copyWindowsSIMD(dst, src []float32, n, colStep, kh, rowStep, seg int) {
	copyWindowsAsm(unsafe.Pointer(&dst[0]), unsafe.Pointer(&src[0]), n, colStep, kh, rowStep, seg)
}

func addWindowsSIMD(dst, src []float32, n, colStep, kh, rowStep, seg int) {
	addWindowsAsm(unsafe.Pointer(&dst[0]), unsafe.Pointer(&src[0]), n, colStep, kh, rowStep, seg)
}

// copyWindowsAsm and addWindowsAsm are in window_amd64.s (AVX2) and
// window_arm64.s (NEON); they take the same arguments as CopyWindows and
// AddWindows, unchecked.
//
//go:noescape
func copyWindowsAsm(dst, src unsafe.Pointer, n, colStep, kh, rowStep, seg int)

//go:noescape
func addWindowsAsm(dst, src unsafe.Pointer, n, colStep, kh, rowStep, seg int)
