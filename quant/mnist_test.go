package quant_test

// The tests that need MNIST and the trainer, or a model to classify with,
// are an external test package: train and model import quant.

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/edgeconv/edgeconv/engine"
	"github.com/edgeconv/edgeconv/model"
	"github.com/edgeconv/edgeconv/model/modeltest"
	"github.com/edgeconv/edgeconv/quant"
	"github.com/edgeconv/edgeconv/train"
)

var update = flag.Bool("update", false, "retrain the small network and rewrite testdata/small.int8.safetensors and testdata/golden.txt")

const (
	goldenFile   = "testdata/golden.txt"
	goldenImages = 2000
)

// loadMNIST loads an MNIST split from the repository's data directory,
// skipping the test when `make data` has not been run.
func loadMNIST(t testing.TB, split train.Split) *train.Dataset {
	t.Helper()
	ds, err := train.LoadMNIST(filepath.Join("..", train.MNISTDir), split)
	if err != nil {
		t.Skipf("MNIST not available (%v); run make data", err)
	}
	return ds
}

var (
	smallOnce sync.Once
	smallNet  *engine.Network
)

// trainSmall trains quant.GoldenSpec for 400 iterations (a few seconds),
// once per test process.
func trainSmall(t testing.TB) *engine.Network {
	t.Helper()
	trainSet := loadMNIST(t, train.Train)
	smallOnce.Do(func() {
		spec, err := engine.ParseSpec(quant.GoldenSpec)
		if err != nil {
			t.Fatal(err)
		}
		tr, err := train.NewTrainer(train.Config{Spec: spec, Schedule: train.Schedule{Min: 0.0001, Max: 0.003, Decay: 2000},
			Iterations: 400, Batch: 50, Seed: 11, Workers: 2}, trainSet, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer tr.Close()
		for range tr.Iterations {
			tr.Step()
		}
		smallNet = tr.Net
	})
	if smallNet == nil {
		t.Fatal("training the small network failed")
	}
	return smallNet
}

// calibSamples returns the first n training images as float inputs.
func calibSamples(ds *train.Dataset, n int) [][]float32 {
	size := ds.Rows * ds.Cols
	out := make([][]float32, n)
	for i := range n {
		out[i] = make([]float32, size)
		ds.Batch(out[i], nil, []int{i})
	}
	return out
}

// accuracy returns the share of ds that the model classifies right.
func accuracy(t testing.TB, m *model.Model, ds *train.Dataset) float64 {
	t.Helper()
	c, err := m.NewClassifier(model.Options{Batch: 250, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	return train.Evaluate(c, ds).Accuracy
}

// TestQuantizeAccuracy trains a small network and checks that both
// calibration methods keep its test accuracy, and that the per-layer
// errors stay small.
func TestQuantizeAccuracy(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a network")
	}
	checkQuantizeAccuracy(t, trainSmall(t))
}

// TestQuantizeBNAccuracy is TestQuantizeAccuracy for GoldenSpec with batch
// normalisation before every ReLU, which Quantize folds into the weights.
func TestQuantizeBNAccuracy(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a network")
	}
	spec, err := engine.ParseSpec(strings.ReplaceAll(quant.GoldenSpec, " relu", " bn relu"))
	if err != nil {
		t.Fatal(err)
	}
	tr, err := train.NewTrainer(train.Config{Spec: spec, Schedule: train.Schedule{Min: 0.0001, Max: 0.02, Decay: 1600},
		Iterations: 400, Batch: 50, Seed: 11, Workers: 2}, loadMNIST(t, train.Train), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	for range tr.Iterations {
		tr.Step()
	}
	calib := calibSamples(loadMNIST(t, train.Train), 50)
	q, err := quant.Quantize(tr.Net, calib, quant.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if q.Spec.HasBN() || q.Spec.String() != tr.Net.FoldBN().Spec.String() {
		t.Errorf("int8 architecture %q", q.Spec)
	}
	checkQuantizeAccuracy(t, tr.Net)
}

func checkQuantizeAccuracy(t *testing.T, net *engine.Network) {
	trainSet, test := loadMNIST(t, train.Train), loadMNIST(t, train.Test)
	fm, err := model.FromNetwork(net, "small")
	if err != nil {
		t.Fatal(err)
	}
	floatAcc := accuracy(t, fm, test)
	calib := calibSamples(trainSet, 300)
	for _, m := range []quant.Method{quant.MinMax, quant.Percentile} {
		q, err := quant.Quantize(net, calib, quant.Options{Method: m})
		if err != nil {
			t.Fatal(err)
		}
		acc := accuracy(t, modeltest.Int8(t, q), test)
		t.Logf("%s: float %.2f%%, int8 %.2f%%", m, 100*floatAcc, 100*acc)
		if acc < floatAcc-0.005 {
			t.Errorf("%s: int8 accuracy %.4f, float %.4f", m, acc, floatAcc)
		}
		errs, err := quant.Compare(net, q, test.Images, 100)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range errs {
			if e.MaxRel() > 0.5 || e.MeanAbs > 0.05*e.Range {
				t.Errorf("%s: %v", m, e)
			}
		}
	}
}

// goldenLogits hashes the int32 logits of q on the first goldenImages test
// images, run in batches of batch on workers goroutines.
func goldenLogits(q *quant.Network, ds *train.Dataset, batch, workers int) string {
	p := quant.NewPlan(q, batch, workers)
	defer p.Close()
	h := sha256.New()
	size := q.InputSize()
	var buf [4]byte
	for s := 0; s < goldenImages; s += batch {
		n := min(batch, goldenImages-s)
		for _, v := range p.Forward(ds.Images[s*size:], n) {
			binary.LittleEndian.PutUint32(buf[:], uint32(v))
			h.Write(buf[:])
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// TestGolden: the integer network's logits are the same bits for every
// batch size and worker count, on every architecture and with purego, as
// testdata/golden.txt records them; -update retrains the fixture and
// rewrites both files.
func TestGolden(t *testing.T) {
	test := loadMNIST(t, train.Test)
	first := test.Subset(0, goldenImages)
	if *update {
		net := trainSmall(t)
		q, err := quant.Quantize(net, calibSamples(loadMNIST(t, train.Train), 500), quant.Options{Method: quant.MinMax})
		if err != nil {
			t.Fatal(err)
		}
		if err := q.SaveFile(quant.Fixture); err != nil {
			t.Fatal(err)
		}
		correct := int(accuracy(t, modeltest.Int8(t, q), first)*goldenImages + 0.5)
		text := fmt.Sprintf("# SHA-256 of the int32 logits (little-endian) of %s on the first %d MNIST test images; %d correct\n%s\n",
			quant.Fixture, goldenImages, correct, goldenLogits(q, test, 100, 1))
		if err := os.WriteFile(goldenFile, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	q, err := quant.LoadFile(quant.Fixture)
	if err != nil {
		t.Fatalf("fixture: %v (regenerate with go test ./quant -run TestGolden -update)", err)
	}
	b, err := os.ReadFile(goldenFile)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	want := lines[len(lines)-1]
	for _, c := range []struct{ batch, workers int }{{100, 1}, {1, 1}, {37, 2}, {250, 3}} {
		if got := goldenLogits(q, test, c.batch, c.workers); got != want {
			t.Errorf("batch %d workers %d: logits hash %s, want %s", c.batch, c.workers, got, want)
		}
	}
	if acc := accuracy(t, modeltest.Int8(t, q), first); acc < 0.9 {
		t.Errorf("the fixture reads %.1f%% of the first %d test images, want at least 90%%", 100*acc, goldenImages)
	}
}
