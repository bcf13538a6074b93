package extract_test

import (
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/edgeconv/edgeconv/model"
)

var (
	modelOnce sync.Once
	clfModel  *modelClassifier
	modelErr  error
)

// testModel returns the classifier of the evaluations, loaded once: the
// model compiled into the program (int8), or the model file named by
// EDGECONV_CAMERA_MODEL (float32 or int8).
func testModel(t testing.TB) *modelClassifier {
	modelOnce.Do(func() {
		m, err := model.Default()
		if path := os.Getenv("EDGECONV_CAMERA_MODEL"); path != "" {
			if !filepath.IsAbs(path) {
				path = filepath.Join("..", path) // tests run in extract/
			}
			m, err = model.Open(path)
		}
		if err != nil {
			modelErr = err
			return
		}
		c, err := m.NewClassifier(model.Options{})
		if err != nil {
			modelErr = err
			return
		}
		clfModel = &modelClassifier{c: c}
	})
	if modelErr != nil {
		t.Fatal(modelErr)
	}
	return clfModel
}

// modelClassifier is a Classifier over a model.Classifier.
type modelClassifier struct {
	c *model.Classifier
}

func (m *modelClassifier) Classify(p *[784]uint8) (int, float32) {
	r := m.c.Classify(p[:])[0]
	return r.Class, r.Confidence
}
