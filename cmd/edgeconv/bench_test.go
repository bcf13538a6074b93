package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/edgeconv/edgeconv/bench"
)

// quickBench are bench flags that make a run take well under a second.
var quickBench = []string{"bench", "--duration", "40ms", "--rounds", "1", "--batch", "10", "--workers", "2"}

func TestBenchJSON(t *testing.T) {
	ctx := context.Background()
	args := append(append([]string{}, quickBench...), "--json", "--preset", "seed98", "--data", t.TempDir())
	rep := edgeconvJSON[map[string]any](t, ctx, args...)
	for _, k := range []string{"peak_gflops_core", "peak_gflops_all", "infer_b1_us", "infer_b100_img_s_1core",
		"infer_b100_img_s_all", "train_img_s", "infer_b1_frac_peak", "infer_b100_frac_peak_1core",
		"infer_b100_frac_peak_all", "train_frac_peak_all", "train_s_per_1000_iter", "flops_per_image"} {
		v, ok := rep[k].(float64)
		if !ok || !(v > 0) {
			t.Errorf("%s = %v, want a positive number", k, rep[k])
		}
	}
	if rep["model"] != "preset seed98" || rep["kind"] != "float32" || rep["train_data"] != "random" ||
		!strings.Contains(rep["arch"].(string), "conv 5x5 4 s1") {
		t.Errorf("model %v, kind %v, train data %v, arch %v", rep["model"], rep["kind"], rep["train_data"], rep["arch"])
	}
}

func TestBenchModelFile(t *testing.T) {
	dir := t.TempDir()
	net, err := bench.PresetNetwork("seed98", 3)
	if err != nil {
		t.Fatal(err)
	}
	model := filepath.Join(dir, "m.safetensors")
	if err := net.SaveFile(model); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	args := append(append([]string{}, quickBench...), "--model", model, "--data", dir)
	code, stdout, stderr := edgeconv(t, ctx, args...)
	if code != 0 || !strings.Contains(stdout, model) || !strings.Contains(stdout, "µs/image") || !strings.Contains(stdout, "of peak") {
		t.Errorf("edgeconv %q: exit %d\nstdout: %s\nstderr: %s", args, code, stdout, stderr)
	}

	corrupt := filepath.Join(dir, "corrupt.safetensors")
	b, err := os.ReadFile(model)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)-1] ^= 0xff // a weight byte: the checksum no longer matches
	if err := os.WriteFile(corrupt, b, 0o644); err != nil {
		t.Fatal(err)
	}
	notModel := filepath.Join(dir, "text.safetensors")
	if err := os.WriteFile(notModel, []byte("not a model"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{filepath.Join(dir, "missing.safetensors"), corrupt, notModel} {
		code, stdout, stderr := edgeconv(t, ctx, "bench", "--model", f, "--json")
		if code != 1 || stdout != "" || !strings.HasPrefix(stderr, "edgeconv: ") || strings.Count(stderr, "\n") != 1 {
			t.Errorf("bench --model %s: exit %d, stdout %q, stderr %q: want 1 and one error line", f, code, stdout, stderr)
		}
	}
}

func TestBenchUsage(t *testing.T) {
	ctx := context.Background()
	for _, args := range [][]string{
		{"bench", "--duration", "0s"},
		{"bench", "--rounds", "0"},
		{"bench", "--workers", "0"},
		{"bench", "--workers", "100000"},
		{"bench", "--rounds", "1000000"},
		{"bench", "--batch", "-1"},
		{"bench", "--preset", "nope"},
		{"bench", "extra"},
		{"bench", "--profile", "gpu"},
	} {
		code, stdout, stderr := edgeconv(t, ctx, args...)
		if code != 2 || stdout != "" || !strings.Contains(stderr, "Run 'edgeconv help bench'") {
			t.Errorf("edgeconv %q: exit %d, stdout %q, stderr %q: want a usage error (2)", args, code, stdout, stderr)
		}
	}
	if code, stdout, _ := edgeconv(t, ctx, "help", "bench"); code != 0 || !strings.Contains(stdout, "peak_gflops_core") {
		t.Errorf("help bench: exit %d\n%s", code, stdout)
	}
}
