//go:build (!amd64 && !arm64) || purego

package kernel

func copyWindows(dst, src []float32, n, colStep, kh, rowStep, seg int) {
	copyWindowsGeneric(dst, src, n, colStep, kh, rowStep, seg)
}

func copyWindowsInt8(dst, src []int8, n, colStep, kh, rowStep, seg int) {
	copyWindowsInt8Generic(dst, src, n, colStep, kh, rowStep, seg)
}

func addWindows(dst, src []float32, n, colStep, kh, rowStep, seg int) {
	addWindowsGeneric(dst, src, n, colStep, kh, rowStep, seg)
}
