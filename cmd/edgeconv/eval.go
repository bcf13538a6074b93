package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math"
	"runtime"
	"strings"

	"github.com/edgeconv/edgeconv/engine"
	"github.com/edgeconv/edgeconv/train"
)

func init() {
	commands = append(commands, &Command{
		Name:      "eval",
		UsageLine: "edgeconv eval [--model FILE] [--photos DIR] [flags]",
		Short:     "measure a model on the MNIST test set or on labelled photos",
		Long: `
Eval runs a model over the 10,000 MNIST test images and prints its accuracy,
mean loss, the accuracy of each class and the confusion matrix (rows are the
true digits, columns the predictions).

With --photos DIR it measures reading instead: it reads every photo listed
in DIR/LABELS.tsv as 'edgeconv read' does (the same decoding, extraction
and model) and compares the digits read with the label. LABELS.tsv is
tab-separated with a header row; its column "file" names a photo (a path
inside DIR) and "digits" holds the photo's digits in reading order; other
columns are ignored. The digits read are aligned with the label by edit
distance, so each labelled digit is read right, misread or missed, and
digits read in excess are spurious. For each photo eval prints the counts
and the alignment in three rows, the label, the reading and a mark per
digit (blank: right, x: misread, -: missed, +: spurious; '-' fills the gap
in the label or the reading), split where the reading starts a new line
or word; then the totals over all photos. --json prints one JSON object
with the same (in its alignment marks, '=' stands for right).

--model defaults to the model embedded in the program.
`,
		SetFlags: func(fs *flag.FlagSet) func(context.Context, Env, []string) error {
			o := &evalOptions{}
			fs.StringVar(&o.model, "model", "", "model file (default: the embedded model)")
			fs.StringVar(&o.photos, "photos", "", "measure reading on the photos labelled in `DIR`/LABELS.tsv")
			fs.StringVar(&o.data, "data", train.MNISTDir, "directory with the MNIST .gz files")
			fs.IntVar(&o.workers, "workers", runtime.NumCPU(), "goroutines sharing each batch")
			fs.BoolVar(&o.json, "json", false, "print the result as one JSON object")
			o.prof.register(fs)
			return o.run
		},
	})
}

type evalOptions struct {
	model, data string
	photos      string
	workers     int
	json        bool
	prof        profileFlags
}

// evalReport is the --json output of eval.
type evalReport struct {
	Model         string    `json:"model"`
	N             int       `json:"n"`
	Accuracy      float64   `json:"accuracy"`
	Loss          float64   `json:"loss"`
	ClassAccuracy []float64 `json:"class_accuracy"`
	Confusion     [][]int   `json:"confusion"`
}

func (o *evalOptions) run(ctx context.Context, env Env, args []string) error {
	if len(args) > 0 {
		return usagef("unexpected arguments %q", args)
	}
	if o.workers < 1 {
		return usagef("--workers must be at least 1")
	}
	stopProfile, err := o.prof.start()
	if err != nil {
		return err
	}
	defer stopProfile()
	if o.photos != "" {
		return o.runPhotos(ctx, env)
	}
	var net *engine.Network
	err = engine.ErrNotFloat32 // the embedded model is int8
	if o.model != "" {
		net, err = engine.LoadFile(o.model)
		if err != nil && !errors.Is(err, engine.ErrNotFloat32) {
			return err
		}
	}
	testSet, lerr := train.LoadMNIST(o.data, train.Test)
	if errors.Is(lerr, train.ErrNoData) {
		return fmt.Errorf("no MNIST data in %s; fetch it with: make data", o.data)
	} else if lerr != nil {
		return lerr
	}
	var m train.Metrics
	if err == nil {
		m = train.Evaluate(net, testSet, o.workers)
	} else if m, err = evaluateClassifier(o.model, testSet); err != nil { // an int8 model
		return err
	}
	if o.json {
		return writeJSON(env.Stdout, evalReport{Model: modelName(o.model), N: m.N, Accuracy: m.Accuracy, Loss: m.Loss,
			ClassAccuracy: m.ClassAccuracy(), Confusion: m.Confusion})
	}
	w := env.Stdout
	fmt.Fprintf(w, "%s: %d test images\naccuracy %.2f%%  loss %.4f\n\nper class:\n", modelName(o.model), m.N, 100*m.Accuracy, m.Loss)
	for c, a := range m.ClassAccuracy() {
		fmt.Fprintf(w, "  %d  %6.2f%%\n", c, 100*a)
	}
	fmt.Fprint(w, "\nconfusion (row: true digit, column: predicted):\n     ")
	for c := range m.Confusion {
		fmt.Fprintf(w, "%5d", c)
	}
	fmt.Fprintln(w)
	for c, row := range m.Confusion {
		var b strings.Builder
		for _, v := range row {
			fmt.Fprintf(&b, "%5d", v)
		}
		fmt.Fprintf(w, "  %d  %s\n", c, b.String())
	}
	return nil
}

// evaluateClassifier measures a model that only loadClassifier reads (an
// int8 model) on a dataset: accuracy, mean cross-entropy, confusion.
func evaluateClassifier(path string, ds *train.Dataset) (train.Metrics, error) {
	const batch = 250
	model, err := loadClassifier(path, batch)
	if err != nil {
		return train.Metrics{}, err
	}
	defer model.close()
	k := model.classes()
	m := train.Metrics{N: ds.N, Confusion: make([][]int, k)}
	for i := range m.Confusion {
		m.Confusion[i] = make([]int, k)
	}
	x := make([]float32, batch*ds.Rows*ds.Cols)
	labels := make([]uint8, batch)
	idx := make([]int, batch)
	probs := make([]float32, batch*k)
	correct := 0
	for start := 0; start < ds.N; start += batch {
		n := min(batch, ds.N-start)
		for i := range n {
			idx[i] = start + i
		}
		ds.Batch(x, labels, idx[:n])
		model.classify(x, n, probs)
		for i := range n {
			p := probs[i*k : (i+1)*k]
			best := argmax32(p)
			m.Confusion[labels[i]][best]++
			if best == int(labels[i]) {
				correct++
			}
			m.Loss -= math.Log(math.Max(float64(p[labels[i]]), 1e-30))
		}
	}
	if ds.N > 0 {
		m.Accuracy = float64(correct) / float64(ds.N)
		m.Loss /= float64(ds.N)
	}
	return m, nil
}
