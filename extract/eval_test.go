package extract_test

import (
	"testing"
)

// Classifier reads one MNIST-style digit (28x28 bytes, ink 255 on 0).
type Classifier interface {
	Classify(pixels *[784]uint8) (digit int, confidence float32)
}

// testClassifier returns the classifier of the evaluations: the embedded
// model, or the one EDGECONV_CAMERA_MODEL names (testModel).
func testClassifier(t testing.TB) Classifier { return testModel(t) }
