//go:build !purego

package kernel

//go:generate go -C ../_asm/int8 generate

func gemmInt8Windows(m, n int, a []int8, win Windows, packed []int8, rq *RequantInt8, c []int8, ldc, cRunStep int) {
	if useInt8AVX2 {
		gemmInt8WindowsTiles(m, n, a, win, packed, rq, c, ldc, cRunStep, int8TileRowsAVX2, int8TileAVX2)
		return
	}
	gemmInt8WindowsGeneric(m, n, a, win, packed, rq, c, ldc, cRunStep)
}
