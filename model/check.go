package model

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"image"
	"image/png"
	"math"
	"os"
	"strings"
	"sync"
)

// probePNG holds SelfTest's digits: ten of each class from MNIST's test
// set, one class a row, written by mkprobe.go.
//
//go:embed probe.png
var probePNG []byte

// ProbeDigits is the number of digits SelfTest reads, ten of each class.
const ProbeDigits = 100

// MinProbeRight is the number of SelfTest's digits a model must read
// right: 80 of 100 rejects a model that does not read digits (one
// guessing gets about 10) and no model of this project (the codelab's
// one-layer softmax reads 92% of MNIST).
const MinProbeRight = 80

// probe returns SelfTest's images, (ProbeDigits, 28, 28), and their
// labels.
var probe = sync.OnceValues(func() ([]uint8, []int) {
	img, err := png.Decode(bytes.NewReader(probePNG))
	if err != nil {
		panic("model: probe.png: " + err.Error()) // compiled in: cannot fail
	}
	g := img.(*image.Gray)
	px := make([]uint8, 0, ProbeDigits*Size)
	labels := make([]int, 0, ProbeDigits)
	for c := range Digits {
		for k := range 10 {
			for y := range Side {
				off := (c*Side+y)*g.Stride + k*Side
				px = append(px, g.Pix[off:off+Side]...)
			}
			labels = append(labels, c)
		}
	}
	return px, labels
})

// SelfTest runs a test inference: a classifier made with opts (the
// arithmetic the model will run in) reads ProbeDigits MNIST test digits
// compiled into the package. Every logit and probability must be finite
// and at least MinProbeRight digits read right; a file whose weights were
// damaged without breaking its structure, or a model trained for
// something else, fails. It returns the number read right.
func (m *Model) SelfTest(opts Options) (int, error) {
	opts.Workers = 1
	c, err := m.NewClassifier(opts)
	if err != nil {
		return 0, err
	}
	defer c.Close()
	px, labels := probe()
	res := c.Classify(px)
	for _, v := range c.Probs() {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return 0, fmt.Errorf("%s: model: the test inference gives %v", m.name, v)
		}
	}
	right := 0
	for i, r := range res {
		if r.Class == labels[i] {
			right++
		}
	}
	if right < MinProbeRight {
		return right, fmt.Errorf("%s: model: reads %d of %d test digits right, fewer than %d", m.name, right, ProbeDigits, MinProbeRight)
	}
	return right, nil
}

// ErrSumMismatch is wrapped by the error of CheckSum when the sum file
// names other bytes than the model's.
var ErrSumMismatch = errors.New("model: the file's SHA-256 is not the one in its sum file")

// CheckSum compares the model's SHA-256 with the sum file's, whose first
// word is the hex digest (as sha256sum writes it: `sha256sum m.safetensors
// > m.safetensors.sha256`). A model copied in pieces, or over a broken
// link, fails.
func (m *Model) CheckSum(sumFile string) error {
	data, err := os.ReadFile(sumFile)
	if err != nil {
		return err
	}
	f := strings.Fields(string(data))
	if len(f) == 0 || len(f[0]) != 64 {
		return fmt.Errorf("%s: not a SHA-256 sum file", sumFile)
	}
	if !strings.EqualFold(f[0], m.sum) {
		return fmt.Errorf("%s: %w (%s): %.12s…, not %.12s…", m.name, ErrSumMismatch, sumFile, m.sum, strings.ToLower(f[0]))
	}
	return nil
}
