package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"image"
	"image/gif"
	_ "image/png" // saveGIF decodes the development photos
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/edgeconv/edgeconv/internal/score"
	"github.com/edgeconv/edgeconv/train"
)

// edgeconv runs the command line in-process and returns its exit status and
// output streams.
func edgeconv(t *testing.T, ctx context.Context, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(ctx, args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// edgeconvJSON runs the command line as edgeconv does and returns what it
// printed, one JSON object (a command's --json report), decoded into a T;
// it fails t if the command exits other than 0 or prints anything else.
func edgeconvJSON[T any](t *testing.T, ctx context.Context, args ...string) T {
	t.Helper()
	code, stdout, stderr := edgeconv(t, ctx, args...)
	if code != 0 {
		t.Fatalf("edgeconv %q: exit %d\n%s", args, code, stderr)
	}
	var v T
	if err := json.Unmarshal([]byte(stdout), &v); err != nil {
		t.Fatalf("edgeconv %q: not one JSON object: %v\n%s", args, err, stdout)
	}
	return v
}

// cliCase is a command line for checkCLI and what it must give: its exit
// code, and pieces of its standard output and standard error ("" for any).
type cliCase struct {
	args           []string
	code           int
	stdout, stderr string
}

// checkCLI runs each case in-process and reports those whose exit code or
// output differ from the case's; a command that fails must also print
// nothing on standard output (its errors go to standard error).
func checkCLI(t *testing.T, cases []cliCase) {
	t.Helper()
	for _, c := range cases {
		code, stdout, stderr := edgeconv(t, context.Background(), c.args...)
		if code != c.code || !strings.Contains(stdout, c.stdout) || !strings.Contains(stderr, c.stderr) || (code != 0 && stdout != "") {
			t.Errorf("edgeconv %q: exit %d (want %d)\nstdout: %.200q (want %q)\nstderr: %.300q (want %q)", c.args, code, c.code, stdout, c.stdout, stderr, c.stderr)
		}
	}
}

var dataDir = filepath.Join("..", "..", train.MNISTDir)

func needData(t *testing.T) {
	t.Helper()
	if err := train.VerifyMNIST(dataDir); err != nil {
		t.Skipf("MNIST not available: %v (run make data)", err)
	}
}

// trainModel trains a network of spec on MNIST through the command line
// (train --quiet, no evaluations, then the extra flags) into a file in a
// temporary folder, and returns the file and what train printed.
func trainModel(t *testing.T, spec string, extra ...string) (path, stdout string) {
	t.Helper()
	needData(t)
	path = filepath.Join(t.TempDir(), "m.safetensors")
	args := append([]string{"train", "--spec", spec, "--eval-every", "0", "--data", dataDir, "--out", path, "--quiet"}, extra...)
	code, stdout, stderr := edgeconv(t, context.Background(), args...)
	if code != 0 {
		t.Fatalf("train: exit %d: %s %s", code, stdout, stderr)
	}
	return path, stdout
}

func TestHelpAndUsage(t *testing.T) {
	checkCLI(t, []cliCase{
		{[]string{"help"}, 0, "The commands are", ""},
		{[]string{"help", "train"}, 0, "--checkpoint-every", ""},
		{[]string{"train", "-h"}, 0, "usage: edgeconv train", ""},
		{[]string{"eval", "--help"}, 0, "confusion", ""},
		{nil, 2, "", "Usage"},
		{[]string{"frobnicate"}, 2, "", "unknown command"},
		{[]string{"help", "frobnicate"}, 2, "", "unknown help topic"},
		{[]string{"train", "--bogus"}, 2, "", "Run 'edgeconv help train'"},
		{[]string{"train", "--preset", "nope", "--data", dataDir}, 2, "", "unknown preset"},
		{[]string{"train", "extra-arg"}, 2, "", "unexpected arguments"},
		{[]string{"eval", "extra"}, 2, "", "unexpected arguments"},
		{[]string{"eval", "--negatives", "2000000000"}, 2, "", "--negatives"},
		{[]string{"eval", "--workers", "100000"}, 2, "", "--workers"},
		{[]string{"eval", "--photos", "nowhere"}, 1, "", "LABELS.tsv"},
		{[]string{"predict", "--model", "m"}, 2, "", "exactly one image"},
		{[]string{"train", "--profile", "gpu"}, 2, "", "--profile"},
		{[]string{"version"}, 0, "edgeconv", ""},
	})
}

func TestMissingData(t *testing.T) {
	code, stdout, stderr := edgeconv(t, context.Background(), "train", "--data", t.TempDir())
	if code != 1 || stdout != "" || !strings.Contains(stderr, "make data") || strings.Count(stderr, "\n") != 1 {
		t.Errorf("exit %d, stdout %q, stderr %q: want 1 and one line naming make data", code, stdout, stderr)
	}
}

// TestTrainEvalPredict trains a small network for a few iterations through
// the command line, then evaluates it and asks it about an MNIST test digit.
func TestTrainEvalPredict(t *testing.T) {
	needData(t)
	dir := t.TempDir()
	model := filepath.Join(dir, "m.safetensors")
	ctx := context.Background()
	tr := edgeconvJSON[trainReport](t, ctx, "train", "--spec", "conv 5x5 4 s2 relu; dense 32 relu; dense 10",
		"--iterations", "60", "--eval-every", "30", "--batch", "50", "--data", dataDir, "--out", model, "--json", "--quiet",
		"--profile", "cpu", "--profile-dir", filepath.Join(dir, "prof"))
	if tr.Iterations != 60 || len(tr.Evaluations) != 2 || tr.Accuracy < 0.5 || tr.Model != model {
		t.Errorf("train report %+v", tr)
	}
	if _, err := os.Stat(filepath.Join(dir, "prof", "cpu.pprof")); err != nil {
		t.Errorf("no CPU profile: %v", err)
	}

	ev := edgeconvJSON[evalReport](t, ctx, "eval", "--model", model, "--data", dataDir, "--json")
	if ev.N != 10000 || ev.Accuracy != tr.Accuracy || len(ev.Confusion) != 10 {
		t.Errorf("eval report: n %d accuracy %v (train said %v)", ev.N, ev.Accuracy, tr.Accuracy)
	}
	code, stdout, _ := edgeconv(t, ctx, "eval", "--model", model, "--data", dataDir)
	if code != 0 || !strings.Contains(stdout, "confusion") || !strings.Contains(stdout, "accuracy") {
		t.Errorf("eval text: exit %d\n%s", code, stdout)
	}

	// The first test digit is a 7, written as MNIST has it (white on black)
	// and inverted (dark ink on white): both must give the same answer.
	testSet, _ := train.LoadMNIST(dataDir, train.Test)
	for _, invert := range []bool{false, true} {
		img := image.NewGray(image.Rect(0, 0, 28, 28))
		for i, p := range testSet.Image(0) {
			if invert {
				p = 255 - p
			}
			img.Pix[i] = p
		}
		path := filepath.Join(dir, "seven.png")
		if err := savePNG(path, img); err != nil {
			t.Fatal(err)
		}
		pr := edgeconvJSON[predictReport](t, ctx, "predict", "--model", model, "--json", path)
		if pr.Digit != 7 || len(pr.Probabilities) != 10 {
			t.Errorf("predict (inverted %v): %+v, want 7", invert, pr)
		}
	}
}

// photosDir finds shared/photos beside the repository (or a folder
// above it), skipping the test when there is none.
func photosDir(t *testing.T) string {
	return sharedDir(t, "photos")
}

// sharedDir finds shared/NAME holding a LABELS.tsv beside the repository
// (or above it), skipping the test when there is none.
func sharedDir(t *testing.T, name string) string {
	t.Helper()
	dir := score.FindShared(name)
	if dir == "" {
		t.Skipf("no shared/%s beside the repository", name)
	}
	return dir
}

// TestRead runs read on a real photograph: the digits found and their
// layout come from the extraction alone, so even a briefly trained model
// gives the right number of digits and lines.
func TestRead(t *testing.T) {
	photos := photosDir(t)
	model, _ := trainModel(t, "conv 5x5 8 s2 relu; dense 64 relu; dense 10", "--iterations", "150")
	dir := filepath.Dir(model)
	ctx := context.Background()
	photo := filepath.Join(photos, "0_A4.png")
	debug := filepath.Join(dir, "debug")
	rep := edgeconvJSON[readReport](t, ctx, "read", "--model", model, "--json", "--debug", debug, photo)
	lines := strings.Split(rep.Text, "\n")
	if rep.File != photo || len(rep.Digits) != 14 || len(lines) != 2 || len(lines[0]) != 7 {
		t.Errorf("read 0_A4.png: %d digits, text %q; want 14 digits in two lines of 7", len(rep.Digits), rep.Text)
	}
	for _, d := range rep.Digits {
		if d.Box[2] <= d.Box[0] || d.Box[3] <= d.Box[1] || d.Confidence <= 0 || d.Confidence > 1 {
			t.Errorf("bad digit %+v", d)
		}
	}
	for _, f := range []string{"0_A4.boxes.png", "0_A4.crops.png"} {
		if _, err := os.Stat(filepath.Join(debug, f)); err != nil {
			t.Errorf("--debug: %v", err)
		}
	}
	code, stdout, stderr := edgeconv(t, ctx, "read", "--model", model, photo, filepath.Join(dir, "missing.png"))
	if code != 1 || !strings.Contains(stdout, "14 digits") || !strings.Contains(stderr, "missing.png") {
		t.Errorf("read with a missing file: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	// A GIF is a photo too (a screenshot, a scan saved so), not a video.
	gifPhoto := filepath.Join(dir, "0_A4.gif")
	saveGIF(t, photo, gifPhoto)
	rep = edgeconvJSON[readReport](t, ctx, "read", "--model", model, "--json", gifPhoto)
	if len(rep.Digits) != 14 || strings.Count(rep.Text, "\n") != 1 {
		t.Errorf("read 0_A4.gif: %d digits, text %q; want 14 digits in two lines", len(rep.Digits), rep.Text)
	}
	// A folder is the photos in it, by name; one with none is an error.
	code, stdout, stderr = edgeconv(t, ctx, "read", "--model", model, "--json", photos)
	if n := strings.Count(stdout, `"file":`); code != 0 || n != 8 || !strings.Contains(stdout, `0_A4.png","text"`) {
		t.Errorf("read of the photos' folder: exit %d, %d photos read (want 8), stderr %q", code, n, stderr)
	}
	// dir holds the model, the GIF and the debug folder: the GIF alone is read.
	code, stdout, stderr = edgeconv(t, ctx, "read", "--model", model, "--json", dir)
	if n := strings.Count(stdout, `"file":`); code != 0 || n != 1 || !strings.Contains(stdout, "0_A4.gif") {
		t.Errorf("read of a folder of a model, a GIF and a folder: exit %d, %d files read (want the GIF), stderr %q", code, n, stderr)
	}
	empty := t.TempDir()
	code, _, stderr = edgeconv(t, ctx, "read", "--model", model, empty)
	if code != 1 || !strings.Contains(stderr, "no images in it") {
		t.Errorf("read of an empty folder: exit %d, stderr %q", code, stderr)
	}
	// A video is not a photo: read says how to read it.
	code, _, stderr = edgeconv(t, ctx, "read", "--model", model, "clip.MP4")
	if code != 1 || !strings.Contains(stderr, "run --source clip.MP4") {
		t.Errorf("read of a video: exit %d, stderr %q", code, stderr)
	}
}

// saveGIF writes the image file src again as a GIF at dst.
func saveGIF(t *testing.T, src, dst string) {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := gif.Encode(&out, img, nil); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestCameraSmokeTest runs the camera check on a recording, writes the
// frames to a new recording and checks that the copy replays.
func TestCameraSmokeTest(t *testing.T) {
	rec := filepath.Join(t.TempDir(), "copy.y4m")
	src := filepath.Join("..", "..", "camera", "testdata", "frames.y4m")
	code, stdout, stderr := edgeconv(t, context.Background(), "camera", "--source", src, "--frames", "3", "--record", rec)
	if code != 0 || !strings.Contains(stdout, "fps") {
		t.Fatalf("camera: exit %d\n%s\n%s", code, stdout, stderr)
	}
	code, _, stderr = edgeconv(t, context.Background(), "camera", "--source", rec, "--frames", "2")
	if code != 0 {
		t.Errorf("replaying the recording: exit %d: %s", code, stderr)
	}
	code, _, stderr = edgeconv(t, context.Background(), "camera", "--source", "nothing-here.y4m")
	if code != 1 || !strings.HasPrefix(stderr, "edgeconv: ") {
		t.Errorf("missing recording: exit %d, %q", code, stderr)
	}
	// A capture that fails half way (a truncated frame) fails the check.
	code, _, stderr = edgeconv(t, context.Background(), "camera", "--source", filepath.Join("..", "..", "camera", "testdata", "truncated.y4m"))
	if code != 1 || !strings.Contains(stderr, "truncated") {
		t.Errorf("truncated recording: exit %d, %q", code, stderr)
	}
}

// TestReadInt8 reads a real photograph with the int8 model the firmware
// embeds: every digit of 0_A4.png must come out right.
func TestReadInt8(t *testing.T) {
	photo := filepath.Join(photosDir(t), "0_A4.png")
	model := filepath.Join("..", "..", "model", "default.safetensors")
	rep := edgeconvJSON[readReport](t, context.Background(), "read", "--json", "--model", model, photo)
	if rep.Text != "1247673\n8952481" {
		t.Errorf("read %q with the int8 model, want 1247673 / 8952481", rep.Text)
	}
}

// TestEvalInt8 evaluates the embedded int8 model: eval takes int8 files,
// and the model keeps the accuracy the firmware promises (99.3% on the ten
// digits, strictly) while it rejects most held-out negatives.
func TestEvalInt8(t *testing.T) {
	needData(t)
	model := filepath.Join("..", "..", "model", "default.safetensors")
	ev := edgeconvJSON[evalReport](t, context.Background(), "eval", "--json", "--model", model, "--data", dataDir)
	if ev.N != 10000 || ev.Accuracy < 0.993 || len(ev.Confusion) != 11 || ev.RejectedDigits > 0.002 ||
		ev.NegativesRejected < 0.9 {
		t.Errorf("int8 eval: n %d accuracy %v, digits rejected %v, negatives rejected %v", ev.N, ev.Accuracy,
			ev.RejectedDigits, ev.NegativesRejected)
	}
}

func TestBadModelFiles(t *testing.T) {
	needData(t)
	dir := t.TempDir()
	truncated := filepath.Join(dir, "truncated.safetensors")
	os.WriteFile(truncated, []byte{40, 0, 0, 0, 0, 0, 0, 0, '{'}, 0o644)
	for _, args := range [][]string{
		{"eval", "--model", truncated, "--data", dataDir},
		{"eval", "--model", filepath.Join(dir, "missing.safetensors"), "--data", dataDir},
		{"predict", "--model", truncated, "x.png"},
	} {
		code, stdout, stderr := edgeconv(t, context.Background(), args...)
		if code != 1 || stdout != "" || !strings.HasPrefix(stderr, "edgeconv: ") || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want 1 and one error line", args, code, stdout, stderr)
		}
	}
}

// TestInterruptAndResume cancels a run as Ctrl-C would: it must exit 130
// with a checkpoint, from which --resume finishes the run.
func TestInterruptAndResume(t *testing.T) {
	needData(t)
	dir := t.TempDir()
	model := filepath.Join(dir, "m.safetensors")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	args := []string{"train", "--spec", "conv 5x5 4 s2 relu; dense 16 relu; dense 10", "--iterations", "20",
		"--batch", "20", "--eval-every", "0", "--data", dataDir, "--out", model, "--quiet"}
	code, _, stderr := edgeconv(t, ctx, args...)
	ckpt := filepath.Join(dir, "m.ckpt.safetensors")
	if code != 130 || !strings.Contains(stderr, "--resume "+ckpt) {
		t.Fatalf("interrupted train: exit %d, stderr %q", code, stderr)
	}
	tr := edgeconvJSON[trainReport](t, context.Background(), "train", "--resume", ckpt, "--out", model, "--data", dataDir, "--quiet", "--json")
	if tr.Iterations != 20 {
		t.Fatalf("resume: %d iterations, want 20", tr.Iterations)
	}
}

// TestPanicExit: a command that panics (a bug) exits 1 with one line that
// says so, not 2 (usage errors) with the runtime's hundred lines.
func TestPanicExit(t *testing.T) {
	t.Setenv("GOTRACEBACK", "")
	var crash []int
	commands = append(commands, &Command{Name: "crash-test", SetFlags: func(*flag.FlagSet) func(context.Context, Env, []string) error {
		return func(context.Context, Env, []string) error {
			_ = crash[3] // index out of range
			return nil
		}
	}})
	defer func() { commands = commands[:len(commands)-1] }()
	code, stdout, stderr := edgeconv(t, context.Background(), "crash-test")
	if code != 1 || stdout != "" || strings.Count(stderr, "\n") != 1 ||
		!strings.HasPrefix(stderr, "edgeconv: internal error: runtime error: index out of range") || !strings.Contains(stderr, "report") {
		t.Errorf("exit %d, stdout %q, stderr %q; want 1 and one line", code, stdout, stderr)
	}
	t.Setenv("GOTRACEBACK", "all")
	if _, _, stderr := edgeconv(t, context.Background(), "crash-test"); !strings.Contains(stderr, "goroutine ") {
		t.Errorf("GOTRACEBACK=all: no stack in %q", stderr)
	}
}
