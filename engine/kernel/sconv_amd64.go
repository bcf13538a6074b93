//go:build !purego

package kernel

// sconvC1x6S1SIMD reports whether sconvC1x6S1AVX2 takes an output of oh
// rows of ow pixels: AVX2 and FMA present, and the output whole quads of
// four pixels of a row, 16 pixels to a tile.
func sconvC1x6S1SIMD(oh, ow int) bool { return useAVX2 && ow%4 == 0 && oh*ow%16 == 0 }

func sconvC1x6S1(oh, ow int, img []float32, imgRow, kh, kw int, w, bias []float32, relu bool, out []float32, outRow int) {
	sconvC1x6S1AVX2(oh*ow/16, ow/4, &img[0], imgRow, kh, kw, &w[0], &bias[0], relu, &out[0], outRow)
}
