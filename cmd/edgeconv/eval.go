package main

import (
	"context"
	"flag"
	"fmt"
	"math"
	"runtime"
	"strings"

	"github.com/edgeconv/edgeconv/model"
	"github.com/edgeconv/edgeconv/train"
)

func init() {
	commands = append(commands, &Command{
		Name:      "eval",
		UsageLine: "edgeconv eval [--model FILE] [--photos DIR] [flags]",
		Short:     "measure a model on the MNIST test set or on labelled photos",
		Long: `
Eval runs a model (float32, int8 or a checkpoint) over the 10,000 MNIST
test images and prints its accuracy, mean loss, the accuracy of each class
and the confusion matrix (rows are the true digits, columns the predictions;
a model with the not-a-digit class has a column x for it).

The accuracy is strict for a model with an 11th class, "not a digit": the
most probable of all 11 classes must be the digit, so a digit rejected as
not a digit is an error; eval says how many were. It also renders a
held-out set of --negatives not-a-digit images (from fonts and random draws
that training does not use) and prints how many the model rejects, and for
any model the accuracy on --style held-out digits from fonts training does
not use (handwriting and stroke fonts: crossed 7s, open 4s, flagged 1s).

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
			fs.IntVar(&o.negatives, "negatives", 5000, "held-out not-a-digit images to measure rejection on (11-class models)")
			fs.IntVar(&o.style, "style", 3000, "held-out digits from fonts training does not use")
			o.prof.register(fs)
			return o.run
		},
	})
}

type evalOptions struct {
	model, data      string
	photos           string
	workers          int
	negatives, style int
	json             bool
	prof             profileFlags
}

// evalReport is the --json output of eval.
type evalReport struct {
	Model         string    `json:"model"`
	N             int       `json:"n"`
	Accuracy      float64   `json:"accuracy"` // strict: argmax over every class
	Loss          float64   `json:"loss"`
	ClassAccuracy []float64 `json:"class_accuracy"`
	Confusion     [][]int   `json:"confusion"`
	// RejectedDigits is the fraction of the test digits called "not a
	// digit" (11-class models).
	RejectedDigits float64 `json:"rejected_digits"`
	// NegativesRejected is the fraction of the held-out negatives called
	// "not a digit" (11-class models, when --negatives > 0).
	Negatives         int     `json:"negatives"`
	NegativesRejected float64 `json:"negatives_rejected"`
	// StyleAccuracy is the accuracy on the held-out style digits.
	Style              int       `json:"style"`
	StyleAccuracy      float64   `json:"style_accuracy"`
	StyleClassAccuracy []float64 `json:"style_class_accuracy"`
}

func (o *evalOptions) run(ctx context.Context, env Env, args []string) error {
	if len(args) > 0 {
		return usagef("unexpected arguments %q", args)
	}
	if o.workers < 1 || o.workers > 1024 {
		return usagef("--workers must be between 1 and 1024")
	}
	if o.negatives < 0 || o.negatives > train.MaxSynth || o.style < 0 || o.style > train.MaxSynth {
		return usagef("--negatives and --style must be between 0 and %d", train.MaxSynth)
	}
	stopProfile, err := o.prof.start()
	if err != nil {
		return err
	}
	defer stopProfile()
	if o.photos != "" {
		return o.runPhotos(ctx, env)
	}
	mod, err := openModel(o.model)
	if err != nil {
		return err
	}
	testSet, err := loadMNIST(o.data, train.Test)
	if err != nil {
		return err
	}
	c, err := mod.NewClassifier(model.Options{Batch: 250, Workers: o.workers})
	if err != nil {
		return err
	}
	defer c.Close()
	// evaluateHeldOut renders n samples of a held-out synthetic set and
	// measures the model on them.
	evaluateHeldOut := func(render func(n int, seed uint64, workers int) (*train.Dataset, error), n int) (train.Metrics, error) {
		ds, err := render(n, evalSynthSeed, o.workers)
		if err != nil {
			return train.Metrics{}, err
		}
		return train.Evaluate(c, ds), nil
	}
	m := train.Evaluate(c, testSet)
	rep := evalReport{Model: mod.Name(), N: m.N, Accuracy: m.Accuracy, Loss: m.Loss,
		ClassAccuracy: m.ClassAccuracy(), Confusion: m.Confusion}
	if mod.HasNotDigit() {
		n := 0
		for _, row := range m.Confusion[:model.Digits] {
			n += row[model.NotDigit]
		}
		rep.RejectedDigits = float64(n) / float64(max(m.N, 1))
		if o.negatives > 0 {
			nm, err := evaluateHeldOut(train.HeldOutNegatives, o.negatives)
			if err != nil {
				return err
			}
			rep.Negatives, rep.NegativesRejected = nm.N, nm.Accuracy
		}
	}
	if o.style > 0 {
		sm, err := evaluateHeldOut(train.HeldOutDigits, o.style)
		if err != nil {
			return err
		}
		rep.Style, rep.StyleAccuracy, rep.StyleClassAccuracy = sm.N, sm.Accuracy, sm.ClassAccuracy()[:model.Digits]
	}
	if o.json {
		return writeJSON(env.Stdout, rep)
	}
	w := env.Stdout
	fmt.Fprintf(w, "%s (%s): %d test images\naccuracy %.2f%%  loss %.4f\n", mod.Name(), mod.Precision(), m.N, 100*m.Accuracy, m.Loss)
	if mod.HasNotDigit() {
		fmt.Fprintf(w, "  strict: a digit called \"not a digit\" is an error; %.2f%% of the digits were (%d)\n",
			100*rep.RejectedDigits, int(math.Round(rep.RejectedDigits*float64(m.N))))
		if rep.Negatives > 0 {
			fmt.Fprintf(w, "held-out negatives: %.2f%% of %d rejected as not a digit\n", 100*rep.NegativesRejected, rep.Negatives)
		}
	}
	if rep.Style > 0 {
		fmt.Fprintf(w, "held-out style digits (fonts training does not use): %.2f%% of %d\n   ", 100*rep.StyleAccuracy, rep.Style)
		for c, a := range rep.StyleClassAccuracy {
			fmt.Fprintf(w, " %d:%.0f%%", c, 100*a)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprint(w, "\nper class:\n")
	// MNIST has no not-a-digit images: that class gets a column, no row.
	for c, a := range m.ClassAccuracy()[:model.Digits] {
		fmt.Fprintf(w, "  %d  %6.2f%%\n", c, 100*a)
	}
	fmt.Fprint(w, "\nconfusion (row: true digit, column: predicted")
	if mod.HasNotDigit() {
		fmt.Fprint(w, "; x: not a digit")
	}
	fmt.Fprint(w, "):\n     ")
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

// evalSynthSeed seeds eval's held-out synthetic sets, so that every model
// is measured on the same images.
const evalSynthSeed = 1
