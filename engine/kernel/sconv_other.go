//go:build !amd64 || purego

package kernel

func sconvC1x6S1SIMD(oh, ow int) bool { return false }

func sconvC1x6S1(oh, ow int, img []float32, imgRow, kh, kw int, w, bias []float32, relu bool, out []float32, outRow int) {
	sconvC1x6S1Generic(oh, ow, img, imgRow, kh, kw, w, bias, relu, out, outRow)
}
