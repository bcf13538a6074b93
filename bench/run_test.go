package bench

import (
	"context"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/edgeconv/edgeconv/engine"
	"github.com/edgeconv/edgeconv/model"
)

func TestTrainFLOPs(t *testing.T) {
	net, err := PresetNetwork("seed99", 1)
	if err != nil {
		t.Fatal(err)
	}
	// docs/DESIGN.md, "The cost model": 0.985 million multiply-adds forward,
	// of which conv1 169,344 (28·28·6 outputs × 36 inputs each).
	if got, want := net.FLOPs(), int64(2*(169344+352800+225792+235200+2000)); got != want {
		t.Errorf("seed99 forward FLOPs = %d, want %d", got, want)
	}
	if got, want := TrainFLOPs(net), 3*net.FLOPs()-2*169344; got != want {
		t.Errorf("seed99 training FLOPs = %d, want %d", got, want)
	}
}

func TestRandomDataset(t *testing.T) {
	a := RandomDataset(50, engine.MNISTInput, 10, 7)
	b := RandomDataset(50, engine.MNISTInput, 10, 7)
	if a.N != 50 || a.Rows != 28 || a.Cols != 28 || len(a.Images) != 50*784 || len(a.Labels) != 50 {
		t.Fatalf("dataset shape: N %d, %dx%d, %d pixels, %d labels", a.N, a.Rows, a.Cols, len(a.Images), len(a.Labels))
	}
	for i, l := range a.Labels {
		if l >= 10 {
			t.Fatalf("label %d = %d, want < 10", i, l)
		}
	}
	for i := range a.Images {
		if a.Images[i] != b.Images[i] {
			t.Fatalf("same seed, different image byte %d", i)
		}
	}
	px := Pixels(a, 60) // cycles past the end
	if len(px) != 60*784 || px[50*784+3] != a.Images[3] || px[49*784+5] != a.Images[49*784+5] {
		t.Errorf("Pixels: len %d, wrong samples", len(px))
	}
}

// fakePeak stands in for the FMA loop: like it, it reports FLOPs that
// depend on iters alone (8 a nanosecond of the spin it was asked for) and
// spins at least that long, so no call runs faster than 8 GFLOP/s and a
// call that is preempted or overshoots (qemu on a loaded machine) runs
// slower. Counting the time actually spun instead made the calibrating
// call's FLOPs, which Run reuses, as wrong as that one call was slow.
func fakePeak(iters int) float64 {
	d := time.Duration(iters) * time.Nanosecond
	t0 := time.Now()
	for time.Since(t0) < d {
	}
	return 8 * float64(iters)
}

func TestRun(t *testing.T) {
	defer func(f func(int) float64) { peakFMA = f }(peakFMA)
	peakFMA = fakePeak
	net, m := presetModel(t, "seed98")
	var phases []string
	res, err := Run(context.Background(), m, Options{Duration: 100 * time.Millisecond, Rounds: 2, Workers: 2,
		Batch: 20, Train: net, Progress: func(p string) { phases = append(phases, p) }})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v", res)
	if len(phases) == 0 {
		t.Error("Progress was never called")
	}
	// At most the fake loop's 8 GFLOP/s (5% for the clock's rounding),
	// and not 8 times slower: a peak computed with the wrong unit or
	// count is out by orders of magnitude.
	if res.PeakGFLOPSCore > 8.4 || res.PeakGFLOPSCore < 1 {
		t.Errorf("peak of one core %.2f GFLOP/s, want at most 8 (the fake loop's) and at least 1", res.PeakGFLOPSCore)
	}
	for name, v := range map[string]float64{
		"peak all": res.PeakGFLOPSAll, "infer b1": res.InferB1US, "b100 1 core": res.InferB100ImgS1Core,
		"b100 all": res.InferB100ImgSAll, "train": res.TrainImgS, "train s/1000": res.TrainSPer1000Iter,
		"b1 frac": res.InferB1FracPeak, "b100 frac": res.InferB100FracPeak1Core, "b100 all frac": res.InferB100FracPeakAll,
		"train frac": res.TrainFracPeakAll,
	} {
		if !(v > 0) || math.IsInf(v, 0) {
			t.Errorf("%s = %v, want a positive number", name, v)
		}
	}
	if len(res.Stats) != 6 || res.TrainData != "random" || res.Cores != 2 || res.Batch != 20 {
		t.Errorf("%d stats, train data %q, %d cores, batch %d: want 6, random, 2, 20", len(res.Stats), res.TrainData, res.Cores, res.Batch)
	}
	for _, s := range res.Stats {
		if s.N < 2 || !(s.Q1 <= s.Median && s.Median <= s.Q3) {
			t.Errorf("%s: %d samples, quartiles %v %v %v", s.Name, s.N, s.Q1, s.Median, s.Q3)
		}
	}
	// The derived figures follow from the medians.
	if want := res.InferB100ImgS1Core * float64(res.FLOPsPerImage) / 1e9 / res.PeakGFLOPSCore; math.Abs(res.InferB100FracPeak1Core-want) > 1e-9*want {
		t.Errorf("b100 fraction %v, want %v", res.InferB100FracPeak1Core, want)
	}
	if want := 1000 * 20 / res.TrainImgS; math.Abs(res.TrainSPer1000Iter-want) > 1e-9*want {
		t.Errorf("train s per 1000 iterations %v, want %v", res.TrainSPer1000Iter, want)
	}
}

func TestRunNoTrainAndErrors(t *testing.T) {
	defer func(f func(int) float64) { peakFMA = f }(peakFMA)
	peakFMA = fakePeak
	_, m := presetModel(t, "seed98")
	res, err := Run(context.Background(), m, Options{Duration: 20 * time.Millisecond, Rounds: 1, Workers: 1, Batch: 10})
	if err != nil {
		t.Fatal(err)
	}
	if res.TrainImgS != 0 || res.TrainData != "" || len(res.Stats) != 5 {
		t.Errorf("without Train: train %v img/s, data %q, %d stats; want 0, \"\", 5", res.TrainImgS, res.TrainData, len(res.Stats))
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Run(ctx, m, Options{Duration: time.Second, Workers: 1, Batch: 10}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: err %v, want context.Canceled", err)
	}
	if _, err := Run(context.Background(), m, Options{Workers: 1, Batch: 10,
		Data: RandomDataset(5, engine.MNISTInput, 10, 1)}); !errors.Is(err, errSmallData) {
		t.Errorf("5 images for a batch of 10: err %v, want %v", err, errSmallData)
	}
	if _, err := Run(context.Background(), m, Options{Workers: 1, Batch: 10,
		Data: RandomDataset(20, engine.Shape{H: 14, W: 14, C: 1}, 10, 1)}); err == nil {
		t.Error("14x14 images for a 28x28 network: no error")
	}
}

// presetModel returns a preset's network with random weights and its model.
func presetModel(t *testing.T, preset string) (*engine.Network, *model.Model) {
	t.Helper()
	net, err := PresetNetwork(preset, 1)
	if err != nil {
		t.Fatal(err)
	}
	m, err := model.FromNetwork(net, preset)
	if err != nil {
		t.Fatal(err)
	}
	return net, m
}

// TestRunChecks: with real data, Run checks the timed batch's classes
// against the labels: a dataset labelled with the model's own classes is
// all right, with their mean confidence; random data is not checked.
func TestRunChecks(t *testing.T) {
	defer func(f func(int) float64) { peakFMA = f }(peakFMA)
	peakFMA = fakePeak
	_, m := presetModel(t, "seed98")
	data := RandomDataset(30, engine.MNISTInput, 10, 3)
	c, err := m.NewClassifier(model.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var conf float64
	for i, r := range c.Classify(data.Images) {
		data.Labels[i] = uint8(r.Class)
		conf += float64(r.Confidence) / 30
	}
	res, err := Run(context.Background(), m, Options{Duration: 20 * time.Millisecond, Rounds: 1, Workers: 1, Batch: 30, Data: data})
	if err != nil {
		t.Fatal(err)
	}
	if res.Checked != 30 || res.CheckedAccuracy != 1 || math.Abs(res.CheckedConfidence-conf) > 1e-6 {
		t.Errorf("checked %d, accuracy %v, confidence %v; want 30, 1, %v", res.Checked, res.CheckedAccuracy, res.CheckedConfidence, conf)
	}
	if res, _ := Run(context.Background(), m, Options{Duration: 20 * time.Millisecond, Rounds: 1, Workers: 1, Batch: 10}); res.Checked != 0 {
		t.Errorf("random data: %d images checked", res.Checked)
	}
}
