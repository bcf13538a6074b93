//go:build purego || !amd64

package extract

// maxMinBytes is maxMinBytesGeneric: the AVX2 form is for amd64.
func maxMinBytes(hi, lo, src []uint8) { maxMinBytesGeneric(hi, lo, src) }

// paperRun is labelRuns's skip over paper 32 pixels at a time, which
// needs AVX2: here none.
func paperRun(row, lo []uint8) int { return 0 }

// skipPaper is skipPaperGeneric: the AVX2 form is for amd64.
func skipPaper(pen, b, r, pb, pr []uint8, i int) int {
	return skipPaperGeneric(pen, b, r, pb, pr, i)
}

// lerpRow is lerpRowGeneric: the AVX2 form is for amd64.
func lerpRow(dst []uint8, a, b []uint16, wy uint32) { lerpRowGeneric(dst, a, b, wy) }

// useAVX2 is false: no AVX2 code is built.
const useAVX2 = false
