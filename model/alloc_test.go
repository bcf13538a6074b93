//go:build !race

package model_test

import (
	"fmt"
	"testing"

	"github.com/edgeconv/edgeconv/internal/alloctest"
	"github.com/edgeconv/edgeconv/model"
	"github.com/edgeconv/edgeconv/model/modeltest"
)

// TestClassifyZeroAlloc proves that Classify allocates nothing once it has
// seen a call of its size: int8, float32 and dequantised, one worker and
// two, one pass and several.
func TestClassifyZeroAlloc(t *testing.T) {
	alloctest.SkipShort(t)
	m := modeltest.Default(t)
	px := randomPixels(40, 3)
	for _, o := range []model.Options{{}, {Float: true}, {Batch: 16, Workers: 2}, {Batch: 16, Workers: 2, Float: true}} {
		c, err := m.NewClassifier(o)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range []int{40, 1, 17} {
			c.Classify(px[:40*model.Size])
			alloctest.Zero(t, fmt.Sprintf("%+v: Classify of %d images", o, n), 0, 20, func() { c.Classify(px[:n*model.Size]) })
		}
		c.Close()
	}
}
