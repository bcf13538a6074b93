package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/edgeconv/edgeconv/bench"
	"github.com/edgeconv/edgeconv/engine"
	"github.com/edgeconv/edgeconv/model"
	"github.com/edgeconv/edgeconv/train"
)

func init() {
	commands = append(commands, &Command{
		Name:      "bench",
		UsageLine: "edgeconv bench [--preset seed99 | --model FILE] [flags]",
		Short:     "measure speed on this machine as a fraction of its peak",
		Long: `
Bench measures, on this machine:

  - the float32 FMA peak of one core and of all cores (the kernel's
    register-only loop, engine/kernel.PeakFMA);
  - inference latency at batch 1 on one core (µs per image);
  - inference throughput at --batch on one core and on all cores;
  - training throughput on all cores: real Adam steps of --batch, on MNIST
    when --data holds it and on random images otherwise;

each in images/s and GFLOP/s and as a fraction of the peak (a multiply-add
counts as two FLOPs; a training image costs three forward passes less the
first layer's input gradient).

The network is the --preset's with random weights, or the model in --model.
The measurements are interleaved over --rounds rounds so that load from other
programs falls on all of them alike, each gets --duration in all after a
warm-up, and every figure is the median of its samples. --json prints one
object: peak_gflops_core, infer_b1_us, infer_b100_img_s_1core,
infer_b100_img_s_all, train_img_s, the fractions (*_frac_peak*) and more.
`,
		SetFlags: func(fs *flag.FlagSet) func(context.Context, Env, []string) error {
			o := &benchOptions{}
			fs.StringVar(&o.preset, "preset", train.DefaultPreset, "the network to measure, with random weights: "+strings.Join(train.PresetNames(), ", "))
			fs.StringVar(&o.model, "model", "", "measure this model file instead of --preset")
			fs.DurationVar(&o.duration, "duration", 2*time.Second, "time per measurement, spread over the rounds")
			fs.IntVar(&o.rounds, "rounds", 5, "interleaved rounds")
			fs.IntVar(&o.workers, "workers", min(runtime.NumCPU(), maxWorkers), "what \"all cores\" means: goroutines sharing a batch")
			fs.IntVar(&o.batch, "batch", 100, "batch of the throughput and training measurements")
			fs.StringVar(&o.data, "data", train.MNISTDir, "MNIST directory for the training measurement (random images if absent)")
			fs.BoolVar(&o.json, "json", false, "print the result as one JSON object")
			o.prof.register(fs)
			return o.run
		},
	})
}

type benchOptions struct {
	preset, model, data    string
	duration               time.Duration
	rounds, workers, batch int
	json                   bool
	prof                   profileFlags
}

// benchReport is the --json output of bench.
type benchReport struct {
	Model     string  `json:"model"` // the file, or "preset NAME"
	Arch      string  `json:"arch"`
	Kind      string  `json:"kind"` // "float32" or "int8"
	GOOS      string  `json:"goos"`
	GOARCH    string  `json:"goarch"`
	Go        string  `json:"go"`
	DurationS float64 `json:"duration_s"` // per measurement
	Rounds    int     `json:"rounds"`
	bench.Result
}

func (o *benchOptions) run(ctx context.Context, env Env, args []string) error {
	if len(args) > 0 {
		return usagef("unexpected arguments %q", args)
	}
	switch {
	case o.duration <= 0:
		return usagef("--duration must be positive")
	case o.rounds < 1 || o.rounds > 1000:
		return usagef("--rounds must be between 1 and 1000")
	case o.workers < 1 || o.workers > maxWorkers:
		return usagef("--workers must be between 1 and %d", maxWorkers)
	case o.batch < 1:
		return usagef("--batch must be at least 1")
	}
	preset, _, err := train.LookupPreset(o.preset)
	if err != nil {
		return usagef("%v", err)
	}
	stopProfile, err := o.prof.start()
	if err != nil {
		return err
	}
	defer stopProfile()

	var m *model.Model
	name := "preset " + preset.Name
	if o.model != "" {
		if m, err = model.Open(o.model); err != nil {
			return err
		}
		name = o.model
	} else {
		net, err := bench.PresetNetwork(preset.Name, 1)
		if err != nil {
			return err
		}
		if m, err = model.FromNetwork(net, name); err != nil {
			return err
		}
	}
	var trainNet *engine.Network // a float32 model is trained too
	if m.Precision() == model.Float32 {
		if trainNet, err = m.FloatNetwork(); err != nil {
			return err
		}
	}
	data, err := train.LoadMNIST(o.data, train.Train)
	if errors.Is(err, train.ErrNoData) {
		data = nil // random images
	} else if err != nil {
		return err
	}
	opts := bench.Options{Duration: o.duration, Rounds: o.rounds, Workers: o.workers,
		Batch: o.batch, Data: data, Train: trainNet, Schedule: preset.Schedule}
	if err := bench.CheckMemory(m, opts); err != nil {
		return err // one line, before the progress line
	}
	fmt.Fprintf(env.Stderr, "measuring %s for about %v...\n", name,
		(time.Duration(6) * o.duration * 11 / 10).Round(time.Second))
	res, err := bench.Run(ctx, m, opts)
	if err != nil {
		return err
	}
	rep := benchReport{Model: name, Arch: m.Spec().String(), Kind: m.Precision().String(), GOOS: runtime.GOOS, GOARCH: runtime.GOARCH,
		Go: runtime.Version(), DurationS: o.duration.Seconds(), Rounds: o.rounds, Result: res}
	if o.json {
		return writeJSON(env.Stdout, rep)
	}
	printBench(env.Stdout, rep)
	return nil
}

// printBench writes the human-readable table.
func printBench(w io.Writer, r benchReport) {
	fmt.Fprintf(w, "%s (%s): %s\n", r.Model, r.Kind, r.Arch)
	fmt.Fprintf(w, "%.3g MFLOP per image forward", float64(r.FLOPsPerImage)/1e6)
	if r.TrainFLOPsPerImage > 0 {
		fmt.Fprintf(w, ", %.3g MFLOP per training image", float64(r.TrainFLOPsPerImage)/1e6)
	}
	fmt.Fprintf(w, "; %s/%s, %d cores; medians of %v per measurement in %d rounds\n\n",
		r.GOOS, r.GOARCH, r.Cores, time.Duration(r.DurationS*float64(time.Second)), r.Rounds)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "%-30s\tmedian\tunit\tGFLOP/s\tof peak\tquartiles\t\n", "measurement")
	gflops := map[int][2]float64{ // Stats index → GFLOP/s, fraction
		2: {r.InferB1GFLOPS, r.InferB1FracPeak},
		3: {r.InferB100GFLOPS1Core, r.InferB100FracPeak1Core},
		4: {r.InferB100GFLOPSAll, r.InferB100FracPeakAll},
		5: {r.TrainGFLOPS, r.TrainFracPeakAll},
	}
	for i, s := range r.Stats {
		g, f := "", ""
		if v, ok := gflops[i]; ok {
			g, f = fmt.Sprintf("%.1f", v[0]), fmt.Sprintf("%.1f%%", 100*v[1])
		}
		fmt.Fprintf(tw, "%-30s\t%s\t%s\t%s\t%s\t%s–%s\t\n", s.Name, num(s.Median), s.Unit, g, f, num(s.Q1), num(s.Q3))
	}
	tw.Flush()
	if r.TrainImgS > 0 {
		fmt.Fprintf(w, "\ntraining: %.2f s per 1,000 iterations of batch %d (%s data)\n", r.TrainSPer1000Iter, r.Batch, r.TrainData)
	}
	if r.Checked > 0 {
		fmt.Fprintf(w, "the timed batch: %d images, %.1f%% classified as labelled, mean confidence %.3f\n",
			r.Checked, 100*r.CheckedAccuracy, r.CheckedConfidence)
	}
	fmt.Fprintln(w, "one-core figures are fractions of one core's peak, the others of all cores' peak")
}

// num formats a measurement with the digits that matter.
func num(v float64) string {
	switch {
	case v >= 1000:
		return fmt.Sprintf("%.0f", v)
	case v >= 10:
		return fmt.Sprintf("%.1f", v)
	}
	return fmt.Sprintf("%.2f", v)
}
