package model_test

import (
	"testing"

	"github.com/edgeconv/edgeconv/model"
)

// TestResultOf checks the class and confidence of revised probabilities:
// the most probable, the first of a tie.
func TestResultOf(t *testing.T) {
	for _, tc := range []struct {
		p    []float32
		want model.Result
	}{
		{[]float32{0.1, 0.7, 0.2}, model.Result{Class: 1, Confidence: 0.7}},
		{[]float32{0.4, 0.2, 0.4}, model.Result{Class: 0, Confidence: 0.4}},
		{[]float32{0, 0, 0, 1}, model.Result{Class: 3, Confidence: 1}},
	} {
		if got := model.ResultOf(tc.p); got != tc.want {
			t.Errorf("ResultOf(%v) = %+v, want %+v", tc.p, got, tc.want)
		}
	}
}
