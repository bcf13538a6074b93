package bench

import (
	"slices"
	"time"
)

// Median returns the median of xs (the mean of the two middle values when
// len(xs) is even), or 0 when xs is empty. xs is not modified.
func Median(xs []float64) float64 {
	return Quantile(xs, 0.5)
}

// Quantile returns the q-quantile of xs, 0 ≤ q ≤ 1, interpolating linearly
// between the closest ranks (the method of R's default type 7 and NumPy's
// "linear"), or 0 when xs is empty. xs is not modified.
func Quantile(xs []float64, q float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	q = min(max(q, 0), 1)
	pos := q * float64(len(s)-1)
	i := int(pos)
	if i >= len(s)-1 {
		return s[len(s)-1]
	}
	frac := pos - float64(i)
	return s[i] + frac*(s[i+1]-s[i])
}

// MedianDuration returns the median of ds, or 0 when ds is empty.
func MedianDuration(ds []time.Duration) time.Duration {
	xs := make([]float64, len(ds))
	for i, d := range ds {
		xs[i] = float64(d)
	}
	return time.Duration(Median(xs) + 0.5)
}
