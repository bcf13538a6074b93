package extract_test

import (
	"errors"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/edgeconv/edgeconv/extract"
	"github.com/edgeconv/edgeconv/internal/scenegen"
)

// Classifier reads one MNIST-style digit (28x28, ink 1 on 0). The
// evaluations take one so that a trained model can be plugged in: set
// pluggedClassifier from another _test.go file of this package, e.g.
//
//	func init() {
//		pluggedClassifier = func(t testing.TB) Classifier {
//			net, err := engine.LoadFile("../models/seed99.safetensors")
//			…
//		}
//	}
type Classifier interface {
	Classify(pixels *[784]float32) (digit int, confidence float32)
}

// pluggedClassifier, when set, replaces the nearest-neighbour stand-in.
var pluggedClassifier func(t testing.TB) Classifier

// testClassifier returns the classifier for the evaluations: the plugged
// one, else a nearest-neighbour reader over MNIST training digits (a
// measuring stick for how MNIST-like the crops are, not a product), else
// nil when the data is missing or the run is -short.
func testClassifier(t testing.TB) Classifier {
	if pluggedClassifier != nil {
		return pluggedClassifier(t)
	}
	if testing.Short() || os.Getenv("EDGECONV_CAMERA_NOKNN") != "" {
		return nil
	}
	knnOnce.Do(func() {
		dir, err := scenegen.FindDataDir()
		if err != nil {
			knnErr = err
			return
		}
		m, err := scenegen.LoadTrain(dir)
		if err != nil {
			knnErr = err
			return
		}
		knn = newKNN(m, 15000)
	})
	if knnErr != nil {
		if errors.Is(knnErr, scenegen.ErrNoData) {
			t.Logf("no classifier: %v", knnErr)
			return nil
		}
		t.Fatal(knnErr)
	}
	return knn
}

var (
	knnOnce sync.Once
	knn     *nearest
	knnErr  error
)

// nearest is a k-nearest-neighbour classifier (k=3, Euclidean) over the
// first n training digits.
type nearest struct {
	x     [][784]float32
	norm  []float32
	label []uint8
}

func newKNN(m *scenegen.MNIST, n int) *nearest {
	n = min(n, m.N)
	k := &nearest{x: make([][784]float32, n), norm: make([]float32, n), label: m.Labels[:n]}
	for i := 0; i < n; i++ {
		var s float32
		for j, v := range m.Image(i) {
			f := float32(v) / 255
			k.x[i][j] = f
			s += f * f
		}
		k.norm[i] = s
	}
	return k
}

func (k *nearest) Classify(p *[784]float32) (int, float32) {
	const K = 3
	var bestD [K]float32
	var bestL [K]int
	for i := range bestD {
		bestD[i], bestL[i] = 1e30, -1
	}
	for i := range k.x {
		xi := &k.x[i]
		var dot float32
		for j := range xi {
			dot += xi[j] * p[j]
		}
		d := k.norm[i] - 2*dot
		if d >= bestD[K-1] {
			continue
		}
		j := K - 1
		for j > 0 && bestD[j-1] > d {
			bestD[j], bestL[j] = bestD[j-1], bestL[j-1]
			j--
		}
		bestD[j], bestL[j] = d, int(k.label[i])
	}
	var votes [10]int
	for _, l := range bestL {
		if l >= 0 {
			votes[l]++
		}
	}
	best := bestL[0]
	for d, v := range votes {
		if v > votes[best] {
			best = d
		}
	}
	return best, float32(votes[best]) / K
}

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
