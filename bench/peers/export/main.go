// Command export prepares the side-by-side comparison of bench/peers/run.sh:
// it writes the float32 model the peers run (a model file, an int8 one
// dequantised, or a preset with random weights) and a check file with a few
// inputs and edgeconv's logits for them, against which the PyTorch and ONNX
// Runtime outputs are compared.
//
//	go run ./bench/peers/export -out DIR [-model FILE | -preset seed99] [-n 8]
//
// It writes DIR/model.safetensors and DIR/check.json:
//
//	{"arch": "...", "source": "...", "n": 8, "inputs": [n·784 values, (n, 28, 28, 1)], "logits": [n·10 values]}
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/edgeconv/edgeconv/bench"
	"github.com/edgeconv/edgeconv/engine"
	"github.com/edgeconv/edgeconv/model"
	"github.com/edgeconv/edgeconv/train"
)

type check struct {
	Arch   string    `json:"arch"`
	Source string    `json:"source"` // where the weights come from
	Images string    `json:"images"` // "mnist test" or "random"
	N      int       `json:"n"`
	Inputs []float32 `json:"inputs"`
	Logits []float32 `json:"logits"`
}

func main() {
	out := flag.String("out", "", "output directory (required)")
	file := flag.String("model", "", "model file (default: --preset with random weights)")
	preset := flag.String("preset", train.DefaultPreset, "preset used when there is no --model")
	n := flag.Int("n", 8, "number of check inputs")
	data := flag.String("data", train.MNISTDir, "MNIST directory (random images if absent)")
	flag.Parse()
	if err := run(*out, *file, *preset, *data, *n); err != nil {
		fmt.Fprintf(os.Stderr, "export: %v\n", err)
		os.Exit(1)
	}
}

func run(out, file, preset, data string, n int) error {
	if out == "" || n < 1 {
		return errors.New("want -out DIR and -n ≥ 1")
	}
	var m *model.Model
	var err error
	source := file
	if file != "" {
		m, err = model.Open(file)
	} else {
		var net *engine.Network
		if net, err = bench.PresetNetwork(preset, 1); err == nil {
			m, err = model.FromNetwork(net, preset)
		}
		source = "preset " + preset + ", random weights (Init seed 1)"
	}
	if err != nil {
		return err
	}
	net, err := m.FloatNetwork()
	if err != nil {
		return err
	}
	ds, err := train.LoadMNIST(data, train.Test)
	images := "mnist test"
	if errors.Is(err, train.ErrNoData) {
		ds, images = bench.RandomDataset(n, engine.MNISTInput, 10, 1), "random"
	} else if err != nil {
		return err
	}
	px := bench.Pixels(ds, n)
	x := make([]float32, len(px))
	model.ScalePixels(x, px)
	c, err := m.NewClassifier(model.Options{Batch: n, Float: true})
	if err != nil {
		return err
	}
	defer c.Close()
	c.Classify(px)
	logits := c.Logits()
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	if err := net.SaveFile(filepath.Join(out, "model.safetensors")); err != nil {
		return err
	}
	b, err := json.Marshal(check{Arch: net.Spec.String(), Source: source, Images: images, N: n, Inputs: x, Logits: logits})
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(out, "check.json"), b, 0o644)
}
