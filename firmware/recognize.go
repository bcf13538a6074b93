package firmware

import (
	"github.com/edgeconv/edgeconv/extract"
	"github.com/edgeconv/edgeconv/model"
)

// Guess is the recognition of one digit image.
type Guess struct {
	// Digit is the most probable class, 0..9.
	Digit int
	// Confidence is its softmax probability, 0..1.
	Confidence float32
}

// Recognizer classifies the 28x28 images of extracted digits.
//
// Recognize writes the guess for digits[i] to dst[i]; len(dst) must be at
// least len(digits). It allocates nothing once it has seen as many digits.
// A Recognizer serves one goroutine.
type Recognizer interface {
	Recognize(digits []extract.Digit, dst []Guess)
	// String names the model and the arithmetic, e.g. "default float32".
	String() string
}

// recognizer is a Recognizer over a model.Classifier.
type recognizer struct {
	*model.Classifier
	px []uint8 // (n, 28, 28) the digits' images as bytes
}

// Recognize implements Recognizer.
func (r *recognizer) Recognize(digits []extract.Digit, dst []Guess) {
	_ = dst[:len(digits)]
	r.px = r.px[:0]
	for i := range digits {
		for _, v := range &digits[i].Pixels {
			r.px = append(r.px, uint8(max(0, min(255, v*255+0.5))))
		}
	}
	for i, g := range r.Classify(r.px) {
		dst[i] = Guess{Digit: g.Class, Confidence: g.Confidence}
	}
}

// LoadRecognizer returns a Recognizer for the model at path ("" for the
// embedded model, model.Default). An int8 model runs in integers, or with
// float set as the float32 network of its dequantised weights; a float32
// model runs in float32 either way.
func LoadRecognizer(path string, float bool) (Recognizer, error) {
	var m *model.Model
	var err error
	if path == "" {
		m, err = model.Default()
	} else {
		m, err = model.Open(path)
	}
	if err != nil {
		return nil, err
	}
	c, err := m.NewClassifier(model.Options{Float: float})
	if err != nil {
		return nil, err
	}
	return &recognizer{Classifier: c}, nil
}
