//go:build !purego

package kernel

func peakFMA(n int) float64 {
	if useAVX2 {
		peakFMAAVX2(n)
		return 192 * float64(n)
	}
	return peakFMAGeneric(n)
}
