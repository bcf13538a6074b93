package bench

import (
	"math"
	"testing"
	"time"
)

func TestMedian(t *testing.T) {
	cases := []struct {
		xs   []float64
		want float64
	}{
		{nil, 0},
		{[]float64{7}, 7},
		{[]float64{3, 1}, 2},
		{[]float64{5, 1, 3}, 3},
		{[]float64{4, 1, 3, 2}, 2.5},
		{[]float64{1, 1000, 2, 3, 2}, 2}, // an outlier moves the mean, not the median
		{[]float64{-1, -3, -2}, -2},
	}
	for _, c := range cases {
		in := append([]float64(nil), c.xs...)
		if got := Median(c.xs); got != c.want {
			t.Errorf("Median(%v) = %v, want %v", c.xs, got, c.want)
		}
		for i := range in {
			if in[i] != c.xs[i] {
				t.Fatalf("Median modified its input: %v, was %v", c.xs, in)
			}
		}
	}
}

func TestQuantile(t *testing.T) {
	xs := []float64{10, 40, 20, 30} // sorted: 10 20 30 40
	cases := []struct{ q, want float64 }{
		{-1, 10}, {0, 10}, {0.25, 17.5}, {0.5, 25}, {0.75, 32.5}, {1, 40}, {2, 40},
	}
	for _, c := range cases {
		if got := Quantile(xs, c.q); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("Quantile(%v, %v) = %v, want %v", xs, c.q, got, c.want)
		}
	}
}

func TestMedianDuration(t *testing.T) {
	ds := []time.Duration{3 * time.Microsecond, time.Second, 2 * time.Microsecond, 4 * time.Microsecond}
	if got, want := MedianDuration(ds), 3500*time.Nanosecond; got != want {
		t.Errorf("MedianDuration = %v, want %v", got, want)
	}
	if got := MedianDuration(nil); got != 0 {
		t.Errorf("MedianDuration(nil) = %v, want 0", got)
	}
}
