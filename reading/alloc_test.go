//go:build !race

package reading_test

import (
	"fmt"
	"testing"

	"github.com/edgeconv/edgeconv/internal/alloctest"
	"github.com/edgeconv/edgeconv/internal/testscenes"
	"github.com/edgeconv/edgeconv/model"
	"github.com/edgeconv/edgeconv/model/modeltest"
	"github.com/edgeconv/edgeconv/reading"
)

// TestReadZeroAlloc proves that reading a frame, extraction to text,
// allocates nothing once the Reader has seen frames of its size: int8 and
// float32, the scenes in turn (their digit counts differ).
func TestReadZeroAlloc(t *testing.T) {
	alloctest.SkipShort(t)
	scenes := testscenes.Load(t)
	for _, float := range []bool{false, true} {
		r := newReader(t, modeltest.Default(t), reading.Options{Classifier: model.Options{Float: float}, MinConfidence: 0.8})
		i := 0
		alloctest.Zero(t, fmt.Sprintf("float %v: Read", float), 4, 20, func() {
			r.Read(scenes[i%len(scenes)].Frame)
			i++
		})
	}
}
