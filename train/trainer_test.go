package train

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/edgeconv/edgeconv/engine"
	"github.com/edgeconv/edgeconv/model"
	"github.com/edgeconv/edgeconv/model/modeltest"
)

// loadOrSkip loads an MNIST split from the repository's data directory,
// skipping the test when `make data` has not been run.
func loadOrSkip(t testing.TB, split Split) *Dataset {
	t.Helper()
	ds, err := LoadMNIST(filepath.Join("..", MNISTDir), split)
	if err != nil {
		t.Skipf("MNIST not available (%v); run make data", err)
	}
	return ds
}

func smallConfig(t testing.TB, iterations int) Config {
	spec, err := engine.ParseSpec("conv 5x5 4 s2 relu; conv 3x3 6 s2 relu; dense 32 relu keep=0.75; dense 10")
	if err != nil {
		t.Fatal(err)
	}
	return Config{Spec: spec, Schedule: Schedule{Min: 0.0001, Max: 0.003, Decay: 2000},
		Iterations: iterations, Batch: 20, Seed: 7, Workers: 2}
}

func run(t *testing.T, tr *Trainer, opts RunOptions) Result {
	t.Helper()
	res, err := tr.Run(context.Background(), opts, Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestResumeMatchesUninterrupted interrupts a run with a checkpoint half way
// (spanning an epoch boundary) and checks that the resumed run ends with
// exactly the same parameters and optimiser state as an uninterrupted one.
// The run is augmented with the elastic distortion, which the checkpoint
// must carry.
func TestResumeMatchesUninterrupted(t *testing.T) {
	cfg := smallConfig(t, 40) // 40 steps of 20 over 300 images: 2⅔ epochs
	cfg.Augment, cfg.Elastic = true, 2
	testResume(t, cfg)
}

// TestResumeWithSynth is TestResumeMatchesUninterrupted for an 11-class
// run with synthetic negatives and style digits mixed in and the stroke
// augmentation on: the resumed run renders the same samples.
func TestResumeWithSynth(t *testing.T) {
	cfg := smallConfig(t, 40) // 40 steps of 20 over 300+60 images
	cfg.Spec = elevenClasses(t)
	cfg.Synth = Synth{Negatives: 40, Digits: 20, Strokes: true}
	testResume(t, cfg)
}

func elevenClasses(t testing.TB) engine.Spec {
	spec, err := engine.ParseSpec("conv 5x5 4 s2 relu; conv 3x3 6 s2 relu; dense 32 relu keep=0.75; dense 11")
	if err != nil {
		t.Fatal(err)
	}
	return spec
}

func testResume(t *testing.T, cfg Config) {
	trainSet := loadOrSkip(t, Train).Subset(0, 300)
	testSet := loadOrSkip(t, Test).Subset(0, 100)

	whole, err := NewTrainer(cfg, trainSet, testSet)
	if err != nil {
		t.Fatal(err)
	}
	defer whole.Close()
	run(t, whole, RunOptions{})

	ckpt := filepath.Join(t.TempDir(), "ckpt.safetensors")
	ctx, cancel := context.WithCancel(context.Background())
	first, _ := NewTrainer(cfg, trainSet, testSet)
	defer first.Close()
	res, err := first.Run(ctx, RunOptions{CheckpointPath: ckpt}, Hooks{Step: func(iter int, _, _ float64, _ int) {
		if iter == 17 {
			cancel() // as Ctrl-C would
		}
	}})
	if err != nil || !res.Interrupted || res.Iterations != 17 {
		t.Fatalf("interrupted run: %+v, %v", res, err)
	}
	resumed, _, err := Resume(ckpt, trainSet, testSet, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer resumed.Close()
	if resumed.Iter != 17 {
		t.Fatalf("resumed at iteration %d, want 17", resumed.Iter)
	}
	run(t, resumed, RunOptions{})
	for i := range whole.Net.Params {
		if whole.Net.Params[i] != resumed.Net.Params[i] || whole.Adam.M[i] != resumed.Adam.M[i] || whole.Adam.V[i] != resumed.Adam.V[i] {
			t.Fatalf("parameter %d differs after resuming: %v vs %v", i, resumed.Net.Params[i], whole.Net.Params[i])
		}
	}
}

// TestSameSeedSameModel checks that two runs with the same seed and worker
// count write byte-identical model files, and that another seed differs.
func TestSameSeedSameModel(t *testing.T) {
	trainSet := loadOrSkip(t, Train).Subset(0, 200)
	dir := t.TempDir()
	write := func(seed uint64, name string) []byte {
		cfg := smallConfig(t, 15)
		cfg.Seed = seed
		tr, err := NewTrainer(cfg, trainSet, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer tr.Close()
		run(t, tr, RunOptions{})
		path := filepath.Join(dir, name)
		if err := tr.Net.SaveFile(path); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	a, b, c := write(1, "a"), write(1, "b"), write(2, "c")
	if string(a) != string(b) {
		t.Error("two runs with the same seed wrote different files")
	}
	if string(a) == string(c) {
		t.Error("runs with different seeds wrote the same file")
	}
}

// TestShortTrainingLearns is the regression guard on learning: seed99
// trained for 1,000 iterations must reach 97% on the test set.
func TestShortTrainingLearns(t *testing.T) {
	if testing.Short() {
		t.Skip("trains for 1,000 iterations")
	}
	trainSet, testSet := loadOrSkip(t, Train), loadOrSkip(t, Test)
	_, spec, err := LookupPreset("seed99")
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{Spec: spec, Schedule: Presets["seed99"].Schedule, Iterations: 1000, Batch: 100, Seed: 1, Workers: 2}
	tr, err := NewTrainer(cfg, trainSet, testSet)
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	res := run(t, tr, RunOptions{})
	t.Logf("1,000 iterations: test accuracy %.4f, loss %.4f, %v training", res.Final.Accuracy, res.Final.Loss, res.TrainTime)
	if res.Final.Accuracy < 0.97 {
		t.Errorf("test accuracy %.4f after 1,000 iterations, want at least 0.97", res.Final.Accuracy)
	}
}

func TestConfigErrors(t *testing.T) {
	trainSet := &Dataset{N: 10, Rows: 28, Cols: 28, Images: make([]uint8, 10*784), Labels: make([]uint8, 10)}
	for name, mutate := range map[string]func(*Config){
		"batch too big":             func(c *Config) { c.Batch = 11 },
		"no workers":                func(c *Config) { c.Workers = 0 },
		"negative":                  func(c *Config) { c.Iterations = -1 },
		"bad schedule":              func(c *Config) { c.Schedule.Decay = 0 },
		"negatives need 11 classes": func(c *Config) { c.Synth.Negatives = 5 },
		"11 classes need negatives": func(c *Config) { c.Spec = elevenClasses(t) },
		"negative count":            func(c *Config) { c.Spec, c.Synth.Negatives, c.Synth.Digits = elevenClasses(t), 5, -1 },
		"12 classes": func(c *Config) {
			c.Spec.Layers = append([]engine.LayerSpec(nil), c.Spec.Layers...)
			c.Spec.Layers[len(c.Spec.Layers)-1].Out = 12
		},
	} {
		cfg := smallConfig(t, 1)
		cfg.Batch = 5
		mutate(&cfg)
		if _, err := NewTrainer(cfg, trainSet, nil); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	// A plan of hundreds of gigabytes is refused before it is allocated.
	big := &Dataset{N: 2000, Rows: 28, Cols: 28, Images: make([]uint8, 2000*784), Labels: make([]uint8, 2000)}
	cfg := smallConfig(t, 2)
	cfg.Batch = 2000
	spec, err := engine.ParseSpec("conv 3x3 16384 s1; conv 3x3 1 s4; dense 10")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Spec = spec
	if _, err := NewTrainer(cfg, big, nil); err == nil || !strings.Contains(err.Error(), "of memory") {
		t.Errorf("a 200 GB plan: %v", err)
	}
}

// TestEvaluate measures the embedded model on MNIST test digits: the
// metrics agree with its classes and losses one by one; an 11-class copy
// that calls every 7 "not a digit" gets an 11x11 confusion matrix with the
// 7s in the last column.
func TestEvaluate(t *testing.T) {
	ds := loadOrSkip(t, Test).Subset(0, 1500)
	m := modeltest.Default(t)
	_, m11 := modeltest.NotDigitModel(t, 7, 5)
	for _, mm := range []*model.Model{m, m11} {
		c, err := mm.NewClassifier(model.Options{Batch: 100, Workers: 2})
		if err != nil {
			t.Fatal(err)
		}
		got := Evaluate(c, ds)
		// The same by hand, one image at a time.
		want := Metrics{N: ds.N}
		right := 0
		for i := range ds.N {
			r := c.Classify(ds.Image(i))[0]
			if r.Class == int(ds.Labels[i]) {
				right++
			}
			want.Loss += c.Loss(0, int(ds.Labels[i])) / float64(ds.N)
		}
		c.Close()
		want.Accuracy = float64(right) / float64(ds.N)
		if got.N != ds.N || math.Abs(got.Accuracy-want.Accuracy) > 2.0/float64(ds.N) || math.Abs(got.Loss-want.Loss) > 1e-3*want.Loss {
			t.Errorf("%s: %+v, want accuracy %v loss %v", mm, got, want.Accuracy, want.Loss)
		}
		if len(got.Confusion) != mm.Classes() || len(got.Confusion[0]) != mm.Classes() {
			t.Fatalf("%s: confusion matrix %dx%d", mm, len(got.Confusion), len(got.Confusion[0]))
		}
		sevens := 0
		for _, l := range ds.Labels[:ds.N] {
			if l == 7 {
				sevens++
			}
		}
		if mm == m11 && got.Confusion[7][model.NotDigit] < sevens*9/10 {
			t.Errorf("%d of %d sevens counted as not a digit", got.Confusion[7][model.NotDigit], sevens)
		}
		if mm == m && got.Accuracy < 0.98 {
			t.Errorf("the embedded model: accuracy %v", got.Accuracy)
		}
	}
}

// TestElevenClasses trains an 11-class network on MNIST with negatives
// mixed in and checks that the class is learnt: the network rejects most
// held-out negatives and few test digits.
func TestElevenClasses(t *testing.T) {
	if testing.Short() {
		t.Skip("trains for 600 iterations")
	}
	trainSet, testSet := loadOrSkip(t, Train).Subset(0, 10000), loadOrSkip(t, Test).Subset(0, 2000)
	cfg := smallConfig(t, 600)
	cfg.Spec, cfg.Batch = elevenClasses(t), 50
	cfg.Synth = Synth{Negatives: 2000, Digits: 500}
	tr, err := NewTrainer(cfg, trainSet, testSet)
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	if want := 10000 + 2500; tr.trainSet.N != want {
		t.Fatalf("training set of %d samples, want %d", tr.trainSet.N, want)
	}
	res := run(t, tr, RunOptions{})
	neg, err := HeldOutNegatives(1000, 1, 2)
	if err != nil {
		t.Fatal(err)
	}
	nm, err := tr.Evaluate(neg)
	if err != nil {
		t.Fatal(err)
	}
	rejected := 0
	for _, row := range res.Final.Confusion[:NotDigit] {
		rejected += row[NotDigit]
	}
	t.Logf("MNIST %.4f (%d digits rejected), held-out negatives rejected %.4f", res.Final.Accuracy, rejected, nm.Accuracy)
	if res.Final.Accuracy < 0.85 || nm.Accuracy < 0.7 || rejected > 100 {
		t.Errorf("MNIST accuracy %.4f, %d of 2000 digits rejected, %.4f of negatives rejected", res.Final.Accuracy, rejected, nm.Accuracy)
	}
}

// TestAdjustPrior checks the change of prior at the end of a run: the
// NotDigit bias moves by ln(p/s) − ln((1−p)/(1−s)) and nothing else
// changes; a run without a prior is left alone.
func TestAdjustPrior(t *testing.T) {
	trainSet := loadOrSkip(t, Train).Subset(0, 160)
	for _, prior := range []float64{0, 0.05} {
		cfg := smallConfig(t, 0)
		cfg.Spec = elevenClasses(t)
		cfg.Synth = Synth{Negatives: 40, Prior: prior}
		tr, err := NewTrainer(cfg, trainSet, nil)
		if err != nil {
			t.Fatal(err)
		}
		before := append([]float32(nil), tr.Net.Params...)
		run(t, tr, RunOptions{})
		run(t, tr, RunOptions{}) // a second Run must not shift it again
		tr.Close()
		ts := tr.Net.Tensors()
		at := ts[len(ts)-1].Off + NotDigit
		share := 40.0 / 200
		want := 0.0
		if prior > 0 {
			want = math.Log(prior/share) - math.Log((1-prior)/(1-share))
		}
		for i := range before {
			d := float64(tr.Net.Params[i] - before[i])
			if i == at && math.Abs(d-want) > 1e-5 || i != at && d != 0 {
				t.Errorf("prior %g: parameter %d moved by %g (want %g)", prior, i, d, map[bool]float64{true: want}[i == at])
			}
		}
	}
	cfg := smallConfig(t, 0)
	cfg.Spec, cfg.Synth = elevenClasses(t), Synth{Negatives: 40, Prior: 1}
	if _, err := NewTrainer(cfg, trainSet, nil); err == nil {
		t.Error("a prior of 1 was accepted")
	}
}

// TestDivergedRunStops: a learning rate far too high makes the loss NaN;
// the run must stop with ErrDiverged instead of running on and writing a
// model that no command can load, and the last checkpoint must be the last
// good state.
func TestDivergedRunStops(t *testing.T) {
	trainSet := loadOrSkip(t, Train).Subset(0, 200)
	cfg := smallConfig(t, 30)
	cfg.Schedule.Max = 1e30
	tr, err := NewTrainer(cfg, trainSet, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	dir := t.TempDir()
	opts := RunOptions{CheckpointPath: filepath.Join(dir, "c.safetensors"), CheckpointEvery: 1000,
		ModelPath: filepath.Join(dir, "m.safetensors")}
	res, err := tr.Run(context.Background(), opts, Hooks{})
	if !errors.Is(err, ErrDiverged) || !strings.Contains(err.Error(), "last good checkpoint, iteration 0") {
		t.Fatalf("Run: %+v, %v; want ErrDiverged naming the checkpoint of iteration 0", res, err)
	}
	t.Log(err)
	if res.Iterations >= cfg.Iterations {
		t.Errorf("ran all %d iterations", res.Iterations)
	}
	if _, err := os.Stat(opts.ModelPath); !os.IsNotExist(err) {
		t.Errorf("a model was written: %v", err)
	}
	back, _, err := Resume(opts.CheckpointPath, trainSet, nil, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer back.Close()
	if back.Iter != 0 || !back.finite() {
		t.Errorf("checkpoint at iteration %d, finite %v; want the good one of iteration 0", back.Iter, back.finite())
	}
}

// TestCheckpointsCarryTheRun: a checkpoint saves where the run writes (the
// model's path, relative to the checkpoint, and the interval), Resume gives
// them back, and a run with periodic checkpoints writes one before its
// first step and one per interval.
func TestCheckpointsCarryTheRun(t *testing.T) {
	trainSet := loadOrSkip(t, Train).Subset(0, 200)
	dir := t.TempDir()
	for _, opts := range []RunOptions{
		{CheckpointPath: filepath.Join(dir, "c1.safetensors"), CheckpointEvery: 4, ModelPath: filepath.Join(dir, "out", "m1.safetensors")},
		{CheckpointPath: filepath.Join(dir, "c2.safetensors"), CheckpointInterval: time.Nanosecond, ModelPath: filepath.Join(dir, "m2.safetensors")},
	} {
		tr, err := NewTrainer(smallConfig(t, 10), trainSet, nil)
		if err != nil {
			t.Fatal(err)
		}
		var at []int
		ctx, cancel := context.WithCancel(context.Background())
		_, err = tr.Run(ctx, opts, Hooks{
			Checkpoint: func(iter int, _ string) { at = append(at, iter) },
			Step: func(iter int, _, _ float64, _ int) {
				if iter == 9 {
					cancel()
				}
			}})
		tr.Close()
		if err != nil {
			t.Fatal(err)
		}
		want := []int{0, 4, 8, 9}
		if opts.CheckpointInterval > 0 {
			want = []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9}
		}
		if fmt.Sprint(at) != fmt.Sprint(want) {
			t.Errorf("%+v: checkpoints at %v, want %v", opts, at, want)
		}
		back, got, err := Resume(opts.CheckpointPath, trainSet, nil, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		back.Close()
		if got != opts {
			t.Errorf("Resume gave %+v, want %+v", got, opts)
		}
	}
}

// TestResumeHostileCheckpoint: a checkpoint whose architecture claims far
// more parameters than it holds (issue 14: "train --resume" of a 114-byte
// file allocated 1.1 TB) is refused before the network is allocated.
func TestResumeHostileCheckpoint(t *testing.T) {
	trainSet := loadOrSkip(t, Train).Subset(0, 100)
	dir := t.TempDir()
	for name, arch := range map[string]string{
		"bomb":  "input 4096x4096x1; dense 16384",
		"wide":  "conv 1x1 1024 s1; dense 200; dense 10",
		"rgb":   "input 28x28x3; conv 3x3 4 s2 relu; dense 10",
		"two":   "conv 3x3 4 s2 relu; dense 2",
		"small": "input 8x8x1; dense 10",
	} {
		h, _ := json.Marshal(map[string]any{"__metadata__": map[string]string{
			"format": "edgeconv-checkpoint", "version": "1", "arch": arch}})
		path := filepath.Join(dir, name+".safetensors")
		if err := os.WriteFile(path, append(binary.LittleEndian.AppendUint64(nil, uint64(len(h))), h...), 0o644); err != nil {
			t.Fatal(err)
		}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, _, err := Resume(path, trainSet, nil, 0, 0)
		runtime.ReadMemStats(&after)
		if err == nil || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: error %v, want one line", name, err)
		}
		if got := after.TotalAlloc - before.TotalAlloc; got > 4<<20 {
			t.Errorf("%s: %d bytes allocated before the error", name, got)
		}
	}
}
