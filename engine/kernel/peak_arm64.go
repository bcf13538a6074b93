//go:build !purego

package kernel

func peakFMA(n int) float64 {
	if useNEON {
		peakFMANEON(n)
		return 128 * float64(n)
	}
	return peakFMAGeneric(n)
}

// peakFMANEON runs n iterations of 16 independent 4-lane FMLA on vector
// registers and touches no memory, the equivalent of
//
//	for i := 0; i < n; i++ {
//		for r := 0; r < 16; r++ {
//			for lane := 0; lane < 4; lane++ {
//				acc[r][lane] += x[lane] * y[lane] // fused, x = y = 0
//			}
//		}
//	}
//
// that is 128 float32 FLOPs per iteration.
// Reference: peak_generic.go (peakFMAGeneric).
// Requires: ASIMD (NEON), part of the arm64 baseline.
//
//go:noescape
func peakFMANEON(n int)
