package extract_test

import (
	"strings"
	"testing"

	"github.com/edgeconv/edgeconv/extract"
)

// Classifier reads one MNIST-style digit (28x28 bytes, ink 255 on 0).
type Classifier interface {
	Classify(pixels *[784]uint8) (digit int, confidence float32)
}

// testClassifier returns the classifier of the evaluations: the embedded
// model, or the one EDGECONV_CAMERA_MODEL names (testModel).
func testClassifier(t testing.TB) Classifier { return testModel(t) }

// classifyText reads the digits with clf and returns the text (lines
// separated by "\n", spaces where the extractor saw a wide gap) and how
// many digits of want it got right in order (longest common subsequence
// of the read digits and want). With a nil clf it returns "", 0.
func classifyText(clf Classifier, digits []extract.Digit, want string) (string, int) {
	if clf == nil {
		return "", 0
	}
	var b strings.Builder
	var seq []byte
	for i := range digits {
		d := &digits[i]
		if i > 0 && d.Line != digits[i-1].Line {
			b.WriteByte('\n')
		} else if d.Space {
			b.WriteByte(' ')
		}
		c, _ := clf.Classify(&d.Pixels)
		b.WriteByte(byte('0' + c))
		seq = append(seq, byte('0'+c))
	}
	return b.String(), lcs(string(seq), want)
}

// lcs returns the length of the longest common subsequence of a and b.
func lcs(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			switch {
			case a[i-1] == b[j-1]:
				cur[j] = prev[j-1] + 1
			case cur[j-1] > prev[j]:
				cur[j] = cur[j-1]
			default:
				cur[j] = prev[j]
			}
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
