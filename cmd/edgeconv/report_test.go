package main

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/edgeconv/edgeconv/dashboard"
)

// TestReportAndResume: train --report writes the pictures and the history
// when the run ends; a run resumed from a checkpoint continues the curves
// of the run it continues (the history kept beside the checkpoint), and
// its report holds both parts; an interrupted run writes its report too;
// report draws two runs on one chart.
func TestReportAndResume(t *testing.T) {
	needData(t)
	dir := t.TempDir()
	first, whole := filepath.Join(dir, "first"), filepath.Join(dir, "whole")
	args := append(smallTrain(filepath.Join(dir, "m.safetensors")), "--checkpoint-every", "20", "--report", first, "--quiet")
	if code, _, stderr := edgeconv(t, context.Background(), args...); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, f := range []string{dashboard.CurvesFile, dashboard.DistFile, dashboard.DigitsFile, dashboard.JSONFile, dashboard.CSVFile} {
		if st, err := os.Stat(filepath.Join(first, f)); err != nil || st.Size() == 0 {
			t.Errorf("--report did not write %s: %v", f, err)
		}
	}
	// The last periodic checkpoint is at iteration 40: resumed there to
	// iteration 100.
	ckpt := filepath.Join(dir, "m.ckpt.safetensors")
	code, _, stderr := edgeconv(t, context.Background(), "train", "--resume", ckpt, "--data", dataDir, "--iterations", "100", "--report", whole, "--quiet")
	if code != 0 {
		t.Fatalf("resume: exit %d: %s", code, stderr)
	}
	h, err := dashboard.ReadHistory(whole)
	if err != nil {
		t.Fatal(err)
	}
	var train, test []int
	for _, p := range h.Train {
		train = append(train, p.Iter)
	}
	for _, p := range h.Test {
		test = append(test, p.Iter)
	}
	if got, want := ints(train), "10 20 30 40 50 60 70 80 90 100"; got != want {
		t.Errorf("the resumed run's training points are at %s, want %s", got, want)
	}
	if got, want := ints(test), "20 40 60 80 100"; got != want {
		t.Errorf("its evaluations are at %s, want %s", got, want)
	}

	// Ctrl-C: the report is written too.
	stopped := filepath.Join(dir, "stopped")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	args = append(smallTrain(filepath.Join(dir, "s.safetensors")), "--report", stopped, "--quiet")
	if code, _, stderr := edgeconv(t, ctx, args...); code != 130 || !strings.Contains(stderr, "report written to "+stopped) {
		t.Errorf("interrupted with --report: exit %d: %s", code, stderr)
	}
	for _, f := range []string{dashboard.CurvesFile, dashboard.JSONFile, dashboard.CSVFile} {
		if _, err := os.Stat(filepath.Join(stopped, f)); err != nil {
			t.Errorf("an interrupted run's report: %v", err)
		}
	}

	out := filepath.Join(dir, "cmp")
	code, stdout, stderr := edgeconv(t, context.Background(), "report", first, whole, "--out", out)
	if code != 0 || !strings.Contains(stdout, "first: ") || !strings.Contains(stdout, "whole: ") {
		t.Fatalf("report: exit %d\n%s%s", code, stdout, stderr)
	}
	if _, err := os.Stat(filepath.Join(out, dashboard.CompareFile)); err != nil {
		t.Error(err)
	}
	if code, _, stderr := edgeconv(t, context.Background(), "report", filepath.Join(dir, "nothing")); code != 1 || !strings.Contains(stderr, "no history") {
		t.Errorf("report of a missing run: exit %d: %s", code, stderr)
	}
	if code, _, _ := edgeconv(t, context.Background(), "report", "--out", out); code != 2 {
		t.Errorf("report without runs: exit %d, want 2", code)
	}
}

func ints(v []int) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, " ")
}
