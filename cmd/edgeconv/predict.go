package main

import (
	"context"
	"flag"
	"fmt"
	"image"

	"github.com/edgeconv/edgeconv/model"
	"github.com/edgeconv/edgeconv/reading"
)

func init() {
	commands = append(commands, &Command{
		Name:      "predict",
		UsageLine: "edgeconv predict [--model FILE] [--json] IMAGE",
		Short:     "recognise the digit in an image",
		Long: `
Predict reads one image of a single digit (JPEG, PNG, WebP, TIFF, BMP or
GIF, any size, grey or colour; - reads standard input), turns it into an
MNIST-style 28x28 image and prints the digit the model sees and the
probability of each class (with a model that has the not-a-digit class, x:
not a digit).

A 28x28 image is taken as it is (its luma, inverted if its background is
light, since MNIST digits are white on black). A larger image is read as
'edgeconv read' reads it (a JPEG turned upright by its EXIF orientation,
dark on light or light on dark, a transparent canvas as if on paper), and
the largest digit found is used; when the image holds more than one,
predict says so on standard error (--json: "digits_found").

--model defaults to the model embedded in the program.
`,
		SetFlags: func(fs *flag.FlagSet) func(context.Context, Env, []string) error {
			o := &predictOptions{}
			fs.StringVar(&o.model, "model", "", "model file (default: the embedded model)")
			fs.BoolVar(&o.json, "json", false, "print the result as one JSON object")
			return o.run
		},
	})
}

type predictOptions struct {
	model string
	json  bool
}

type predictReport struct {
	File string `json:"file"`
	// Digit is the class: 0-9, or 10 with NotDigit set.
	Digit         int       `json:"digit"`
	NotDigit      bool      `json:"not_digit,omitempty"`
	Confidence    float64   `json:"confidence"`
	Probabilities []float64 `json:"probabilities"`
	// DigitsFound is how many digits the image holds when it is read as a
	// photo (not a 28x28 image): more than one, and the largest is used.
	DigitsFound int `json:"digits_found,omitempty"`
}

func (o *predictOptions) run(ctx context.Context, env Env, args []string) error {
	if len(args) != 1 {
		return usagef("want exactly one image")
	}
	m, err := openModel(o.model)
	if err != nil {
		return err
	}
	frame, err := readFrame(args[0], env.Stdin)
	if err != nil {
		return fmt.Errorf("%s: %v", args[0], err)
	}
	res, probs32, found, err := predict(m, frame)
	if err != nil {
		return fmt.Errorf("%s: %v", args[0], err)
	}
	probs := make([]float64, len(probs32))
	for i, p := range probs32 {
		probs[i] = float64(p)
	}
	rep := predictReport{File: args[0], Digit: res.Class, NotDigit: res.Class == model.NotDigit,
		Confidence: float64(res.Confidence), Probabilities: probs, DigitsFound: found}
	if o.json {
		return writeJSON(env.Stdout, rep)
	}
	if found > 1 {
		fmt.Fprintf(env.Stderr, "edgeconv: %s holds %d digits; this is the largest ('edgeconv read' reads them all)\n", args[0], found)
	}
	if rep.NotDigit {
		fmt.Fprintf(env.Stdout, "not a digit  (confidence %.1f%%)\n", 100*rep.Confidence)
	} else {
		fmt.Fprintf(env.Stdout, "%d  (confidence %.1f%%)\n", rep.Digit, 100*rep.Confidence)
	}
	for i, p := range probs {
		label := fmt.Sprint(i)
		if i == model.NotDigit {
			label = "x"
		}
		fmt.Fprintf(env.Stdout, "  %s  %6.2f%%\n", label, 100*p)
	}
	return nil
}

// predict classifies the digit of frame: a 28x28 image as it is (its
// luma, inverted if its background is light: MNIST digits are white on
// black), a larger one through a reading.Reader's ReadPhoto, whose largest
// candidate it returns with the reading's probabilities for it (the
// classifier's, as the reading revised them) and the number of digits the
// reading holds (0 for a 28x28 image).
func predict(m *model.Model, frame *image.YCbCr) (res model.Result, probs []float32, found int, err error) {
	b := frame.Bounds()
	if b.Dx() == 28 && b.Dy() == 28 {
		grey := &image.Gray{Pix: frame.Y, Stride: frame.YStride, Rect: b} // its luma
		var px [model.Size]uint8
		var border int
		for i := range 28 {
			border += int(grey.GrayAt(b.Min.X+i, b.Min.Y).Y) + int(grey.GrayAt(b.Min.X+i, b.Min.Y+27).Y) +
				int(grey.GrayAt(b.Min.X, b.Min.Y+i).Y) + int(grey.GrayAt(b.Min.X+27, b.Min.Y+i).Y)
		}
		invert := border > 127*4*28
		for y := range 28 {
			for x := range 28 {
				v := grey.GrayAt(b.Min.X+x, b.Min.Y+y).Y
				if invert {
					v = 255 - v
				}
				px[y*28+x] = v
			}
		}
		c, err := m.NewClassifier(model.Options{Batch: 1})
		if err != nil {
			return model.Result{}, nil, 0, err
		}
		defer c.Close()
		return c.Classify(px[:])[0], c.Probs(), 0, nil
	}
	r, err := reading.New(m, reading.Options{})
	if err != nil {
		return model.Result{}, nil, 0, err
	}
	defer r.Close()
	rd := r.ReadPhoto(frame)
	if len(rd.Candidates) == 0 {
		return model.Result{}, nil, 0, fmt.Errorf("no digit found in the %dx%d image", b.Dx(), b.Dy())
	}
	best := 0
	for i, c := range rd.Candidates {
		if area(c.Box) > area(rd.Candidates[best].Box) {
			best = i
		}
	}
	k := m.Classes()
	return rd.Results[best], rd.Probs[best*k : (best+1)*k], len(rd.Digits), nil
}

func area(r image.Rectangle) int { return r.Dx() * r.Dy() }
