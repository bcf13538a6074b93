//go:build (!amd64 && !arm64) || purego

package kernel

func sgemm(transA, transB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int, accumulate bool, scratch []float32) {
	sgemmGeneric(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate)
}

// sgemmShapes is the geometry of the packed layout here, where the tiles run
// as Go code (sgemmTileGo).
var sgemmShapes = [...]sgemmShape{{w: 8, mr: 8, maskB: true}}

func sgemmTile(w, mr, k, segs int, a *float32, rsa, csa, segStep int, b *float32, rsb int, c *float32, ldc, nr int, load bool, epi int) {
	sgemmTileGo(mr, k, segs, a, rsa, csa, segStep, b, rsb, c, ldc, nr, load, epi)
}
