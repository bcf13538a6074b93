//go:build (!amd64 && !arm64) || purego

package kernel

func peakFMA(n int) float64 { return peakFMAGeneric(n) }
