package quant

import (
	"path/filepath"
	"sync"
	"testing"

	"github.com/edgeconv/edgeconv/engine"
	"github.com/edgeconv/edgeconv/train"
)

// goldenSpec is the architecture of the committed fixture: stride 1 and 2,
// odd and even kernels (SAME padding on both sides), inner dimensions that
// are and are not multiples of 4, dropout.
const goldenSpec = "conv 5x5 4 s1 relu; conv 4x4 8 s2 relu; conv 3x3 12 s2 relu; dense 30 relu keep=0.75; dense 10"

const fixture = "testdata/small.int8.safetensors"

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

// trainSmall trains goldenSpec for 400 iterations (a few seconds), once per
// test process.
func trainSmall(t testing.TB) *engine.Network {
	t.Helper()
	trainSet := loadMNIST(t, train.Train)
	smallOnce.Do(func() {
		spec, err := engine.ParseSpec(goldenSpec)
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

func loadFixture(t testing.TB) *Network {
	t.Helper()
	q, err := LoadFile(fixture)
	if err != nil {
		t.Fatalf("fixture: %v (regenerate with go test ./quant -run TestGolden -update)", err)
	}
	return q
}
