package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/edgeconv/edgeconv/dashboard"
	"github.com/edgeconv/edgeconv/engine"
	"github.com/edgeconv/edgeconv/train"
)

func init() {
	commands = append(commands, &Command{
		Name:      "train",
		UsageLine: "edgeconv train [--preset seed99 | --spec SPEC] [flags]",
		Short:     "train a convnet on MNIST",
		Long: `
Train trains a network on the MNIST training set with Adam and the codelab's
learning-rate schedule (min + max·exp(-i/decay)), evaluating on the test set
every --eval-every iterations, and writes the model to --out.

The network is a preset (` + strings.Join(train.PresetNames(), ", ") + `) or a spec such as

	conv 6x6 6 s1 relu; conv 5x5 12 s2 relu; conv 4x4 24 s2 relu;
	dense 200 relu keep=0.75; dense 10

(--spec @FILE reads it from a file; see docs/DESIGN.md for the syntax).

Preset seed99r is seed99 with batch norm before every ReLU (folded away
when quantised) and an 11th class, "not a digit": it mixes 12,000 rendered
negatives (handwritten and printed letters and symbols, stroke fragments,
paper edges, grid lines, fingers, smudges) and 6,000 digits in styles MNIST
lacks (from handwriting and stroke fonts, crossed 7s, open 4s, 1s with a
flag and a base) into MNIST, and distorts strokes toward a broad marker and
a hairline pen. --negatives, --style-digits and --strokes set these for any
network; negatives need one whose last layer has 11 outputs.

A run is reproducible: the same --seed and --workers write a byte-identical
model. It writes a checkpoint (--checkpoint, by default next to --out) when
it starts and every --checkpoint-every (a time such as 1m, or a number of
iterations), and when Ctrl-C or SIGTERM stops it. --resume FILE continues
from a checkpoint exactly: with the saved settings (workers included), to
the saved --out, so that the model is byte-identical to one of a run never
stopped; a killed run or a power cut loses at most one checkpoint interval.
Flags that would change the result (--seed, --workers, --batch, --lr-*,
--augment, the synthetic data, the network) cannot be given with --resume
unless they agree with the checkpoint; --out, --checkpoint,
--checkpoint-every, --eval-every and --iterations may.

If the loss stops being a number (a learning rate far too high), training
stops with an error and the last checkpoint stays as it was.

--listen ADDR serves a live dashboard while the run trains, the window of
the codelab: accuracy and cross-entropy curves of the training batches and
the test set, each layer's weights and biases over time (percentile bands),
the learning rate, images per second, and a grid of test digits with the
misrecognised ones in red beside their label and the guess. A bare port
(--listen 8080) listens on 127.0.0.1; the page works offline (its chart
library is in the binary). The history is kept beside the checkpoint
(.history.json), so a resumed run continues the curves. --report DIR
writes the same pictures as PNG, and the history as JSON and CSV, when the
run ends or is stopped; 'edgeconv report' draws runs side by side.

The MNIST files are read from --data; 'make data' fetches them.
`,
		SetFlags: func(fs *flag.FlagSet) func(context.Context, Env, []string) error {
			o := &trainOptions{}
			fs.StringVar(&o.preset, "preset", train.DefaultPreset, "the recipe to train: "+strings.Join(train.PresetNames(), ", "))
			fs.StringVar(&o.spec, "spec", "", "a network spec (or @FILE) instead of the preset's network")
			fs.IntVar(&o.iterations, "iterations", 0, "training steps (default: the preset's, 10000)")
			fs.IntVar(&o.batch, "batch", 0, "images per step (default: the preset's, 100)")
			fs.Uint64Var(&o.seed, "seed", 1, "seed of the initial weights, data order and dropout")
			fs.IntVar(&o.workers, "workers", min(runtime.NumCPU(), maxWorkers), "goroutines sharing each batch (at most 256)")
			fs.StringVar(&o.out, "out", "", "model file to write (default models/PRESET.safetensors)")
			fs.IntVar(&o.evalEvery, "eval-every", 100, "evaluate on the test set every N iterations (0: only at the end)")
			o.checkpointEvery = checkpointInterval{every: time.Minute}
			fs.Var(&o.checkpointEvery, "checkpoint-every", "write a checkpoint this often: a time (30s, 5m) or a number of iterations (0: only when stopped)")
			fs.StringVar(&o.checkpoint, "checkpoint", "", "checkpoint file (default: --out with .ckpt before the extension)")
			fs.StringVar(&o.resume, "resume", "", "continue the run saved in this checkpoint")
			fs.StringVar(&o.data, "data", train.MNISTDir, "directory with the MNIST .gz files")
			fs.Float64Var(&o.lrMax, "lr-max", 0, "override the schedule's max learning rate, in (0, 1]")
			fs.Float64Var(&o.lrMin, "lr-min", 0, "override the schedule's min learning rate, in [0, 1]")
			fs.Float64Var(&o.lrDecay, "lr-decay", 0, "override the schedule's decay (iterations, positive)")
			fs.BoolVar(&o.augment, "augment", false, "distort training images (shift, rotation, scale, stroke width, blur) to prepare for camera input (default: the preset's, on for record only)")
			fs.Float64Var(&o.elastic, "elastic", 0, "with augmentation, also an elastic distortion moving points by up to this many pixels, 0 to 6 (default: the preset's, 2 for record)")
			fs.IntVar(&o.negatives, "negatives", 0, "synthetic not-a-digit images to mix in; needs an 11-class network (default: the preset's, 12000 for seed99r)")
			fs.IntVar(&o.styleDigits, "style-digits", 0, "synthetic digits in styles MNIST lacks to mix in (default: the preset's, 6000 for seed99r)")
			fs.BoolVar(&o.strokes, "strokes", false, "also distort toward marker and hairline strokes (seed99r does)")
			fs.Float64Var(&o.prior, "prior", 0, "share of non-digits among the candidates the model will meet: the not-a-digit bias is moved to it from the training share when the run ends (0: left as trained; default: the preset's)")
			fs.StringVar(&o.listen, "listen", "", "serve the live dashboard at this address (a bare port: on 127.0.0.1)")
			fs.StringVar(&o.allowHost, "allow-host", "", "comma-separated host names the dashboard may be reached by, besides its address (\"*\": any)")
			fs.StringVar(&o.report, "report", "", "write the curves, distributions and test digits (PNG) and the history (JSON, CSV) into this folder when the run ends or is stopped")
			fs.BoolVar(&o.json, "json", false, "print the result as one JSON object")
			fs.BoolVar(&o.quiet, "quiet", false, "no progress bar")
			o.prof.register(fs)
			o.fs = fs
			return o.run
		},
	})
}

// maxWorkers bounds --workers: more goroutines than this only cost memory
// (each has its own scratch and gradient).
const maxWorkers = 256

type trainOptions struct {
	preset, spec, out, checkpoint, resume, data string
	listen, allowHost, report                   string
	iterations, batch, workers                  int
	evalEvery                                   int
	checkpointEvery                             checkpointInterval
	seed                                        uint64
	lrMax, lrMin, lrDecay, prior, elastic       float64
	json, quiet, augment, strokes               bool
	negatives, styleDigits                      int
	prof                                        profileFlags
	fs                                          *flag.FlagSet // to tell the flags given from defaults
}

// set reports whether the flag was given on the command line.
func (o *trainOptions) set(name string) bool {
	given := false
	o.fs.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	return given
}

// checkpointInterval is --checkpoint-every: a number of iterations or a
// time; zero means no periodic checkpoints.
type checkpointInterval struct {
	steps int
	every time.Duration
}

func (c *checkpointInterval) String() string {
	if c.steps > 0 {
		return strconv.Itoa(c.steps)
	}
	if c.every > 0 {
		return c.every.String()
	}
	return "0"
}

func (c *checkpointInterval) Set(s string) error {
	if n, err := strconv.Atoi(s); err == nil {
		if n < 0 {
			return errors.New("must not be negative")
		}
		*c = checkpointInterval{steps: n}
		return nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return errors.New("want a number of iterations or a time such as 30s or 5m")
	}
	*c = checkpointInterval{every: d}
	return nil
}

// trainReport is the --json output of train.
type trainReport struct {
	Model        string      `json:"model"`
	Arch         string      `json:"arch"`
	Iterations   int         `json:"iterations"`
	Seed         uint64      `json:"seed"`
	Workers      int         `json:"workers"`
	Accuracy     float64     `json:"accuracy"`
	Loss         float64     `json:"loss"`
	MaxAccuracy  float64     `json:"max_accuracy"`
	MaxAt        int         `json:"max_at"`
	TrainSeconds float64     `json:"train_seconds"`
	EvalSeconds  float64     `json:"eval_seconds"`
	ImagesPerSec float64     `json:"images_per_second"`
	Interrupted  bool        `json:"interrupted"`
	Checkpoint   string      `json:"checkpoint,omitempty"`
	Evaluations  []evalPoint `json:"evaluations"`
}

type evalPoint struct {
	Iteration int     `json:"iteration"`
	Accuracy  float64 `json:"accuracy"`
	Loss      float64 `json:"loss"`
}

func (o *trainOptions) run(ctx context.Context, env Env, args []string) (err error) {
	if len(args) > 0 {
		return usagef("unexpected arguments %q", args)
	}
	if err := o.validate(); err != nil {
		return err
	}
	stopProfile, err := o.prof.start()
	if err != nil {
		return err
	}
	defer stopProfile()

	trainSet, testSet, err := loadTrainTest(o.data)
	if err != nil {
		return err
	}
	return o.train(ctx, env, trainSet, testSet)
}

// validate checks the range of every flag given; a flag left out takes
// the preset's value (or the checkpoint's with --resume).
func (o *trainOptions) validate() error {
	finite := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
	checks := []struct {
		flag string
		ok   bool
		want string
	}{
		{"workers", o.workers >= 1 && o.workers <= maxWorkers, fmt.Sprintf("between 1 and %d", maxWorkers)},
		{"iterations", o.iterations >= 1, "at least 1"},
		{"batch", o.batch >= 1, "at least 1"},
		{"eval-every", o.evalEvery >= 0, "0 or more"},
		{"lr-max", o.lrMax > 0 && o.lrMax <= 1, "in (0, 1]"},
		{"lr-min", o.lrMin >= 0 && o.lrMin <= 1, "in [0, 1]"},
		{"lr-decay", o.lrDecay > 0 && finite(o.lrDecay), "a positive number of iterations"},
		{"negatives", o.negatives >= 0, "0 or more"},
		{"style-digits", o.styleDigits >= 0, "0 or more"},
		{"prior", o.prior >= 0 && o.prior < 1, "in [0, 1)"},
		{"elastic", o.elastic >= 0 && o.elastic <= train.MaxElastic, fmt.Sprintf("between 0 and %d pixels", train.MaxElastic)},
	}
	for _, c := range checks {
		if o.set(c.flag) && !c.ok {
			return usagef("--%s must be %s", c.flag, c.want)
		}
	}
	return nil
}

// resultFlags are the flags that decide the model a run writes: given with
// --resume they must agree with the checkpoint, or the resumed run would
// not give the model of the run it continues.
var resultFlags = []string{"preset", "spec", "seed", "workers", "batch", "lr-max", "lr-min", "lr-decay",
	"augment", "elastic", "negatives", "style-digits", "strokes", "prior"}

// checkResume refuses the flags that would make the resumed run tr differ
// from the run it continues.
func (o *trainOptions) checkResume(tr *train.Trainer) error {
	var given []string
	for _, f := range resultFlags {
		if o.set(f) {
			given = append(given, f)
		}
	}
	if len(given) == 0 {
		return nil
	}
	cfg, _, err := o.config()
	if err != nil {
		return err
	}
	saved := tr.Config
	for _, f := range given {
		var same bool
		switch f {
		case "preset", "spec":
			same = cfg.Spec.String() == saved.Spec.String()
		case "seed":
			same = cfg.Seed == saved.Seed
		case "workers":
			same = cfg.Workers == saved.Workers
		case "batch":
			same = cfg.Batch == saved.Batch
		case "lr-max", "lr-min", "lr-decay":
			same = cfg.Schedule == saved.Schedule
		case "augment":
			same = cfg.Augment == saved.Augment
		case "elastic":
			same = cfg.Elastic == saved.Elastic
		case "negatives", "style-digits", "strokes", "prior":
			same = cfg.Synth == saved.Synth
		}
		if !same {
			return usagef("--%s differs from the checkpoint's run (%s): the resumed run would not give that run's model; leave it out to resume as saved", f, describeRun(saved))
		}
	}
	return nil
}

// describeRun names a run's settings for messages.
func describeRun(c train.Config) string {
	return fmt.Sprintf("%s; seed %d, %d workers, batch %d, lr %g + %g·exp(-i/%g), augment %v, elastic %g px, negatives %d, style digits %d, strokes %v, prior %g",
		c.Spec, c.Seed, c.Workers, c.Batch, c.Schedule.Min, c.Schedule.Max, c.Schedule.Decay, c.Augment, c.Elastic,
		c.Synth.Negatives, c.Synth.Digits, c.Synth.Strokes, c.Synth.Prior)
}

func (o *trainOptions) train(ctx context.Context, env Env, trainSet, testSet *train.Dataset) error {
	var tr *train.Trainer
	var name string
	var runOpts train.RunOptions
	if o.resume != "" {
		var err error
		iterations := 0
		if o.set("iterations") {
			iterations = o.iterations
		}
		// The checkpoint's workers, not --workers' default: the count
		// decides the float rounding, hence the model.
		if tr, runOpts, err = train.Resume(o.resume, trainSet, testSet, 0, iterations); err != nil {
			return err
		}
		defer tr.Close()
		if err := o.checkResume(tr); err != nil {
			return err
		}
		if iterations > 0 && iterations < tr.Iter {
			return usagef("--iterations %d: the checkpoint is at iteration %d already", iterations, tr.Iter)
		}
		name = strings.TrimSuffix(strings.TrimSuffix(filepath.Base(o.resume), ".safetensors"), ".ckpt")
		if o.set("eval-every") {
			tr.EvalEvery = o.evalEvery
		}
	} else {
		cfg, n, err := o.config()
		if err != nil {
			return err
		}
		name = n
		if tr, err = train.NewTrainer(cfg, trainSet, testSet); err != nil {
			return err
		}
		defer tr.Close()
		runOpts.CheckpointEvery, runOpts.CheckpointInterval = o.checkpointEvery.steps, o.checkpointEvery.every
	}
	// Given flags win; without them a resumed run writes where the run it
	// continues would have.
	if o.set("checkpoint-every") {
		runOpts.CheckpointEvery, runOpts.CheckpointInterval = o.checkpointEvery.steps, o.checkpointEvery.every
	}
	if o.out != "" {
		runOpts.ModelPath = o.out
	}
	if runOpts.ModelPath == "" {
		runOpts.ModelPath = filepath.Join("models", name+".safetensors")
	}
	if o.checkpoint != "" {
		runOpts.CheckpointPath = o.checkpoint
	}
	if runOpts.CheckpointPath == "" {
		runOpts.CheckpointPath = strings.TrimSuffix(runOpts.ModelPath, ".safetensors") + ".ckpt.safetensors"
	}
	o.out, o.checkpoint = runOpts.ModelPath, runOpts.CheckpointPath
	for _, f := range []string{o.out, o.checkpoint} {
		if err := os.MkdirAll(filepath.Dir(f), 0o755); err != nil {
			return err
		}
	}

	report := trainReport{Model: o.out, Arch: tr.Spec.String(), Seed: tr.Seed, Workers: tr.Workers, Evaluations: []evalPoint{}}
	log := env.Stdout
	if o.json {
		log = io.Discard
	}
	augmented := ""
	if tr.Augment || tr.Synth.Strokes {
		augmented = ", augmented"
	}
	if tr.Synth.Strokes {
		augmented += " (marker and hairline strokes too)"
	}
	if tr.Elastic > 0 {
		augmented += fmt.Sprintf(" with an elastic distortion of ±%g px", tr.Elastic)
	}
	if n := tr.Synth.Negatives; n > 0 {
		augmented += fmt.Sprintf(", %d not-a-digit images", n)
	}
	if n := tr.Synth.Digits; n > 0 {
		augmented += fmt.Sprintf(", %d style digits", n)
	}
	fmt.Fprintf(log, "training %s\n  %s\n  %d iterations of %d%s, seed %d, %d workers, lr %g + %g·exp(-i/%g)\n",
		name, tr.Spec, tr.Iterations, tr.Batch, augmented, tr.Seed, tr.Workers, tr.Schedule.Min, tr.Schedule.Max, tr.Schedule.Decay)
	if o.resume != "" {
		fmt.Fprintf(log, "  resumed at iteration %d from %s; the model goes to %s\n", tr.Iter, o.resume, o.out)
	}
	rec, err := o.recorder(env, name, tr, testSet)
	if err != nil {
		return err
	}
	if o.listen != "" {
		stop, err := o.serveDashboard(env, rec, testSet)
		if err != nil {
			return err
		}
		defer stop()
	}
	bar := newProgress(env.Stderr, tr.Iter, tr.Iterations, tr.Batch, o.quiet)
	hinted := o.resume != "" // the user has the command already
	hooks := train.Hooks{
		Step: func(iter int, loss, lr float64, correct int) {
			rec.Step(iter, loss, lr, correct)
			bar.step(iter, loss, lr, correct)
		},
		Eval: func(iter int, m train.Metrics) {
			rec.Eval(iter, m)
			report.Evaluations = append(report.Evaluations, evalPoint{iter, m.Accuracy, m.Loss})
			bar.clear()
			fmt.Fprintf(log, "iteration %5d  test accuracy %6.2f%%  loss %.4f\n", iter, 100*m.Accuracy, m.Loss)
		},
		Checkpoint: func(iter int, path string) {
			bar.clear()
			if err := rec.Checkpoint(iter, path); err != nil {
				fmt.Fprintf(env.Stderr, "edgeconv: the history was not kept beside the checkpoint: %v\n", err)
			}
			if !hinted {
				// Printed once the file exists, so that the command
				// works whenever the run is killed from now on.
				hinted = true
				fmt.Fprintf(env.Stderr, "checkpoint at iteration %d: %s (if the run stops, continue it with: %s)\n", iter, path, o.resumeCommand(path))
				return
			}
			fmt.Fprintf(env.Stderr, "checkpoint at iteration %d: %s\n", iter, path)
		},
	}
	rec.Start(tr.Iter)
	res, err := tr.Run(ctx, runOpts, hooks)
	bar.finish()
	switch {
	case err != nil:
		rec.Finish(err.Error())
	case res.Interrupted:
		rec.Finish("interrupted")
	default:
		rec.Finish("finished")
	}
	if o.report != "" {
		if rerr := dashboard.WriteReport(o.report, rec.History(), rec.Grid(), testSet); rerr != nil {
			return errors.Join(err, fmt.Errorf("--report: %w", rerr))
		}
		fmt.Fprintf(env.Stderr, "report written to %s\n", o.report)
	}
	if err != nil {
		return err
	}
	report.Iterations = res.Iterations
	report.TrainSeconds = res.TrainTime.Seconds()
	report.EvalSeconds = res.EvalTime.Seconds()
	if res.TrainTime > 0 {
		report.ImagesPerSec = float64(bar.images) / res.TrainTime.Seconds()
	}
	if res.Interrupted {
		report.Interrupted, report.Checkpoint = true, o.checkpoint
		if o.json {
			writeJSON(env.Stdout, report)
		}
		return exitError{130, fmt.Errorf("interrupted at iteration %d; checkpoint written to %s; continue with: edgeconv train --resume %s", res.Iterations, o.checkpoint, o.checkpoint)}
	}
	report.Accuracy, report.Loss = res.Final.Accuracy, res.Final.Loss
	report.MaxAccuracy, report.MaxAt = res.MaxAccuracy, res.MaxAt
	if o.json {
		return writeJSON(env.Stdout, report)
	}
	fmt.Fprintf(env.Stdout, "final test accuracy %.2f%% (loss %.4f); best %.2f%% at iteration %d\n",
		100*res.Final.Accuracy, res.Final.Loss, 100*res.MaxAccuracy, res.MaxAt)
	fmt.Fprintf(env.Stdout, "training %.1fs (%.0f images/s), evaluation %.1fs; model written to %s\n",
		res.TrainTime.Seconds(), report.ImagesPerSec, res.EvalTime.Seconds(), o.out)
	return nil
}

// recorder records the run's history: a resumed run continues the one
// kept beside its checkpoint.
func (o *trainOptions) recorder(env Env, name string, tr *train.Trainer, testSet *train.Dataset) (*dashboard.Recorder, error) {
	hist := &dashboard.History{Name: name, Arch: tr.Spec.String()}
	if o.resume != "" {
		h, err := dashboard.ReadHistory(dashboard.HistoryPath(o.resume))
		switch {
		case err == nil && h.Arch == hist.Arch:
			h.Truncate(tr.Iter)
			hist = h
		case err == nil:
			fmt.Fprintf(env.Stderr, "edgeconv: %s is the history of another network (%s): the curves start again\n", dashboard.HistoryPath(o.resume), h.Arch)
		case errors.Is(err, dashboard.ErrNoHistory):
			fmt.Fprintf(env.Stderr, "edgeconv: no history beside %s: the curves start at iteration %d\n", o.resume, tr.Iter)
		default:
			return nil, err
		}
	}
	hist.Iterations = tr.Iterations
	return dashboard.NewRecorder(hist, tr.Net, testSet, tr.Batch, 0), nil
}

// serveDashboard serves the live dashboard on --listen until stop is
// called.
func (o *trainOptions) serveDashboard(env Env, rec *dashboard.Recorder, testSet *train.Dataset) (stop func(), err error) {
	addr := o.listen
	if _, err := strconv.Atoi(addr); err == nil {
		addr = "127.0.0.1:" + addr
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("--listen: %w", err)
	}
	var allow []string
	for _, h := range strings.Split(o.allowHost, ",") {
		if h = strings.TrimSpace(h); h != "" {
			allow = append(allow, h)
		}
	}
	srv := &dashboard.Server{Rec: rec, Test: testSet, AllowHosts: allow}
	// The server outlives Ctrl-C until the run has stopped, so that the
	// page shows how it ended.
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(ctx, l); err != nil {
			fmt.Fprintf(env.Stderr, "edgeconv: dashboard: %v\n", err)
		}
	}()
	fmt.Fprintf(env.Stderr, "dashboard on http://%s/\n", l.Addr())
	return func() { srv.Linger(); cancel(); <-done }, nil
}

// config builds the run's configuration from the preset and the flags that
// override it, and returns the name the model file is called by.
func (o *trainOptions) config() (train.Config, string, error) {
	preset, spec, err := train.LookupPreset(o.preset)
	if err != nil {
		return train.Config{}, "", usagef("%v", err)
	}
	name := preset.Name
	if o.spec != "" {
		text := o.spec
		if strings.HasPrefix(text, "@") {
			b, err := os.ReadFile(text[1:])
			if err != nil {
				return train.Config{}, "", err
			}
			text = string(b)
		}
		if spec, err = engine.ParseSpec(text); err != nil {
			return train.Config{}, "", usagef("--spec: %v", err)
		}
		name = "custom"
	}
	cfg := train.Config{Spec: spec, Schedule: preset.Schedule, Iterations: preset.Iterations, Batch: preset.Batch,
		Seed: o.seed, Workers: o.workers, EvalEvery: o.evalEvery, Augment: preset.Augment, Elastic: preset.Elastic, Synth: preset.Synth}
	if o.set("augment") {
		cfg.Augment = o.augment
	}
	// validate has checked the range of each flag given.
	override(o, "negatives", &cfg.Synth.Negatives, o.negatives)
	override(o, "style-digits", &cfg.Synth.Digits, o.styleDigits)
	override(o, "strokes", &cfg.Synth.Strokes, o.strokes)
	override(o, "prior", &cfg.Synth.Prior, o.prior)
	override(o, "elastic", &cfg.Elastic, o.elastic)
	override(o, "iterations", &cfg.Iterations, o.iterations)
	override(o, "batch", &cfg.Batch, o.batch)
	override(o, "lr-max", &cfg.Schedule.Max, o.lrMax)
	override(o, "lr-min", &cfg.Schedule.Min, o.lrMin)
	override(o, "lr-decay", &cfg.Schedule.Decay, o.lrDecay)
	return cfg, name, nil
}

// override sets *preset to v, the value of the flag name, if the flag was
// given.
func override[T any](o *trainOptions, name string, preset *T, v T) {
	if o.set(name) {
		*preset = v
	}
}

func writeJSON(w io.Writer, v any) error {
	enc := jsonEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// jsonEncoder returns an encoder that leaves <, > and & alone: the output is
// for people and programs, not for HTML.
func jsonEncoder(w io.Writer) *json.Encoder {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc
}

// progress shows a run's progress on a terminal: iteration, loss, learning
// rate, images per second and the time left. Off a terminal it prints a
// plain line every 10% instead, so that logs stay readable.
type progress struct {
	bar        *progressbar.ProgressBar
	w          io.Writer
	total      int
	batch      int
	start      time.Time
	first      int
	images     int
	smoothLoss float64
}

func newProgress(w io.Writer, first, total, batch int, quiet bool) *progress {
	p := &progress{w: w, total: total, batch: batch, start: time.Now(), first: first}
	if quiet {
		p.w = io.Discard
		return p
	}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.bar = progressbar.NewOptions(total,
			progressbar.OptionSetWriter(w),
			progressbar.OptionSetWidth(20),
			progressbar.OptionShowCount(),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionThrottle(200*time.Millisecond),
			progressbar.OptionClearOnFinish())
		p.bar.Set(first)
	}
	return p
}

func (p *progress) step(iter int, loss, lr float64, _ int) {
	p.images += p.batch
	if p.smoothLoss == 0 {
		p.smoothLoss = loss
	}
	p.smoothLoss = 0.95*p.smoothLoss + 0.05*loss
	rate := float64(p.images) / time.Since(p.start).Seconds()
	if p.bar != nil {
		p.bar.Describe(fmt.Sprintf("loss %.4f lr %.5f %6.0f img/s", p.smoothLoss, lr, rate))
		p.bar.Set(iter)
		return
	}
	if step := max(1, p.total/10); iter%step == 0 || iter == p.total {
		left := time.Duration(float64(p.total-iter) * float64(p.batch) / rate * float64(time.Second))
		fmt.Fprintf(p.w, "iteration %d/%d  loss %.4f  lr %.5f  %.0f images/s  %v left\n", iter, p.total, p.smoothLoss, lr, rate, left.Round(time.Second))
	}
}

func (p *progress) clear() {
	if p.bar != nil {
		p.bar.Clear()
	}
}

func (p *progress) finish() {
	if p.bar != nil {
		p.bar.Finish()
	}
}

// resumeCommand is the command that continues the run from its checkpoint
// at path: the checkpoint holds everything else, but not where the MNIST
// files were read from.
func (o *trainOptions) resumeCommand(path string) string {
	cmd := "edgeconv train --resume " + shellQuote(path)
	if o.data != train.MNISTDir {
		cmd += " --data " + shellQuote(o.data)
	}
	return cmd
}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./+,:=@") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
