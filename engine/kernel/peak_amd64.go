//go:build !purego

package kernel

// The AVX2 assembly is generated with avo by engine/_asm/peak, a module of
// its own.
//go:generate go -C ../_asm/peak generate

func peakFMA(n int) float64 {
	if useAVX2 {
		peakFMAAVX2(n)
		return 192 * float64(n)
	}
	return peakFMAGeneric(n)
}
