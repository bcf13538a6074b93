package reading

import (
	"math"
	"testing"

	"github.com/edgeconv/edgeconv/extract"
	"github.com/edgeconv/edgeconv/model"
)

// frameOf returns a Reader whose reading holds one candidate per row of
// probs (11 classes each), with the results the probabilities give.
func frameOf(probs [][]float32) *Reader {
	r := &Reader{}
	rd := &r.r
	rd.Classes = model.NotDigit + 1
	for _, p := range probs {
		rd.Candidates = append(rd.Candidates, extract.Digit{})
		rd.Probs = append(rd.Probs, p...)
		rd.Results = append(rd.Results, model.ResultOf(p))
	}
	return r
}

// probsOf returns 11 class probabilities: pd on digit d, pn on not a
// digit, the rest spread evenly over the other digits.
func probsOf(d int, pd, pn float32) []float32 {
	p := make([]float32, model.NotDigit+1)
	for c := range model.Digits {
		p[c] = (1 - pd - pn) / (model.Digits - 1)
	}
	p[d], p[model.NotDigit] = pd, pn
	return p
}

// TestAdaptPrior checks the frame's own share of non-digits: among letters
// (candidates read as not a digit with confidence), a parenthesis read as
// a 1 at 0.6 becomes not a digit; among digits, or alone, it stays a 1,
// its probabilities untouched (it is judged by the share of the others);
// and every candidate's probabilities stay a distribution whose digits
// keep their ratios.
func TestAdaptPrior(t *testing.T) {
	doubtful := probsOf(1, 0.6, 0.35)
	letter := probsOf(4, 0.01, 0.98)
	digit := probsOf(3, 0.98, 0.005)
	for _, tc := range []struct {
		name   string
		others [][]float32
		want   int // the class of the doubtful candidate after the pass
	}{
		{"among letters", [][]float32{letter, letter, letter, letter, letter}, model.NotDigit},
		{"among letters and digits", [][]float32{letter, digit, letter, letter, digit}, model.NotDigit},
		{"among digits", [][]float32{digit, digit, digit, digit, digit}, 1},
		{"alone", nil, 1},
		{"beside one digit", [][]float32{digit}, 1},
	} {
		r := frameOf(append([][]float32{doubtful}, tc.others...))
		before := append([]float32(nil), r.r.Probs...)
		r.adaptPrior()
		rd := &r.r
		if got := rd.Results[0].Class; got != tc.want {
			t.Errorf("%s: class %d, want %d (probabilities %v)", tc.name, got, tc.want, rd.Probs[:rd.Classes])
		}
		for i := range rd.Candidates {
			p, p0 := rd.Probs[i*rd.Classes:(i+1)*rd.Classes], before[i*rd.Classes:(i+1)*rd.Classes]
			var sum float64
			for c := range p {
				sum += float64(p[c])
			}
			if math.Abs(sum-1) > 1e-5 {
				t.Errorf("%s: candidate %d: probabilities sum to %v", tc.name, i, sum)
			}
			// The digits keep their ratios: only the share of not a digit moves.
			ratio := float64(p[0] / p0[0])
			for c := range model.Digits {
				if r := float64(p[c] / p0[c]); math.Abs(r-ratio) > 1e-4*ratio {
					t.Errorf("%s: candidate %d: digit %d scaled by %v, digit 0 by %v", tc.name, i, c, r, ratio)
				}
			}
			if p[model.NotDigit] < p0[model.NotDigit] {
				t.Errorf("%s: candidate %d: not a digit fell from %v to %v", tc.name, i, p0[model.NotDigit], p[model.NotDigit])
			}
			if i == 0 && tc.want == 1 && p[model.NotDigit] != p0[model.NotDigit] {
				t.Errorf("%s: the doubtful candidate's probabilities changed: not a digit %v, was %v", tc.name, p[model.NotDigit], p0[model.NotDigit])
			}
		}
	}
}
