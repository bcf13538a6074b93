package reading

import (
	"testing"

	"github.com/edgeconv/edgeconv/model"
)

// TestDropFaintLines checks dropFaintLines on readings made by hand: on a
// page of clear writing (three digits of contrast 0.6 read with
// confidence, so the page's writing is 0.6 and a faint line is under
// 0.42), a line of faint doubted digits becomes not digits, while a faint
// line with one clear digit, a line with one mark as dark as the page's
// writing, and a faint mark the model rejects are left as they are; on a
// page with fewer clear digits nothing changes.
func TestDropFaintLines(t *testing.T) {
	type mark struct {
		line     int
		contrast float32
		probs    []float32
	}
	clear, doubted, letter := probsOf(3, 0.99, 0.005), probsOf(1, 0.8, 0.1), probsOf(4, 0.01, 0.98)
	page := []mark{{0, 0.6, clear}, {0, 0.62, clear}, {0, 0.58, clear}}
	for _, tc := range []struct {
		name  string
		marks []mark
		want  string // per mark: d kept as a digit, n not a digit
	}{
		{"a faint line", append(page[:3:3], mark{1, 0.3, doubted}, mark{1, 0.41, doubted}), "dddnn"},
		{"a faint line with a clear digit", append(page[:3:3], mark{1, 0.3, doubted}, mark{1, 0.3, clear}), "ddddd"},
		{"a faint line with a mark as dark as the page", append(page[:3:3], mark{1, 0.3, doubted}, mark{1, 0.43, doubted}), "ddddd"},
		{"a faint letter", append(page[:3:3], mark{1, 0.3, letter}, mark{2, 0.3, doubted}), "dddnn"},
		{"lines out of order", []mark{{2, 0.3, doubted}, {1, 0.6, clear}, {1, 0.6, clear}, {0, 0.6, clear}, {2, 0.2, doubted}}, "ndddn"},
		{"two clear digits", []mark{{0, 0.6, clear}, {0, 0.6, clear}, {1, 0.3, doubted}}, "ddd"},
		{"a faint page", []mark{{0, 0.3, clear}, {0, 0.3, clear}, {0, 0.3, clear}, {1, 0.25, doubted}}, "dddd"},
	} {
		probs := make([][]float32, len(tc.marks))
		for i, m := range tc.marks {
			probs[i] = m.probs
		}
		r := frameOf(probs)
		rd := &r.r
		for i, m := range tc.marks {
			rd.Candidates[i].Line, rd.Candidates[i].Contrast = m.line, m.contrast
		}
		r.dropFaintLines()
		got := ""
		for i, res := range rd.Results {
			if res.Class < model.Digits {
				got += "d"
				continue
			}
			got += "n"
			// A digit dropped is not a digit with certainty.
			if model.ResultOf(tc.marks[i].probs).Class < model.Digits && (res.Confidence != 1 || rd.Probs[i*rd.Classes+model.NotDigit] != 1) {
				t.Errorf("%s: mark %d dropped with confidence %v", tc.name, i, res.Confidence)
			}
		}
		if got != tc.want {
			t.Errorf("%s: got %s, want %s", tc.name, got, tc.want)
		}
	}
}
