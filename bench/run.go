package bench

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"time"

	"github.com/edgeconv/edgeconv/engine"
	"github.com/edgeconv/edgeconv/engine/kernel"
	"github.com/edgeconv/edgeconv/internal/sysmem"
	"github.com/edgeconv/edgeconv/model"
	"github.com/edgeconv/edgeconv/train"
)

// peakFMA is the register-only FMA loop that defines a core's peak; it
// returns the FLOPs it performed. Tests replace it.
var peakFMA = kernel.PeakFMA

// Options configures Run. The zero value of a field selects its default.
type Options struct {
	// Duration is the time given to each measurement, spread over Rounds
	// (default 2s). Warm-up comes on top.
	Duration time.Duration
	// Rounds is the number of interleaved rounds (default 5).
	Rounds int
	// Workers is what "all cores" means (default runtime.NumCPU()).
	Workers int
	// Batch is the batch of the throughput and training measurements
	// (default 100).
	Batch int
	// Data supplies the inference inputs and the training images and
	// labels; nil means random images (RandomDataset). With real data, Run
	// also checks what the timed inference computed against the labels
	// (Result.Checked).
	Data *train.Dataset
	// Train is the float32 network to train, starting from its weights;
	// nil skips the training measurement.
	Train *engine.Network
	// Schedule is the training learning rate (default: seed99's).
	Schedule train.Schedule
	// Progress, when set, is called with each phase's name as it starts.
	Progress func(phase string)
}

// Stat summarises one measurement's samples: their median and quartiles in
// the measurement's unit, and how many there were.
type Stat struct {
	Name   string  `json:"name"`
	Unit   string  `json:"unit"`
	Median float64 `json:"median"`
	Q1     float64 `json:"q1"`
	Q3     float64 `json:"q3"`
	N      int     `json:"samples"`
}

// Result is what Run measured. Rates are medians over samples; fractions are
// of PeakGFLOPSCore (one core) or PeakGFLOPSAll (all cores).
type Result struct {
	Cores              int   `json:"cores"`
	Batch              int   `json:"batch"`
	FLOPsPerImage      int64 `json:"flops_per_image"`
	TrainFLOPsPerImage int64 `json:"train_flops_per_image,omitempty"`

	PeakGFLOPSCore float64 `json:"peak_gflops_core"`
	PeakGFLOPSAll  float64 `json:"peak_gflops_all"`

	InferB1US       float64 `json:"infer_b1_us"` // µs per image, batch 1, one core
	InferB1GFLOPS   float64 `json:"infer_b1_gflops"`
	InferB1FracPeak float64 `json:"infer_b1_frac_peak"`

	InferB100ImgS1Core     float64 `json:"infer_b100_img_s_1core"`
	InferB100GFLOPS1Core   float64 `json:"infer_b100_gflops_1core"`
	InferB100FracPeak1Core float64 `json:"infer_b100_frac_peak_1core"`

	InferB100ImgSAll     float64 `json:"infer_b100_img_s_all"`
	InferB100GFLOPSAll   float64 `json:"infer_b100_gflops_all"`
	InferB100FracPeakAll float64 `json:"infer_b100_frac_peak_all"`

	TrainImgS         float64 `json:"train_img_s"`
	TrainGFLOPS       float64 `json:"train_gflops"`
	TrainFracPeakAll  float64 `json:"train_frac_peak_all"`
	TrainSPer1000Iter float64 `json:"train_s_per_1000_iter"` // seconds per 1,000 steps of Batch
	TrainData         string  `json:"train_data,omitempty"`  // "mnist", "random" or "" (not measured)

	// Checked is the number of images of the timed batch that were
	// checked against Options.Data's labels (0 with random data);
	// CheckedAccuracy is the share classified as labelled and
	// CheckedConfidence their mean confidence: the timed passes compute
	// what `edgeconv read` and `eval` compute.
	Checked           int     `json:"checked,omitempty"`
	CheckedAccuracy   float64 `json:"checked_accuracy,omitempty"`
	CheckedConfidence float64 `json:"checked_confidence,omitempty"`

	Stats []Stat `json:"stats"`
}

// errSmallData is returned when the data cannot fill a batch.
var errSmallData = errors.New("bench: the data set is smaller than the batch")

// task is one interleaved measurement: op takes one timed sample.
type task struct {
	name, unit string
	op         func()
	// value converts a sample's duration to the reported unit.
	value   func(d time.Duration) float64
	samples []time.Duration
}

// CheckMemory returns an error when a measurement of m with opts would
// need more memory than the machine allows: the random images, a batch's
// pixels, the classifiers and the training plan are sized by opts.Batch
// and opts.Workers. Run calls it first.
func CheckMemory(m *model.Model, opts Options) error {
	return sysmem.Check(fmt.Sprintf("bench: a batch of %d", opts.Batch), m.Spec().PlanBytes(opts.Batch,
		engine.PlanOptions{Workers: max(opts.Workers, 1), Training: true})+2*int64(opts.Batch)*model.Size)
}

// Run measures m (and opts.Train, if set) on this machine: the FMA peak of one
// core and of all cores, inference latency at batch 1 on one core, inference
// throughput at opts.Batch on one core and on all cores, and training
// throughput on all cores. Inference is model.Classifier.Classify on pixel
// bytes, as every command classifies. It stops early with ctx's error if
// ctx ends.
func Run(ctx context.Context, m *model.Model, opts Options) (Result, error) {
	if opts.Duration <= 0 {
		opts.Duration = 2 * time.Second
	}
	if opts.Rounds <= 0 {
		opts.Rounds = 5
	}
	if opts.Workers <= 0 {
		opts.Workers = runtime.NumCPU()
	}
	if opts.Batch <= 0 {
		opts.Batch = 100
	}
	if opts.Schedule.Decay == 0 {
		opts.Schedule = train.Presets["seed99"].Schedule
	}
	progress := opts.Progress
	if progress == nil {
		progress = func(string) {}
	}
	res := Result{Cores: opts.Workers, Batch: opts.Batch, FLOPsPerImage: m.FLOPs()}
	// Before any batch-sized allocation.
	if err := CheckMemory(m, opts); err != nil {
		return res, err
	}
	data := opts.Data
	trainData := "mnist"
	if data == nil {
		data = RandomDataset(max(opts.Batch, 1000), engine.MNISTInput, 10, 1)
		trainData = "random"
	}
	if data.N < opts.Batch {
		return res, errSmallData
	}
	if data.Rows != model.Side || data.Cols != model.Side {
		return res, fmt.Errorf("bench: the model reads %dx%d images, the data has %dx%d", model.Side, model.Side, data.Rows, data.Cols)
	}
	px := Pixels(data, opts.Batch)
	batch, flops := float64(opts.Batch), float64(m.FLOPs())
	perSec := func(work float64) func(time.Duration) float64 {
		return func(d time.Duration) float64 { return work / d.Seconds() }
	}

	// Size the peak loop so that one call takes about a millisecond.
	iters := calibratePeak(time.Millisecond)
	peakFlops := peakFMA(iters)
	allOp, stopAll := peakAll(opts.Workers, iters)
	defer stopAll()
	tasks := []*task{
		{name: "peak, one core", unit: "GFLOP/s", op: func() { peakFMA(iters) }, value: perSec(peakFlops / 1e9)},
		{name: fmt.Sprintf("peak, %d cores", opts.Workers), unit: "GFLOP/s", op: allOp, value: perSec(float64(opts.Workers) * peakFlops / 1e9)},
	}
	var cs [3]*model.Classifier // batch 1 one core, batch one core, batch all cores
	for i, o := range []model.Options{{Batch: 1, Workers: 1}, {Batch: opts.Batch, Workers: 1}, {Batch: opts.Batch, Workers: opts.Workers}} {
		c, err := m.NewClassifier(o)
		if err != nil {
			return res, err
		}
		defer c.Close()
		cs[i] = c
	}
	tasks = append(tasks, &task{name: "inference, batch 1, one core", unit: "µs/image",
		op: func() { cs[0].Classify(px[:model.Size]) }, value: func(d time.Duration) float64 { return d.Seconds() * 1e6 }})
	tasks = append(tasks, &task{name: fmt.Sprintf("inference, batch %d, one core", opts.Batch), unit: "images/s",
		op: func() { cs[1].Classify(px) }, value: perSec(batch)})
	tasks = append(tasks, &task{name: fmt.Sprintf("inference, batch %d, %d cores", opts.Batch, opts.Workers), unit: "images/s",
		op: func() { cs[2].Classify(px) }, value: perSec(batch)})
	var trainTask *task
	if opts.Train != nil {
		tr, err := train.NewTrainer(train.Config{Spec: opts.Train.Spec, Schedule: opts.Schedule, Iterations: 1 << 30,
			Batch: opts.Batch, Seed: 1, Workers: opts.Workers}, data, nil)
		if err != nil {
			return res, err
		}
		defer tr.Close()
		copy(tr.Net.Params, opts.Train.Params)
		tr.Net.ParamsChanged()
		trainTask = &task{name: fmt.Sprintf("training, batch %d, %d cores", opts.Batch, opts.Workers), unit: "images/s",
			op: func() { tr.Step() }, value: perSec(batch)}
		tasks = append(tasks, trainTask)
		res.TrainFLOPsPerImage = TrainFLOPs(opts.Train)
		res.TrainData = trainData
	}

	// Warm up: a tenth of each task's time, at least three samples.
	for _, t := range tasks {
		progress("warm-up: " + t.name)
		if err := t.run(ctx, opts.Duration/10, 3, false); err != nil {
			return res, err
		}
	}
	slice := opts.Duration / time.Duration(opts.Rounds)
	for r := range opts.Rounds {
		progress(fmt.Sprintf("round %d of %d", r+1, opts.Rounds))
		for _, t := range tasks {
			if err := t.run(ctx, slice, 1, true); err != nil {
				return res, err
			}
		}
	}

	stat := func(t *task) float64 {
		vals := make([]float64, len(t.samples))
		for i, d := range t.samples {
			vals[i] = t.value(d)
		}
		s := Stat{Name: t.name, Unit: t.unit, Median: Median(vals), Q1: Quantile(vals, 0.25), Q3: Quantile(vals, 0.75), N: len(vals)}
		res.Stats = append(res.Stats, s)
		return s.Median
	}
	res.PeakGFLOPSCore = stat(tasks[0])
	res.PeakGFLOPSAll = stat(tasks[1])
	res.InferB1US = stat(tasks[2])
	res.InferB100ImgS1Core = stat(tasks[3])
	res.InferB100ImgSAll = stat(tasks[4])
	if trainTask != nil {
		res.TrainImgS = stat(trainTask)
	}
	res.fill(flops)
	if opts.Data != nil {
		res.check(cs[1].Classify(px), data)
	}
	return res, nil
}

// check compares the classes of the timed batch (the first len(results)
// images of data, cycling) with data's labels.
func (r *Result) check(results []model.Result, data *train.Dataset) {
	right := 0
	var conf float64
	for i, res := range results {
		if res.Class == int(data.Labels[i%data.N]) {
			right++
		}
		conf += float64(res.Confidence)
	}
	r.Checked = len(results)
	r.CheckedAccuracy = float64(right) / float64(len(results))
	r.CheckedConfidence = conf / float64(len(results))
}

// fill derives the GFLOP/s figures and the fractions of peak from the
// medians.
func (r *Result) fill(flops float64) {
	frac := func(gflops, peak float64) float64 {
		if peak <= 0 {
			return 0
		}
		return gflops / peak
	}
	if r.InferB1US > 0 {
		r.InferB1GFLOPS = flops / (r.InferB1US * 1e3)
	}
	r.InferB1FracPeak = frac(r.InferB1GFLOPS, r.PeakGFLOPSCore)
	r.InferB100GFLOPS1Core = r.InferB100ImgS1Core * flops / 1e9
	r.InferB100FracPeak1Core = frac(r.InferB100GFLOPS1Core, r.PeakGFLOPSCore)
	r.InferB100GFLOPSAll = r.InferB100ImgSAll * flops / 1e9
	r.InferB100FracPeakAll = frac(r.InferB100GFLOPSAll, r.PeakGFLOPSAll)
	r.TrainGFLOPS = r.TrainImgS * float64(r.TrainFLOPsPerImage) / 1e9
	r.TrainFracPeakAll = frac(r.TrainGFLOPS, r.PeakGFLOPSAll)
	if r.TrainImgS > 0 {
		r.TrainSPer1000Iter = 1000 * float64(r.Batch) / r.TrainImgS
	}
}

// run takes timed samples of t for about d, and at least minSamples; keep
// says whether to record them (warm-up samples are dropped).
func (t *task) run(ctx context.Context, d time.Duration, minSamples int, keep bool) error {
	start := time.Now()
	for n := 0; n < minSamples || time.Since(start) < d; n++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		t0 := time.Now()
		t.op()
		el := time.Since(t0)
		if keep {
			t.samples = append(t.samples, el)
		}
	}
	return nil
}

// calibratePeak returns the iteration count for which one peakFMA call takes
// about d.
func calibratePeak(d time.Duration) int {
	n := 1000
	for {
		t0 := time.Now()
		peakFMA(n)
		el := time.Since(t0)
		if el >= d/4 || n >= 1<<30 {
			return max(1, int(float64(n)*float64(d)/float64(max(el, 1))))
		}
		n *= 4
	}
}

// peakAll returns an op that runs peakFMA(iters) on workers goroutines at
// once, each locked to its own thread, and returns when all are done, and
// the function that ends the goroutines.
func peakAll(workers, iters int) (op, stop func()) {
	start := make([]chan struct{}, workers)
	var wg sync.WaitGroup
	for w := range start {
		start[w] = make(chan struct{})
		go func(ch chan struct{}) {
			runtime.LockOSThread()
			for range ch {
				peakFMA(iters)
				wg.Done()
			}
		}(start[w])
	}
	op = func() {
		wg.Add(workers)
		for _, ch := range start {
			ch <- struct{}{}
		}
		wg.Wait()
	}
	stop = func() {
		for _, ch := range start {
			close(ch)
		}
	}
	return op, stop
}
