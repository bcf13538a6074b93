package model_test

import (
	"path/filepath"
	"testing"

	"github.com/edgeconv/edgeconv/model"
	"github.com/edgeconv/edgeconv/model/modeltest"
	"github.com/edgeconv/edgeconv/train"
)

// TestDefaultReadsMNIST: the embedded model reads the MNIST test digits,
// as bytes, in integers and dequantised: at least 99% right on the first
// 2,000 (500 with -short), and the two arithmetics agree on all but a few.
func TestDefaultReadsMNIST(t *testing.T) {
	ds, err := train.LoadMNIST(filepath.Join("..", train.MNISTDir), train.Test)
	if err != nil {
		t.Skipf("MNIST not available (%v); run make data", err)
	}
	n := 2000
	if testing.Short() {
		n = 500
	}
	m := modeltest.Default(t)
	var classes [2][]int
	for k, float := range []bool{false, true} {
		c, err := m.NewClassifier(model.Options{Batch: 250, Workers: 2, Float: float})
		if err != nil {
			t.Fatal(err)
		}
		right := 0
		for i, r := range c.Classify(ds.Images[:n*model.Size]) {
			classes[k] = append(classes[k], r.Class)
			if r.Class == int(ds.Labels[i]) {
				right++
			}
		}
		c.Close()
		if right < n*99/100 {
			t.Errorf("%s: %d of %d right", c, right, n)
		}
	}
	differ := 0
	for i := range classes[0] {
		if classes[0][i] != classes[1][i] {
			differ++
		}
	}
	if differ > max(n/200, 2) {
		t.Errorf("int8 and dequantised float32 differ on %d of %d images", differ, n)
	}
}
