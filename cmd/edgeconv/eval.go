package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"runtime"
	"strings"

	"github.com/edgeconv/edgeconv/model"
	"github.com/edgeconv/edgeconv/train"
)

func init() {
	commands = append(commands, &Command{
		Name:      "eval",
		UsageLine: "edgeconv eval --model FILE [flags]",
		Short:     "measure a model on the MNIST test set",
		Long: `
Eval runs a model (float32, int8 or a checkpoint) over the 10,000 MNIST
test images and prints its accuracy, mean loss, the accuracy of each class
and the confusion matrix (rows are the true digits, columns the predictions;
a model with the not-a-digit class has a column x for it).
`,
		SetFlags: func(fs *flag.FlagSet) func(context.Context, Env, []string) error {
			o := &evalOptions{}
			fs.StringVar(&o.model, "model", "", "model file (required)")
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
	if o.model == "" {
		return usagef("--model is required")
	}
	if o.workers < 1 || o.workers > 1024 {
		return usagef("--workers must be between 1 and 1024")
	}
	stopProfile, err := o.prof.start()
	if err != nil {
		return err
	}
	defer stopProfile()
	mod, err := model.Open(o.model)
	if err != nil {
		return err
	}
	testSet, err := train.LoadMNIST(o.data, train.Test)
	if errors.Is(err, train.ErrNoData) {
		return fmt.Errorf("no MNIST data in %s; fetch it with: make data", o.data)
	} else if err != nil {
		return err
	}
	c, err := mod.NewClassifier(model.Options{Batch: 250, Workers: o.workers})
	if err != nil {
		return err
	}
	defer c.Close()
	m := train.Evaluate(c, testSet)
	if o.json {
		return writeJSON(env.Stdout, evalReport{Model: o.model, N: m.N, Accuracy: m.Accuracy, Loss: m.Loss,
			ClassAccuracy: m.ClassAccuracy(), Confusion: m.Confusion})
	}
	w := env.Stdout
	fmt.Fprintf(w, "%s (%s): %d test images\naccuracy %.2f%%  loss %.4f\n\nper class:\n", o.model, mod.Precision(), m.N, 100*m.Accuracy, m.Loss)
	// MNIST has no not-a-digit images: that class gets a column, no row.
	for c, a := range m.ClassAccuracy()[:model.Digits] {
		fmt.Fprintf(w, "  %d  %6.2f%%\n", c, 100*a)
	}
	fmt.Fprint(w, "\nconfusion (row: true digit, column: predicted):\n     ")
	for c := range m.Confusion {
		if c == model.NotDigit {
			fmt.Fprintf(w, "%5s", "x")
		} else {
			fmt.Fprintf(w, "%5d", c)
		}
	}
	fmt.Fprintln(w)
	for c, row := range m.Confusion[:model.Digits] {
		var b strings.Builder
		for _, v := range row {
			fmt.Fprintf(&b, "%5d", v)
		}
		fmt.Fprintf(w, "  %d  %s\n", c, b.String())
	}
	return nil
}
