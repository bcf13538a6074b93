package dashboard

import (
	"context"
	"encoding/json"
	"errors"
	"image"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/edgeconv/edgeconv/engine"
	"github.com/edgeconv/edgeconv/engine/enginetest"
	"github.com/edgeconv/edgeconv/train"
)

// mnist is MNIST, loaded once for the package's tests (decompressing it
// takes seconds under emulation).
var mnist = sync.OnceValues(func() ([2]*train.Dataset, error) {
	dir := filepath.Join("..", train.MNISTDir)
	tr, err := train.LoadMNIST(dir, train.Train)
	if err != nil {
		return [2]*train.Dataset{}, err
	}
	te, err := train.LoadMNIST(dir, train.Test)
	return [2]*train.Dataset{tr, te}, err
})

// data returns a part of MNIST: the tests train small networks briefly.
func data(t testing.TB) (trainSet, testSet *train.Dataset) {
	t.Helper()
	ds, err := mnist()
	if err != nil {
		t.Skipf("MNIST not available (%v); run make data", err)
	}
	return ds[0].Subset(0, 5000), ds[1].Subset(0, 1000)
}

// smallTrainer is a small network's run: batch 50, evaluations every 50
// steps.
func smallTrainer(t testing.TB, iterations, workers int, trainSet, testSet *train.Dataset) *train.Trainer {
	t.Helper()
	spec, err := engine.ParseSpec("conv 5x5 4 s2 relu; conv 3x3 6 s2 relu; dense 32 relu keep=0.75; dense 10")
	if err != nil {
		t.Fatal(err)
	}
	tr, err := train.NewTrainer(train.Config{Spec: spec, Schedule: train.Schedule{Min: 1e-4, Max: 3e-3, Decay: 2000},
		Iterations: iterations, Batch: 50, Seed: 1, Workers: workers, EvalEvery: 50}, trainSet, testSet)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tr.Close)
	return tr
}

// hooks are the recorder's hooks for a run, each step delayed by pace so
// that the run lasts.
func hooks(t *testing.T, rec *Recorder, pace time.Duration) train.Hooks {
	return train.Hooks{
		Step: func(iter int, loss, lr float64, correct int) {
			rec.Step(iter, loss, lr, correct)
			time.Sleep(pace)
		},
		Eval: rec.Eval,
		Checkpoint: func(iter int, path string) {
			if err := rec.Checkpoint(iter, path); err != nil {
				t.Error(err)
			}
		},
	}
}

// TestHistory: a run's history has its points where they belong, survives
// JSON, keeps its curves in the CSV, and the report and the comparison
// write their pictures.
func TestHistory(t *testing.T) {
	trainSet, testSet := data(t)
	tr := smallTrainer(t, 120, 1, trainSet, testSet)
	rec := NewRecorder(&History{Name: "small", Arch: tr.Spec.String(), Iterations: 120}, tr.Net, testSet, tr.Batch, 20)
	rec.Start(0)
	dir := t.TempDir()
	if _, err := tr.Run(context.Background(), train.RunOptions{CheckpointPath: filepath.Join(dir, "c.safetensors"), CheckpointEvery: 40},
		hooks(t, rec, 0)); err != nil {
		t.Fatal(err)
	}
	h := rec.History()
	var iters []int
	for _, p := range h.Train {
		iters = append(iters, p.Iter)
		if p.Accuracy < 0 || p.Accuracy > 1 || !(p.Loss > 0) || !(p.LR > 0) || !(p.ImagesPerSec > 0) {
			t.Errorf("training point %+v", p)
		}
	}
	if want := []int{20, 40, 60, 80, 100, 120}; !slices.Equal(iters, want) {
		t.Errorf("training points at %v, want %v", iters, want)
	}
	if len(h.Test) != 3 || h.Test[2].Iter != 120 || len(h.Dist) != 4 || h.Dist[0].Iter != 0 {
		t.Errorf("%d test points (last at %d), %d distributions (first at %d): want 3 (last at 120) and 4 (first at 0)",
			len(h.Test), h.Test[len(h.Test)-1].Iter, len(h.Dist), h.Dist[0].Iter)
	}
	// The distributions follow the parameters: the first layer's weights
	// as they are now.
	last := h.Dist[len(h.Dist)-1].Weights[0]
	var want Dist
	w := tr.Net.Layers()[0].Weights
	distOf(&want, w, make([]float32, len(w)))
	if last != want || last[0] >= last[Buckets/2] || last[Buckets/2] >= last[Buckets] {
		t.Errorf("layer 1's weights: %v, want %v, rising", last, want)
	}
	g := rec.Grid()
	if g.Iter != 120 || g.N != testSet.N || len(g.Tiles) != GridSize || g.Wrong == 0 {
		t.Fatalf("grid at %d of %d digits, %d tiles, %d wrong", g.Iter, g.N, len(g.Tiles), g.Wrong)
	}
	for k, tile := range g.Tiles {
		if wrong := tile.Label != tile.Guess; wrong != (k < min(g.Wrong, GridSize)) || tile.Label != testSet.Labels[tile.Index] {
			t.Fatalf("tile %d %+v: the misrecognised digits come first, with their labels", k, tile)
		}
	}

	// Beside the last checkpoint (iteration 80): the history up to it.
	saved, err := ReadHistory(HistoryPath(filepath.Join(dir, "c.safetensors")))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(saved.Train); n != 4 || saved.Train[n-1].Iter != 80 || saved.Arch != h.Arch {
		t.Errorf("the history beside the checkpoint has %d training points, the last at %d", n, saved.Train[n-1].Iter)
	}

	rep := filepath.Join(dir, "report")
	if err := WriteReport(rep, h, g, testSet); err != nil {
		t.Fatal(err)
	}
	back, err := ReadHistory(rep)
	if err != nil {
		t.Fatal(err)
	}
	if b1, _ := json.Marshal(back); string(b1) != string(must(json.Marshal(h))) {
		t.Error("the history read back differs")
	}
	csv, _ := os.ReadFile(filepath.Join(rep, CSVFile))
	lines := strings.Split(strings.TrimSpace(string(csv)), "\n")
	if len(lines) != 8 || !strings.HasPrefix(lines[0], "iteration,train_accuracy") || !regexp.MustCompile(`^120,[0-9.]+,[0-9.]+,[0-9.]+,[0-9.]+,`).MatchString(lines[7]) {
		t.Errorf("CSV:\n%s", csv)
	}
	for _, f := range []string{CurvesFile, DistFile, DigitsFile} {
		img := readPNG(t, filepath.Join(rep, f))
		if img.Bounds().Dx() < 500 {
			t.Errorf("%s is %v", f, img.Bounds())
		}
	}
	if red := countRed(readPNG(t, filepath.Join(rep, DigitsFile)), image.Rect(0, 0, 1<<20, 1<<20)); red < 1000 {
		t.Errorf("digits.png has %d red pixels: no misrecognised digits in red", red)
	}
	other := *h
	other.Test = append([]TestPoint(nil), h.Test[:2]...)
	if err := Compare(filepath.Join(dir, CompareFile), []string{"a", "b"}, []*History{h, &other}); err != nil {
		t.Fatal(err)
	}
	readPNG(t, filepath.Join(dir, CompareFile))
	if _, err := ReadHistory(filepath.Join(dir, "none")); !errors.Is(err, ErrNoHistory) {
		t.Errorf("a missing history: %v", err)
	}
	h.Truncate(60)
	if len(h.Train) != 3 || len(h.Test) != 1 || len(h.Dist) != 2 {
		t.Errorf("truncated at 60: %d, %d, %d points", len(h.Train), len(h.Test), len(h.Dist))
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func readPNG(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return img
}

// countRed counts the pixels in r that are the grid's red ink.
func countRed(img image.Image, r image.Rectangle) int {
	n := 0
	r = r.Intersect(img.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			if cr>>8 > 180 && cg>>8 < 90 && cb>>8 < 90 {
				n++
			}
		}
	}
	return n
}

// countNear counts the pixels in r within 40 of c in each channel.
func countNear(img image.Image, r image.Rectangle, c [3]int) int {
	n := 0
	r = r.Intersect(img.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			if abs(int(cr>>8)-c[0]) < 40 && abs(int(cg>>8)-c[1]) < 40 && abs(int(cb>>8)-c[2]) < 40 {
				n++
			}
		}
	}
	return n
}

func abs(v int) int { return max(v, -v) }

// TestRecorderLeavesOutNaN: a diverging run's points that are not numbers
// are left out (JSON cannot hold them, nor a chart draw them), so the
// history still encodes and the page is still sent it.
func TestRecorderLeavesOutNaN(t *testing.T) {
	spec, err := engine.ParseSpec("dense 10")
	if err != nil {
		t.Fatal(err)
	}
	net, err := engine.New(spec)
	if err != nil {
		t.Fatal(err)
	}
	rec := NewRecorder(&History{}, net, nil, 10, 1)
	rec.Step(1, 0.5, 0.01, 3)
	rec.Step(2, math.NaN(), 0.01, 3)
	net.Params[0] = float32(math.NaN())
	rec.Eval(2, train.Metrics{Accuracy: 0.1, Loss: math.Inf(1)})
	rec.Start(2)
	h := rec.History()
	if len(h.Train) != 1 || len(h.Test) != 0 || len(h.Dist) != 0 {
		t.Errorf("%d training points, %d test points, %d distributions: want 1, 0, 0", len(h.Train), len(h.Test), len(h.Dist))
	}
	if _, err := json.Marshal(h); err != nil {
		t.Error(err)
	}
	u, next, _, _ := rec.since(cursor{})
	if len(u.Train) != 1 {
		t.Errorf("the page is sent %d training points, want 1", len(u.Train))
	}
	// How the run ended comes alone, with empty lists (not null, which
	// the page's script could not append).
	rec.Finish("training diverged")
	u, _, _, ok := rec.since(next)
	b, _ := json.Marshal(u)
	if !ok || !strings.Contains(string(b), `"status":"training diverged","train":[],"test":[],"dist":[]`) {
		t.Errorf("the last message: %v %s", ok, b)
	}
}

// TestRecorderSkipsPooling: a max-pooling layer has no parameters, so the
// history lists the other layers only, under their numbers in the network,
// and their distributions.
func TestRecorderSkipsPooling(t *testing.T) {
	net := enginetest.Net(t, "conv 5x5 4 s1 bn relu; maxpool 2x2; dense 10", 1)
	rec := NewRecorder(&History{}, net, nil, 10, 5)
	rec.Start(0)
	h := rec.History()
	if len(h.Layers) != 2 || !strings.HasPrefix(h.Layers[0], "1 conv") || !strings.HasPrefix(h.Layers[1], "3 dense") {
		t.Fatalf("layers %q, want layers 1 and 3", h.Layers)
	}
	if len(h.Dist) != 1 || len(h.Dist[0].Weights) != 2 || h.Dist[0].Weights[0] == (Dist{}) {
		t.Errorf("distributions %+v", h.Dist)
	}
}
