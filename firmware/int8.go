package firmware

import (
	"fmt"

	"github.com/edgeconv/edgeconv/engine"
	"github.com/edgeconv/edgeconv/engine/safetensors"
	"github.com/edgeconv/edgeconv/extract"
	"github.com/edgeconv/edgeconv/quant"
)

// Int8 is a Recognizer running a quantised quant.Network on one core: the
// digit images are turned into bytes (0..255) and the whole network runs
// in integers.
type Int8 struct {
	name  string
	plan  *quant.Plan
	scale float32   // real value of one logit unit
	in    []uint8   // (maxBatch, 28, 28, 1)
	tmp   []float32 // 10 logits
}

// NewInt8 plans q for recognition on one goroutine.
func NewInt8(q *quant.Network, name string) (*Int8, error) {
	if q.InputSize() != 784 || q.Classes() != 10 {
		return nil, fmt.Errorf("firmware: model %s takes %d inputs and has %d classes, want 784 and 10", name, q.InputSize(), q.Classes())
	}
	return &Int8{
		name:  name,
		plan:  quant.NewPlan(q, maxBatch, 1),
		scale: q.LogitScale(),
		in:    make([]uint8, maxBatch*784),
		tmp:   make([]float32, 10),
	}, nil
}

// String implements Recognizer.
func (r *Int8) String() string { return r.name + " int8" }

// Recognize implements Recognizer.
func (r *Int8) Recognize(digits []extract.Digit, dst []Guess) {
	_ = dst[:len(digits)]
	for start := 0; start < len(digits); start += maxBatch {
		n := min(maxBatch, len(digits)-start)
		for i := 0; i < n; i++ {
			px := &digits[start+i].Pixels
			in := r.in[i*784 : (i+1)*784]
			for k, v := range px {
				in[k] = uint8(max(0, min(255, v*255+0.5)))
			}
		}
		logits := r.plan.Forward(r.in[:n*784], n)
		for i := 0; i < n; i++ {
			for k, v := range logits[i*10 : i*10+10] {
				r.tmp[k] = float32(v) * r.scale
			}
			dst[start+i] = top1(r.tmp)
		}
	}
}

// newInt8 returns the recognizer of an int8 model file: int8, or with
// float set the float32 network of its dequantised weights (w = q·scale),
// so that one embedded file serves both. It returns errNoInt8 for another
// kind of file.
func newInt8(meta map[string]string, ts []safetensors.Tensor, name string, float bool) (Recognizer, error) {
	if meta[engine.FormatKey] != quant.Format {
		return nil, errNoInt8
	}
	q, err := quant.FromSafeTensors(meta, ts)
	if err != nil {
		return nil, fmt.Errorf("firmware: %s: %w", name, err)
	}
	if !float {
		return NewInt8(q, modelLabel(name))
	}
	net, err := quant.Dequantize(q)
	if err != nil {
		return nil, fmt.Errorf("firmware: %s: %w", name, err)
	}
	r, err := NewFloat32(net, modelLabel(name))
	if err != nil {
		return nil, err
	}
	r.name += " (dequantised)"
	return r, nil
}
