//go:build !purego

package extract

import "golang.org/x/sys/cpu"

// The AVX2 assembly is generated with avo by engine/_asm/extract, a module
// of its own.
//go:generate go -C ../engine/_asm/extract generate

// useAVX2 is read once: the CPU does not change under a running program.
var useAVX2 = cpu.X86.HasAVX2

// maxMinBytes is maxMinBytesGeneric: 32 bytes a step in AVX2, and the
// last 32 again where n is not a multiple of 32 (a maximum or a minimum
// taken twice is taken once: hi, lo and src are distinct), short rows in
// Go.
func maxMinBytes(hi, lo, src []uint8) {
	n := len(src)
	hi, lo = hi[:n], lo[:n]
	if !useAVX2 || n < 32 {
		maxMinBytesGeneric(hi, lo, src)
		return
	}
	maxMinBytesAVX2(&hi[0], &lo[0], &src[0], n&^31)
	if n&31 != 0 {
		maxMinBytesAVX2(&hi[n-32], &lo[n-32], &src[n-32], 32)
	}
}

// paperRun returns how many pixels from the start of row are paper
// (row[i] >= lo[i]) in whole 32-pixel steps: with AVX2, labelRuns skips
// paper 32 pixels at a time, then eight, then one, and starts its runs
// where it would without. Without AVX2 it returns 0.
func paperRun(row, lo []uint8) int {
	if !useAVX2 || len(row) < 32 {
		return 0
	}
	return paperRunAVX2(&row[0], &lo[:len(row)][0], len(row))
}

// skipPaper is skipPaperGeneric: 32 samples a step in AVX2 while they are
// all paper, then eight in Go. The eight-sample steps stay where they
// were (32 is four of them), so it stops where skipPaperGeneric does.
func skipPaper(pen, b, r, pb, pr []uint8, i int) int {
	if useAVX2 && len(pen)-i >= 32 {
		n := len(pen) - i
		i += skipPaperAVX2(&pen[i], &b[i:][:n][0], &r[i:][:n][0], &pb[i:][:n][0], &pr[i:][:n][0], n, nearMax)
	}
	return skipPaperGeneric(pen, b, r, pb, pr, i)
}

// lerpRow is lerpRowGeneric: sixteen pixels a step in AVX2, the rest in
// Go.
func lerpRow(dst []uint8, a, b []uint16, wy uint32) {
	n := len(dst)
	a, b = a[:n], b[:n]
	i := 0
	if useAVX2 && n >= 16 {
		i = n &^ 15
		lerpRowAVX2(&dst[0], &a[0], &b[0], i, wy)
	}
	lerpRowGeneric(dst[i:], a[i:], b[i:], wy)
}
