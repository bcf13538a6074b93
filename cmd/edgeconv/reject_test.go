package main

import (
	"context"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/edgeconv/edgeconv/engine/enginetest"
	"github.com/edgeconv/edgeconv/train"
)

// TestNotDigitClass trains a small 11-class network with negatives and
// style digits through the command line, then checks what eval and
// quantize report for it: the strict MNIST accuracy, the digits rejected,
// the held-out negatives rejected, both arithmetics.
func TestNotDigitClass(t *testing.T) {
	model, stdout := trainModel(t, "conv 5x5 8 s2 relu; conv 3x3 12 s2 relu; dense 64 relu; dense 11",
		"--iterations", "800", "--batch", "50", "--negatives", "1500", "--style-digits", "300", "--strokes")
	if !strings.Contains(stdout, "1500 not-a-digit images, 300 style digits") {
		t.Fatalf("train printed %s", stdout)
	}
	dir := filepath.Dir(model)
	ctx := context.Background()
	ev := edgeconvJSON[evalReport](t, ctx, "eval", "--model", model, "--data", dataDir, "--negatives", "500",
		"--style", "300", "--json")
	// Strict: the accuracy is the confusion matrix's diagonal over all of
	// it, the rejected digits its last column.
	right, rejected := 0, 0
	for d, row := range ev.Confusion[:10] {
		right += row[d]
		rejected += row[train.NotDigit]
	}
	if len(ev.Confusion) != 11 || ev.Accuracy != float64(right)/float64(ev.N) ||
		ev.RejectedDigits != float64(rejected)/float64(ev.N) {
		t.Errorf("eval: accuracy %v, rejected %v; the confusion matrix says %d right, %d rejected of %d",
			ev.Accuracy, ev.RejectedDigits, right, rejected, ev.N)
	}
	t.Logf("MNIST %.4f, %d rejected; negatives rejected %.3f; style %.3f", ev.Accuracy, rejected, ev.NegativesRejected, ev.StyleAccuracy)
	if ev.Accuracy < 0.9 || ev.Negatives != 500 || ev.NegativesRejected < 0.2 || ev.Style != 300 || ev.StyleAccuracy < 0.3 {
		t.Errorf("eval report %+v", ev)
	}
	q8 := filepath.Join(dir, "r.q8.safetensors")
	qr := edgeconvJSON[quantizeReport](t, ctx, "quantize", "--model", model, "--out", q8, "--data", dataDir,
		"--calib", "200", "--compare", "50", "--json")
	if qr.CalibSynthetic != 60 || qr.Negatives != 2000 || math.Abs(qr.Int8Rejected-qr.FloatRejected) > 0.02 ||
		qr.NegativeDisagreements > 100 || math.Abs(qr.Int8Accuracy-qr.FloatAccuracy) > 0.01 {
		t.Errorf("quantize report %+v", qr)
	}
	// The int8 model's eval agrees with quantize's figures.
	code, stdout, stderr := edgeconv(t, ctx, "eval", "--model", q8, "--data", dataDir, "--negatives", "200", "--style", "0")
	if code != 0 || !strings.Contains(stdout, "held-out negatives:") || strings.Contains(stdout, "style digits") {
		t.Errorf("eval of the int8 model: exit %d\n%s%s", code, stdout, stderr)
	}
}

// TestEvalStrict checks that eval counts a digit called "not a digit" as
// an error: a model whose last class always wins scores 0, and reports
// every digit rejected and every negative too.
func TestEvalStrict(t *testing.T) {
	needData(t)
	net := enginetest.Net(t, "conv 5x5 4 s2 relu; dense 11", 1)
	for _, ts := range net.Tensors() {
		if ts.Name == "layer2.bias" {
			net.Params[ts.Off+train.NotDigit] = 1000
		}
	}
	model := filepath.Join(t.TempDir(), "reject-all.safetensors")
	if err := net.SaveFile(model); err != nil {
		t.Fatal(err)
	}
	ev := edgeconvJSON[evalReport](t, context.Background(), "eval", "--model", model, "--data", dataDir,
		"--negatives", "100", "--style", "100", "--json")
	if ev.Accuracy != 0 || ev.RejectedDigits != 1 || ev.NegativesRejected != 1 || ev.StyleAccuracy != 0 {
		t.Errorf("a model that rejects everything: accuracy %v, rejected digits %v, negatives %v, style %v",
			ev.Accuracy, ev.RejectedDigits, ev.NegativesRejected, ev.StyleAccuracy)
	}
}
