package main

import (
	"context"
	"flag"
	"fmt"
	"image"
	"io"
	"os"

	"github.com/edgeconv/edgeconv/camera"
	"github.com/edgeconv/edgeconv/extract"
)

func init() {
	commands = append(commands, &Command{
		Name:      "predict",
		UsageLine: "edgeconv predict --model FILE [--json] IMAGE",
		Short:     "recognise the digit in an image",
		Long: `
Predict reads one image of a single digit (PNG or JPEG, any size, grey or
colour; - reads standard input), turns it into an MNIST-style 28x28 image and
prints the digit the model sees and the probability of each of the ten.

A 28x28 image is taken as it is (inverted if its background is light, since
MNIST digits are white on black). A larger image goes through the same digit
extraction as 'edgeconv read', and the largest digit found is used.
`,
		SetFlags: func(fs *flag.FlagSet) func(context.Context, Env, []string) error {
			o := &predictOptions{}
			fs.StringVar(&o.model, "model", "", "model file (required)")
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
	File          string    `json:"file"`
	Digit         int       `json:"digit"`
	Confidence    float64   `json:"confidence"`
	Probabilities []float64 `json:"probabilities"`
}

func (o *predictOptions) run(ctx context.Context, env Env, args []string) error {
	if o.model == "" {
		return usagef("--model is required")
	}
	if len(args) != 1 {
		return usagef("want exactly one image")
	}
	model, err := loadClassifier(o.model, 1)
	if err != nil {
		return err
	}
	defer model.close()
	var r io.Reader = env.Stdin
	if args[0] != "-" {
		f, err := os.Open(args[0])
		if err != nil {
			return err
		}
		defer f.Close()
		r = f
	}
	frame, err := camera.ReadFrame(r)
	if err != nil {
		return fmt.Errorf("%s: %v", args[0], err)
	}
	pixels, err := mnistPixels(frame)
	if err != nil {
		return fmt.Errorf("%s: %v", args[0], err)
	}
	probs32 := make([]float32, model.classes())
	model.classify(pixels[:], 1, probs32)
	best := argmax32(probs32)
	probs := make([]float64, len(probs32))
	for i, p := range probs32 {
		probs[i] = float64(p)
	}
	if o.json {
		return writeJSON(env.Stdout, predictReport{File: args[0], Digit: best, Confidence: probs[best], Probabilities: probs})
	}
	fmt.Fprintf(env.Stdout, "%d  (confidence %.1f%%)\n", best, 100*probs[best])
	for i, p := range probs {
		fmt.Fprintf(env.Stdout, "  %d  %6.2f%%\n", i, 100*p)
	}
	return nil
}

// mnistPixels turns a frame into the network's input: ink white on black,
// values 0..1, 28x28.
func mnistPixels(img *image.YCbCr) (*[784]float32, error) {
	b := img.Bounds()
	grey := &image.Gray{Pix: img.Y, Stride: img.YStride, Rect: image.Rect(0, 0, b.Dx(), b.Dy())} // its luma
	if b.Dx() == 28 && b.Dy() == 28 {
		var px [784]float32
		// MNIST is white ink on black: if the border is mostly light, the
		// image is dark ink on paper and is inverted.
		var border float64
		for i := range 28 {
			border += float64(grey.GrayAt(i, 0).Y) + float64(grey.GrayAt(i, 27).Y) + float64(grey.GrayAt(0, i).Y) + float64(grey.GrayAt(27, i).Y)
		}
		invert := border/(4*28) > 127
		for i, v := range grey.Pix[:784] {
			if invert {
				v = 255 - v
			}
			px[i] = float32(v) / 255
		}
		return &px, nil
	}
	digits := extract.NewExtractor(extract.Options{}).Extract(img, nil)
	if len(digits) == 0 {
		return nil, fmt.Errorf("no digit found in the %dx%d image", b.Dx(), b.Dy())
	}
	best := 0
	for i, d := range digits {
		if area(d.Box) > area(digits[best].Box) {
			best = i
		}
	}
	return &digits[best].Pixels, nil
}

func area(r image.Rectangle) int { return r.Dx() * r.Dy() }
