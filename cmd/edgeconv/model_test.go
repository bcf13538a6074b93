package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/binary"
	"image"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/edgeconv/edgeconv/internal/jsonline"
	"github.com/edgeconv/edgeconv/internal/testscenes"
	"github.com/edgeconv/edgeconv/model"
	"github.com/edgeconv/edgeconv/model/modeltest"
	"github.com/edgeconv/edgeconv/reading"
)

// embeddedModel is the path of the model compiled into the program.
var embeddedModel = filepath.Join("..", "..", "model", "default.safetensors")

// scenePaths returns the paths of the firmware's test scenes.
func scenePaths(t *testing.T) []string {
	var ps []string
	for _, s := range testscenes.Load(t) {
		ps = append(ps, s.Path)
	}
	return ps
}

// readJSON runs read --json on the files and returns its reports.
func readJSON(t *testing.T, modelPath string, files ...string) []readReport {
	t.Helper()
	code, stdout, stderr := edgeconv(t, context.Background(), append([]string{"read", "--json", "--model", modelPath}, files...)...)
	if code != 0 {
		t.Fatalf("read: exit %d: %s", code, stderr)
	}
	return jsonline.Decode[readReport](t, stdout)
}

// crops returns the 28x28 images that reading the files extracts, as read
// extracts them.
func crops(t *testing.T, files ...string) []uint8 {
	t.Helper()
	m := modeltest.Default(t)
	r, err := reading.New(m, reading.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var px []uint8
	for _, f := range files {
		g := readImage(t, f)
		r.Forget() // as read does: each photo on its own
		for _, c := range r.Read(g).Candidates {
			px = append(px, c.Pixels[:]...)
		}
	}
	return px
}

// readImage decodes an image file into a frame as read does.
func readImage(t *testing.T, path string) *image.YCbCr {
	t.Helper()
	f, err := readFrame(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// writeMNIST writes images and labels as an MNIST directory (both splits),
// gzip-compressed IDX files as LoadMNIST reads them.
func writeMNIST(t *testing.T, dir string, images, labels []uint8) {
	t.Helper()
	idx := func(name string, magic uint32, dims []uint32, data []uint8) {
		var buf bytes.Buffer
		z := gzip.NewWriter(&buf)
		binary.Write(z, binary.BigEndian, magic)
		binary.Write(z, binary.BigEndian, dims)
		z.Write(data)
		z.Close()
		if err := os.WriteFile(filepath.Join(dir, name), buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	n := uint32(len(labels))
	for _, split := range []string{"train", "t10k"} {
		idx(split+"-images-idx3-ubyte.gz", 0x803, []uint32{n, 28, 28}, images)
		idx(split+"-labels-idx1-ubyte.gz", 0x801, []uint32{n}, labels)
	}
}

// TestCommandsAgree runs read, run, eval and bench in-process on the same
// crops (the digits of the firmware's test scenes) with the embedded int8
// model: read and run give each digit the same class and confidence; eval
// and bench, given the crops as a data set labelled with read's classes,
// find every one of them and the same confidences (eval's mean loss is the
// mean -log of read's confidences, bench's check their mean).
func TestCommandsAgree(t *testing.T) {
	files := scenePaths(t)
	reps := readJSON(t, embeddedModel, files...)
	var classes []uint8
	var conf []float64
	for i, r := range reps {
		if want := testscenes.Load(t)[i].Text; r.Text != want {
			t.Fatalf("read %s: %q, want %q", r.File, r.Text, want)
		}
		for _, d := range r.Digits {
			classes = append(classes, uint8(d.Digit))
			conf = append(conf, d.Confidence)
		}
	}

	// run: one frame per scene, reported at once, each scene a run of its
	// own. A camera keeps the paper grid a frame settled on for the next
	// (it sees the same scale frame after frame), so a run over both
	// scenes would read the second on the first's grid, which a photo
	// read alone need not settle on.
	var lines []jsonline.Reading
	for _, f := range files {
		dir := t.TempDir()
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "0.png"), data, 0o644); err != nil {
			t.Fatal(err)
		}
		code, stdout, stderr := edgeconv(t, context.Background(), "run", "--source", dir, "--model", embeddedModel,
			"--no-fuse", "--stable", "1", "--json", "--no-time", "--listen", "off", "--quiet")
		if code != 0 {
			t.Fatalf("run: exit %d: %s", code, stderr)
		}
		lines = append(lines, parseRunLines(t, stdout)...)
	}
	k := 0
	for i, l := range lines {
		if i >= len(reps) || l.Text != reps[i].Text || len(l.Digits) != len(reps[i].Digits) {
			t.Fatalf("run line %d: %q, read %q", i, l.Text, reps[min(i, len(reps)-1)].Text)
		}
		for _, d := range l.Digits {
			// run prints confidences with three decimals.
			if d.Digit != int(classes[k]) || math.Abs(d.Confidence-conf[k]) > 0.0005 {
				t.Errorf("digit %d: run %d %.4f, read %d %.4f", k, d.Digit, d.Confidence, classes[k], conf[k])
			}
			k++
		}
	}
	if k != len(classes) {
		t.Fatalf("run reported %d digits, read %d", k, len(classes))
	}

	// eval and bench on the crops, labelled with read's classes.
	px := crops(t, files...)
	if len(px) != len(classes)*model.Size {
		t.Fatalf("%d crops, read found %d digits", len(px)/model.Size, len(classes))
	}
	data := t.TempDir()
	writeMNIST(t, data, px, classes)
	var wantLoss, wantConf float64
	for _, c := range conf {
		wantLoss -= math.Log(c) / float64(len(conf))
		wantConf += c / float64(len(conf))
	}
	ev := edgeconvJSON[evalReport](t, context.Background(), "eval", "--json", "--model", embeddedModel, "--data", data)
	if ev.N != len(classes) || ev.Accuracy != 1 || math.Abs(ev.Loss-wantLoss) > 1e-5*max(wantLoss, 1e-3) {
		t.Errorf("eval: %d images, accuracy %v, loss %v; want %d, 1, %v", ev.N, ev.Accuracy, ev.Loss, len(classes), wantLoss)
	}
	br := edgeconvJSON[benchReport](t, context.Background(), "bench", "--json", "--model", embeddedModel, "--data", data,
		"--batch", "40", "--duration", "40ms", "--rounds", "1", "--workers", "1")
	if br.Kind != "int8" || br.Checked != 40 || br.CheckedAccuracy != 1 || math.Abs(br.CheckedConfidence-wantConf) > 1e-6 {
		t.Errorf("bench: %s, checked %d, accuracy %v, confidence %v; want int8, 40, 1, %v", br.Kind, br.Checked, br.CheckedAccuracy, br.CheckedConfidence, wantConf)
	}
}

// TestNotDigitEndToEnd follows the 11th class through the commands: a copy
// of the embedded model that calls every 7 "not a digit", saved as float32
// and quantised to int8 (engine.New of the 11-class spec, the weights
// copied in: model/modeltest), opens everywhere; read drops the 7s from
// the text, leaving a break, and draws them as x in --debug; eval counts
// the test set's 7s in the not-a-digit column; predict says "not a digit".
func TestNotDigitEndToEnd(t *testing.T) {
	net11, err := modeltest.NotDigitAs(7, 3)
	if err != nil {
		t.Fatal(err)
	}
	files := scenePaths(t)
	q, err := modeltest.Quantize(net11, crops(t, files...))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	f32, i8 := filepath.Join(dir, "sevens.safetensors"), filepath.Join(dir, "sevens.int8.safetensors")
	if err := net11.SaveFile(f32); err != nil {
		t.Fatal(err)
	}
	if err := q.SaveFile(i8); err != nil {
		t.Fatal(err)
	}
	want := []string{"9 9\n0236\n26 3\n146515", "699\n593\n51900\n603 234\n24890"}
	for _, path := range []string{f32, i8} {
		for i, r := range readJSON(t, path, files...) {
			if r.Text != want[i] {
				t.Errorf("%s: read %q, want %q", filepath.Base(path), r.Text, want[i])
			}
			for _, d := range r.Digits {
				if d.Digit == 7 || d.Digit > 9 {
					t.Errorf("%s: digit %d in the reading", filepath.Base(path), d.Digit)
				}
			}
		}
	}
	debug := filepath.Join(dir, "debug")
	if code, _, stderr := edgeconv(t, context.Background(), "read", "--model", i8, "--debug", debug, files[0]); code != 0 {
		t.Fatalf("read --debug: %s", stderr)
	}
	if _, err := os.Stat(filepath.Join(debug, "scene00.crops.png")); err != nil {
		t.Error(err)
	}
	// The second digit of scene00 is a 7: predict on its 28x28 crop.
	seven := image.NewGray(image.Rect(0, 0, 28, 28))
	copy(seven.Pix, crops(t, files[0])[model.Size:2*model.Size])
	png7 := filepath.Join(dir, "seven.png")
	if err := savePNG(png7, seven); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{f32, i8} {
		pr := edgeconvJSON[predictReport](t, context.Background(), "predict", "--json", "--model", path, png7)
		if !pr.NotDigit || pr.Digit != model.NotDigit || len(pr.Probabilities) != 11 {
			t.Errorf("predict %s on a 7: %+v", filepath.Base(path), pr)
		}
	}
	if code, stdout, _ := edgeconv(t, context.Background(), "predict", "--model", i8, png7); code != 0 || !strings.HasPrefix(stdout, "not a digit") {
		t.Errorf("predict text: %q", stdout)
	}

	if testing.Short() {
		return
	}
	needData(t)
	ev := edgeconvJSON[evalReport](t, context.Background(), "eval", "--json", "--model", i8, "--data", dataDir)
	if len(ev.Confusion) != 11 || ev.Confusion[7][model.NotDigit] < 900 || ev.Accuracy > 0.92 {
		t.Errorf("eval of the 11-class model: %dx%d confusion, %d sevens as not a digit, accuracy %v",
			len(ev.Confusion), len(ev.Confusion[0]), ev.Confusion[7][model.NotDigit], ev.Accuracy)
	}
	code, stdout, _ := edgeconv(t, context.Background(), "eval", "--model", i8, "--data", dataDir)
	if code != 0 || !strings.Contains(stdout, "    x\n") {
		t.Errorf("eval text has no not-a-digit column:\n%s", stdout)
	}
}

// TestEmbeddedByDefault: read and predict without --model use the model
// compiled into the program, and print what they print given its file.
func TestEmbeddedByDefault(t *testing.T) {
	files := scenePaths(t)
	for _, args := range [][]string{
		append([]string{"read", "--json"}, files...),
		{"predict", "--json", files[0]},
	} {
		withFile := append([]string{args[0], "--model", embeddedModel}, args[1:]...)
		code, want, stderr := edgeconv(t, context.Background(), withFile...)
		if code != 0 || want == "" {
			t.Fatalf("%s: exit %d: %s", withFile, code, stderr)
		}
		code, got, stderr := edgeconv(t, context.Background(), args...)
		if code != 0 || got != want {
			t.Errorf("%s: exit %d: %s\n%s\nwant (with --model)\n%s", args, code, stderr, got, want)
		}
	}
}
