//go:build (!amd64 && !arm64) || purego

package kernel

func copyWindows[T float32 | int8](dst, src []T, n, colStep, kh, rowStep, seg, block int) {
	copyWindowsBlocks(dst, src, n, colStep, kh, rowStep, seg, block)
}

func addWindows(dst, src []float32, n, colStep, kh, rowStep, seg int) {
	addWindowsGeneric(dst, src, n, colStep, kh, rowStep, seg)
}
