package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/edgeconv/edgeconv/quant"
)

// TestQuantize trains a small model through the command line, quantises it
// and checks the report and the int8 file.
func TestQuantize(t *testing.T) {
	model, _ := trainModel(t, "conv 5x5 4 s2 relu; conv 3x3 8 s2 relu; dense 32 relu; dense 10",
		"--iterations", "150", "--batch", "50")
	q8 := filepath.Join(filepath.Dir(model), "m.q8.safetensors")
	ctx := context.Background()
	r := edgeconvJSON[quantizeReport](t, ctx, "quantize", "--model", model, "--out", q8, "--data", dataDir,
		"--calib", "200", "--compare", "50", "--json")
	if r.N != 10000 || r.FloatAccuracy < 0.8 || r.Int8Accuracy < r.FloatAccuracy-0.01 || r.Disagreements > 200 ||
		r.Int8Bytes <= 0 || r.Int8Bytes*3 > r.FloatBytes || len(r.Layers) != 4 || r.Calib != 200 {
		t.Errorf("report %+v", r)
	}
	if _, err := quant.LoadFile(q8); err != nil {
		t.Errorf("the written int8 file does not load: %v", err)
	}
	code, stdout, stderr := edgeconv(t, ctx, "quantize", "--model", model, "--out", q8, "--data", dataDir,
		"--calib", "100", "--compare", "20", "--method", "percentile")
	if code != 0 || !strings.Contains(stdout, "predictions that differ") || !strings.Contains(stdout, "layer 4 dense 10") {
		t.Errorf("quantize text: exit %d\n%s\n%s", code, stdout, stderr)
	}
}

func TestQuantizeErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.safetensors")
	if err := os.WriteFile(bad, []byte("not a model"), 0o644); err != nil {
		t.Fatal(err)
	}
	checkCLI(t, []cliCase{
		{[]string{"quantize"}, 2, "", "--model is required"},
		{[]string{"quantize", "--model", "m"}, 2, "", "--out is required"},
		{[]string{"quantize", "--model", "m", "--out", "o", "--method", "mse"}, 2, "", "--method"},
		{[]string{"quantize", "--model", "m", "--out", "o", "--calib", "0"}, 2, "", "--calib"},
		{[]string{"quantize", "--model", bad, "--out", filepath.Join(dir, "o")}, 1, "", "edgeconv: "},
		{[]string{"quantize", "-h"}, 0, "", ""},
	})
}
