package firmware

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/edgeconv/edgeconv/engine"
	"github.com/edgeconv/edgeconv/engine/safetensors"
	"github.com/edgeconv/edgeconv/extract"
)

// defaultModel is the model compiled into the program: `make firmware`
// writes it (see docs/pi.md).
//
//go:embed model/default.safetensors
var defaultModel []byte

// DefaultModelName names the embedded model in messages.
const DefaultModelName = "embedded:model/default.safetensors"

// NotDigit is the class of a model with an 11th output that says the
// candidate is not a digit (a letter, a symbol, a smudge, the sheet's
// edge): the loop drops such candidates.
const NotDigit = 10

// Guess is the recognition of one digit image.
type Guess struct {
	// Digit is the most probable class, 0..9, or NotDigit.
	Digit int
	// Confidence is its softmax probability, 0..1.
	Confidence float32
}

// Recognizer classifies the 28x28 images of extracted digits.
//
// Recognize writes the guess for digits[i] to dst[i]; len(dst) must be at
// least len(digits). It allocates nothing. A Recognizer serves one
// goroutine.
type Recognizer interface {
	Recognize(digits []extract.Digit, dst []Guess)
	// String names the model and the arithmetic, e.g. "default float32".
	String() string
}

// maxBatch is the batch size recognizers are planned for: frames with more
// digits are classified in several passes.
const maxBatch = 32

// Float32 is a Recognizer running a float32 engine.Network on one core.
type Float32 struct {
	name string
	plan *engine.Plan
	k    int       // classes: 10, or 11 with NotDigit
	in   []float32 // (maxBatch, 28, 28, 1)
}

// checkModel accepts digit models: 28x28 inputs, 10 classes or 11 with
// NotDigit.
func checkModel(name string, inputs, classes int) error {
	if inputs != 784 || (classes != 10 && classes != NotDigit+1) {
		return fmt.Errorf("firmware: model %s takes %d inputs and has %d classes, want 784 and 10 or 11", name, inputs, classes)
	}
	return nil
}

// NewFloat32 plans net for recognition on one goroutine.
func NewFloat32(net *engine.Network, name string) (*Float32, error) {
	if err := checkModel(name, net.InputSize(), net.Classes()); err != nil {
		return nil, err
	}
	return &Float32{
		name: name,
		plan: engine.NewPlan(net, maxBatch, engine.PlanOptions{Workers: 1}),
		k:    net.Classes(),
		in:   make([]float32, maxBatch*784),
	}, nil
}

// String implements Recognizer.
func (r *Float32) String() string { return r.name + " float32" }

// Recognize implements Recognizer.
func (r *Float32) Recognize(digits []extract.Digit, dst []Guess) {
	_ = dst[:len(digits)]
	for start := 0; start < len(digits); start += maxBatch {
		n := min(maxBatch, len(digits)-start)
		for i := 0; i < n; i++ {
			copy(r.in[i*784:(i+1)*784], digits[start+i].Pixels[:])
		}
		logits := r.plan.Forward(r.in[:n*784], n)
		for i := 0; i < n; i++ {
			dst[start+i] = top1(logits[i*r.k : (i+1)*r.k])
		}
	}
}

// top1 returns the arg-max of logits and its softmax probability.
func top1(logits []float32) Guess {
	best := 0
	for i, v := range logits {
		if v > logits[best] {
			best = i
		}
	}
	var sum float64
	m := float64(logits[best])
	for _, v := range logits {
		sum += math.Exp(float64(v) - m)
	}
	return Guess{Digit: best, Confidence: float32(1 / sum)}
}

// ModelBytes returns the model file at path, or the embedded model when
// path is "".
func ModelBytes(path string) (data []byte, name string, err error) {
	if path == "" {
		return defaultModel, DefaultModelName, nil
	}
	data, err = os.ReadFile(path)
	return data, path, err
}

// modelLabel is the short name of a model in messages: "default" for the
// embedded one, else the file's base name.
func modelLabel(name string) string {
	if name == DefaultModelName {
		return "default"
	}
	return strings.TrimSuffix(filepath.Base(name), ".safetensors")
}

// errNoInt8 is returned while the int8 engine cannot run the model.
var errNoInt8 = errors.New("firmware: the model is not an int8 model (use --float)")

// LoadRecognizer returns a Recognizer for the model at path ("" for the
// embedded model). An int8 model runs in integers, or with float set as
// the float32 network of its dequantised weights; a float32 model runs in
// float32 either way.
func LoadRecognizer(path string, float bool) (Recognizer, error) {
	data, name, err := ModelBytes(path)
	if err != nil {
		return nil, err
	}
	meta, ts, err := safetensors.Read(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("firmware: %s: %w", name, err)
	}
	if r, err := newInt8(meta, ts, name, float); !errors.Is(err, errNoInt8) {
		return r, err
	}
	net, err := engine.FromSafeTensors(meta, ts)
	if err != nil {
		return nil, fmt.Errorf("firmware: %s: %w", name, err)
	}
	return NewFloat32(net, modelLabel(name))
}
