package train

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/edgeconv/edgeconv/engine"
	"github.com/edgeconv/edgeconv/engine/safetensors"
)

// FuzzReadIDX feeds arbitrary bytes, raw and gzip-compressed, to the MNIST
// readers: errors are fine, panics are not, and what they accept has the
// size its header says.
func FuzzReadIDX(f *testing.F) {
	_, images := testImages(3, 4, 5, 1)
	f.Add(images)
	f.Add(gz(images))
	f.Add(testLabels(1, 2, 9))
	f.Add(gz(testLabels(0)))
	f.Add(idx(idxMagicImages, []uint32{1 << 24, 1024, 1024}, nil))
	f.Fuzz(func(t *testing.T, data []byte) {
		if px, n, rows, cols, err := ReadImages(bytes.NewReader(data)); err == nil && len(px) != n*rows*cols {
			t.Fatalf("%d pixels for %d images of %dx%d", len(px), n, rows, cols)
		}
		if labels, err := ReadLabels(bytes.NewReader(data)); err == nil {
			for _, l := range labels {
				if l > 9 {
					t.Fatalf("label %d", l)
				}
			}
		}
	})
}

// FuzzResume feeds arbitrary bytes to Resume as a checkpoint file (what
// train --resume reads): errors are fine, panics are not, and a run it
// accepts must take a step.
func FuzzResume(f *testing.F) {
	ds := &Dataset{N: 10, Rows: 28, Cols: 28, Images: make([]uint8, 10*784), Labels: make([]uint8, 10)}
	for i := range ds.Images {
		ds.Images[i] = uint8(i * 7)
	}
	spec, err := engine.ParseSpec("conv 5x5 2 s2 relu; dense 10")
	if err != nil {
		f.Fatal(err)
	}
	tr, err := NewTrainer(Config{Spec: spec, Schedule: Schedule{Max: 0.003, Decay: 100}, Iterations: 3, Batch: 5, Seed: 1, Workers: 1}, ds, nil)
	if err != nil {
		f.Fatal(err)
	}
	path := filepath.Join(f.TempDir(), "c.safetensors")
	if _, err := tr.Run(context.Background(), RunOptions{CheckpointPath: path, CheckpointEvery: 2, ModelPath: filepath.Join(f.TempDir(), "m.safetensors")}, Hooks{}); err != nil {
		f.Fatal(err)
	}
	tr.Close()
	seed, err := os.ReadFile(path)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Fuzz(func(t *testing.T, data []byte) {
		// Rendering synthetic samples (up to a million) and starting
		// hundreds of workers are allowed, but too slow to fuzz.
		if meta, _, err := safetensors.Read(bytes.NewReader(data)); err == nil {
			for _, k := range []string{keyNegatives, keyStyle, keyWorkers} {
				if n, err := strconv.Atoi(meta[k]); err == nil && n > 2 {
					return
				}
			}
		}
		path := filepath.Join(t.TempDir(), "c.safetensors")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		tr, _, err := Resume(path, ds, nil, 0, 0)
		if err != nil {
			return
		}
		defer tr.Close()
		tr.Step()
	})
}
