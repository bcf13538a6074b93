package train

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"time"

	"github.com/edgeconv/edgeconv/engine"
	"github.com/edgeconv/edgeconv/internal/sysmem"
	"github.com/edgeconv/edgeconv/model"
)

// Config is a training run's recipe.
type Config struct {
	Spec       engine.Spec
	Schedule   Schedule
	Iterations int    // total optimiser steps
	Batch      int    // samples per step
	Seed       uint64 // initial weights, data order and dropout masks
	Workers    int    // goroutines sharing each batch
	EvalEvery  int    // evaluate on the test set every this many steps (0: only at the end)
	Augment    bool   // distort training images with DefaultAugment
	// Elastic adds to the distortions (Augment's or Synth.Strokes') an
	// elastic one that moves points by up to this many pixels
	// (Augment.Elastic); 0: none.
	Elastic float64
	// Synth mixes synthetic samples into the training set: negatives
	// (which need an 11-class network, class NotDigit) and digits in the
	// styles MNIST lacks; Synth.Strokes distorts with StrokeAugment.
	Synth Synth
}

// maxCheckpointParams is the largest network a checkpoint holds: its
// parameters and Adam's two moments, 12 bytes a parameter, within the 1 GiB
// of data a safetensors file may have (engine/safetensors). A larger run
// could not save its state.
const maxCheckpointParams = (1 << 30) / 12

func (c *Config) validate(trainN int) error {
	if err := c.Spec.Validate(); err != nil {
		return err
	}
	// Before anything of the network's size is allocated: a network that
	// does not read digits could not be used once trained.
	if err := model.CheckSpec(c.Spec); err != nil {
		return fmt.Errorf("train: %w", err)
	}
	if p := c.Spec.Params(); p > maxCheckpointParams {
		return fmt.Errorf("train: the network has %d parameters; a checkpoint holds at most %d", p, maxCheckpointParams)
	}
	switch {
	case c.Iterations < 0:
		return fmt.Errorf("train: iterations %d is negative", c.Iterations)
	case c.Batch < 1 || c.Batch > trainN:
		return fmt.Errorf("train: batch %d must be between 1 and the %d training images", c.Batch, trainN)
	case c.Workers < 1 || c.Workers > 256:
		return fmt.Errorf("train: workers %d must be between 1 and 256", c.Workers)
	case c.EvalEvery < 0:
		return fmt.Errorf("train: eval interval %d is negative", c.EvalEvery)
	case !(c.Schedule.Decay > 0) || !(c.Schedule.Min >= 0) || !(c.Schedule.Max >= 0) ||
		math.IsInf(c.Schedule.Decay, 0) || math.IsInf(c.Schedule.Min, 0) || math.IsInf(c.Schedule.Max, 0):
		return fmt.Errorf("train: learning-rate schedule %+v is invalid", c.Schedule)
	case c.Synth.Negatives < 0 || c.Synth.Digits < 0 || c.Synth.Negatives > MaxSynth || c.Synth.Digits > MaxSynth:
		return fmt.Errorf("train: synthetic sample counts %d and %d must be between 0 and %d", c.Synth.Negatives, c.Synth.Digits, MaxSynth)
	case c.Synth.Negatives > 0 && c.Spec.Classes() != NotDigit+1:
		return fmt.Errorf("train: negatives need a network with %d outputs (the last is \"not a digit\"), this one has %d", NotDigit+1, c.Spec.Classes())
	case c.Synth.Prior < 0 || c.Synth.Prior >= 1:
		return fmt.Errorf("train: prior %g of non-digits must be in [0, 1)", c.Synth.Prior)
	case !(c.Elastic >= 0 && c.Elastic <= MaxElastic):
		return fmt.Errorf("train: elastic distortion %g px must be between 0 and %d", c.Elastic, MaxElastic)
	case c.Elastic > 0 && !c.Augment && !c.Synth.Strokes:
		return fmt.Errorf("train: an elastic distortion (%g px) needs augmentation on", c.Elastic)
	case c.Synth.Negatives == 0 && c.Spec.Classes() == NotDigit+1:
		return fmt.Errorf("train: a network with %d outputs needs negatives to learn its last class, \"not a digit\"", NotDigit+1)
	}
	return sysmem.Check(fmt.Sprintf("train: a run of batch %d on %d workers", c.Batch, c.Workers), c.memory())
}

// memory estimates the bytes a run allocates besides the MNIST images: the
// training plan, Adam's moments, the evaluation classifier, a batch's input
// and the synthetic samples (rendered, then joined to MNIST).
func (c *Config) memory() int64 {
	n := c.Spec.PlanBytes(c.Batch, engine.PlanOptions{Workers: c.Workers, Training: true})
	n += 8 * c.Spec.Params()
	n += c.Spec.PlanBytes(evalBatch, engine.PlanOptions{Workers: c.Workers})
	n += 4 * int64(c.Batch) * int64(model.Size)
	n += 2 * int64(c.Synth.Negatives+c.Synth.Digits) * model.Size
	return n
}

// Metrics summarise a network's predictions on a dataset.
type Metrics struct {
	N         int
	Accuracy  float64 // fraction correct
	Loss      float64 // mean softmax cross-entropy
	Confusion [][]int // Confusion[true][predicted]
	// Predictions are the class predicted for each image, in the
	// dataset's order.
	Predictions []uint8
}

// ClassAccuracy returns the fraction of each true class predicted correctly.
func (m Metrics) ClassAccuracy() []float64 {
	acc := make([]float64, len(m.Confusion))
	for c, row := range m.Confusion {
		total := 0
		for _, v := range row {
			total += v
		}
		if total > 0 {
			acc[c] = float64(row[c]) / float64(total)
		}
	}
	return acc
}

// Trainer runs a training configuration step by step. Its state (network,
// optimiser, position in the data) is everything a checkpoint saves.
type Trainer struct {
	Config
	Net  *engine.Network
	Adam *Adam

	Iter  int // steps taken
	epoch int // current pass over the training set
	pos   int // next index into order

	// Best test accuracy seen at an evaluation, and the step it was seen at.
	MaxAccuracy float64
	MaxAt       int

	trainSet, testSet *Dataset
	plan              *engine.Plan
	model             *model.Model      // Net, for the evaluations
	eval              *model.Classifier // made at the first evaluation
	order             []int
	shuffle           rand.PCG
	x                 []float32
	labels            []uint8
	idx               []int
	augs              []*augmenter        // one per worker (nil: no augmentation)
	adamUpdate        func(lo, hi int)    // t.updateParams, made once so that Step allocates nothing
	load              func(w, lo, hi int) // t.loadSamples, likewise
	priorDone         bool                // AdjustPrior was applied at the end of Run
}

// NewTrainer prepares a run from scratch: the network initialised from the
// seed, the first epoch shuffled.
func NewTrainer(cfg Config, trainSet, testSet *Dataset) (*Trainer, error) {
	if err := cfg.validate(trainSet.N); err != nil {
		return nil, err
	}
	net, err := engine.New(cfg.Spec)
	if err != nil {
		return nil, err
	}
	net.Init(cfg.Seed)
	t := &Trainer{Config: cfg, Net: net, Adam: NewAdam(len(net.Params))}
	if err := t.setup(trainSet, testSet); err != nil {
		return nil, err
	}
	return t, nil
}

// setup checks the data against the network and allocates the buffers of a
// step. It is shared by NewTrainer and Resume.
func (t *Trainer) setup(trainSet, testSet *Dataset) error {
	if err := t.Config.validate(trainSet.N); err != nil {
		return err
	}
	in := t.Spec.Input
	for _, ds := range []*Dataset{trainSet, testSet} {
		if ds != nil && (ds.Rows != in.H || ds.Cols != in.W || in.C != 1) {
			return fmt.Errorf("train: images are %dx%d, the network takes %s", ds.Rows, ds.Cols, in)
		}
	}
	// A network that does not read digits could not be used once trained.
	m, err := model.FromNetwork(t.Net, "train")
	if err != nil {
		return err
	}
	t.model = m
	if t.Synth.Negatives > 0 || t.Synth.Digits > 0 {
		// The synthetic samples are a function of the seed and the
		// counts, so a resumed run draws the same ones.
		extra, err := Synthesize(t.Synth, t.Seed, t.Workers)
		if err != nil {
			return err
		}
		if trainSet, err = Concat(trainSet, extra); err != nil {
			return err
		}
	}
	t.trainSet, t.testSet = trainSet, testSet
	t.plan = engine.NewPlan(t.Net, t.Batch, engine.PlanOptions{Workers: t.Workers, Training: true})
	t.adamUpdate = t.updateParams
	t.load = t.loadSamples
	t.order = make([]int, trainSet.N)
	t.x = make([]float32, t.Batch*in.Size())
	t.labels = make([]uint8, t.Batch)
	t.idx = make([]int, t.Batch)
	a, on := DefaultAugment, t.Augment
	if t.Synth.Strokes {
		a, on = StrokeAugment, true
	}
	if on {
		a.Elastic = t.Elastic
		t.augs = make([]*augmenter, t.Workers)
		for w := range t.augs {
			t.augs[w] = newAugmenter(a, in.Size())
		}
	}
	t.reshuffle()
	return nil
}

// Close releases the trainer's worker goroutines.
func (t *Trainer) Close() {
	t.plan.Close()
	if t.eval != nil {
		t.eval.Close()
	}
}

// Evaluate measures the network as it is now on ds (Evaluate), through a
// classifier of the trainer's workers made at the first call.
func (t *Trainer) Evaluate(ds *Dataset) (Metrics, error) {
	if t.eval == nil {
		c, err := t.model.NewClassifier(model.Options{Batch: evalBatch, Workers: t.Workers})
		if err != nil {
			return Metrics{}, err
		}
		t.eval = c
	}
	return Evaluate(t.eval, ds), nil
}

// reshuffle sets order to the permutation of the current epoch, a function of
// (seed, epoch) alone so that a resumed run sees the same order.
func (t *Trainer) reshuffle() {
	for i := range t.order {
		t.order[i] = i
	}
	t.shuffle.Seed(t.Seed, uint64(t.epoch)+0x5eed)
	for i := len(t.order) - 1; i > 0; i-- {
		j := int(t.shuffle.Uint64() % uint64(i+1)) // modulo bias below 2^-47: irrelevant here
		t.order[i], t.order[j] = t.order[j], t.order[i]
	}
}

// LearningRate returns the schedule's rate for the next step.
func (t *Trainer) LearningRate() float64 { return t.Schedule.At(t.Iter) }

// Step runs one optimiser step on the next batch and returns the batch's
// mean loss and how many of its samples were classified correctly (before
// the update). It allocates nothing except when an epoch ends.
func (t *Trainer) Step() (loss float64, correct int) {
	for k := range t.idx {
		if t.pos == len(t.order) {
			t.epoch++
			t.pos = 0
			t.reshuffle()
		}
		t.idx[k] = t.order[t.pos]
		t.pos++
	}
	t.plan.ForwardTrainLoad(t.x, t.Batch, splitmix(t.Seed^uint64(t.Iter)*0x9e3779b97f4a7c15), t.load)
	loss, correct = t.plan.Loss(t.labels)
	// Adam takes the gradient's slice now and reads each piece of it once
	// BackwardUpdate has summed the piece.
	t.Adam.Prepare(t.Net.Params, t.plan.Grad(), t.LearningRate())
	t.plan.BackwardUpdate(t.adamUpdate)
	t.Net.ParamsChanged()
	t.Iter++
	return loss, correct
}

// loadSamples gathers samples [lo, hi) of the batch and distorts them if
// asked, on worker w, in the forward pass (Plan.ForwardTrainLoad): the
// workers share the batch. Each sample's distortion
// is a function of (seed, iteration, sample) alone, so the batch does not
// depend on the worker count.
func (t *Trainer) loadSamples(w, lo, hi int) {
	size := t.Spec.Input.Size()
	t.trainSet.Batch(t.x[lo*size:hi*size], t.labels[lo:hi], t.idx[lo:hi])
	if t.augs == nil {
		return
	}
	for k := lo; k < hi; k++ {
		key := splitmix(t.Seed ^ 0xa065 ^ uint64(t.Iter)<<20 ^ uint64(k))
		t.augs[w].apply(t.x[k*size:(k+1)*size], t.Spec.Input.H, t.Spec.Input.W, key)
	}
}

// updateParams applies the prepared optimiser update to the parameters
// [lo, hi): the plan's workers share it.
func (t *Trainer) updateParams(lo, hi int) { t.Adam.Update(lo, hi) }

func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

// Hooks let a caller watch a run. Any may be nil.
type Hooks struct {
	// Step is called after every step with the batch's mean loss, the
	// learning rate it was taken with and how many of the batch's samples
	// were classified correctly (before the update). It runs on the
	// training goroutine: to keep the step free of allocations it must
	// allocate nothing itself, most of the time.
	Step func(iter int, loss, lr float64, correct int)
	// Eval is called after every evaluation on the test set.
	Eval func(iter int, m Metrics)
	// Checkpoint is called after a checkpoint was written.
	Checkpoint func(iter int, path string)
}

// Result summarises a run.
type Result struct {
	Iterations  int
	Final       Metrics // on the test set, after the last step
	MaxAccuracy float64 // the best periodic evaluation, final included
	MaxAt       int
	TrainTime   time.Duration // time in steps, without evaluations
	EvalTime    time.Duration
	Interrupted bool // ctx was cancelled before the last step
}

// RunOptions say where a run writes: its checkpoints, and the model when
// it is done. Checkpoints save them (the model's path relative to the
// checkpoint's folder), and Resume returns them, so that a resumed run
// writes the same files as the run it continues.
type RunOptions struct {
	// CheckpointPath is where checkpoints go; with it set, one is also
	// written when ctx is cancelled.
	CheckpointPath string
	// CheckpointEvery and CheckpointInterval make periodic checkpoints:
	// one every so many steps, or after a step that ends at least so long
	// after the last checkpoint (0: not). With either, a run from scratch
	// writes one before its first step too, so that it can be resumed
	// whenever it is killed.
	CheckpointEvery    int
	CheckpointInterval time.Duration
	// ModelPath, if set, is where Run writes the model when the last step
	// is done (engine.Network.SaveFile).
	ModelPath string
}

func (o RunOptions) periodic() bool { return o.CheckpointEvery > 0 || o.CheckpointInterval > 0 }

// ErrDiverged is wrapped by Run's error when the loss or the parameters
// stop being finite numbers (a learning rate far too high): the run stops
// there and writes nothing, so the last checkpoint is the last good state.
var ErrDiverged = errors.New("train: training diverged")

// finite reports whether every parameter is a finite number.
func (t *Trainer) finite() bool {
	for _, v := range t.Net.Params {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return false
		}
	}
	return true
}

// Run trains until Iterations steps are done or ctx is cancelled. On
// cancellation it writes a checkpoint (if a path is set) and returns with
// Interrupted set; the final evaluation is skipped then. When the loss or
// the parameters stop being finite it stops with an error wrapping
// ErrDiverged, without writing a checkpoint or the model.
func (t *Trainer) Run(ctx context.Context, opts RunOptions, hooks Hooks) (Result, error) {
	var res Result
	eval := func() (Metrics, error) {
		start := time.Now()
		m, err := t.Evaluate(t.testSet)
		if err != nil {
			return m, err
		}
		res.EvalTime += time.Since(start)
		if m.Accuracy > t.MaxAccuracy || t.MaxAt == 0 {
			t.MaxAccuracy, t.MaxAt = m.Accuracy, t.Iter
		}
		if hooks.Eval != nil {
			hooks.Eval(t.Iter, m)
		}
		return m, nil
	}
	lastGood := -1 // the iteration of the last checkpoint written
	lastTime := time.Now()
	diverged := func(what string) error {
		err := fmt.Errorf("%w: %s at iteration %d (learning rate %g)", ErrDiverged, what, t.Iter, t.Schedule.At(t.Iter-1))
		switch {
		case lastGood >= 0:
			err = fmt.Errorf("%w; the last good checkpoint, iteration %d, is %s", err, lastGood, opts.CheckpointPath)
		case opts.CheckpointPath != "":
			err = fmt.Errorf("%w; %s was not written", err, opts.CheckpointPath)
		}
		return err
	}
	checkpoint := func() error {
		if opts.CheckpointPath == "" {
			return nil
		}
		if !t.finite() {
			return diverged("a parameter is not a finite number")
		}
		if err := t.SaveCheckpoint(opts); err != nil {
			return err
		}
		lastGood, lastTime = t.Iter, time.Now()
		if hooks.Checkpoint != nil {
			hooks.Checkpoint(t.Iter, opts.CheckpointPath)
		}
		return nil
	}
	if t.Iter == 0 && opts.periodic() && t.Iter < t.Iterations {
		if err := checkpoint(); err != nil {
			return res, err
		}
	}
	for t.Iter < t.Iterations {
		if ctx.Err() != nil {
			res.Interrupted = true
			break
		}
		lr := t.LearningRate()
		start := time.Now()
		loss, correct := t.Step()
		res.TrainTime += time.Since(start)
		if math.IsNaN(loss) || math.IsInf(loss, 0) {
			res.Iterations = t.Iter
			return res, diverged(fmt.Sprintf("the loss is %v", loss))
		}
		if hooks.Step != nil {
			hooks.Step(t.Iter, loss, lr, correct)
		}
		if t.EvalEvery > 0 && t.Iter%t.EvalEvery == 0 && t.Iter < t.Iterations && t.testSet != nil {
			if _, err := eval(); err != nil {
				return res, err
			}
		}
		if t.Iter < t.Iterations && (opts.CheckpointEvery > 0 && t.Iter%opts.CheckpointEvery == 0 ||
			opts.CheckpointInterval > 0 && time.Since(lastTime) >= opts.CheckpointInterval) {
			if err := checkpoint(); err != nil {
				return res, err
			}
		}
	}
	res.Iterations = t.Iter
	if res.Interrupted {
		return res, checkpoint()
	}
	if !t.finite() {
		return res, diverged("a parameter is not a finite number")
	}
	if !t.priorDone {
		t.AdjustPrior()
		t.priorDone = true
	}
	if t.testSet != nil {
		var err error
		if res.Final, err = eval(); err != nil {
			return res, err
		}
	}
	res.MaxAccuracy, res.MaxAt = t.MaxAccuracy, t.MaxAt
	if opts.ModelPath != "" {
		if err := t.Net.SaveFile(opts.ModelPath); err != nil {
			return res, err
		}
	}
	return res, nil
}

// modelPathFrom returns the model path to store in a checkpoint at ckpt:
// relative to the checkpoint's folder, so that the pair moves together.
func modelPathFrom(ckpt, model string) string {
	if model == "" {
		return ""
	}
	if rel, err := filepath.Rel(filepath.Dir(ckpt), model); err == nil && !filepath.IsAbs(model) {
		return filepath.ToSlash(rel)
	}
	if abs, err := filepath.Abs(model); err == nil {
		return abs
	}
	return model
}

// modelPathAt turns a model path stored in the checkpoint at ckpt back
// into a path.
func modelPathAt(ckpt, stored string) string {
	if stored == "" || filepath.IsAbs(stored) {
		return stored
	}
	return filepath.Join(filepath.Dir(ckpt), filepath.FromSlash(stored))
}

// evalBatch is the batch size of evaluation: large enough to keep every
// worker busy, small enough to stay in cache.
const evalBatch = 250

// evalChunk is the number of images Evaluate classifies per call.
const evalChunk = 1000

// Evaluate classifies a whole dataset of 28x28 images with c and returns
// the accuracy, the mean softmax cross-entropy and the confusion matrix
// (classes × classes: a model with the NotDigit class has a column for it).
// It panics if the images are not 28x28 or a label is not one of c's
// classes.
func Evaluate(c *model.Classifier, ds *Dataset) Metrics {
	if ds.Rows != model.Side || ds.Cols != model.Side {
		panic("train: Evaluate needs 28x28 images")
	}
	k := c.Classes()
	m := Metrics{N: ds.N, Confusion: make([][]int, k), Predictions: make([]uint8, ds.N)}
	for i := range m.Confusion {
		m.Confusion[i] = make([]int, k)
	}
	if ds.N == 0 {
		return m
	}
	correct := 0
	for start := 0; start < ds.N; start += evalChunk {
		n := min(evalChunk, ds.N-start)
		for i, r := range c.Classify(ds.Images[start*model.Size : (start+n)*model.Size]) {
			label := int(ds.Labels[start+i])
			if label >= k {
				panic("train: a label is not one of the classifier's classes")
			}
			m.Confusion[label][r.Class]++
			m.Predictions[start+i] = uint8(r.Class)
			if r.Class == label {
				correct++
			}
			m.Loss += c.Loss(i, label)
		}
	}
	m.Accuracy = float64(correct) / float64(ds.N)
	m.Loss /= float64(ds.N)
	return m
}
