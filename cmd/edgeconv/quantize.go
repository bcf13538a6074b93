package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime"

	"github.com/edgeconv/edgeconv/model"
	"github.com/edgeconv/edgeconv/quant"
	"github.com/edgeconv/edgeconv/train"
)

func init() {
	commands = append(commands, &Command{
		Name:      "quantize",
		UsageLine: "edgeconv quantize --model F32 --out Q8 [flags]",
		Short:     "convert a float32 model to an integer-only int8 model",
		Long: `
Quantize converts a float32 model to int8 in TensorFlow Lite's scheme
(per-channel int8 weights, per-tensor int8 activations calibrated on the first
--calib training images, int32 biases, fixed-point requantisation), writes
it to --out, and compares the two on the MNIST test set: both accuracies,
how many predictions differ, each layer's largest output error (on the first
--compare test images) and both file sizes.

A model with an 11th class, "not a digit", is calibrated on a mix: the
training images and a fifth as many rendered negatives and a tenth as many
style digits (see train --preset seed99r), so that the activations of what
is not a digit are in range too; both arithmetics are then also compared on
2,000 held-out negatives.
`,
		SetFlags: func(fs *flag.FlagSet) func(context.Context, Env, []string) error {
			o := &quantizeOptions{}
			fs.StringVar(&o.model, "model", "", "float32 model file (required)")
			fs.StringVar(&o.out, "out", "", "int8 model file to write (required)")
			fs.IntVar(&o.calib, "calib", 1000, "training images to calibrate activation ranges on")
			fs.StringVar(&o.method, "method", "minmax", "calibration: minmax or percentile")
			fs.Float64Var(&o.percentile, "percentile", 99.99, "percentile kept by --method percentile")
			fs.IntVar(&o.compare, "compare", 1000, "test images for the per-layer error report")
			fs.StringVar(&o.data, "data", train.MNISTDir, "directory with the MNIST .gz files")
			fs.IntVar(&o.workers, "workers", runtime.NumCPU(), "goroutines sharing each batch")
			fs.BoolVar(&o.json, "json", false, "print the result as one JSON object")
			return o.run
		},
	})
}

type quantizeOptions struct {
	model, out, method, data string
	calib, compare, workers  int
	percentile               float64
	json                     bool
}

// quantizeReport is the --json output of quantize.
type quantizeReport struct {
	Model         string       `json:"model"`
	Out           string       `json:"out"`
	Method        string       `json:"method"`
	Calib         int          `json:"calib"`
	N             int          `json:"n"`
	FloatAccuracy float64      `json:"float_accuracy"`
	Int8Accuracy  float64      `json:"int8_accuracy"`
	Disagreements int          `json:"disagreements"`
	FloatBytes    int64        `json:"float_bytes"`
	Int8Bytes     int64        `json:"int8_bytes"`
	Layers        []layerError `json:"layers"`
	// For 11-class models: the synthetic calibration images, and the
	// held-out negatives each arithmetic rejects and where they differ.
	CalibSynthetic        int     `json:"calib_synthetic,omitempty"`
	Negatives             int     `json:"negatives,omitempty"`
	FloatRejected         float64 `json:"float_negatives_rejected,omitempty"`
	Int8Rejected          float64 `json:"int8_negatives_rejected,omitempty"`
	NegativeDisagreements int     `json:"negative_disagreements,omitempty"`
}

// quantizeSynthSeed seeds the synthetic calibration images.
const quantizeSynthSeed = 7

type layerError struct {
	Layer   int     `json:"layer"`
	Desc    string  `json:"desc"`
	MaxAbs  float64 `json:"max_abs_error"`
	MaxRel  float64 `json:"max_rel_error"`
	MeanAbs float64 `json:"mean_abs_error"`
}

func (o *quantizeOptions) run(ctx context.Context, env Env, args []string) error {
	switch {
	case len(args) > 0:
		return usagef("unexpected arguments %q", args)
	case o.model == "":
		return usagef("--model is required")
	case o.out == "":
		return usagef("--out is required")
	case o.calib < 1:
		return usagef("--calib must be at least 1")
	case o.method != string(quant.MinMax) && o.method != string(quant.Percentile):
		return usagef("--method must be minmax or percentile")
	case o.workers < 1 || o.workers > 1024:
		return usagef("--workers must be between 1 and 1024")
	case o.compare < 0:
		return usagef("--compare must not be negative")
	}
	fm, err := model.Open(o.model)
	if err != nil {
		return err
	}
	if fm.Precision() != model.Float32 {
		return fmt.Errorf("%s is already an int8 model", o.model)
	}
	net, err := fm.FloatNetwork()
	if err != nil {
		return err
	}
	trainSet, testSet, err := loadTrainTest(o.data)
	if err != nil {
		return err
	}
	n := min(o.calib, trainSet.N)
	calib := make([][]float32, n)
	for i := range calib {
		calib[i] = make([]float32, net.InputSize())
		trainSet.Batch(calib[i], nil, []int{i})
	}
	reject := fm.HasNotDigit()
	synthetic := 0
	if reject {
		extra, err := train.Synthesize(train.Synth{Negatives: n / 5, Digits: n / 10}, quantizeSynthSeed, o.workers)
		if err != nil {
			return err
		}
		for i := range extra.N {
			c := make([]float32, net.InputSize())
			extra.Batch(c, nil, []int{i})
			calib = append(calib, c)
		}
		synthetic = extra.N
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	q, err := quant.Quantize(net, calib, quant.Options{Method: quant.Method(o.method), Percentile: o.percentile})
	if err != nil {
		return err
	}
	if err := q.SaveFile(o.out); err != nil {
		return err
	}
	r := quantizeReport{Model: o.model, Out: o.out, Method: o.method, Calib: n, N: testSet.N}
	// The int8 model as written, read back.
	qm, err := model.Open(o.out)
	if err != nil {
		return err
	}
	fp, qp, err := predictBoth(fm, qm, testSet, o.workers)
	if err != nil {
		return err
	}
	fc, qc := 0, 0
	for i := range fp {
		if fp[i] != qp[i] {
			r.Disagreements++
		}
		if fp[i] == int(testSet.Labels[i]) {
			fc++
		}
		if qp[i] == int(testSet.Labels[i]) {
			qc++
		}
	}
	r.FloatAccuracy = float64(fc) / float64(testSet.N)
	r.Int8Accuracy = float64(qc) / float64(testSet.N)
	if reject {
		neg, err := train.HeldOutNegatives(2000, evalSynthSeed, o.workers)
		if err != nil {
			return err
		}
		r.CalibSynthetic, r.Negatives = synthetic, neg.N
		fn, qn, err := predictBoth(fm, qm, neg, o.workers)
		if err != nil {
			return err
		}
		for i := range fn {
			if fn[i] != qn[i] {
				r.NegativeDisagreements++
			}
			if fn[i] == model.NotDigit {
				r.FloatRejected++
			}
			if qn[i] == model.NotDigit {
				r.Int8Rejected++
			}
		}
		r.FloatRejected /= float64(neg.N)
		r.Int8Rejected /= float64(neg.N)
	}
	errs, err := quant.Compare(net, q, testSet.Images, min(o.compare, testSet.N))
	if err != nil {
		return err
	}
	for _, e := range errs {
		r.Layers = append(r.Layers, layerError{Layer: e.Layer, Desc: e.Desc, MaxAbs: e.MaxAbs, MaxRel: e.MaxRel(), MeanAbs: e.MeanAbs})
	}
	for _, f := range []struct {
		path string
		size *int64
	}{{o.model, &r.FloatBytes}, {o.out, &r.Int8Bytes}} {
		st, err := os.Stat(f.path)
		if err != nil {
			return err
		}
		*f.size = st.Size()
	}
	if o.json {
		return writeJSON(env.Stdout, r)
	}
	w := env.Stdout
	fmt.Fprintf(w, "%s -> %s (%s calibration on %d training images", o.model, o.out, o.method, n)
	if synthetic > 0 {
		fmt.Fprintf(w, " and %d synthetic negatives and style digits", synthetic)
	}
	fmt.Fprintf(w, ")\n\n              float32      int8\n")
	fmt.Fprintf(w, "accuracy      %6.2f%%    %6.2f%%   (%d test images)\n", 100*r.FloatAccuracy, 100*r.Int8Accuracy, r.N)
	if reject {
		fmt.Fprintf(w, "negatives     %6.2f%%    %6.2f%%   rejected of %d held out; %d predictions differ\n",
			100*r.FloatRejected, 100*r.Int8Rejected, r.Negatives, r.NegativeDisagreements)
	}
	fmt.Fprintf(w, "file bytes  %9d %9d   (%.1f%%)\n", r.FloatBytes, r.Int8Bytes, 100*float64(r.Int8Bytes)/float64(r.FloatBytes))
	fmt.Fprintf(w, "predictions that differ: %d\n\n", r.Disagreements)
	fmt.Fprintf(w, "per-layer output error, int8 (dequantised) vs float32, first %d test images:\n", min(o.compare, testSet.N))
	worst := 0
	for i, e := range errs {
		fmt.Fprintf(w, "  %s\n", e)
		if e.MaxRel() > errs[worst].MaxRel() {
			worst = i
		}
	}
	if len(errs) > 0 {
		fmt.Fprintf(w, "largest: layer %d, %.4g (%.2f%% of its range)\n", errs[worst].Layer, errs[worst].MaxAbs, 100*errs[worst].MaxRel())
	}
	return nil
}

// predictAll returns the model's class for every image of ds.
// predictBoth returns the classes that the float32 model fm and the int8
// model qm predict for the images of ds.
func predictBoth(fm, qm *model.Model, ds *train.Dataset, workers int) (fp, qp []int, err error) {
	if fp, err = predictAll(fm, ds, workers); err != nil {
		return nil, nil, err
	}
	if qp, err = predictAll(qm, ds, workers); err != nil {
		return nil, nil, err
	}
	return fp, qp, nil
}

// predictAll returns the classes that m predicts for the images of ds.
func predictAll(m *model.Model, ds *train.Dataset, workers int) ([]int, error) {
	c, err := m.NewClassifier(model.Options{Batch: 250, Workers: workers})
	if err != nil {
		return nil, err
	}
	defer c.Close()
	pred := make([]int, 0, ds.N)
	for _, r := range c.Classify(ds.Images[:ds.N*model.Size]) {
		pred = append(pred, r.Class)
	}
	return pred, nil
}
