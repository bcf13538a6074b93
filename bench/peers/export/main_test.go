package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/edgeconv/edgeconv/engine"
)

func TestExport(t *testing.T) {
	dir := t.TempDir()
	if err := run(dir, "", "seed98", filepath.Join(dir, "no-mnist"), 3); err != nil {
		t.Fatal(err)
	}
	net, err := engine.LoadFile(filepath.Join(dir, "model.safetensors"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "check.json"))
	if err != nil {
		t.Fatal(err)
	}
	var c check
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	if c.N != 3 || len(c.Inputs) != 3*784 || len(c.Logits) != 30 || c.Images != "random" || c.Arch != net.Spec.String() {
		t.Fatalf("check: n %d, %d inputs, %d logits, images %q, arch %q", c.N, len(c.Inputs), len(c.Logits), c.Images, c.Arch)
	}
	// The logits are the saved model's on the saved inputs.
	plan := engine.NewPlan(net, 3, engine.PlanOptions{Workers: 1})
	defer plan.Close()
	for i, v := range plan.Forward(c.Inputs, 3) {
		if v != c.Logits[i] {
			t.Fatalf("logit %d: %v in the check file, %v from the saved model", i, c.Logits[i], v)
		}
	}

	// A model file is copied; a missing one is an error.
	dir2 := t.TempDir()
	if err := run(dir2, filepath.Join(dir, "model.safetensors"), "", filepath.Join(dir, "no-mnist"), 1); err != nil {
		t.Fatal(err)
	}
	if err := run(dir2, filepath.Join(dir, "missing.safetensors"), "", "", 1); err == nil {
		t.Error("missing model: no error")
	}
	if err := run("", "", "seed99", "", 1); err == nil {
		t.Error("no -out: no error")
	}
}
