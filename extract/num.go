package extract

import "slices"

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// quantile returns the q-quantile of s (nearest rank), reordering s.
func quantile(s []float32, q float32) float32 {
	if len(s) == 0 {
		return 0
	}
	slices.Sort(s)
	return s[min(int(q*float32(len(s))), len(s)-1)]
}

// median returns the median of s, reordering s.
func median(s []float32) float32 {
	if len(s) == 0 {
		return 0
	}
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

func b2i(b bool) int32 {
	if b {
		return 1
	}
	return 0
}

// grow returns s resized to n elements, reallocating only when its capacity
// is too small. The contents are not preserved.
func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n, n+n/4)
	}
	return s[:n]
}
