//go:build (!amd64 && !arm64) || purego

package kernel

func gemmInt8Windows(m, n int, a []int8, win Windows, packed []int8, rq *RequantInt8, c []int8, ldc, cRunStep int, _ []int16) {
	gemmInt8WindowsGeneric(m, n, a, win, packed, rq, c, ldc, cRunStep)
}
