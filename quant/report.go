package quant

import (
	"fmt"
	"math"

	"github.com/edgeconv/edgeconv/engine"
)

// LayerError compares one layer's int8 output, dequantised, with the float
// network's output on the same images.
type LayerError struct {
	Layer   int     // from 1
	Desc    string  // the layer in spec syntax
	MaxAbs  float64 // largest |float − dequantised int8|
	MeanAbs float64 // mean |float − dequantised int8|
	Range   float64 // largest − smallest float output
	Scale   float64 // the int8 output's scale (one quantisation step)
}

// MaxRel returns MaxAbs as a fraction of the layer's float output range.
func (e LayerError) MaxRel() float64 {
	if e.Range == 0 {
		return 0
	}
	return e.MaxAbs / e.Range
}

// String formats the error for a report.
func (e LayerError) String() string {
	return fmt.Sprintf("layer %d %-26s max |err| %.4g (%.2f%% of range %.4g, %.1f steps)  mean %.3g",
		e.Layer, e.Desc, e.MaxAbs, 100*e.MaxRel(), e.Range, e.MaxAbs/e.Scale, e.MeanAbs)
}

// Compare runs the float network and the integer network on n images of
// pixels, (n, H, W, C) bytes, and returns each layer's output error. Each
// integer layer takes the integer network's own previous output, so the
// errors accumulate through the network as they do in use. A float network
// with batch normalisation is compared as Quantize saw it, folded.
func Compare(net *engine.Network, q *Network, pixels []uint8, n int) ([]LayerError, error) {
	size := q.InputSize()
	if net.Spec.HasBN() {
		net = net.FoldBN()
	}
	if net.Spec.String() != q.Spec.String() {
		return nil, fmt.Errorf("quant: Compare: architectures differ")
	}
	if len(pixels) < n*size {
		return nil, fmt.Errorf("quant: Compare: %d pixels for %d images", len(pixels), n)
	}
	batch := max(1, min(n, calibBatch))
	f := engine.NewPlan(net, batch, engine.PlanOptions{Workers: 1, KeepActivations: true})
	defer f.Close()
	p := NewPlan(q, batch, 1)
	defer p.Close()
	errs := make([]LayerError, len(q.Layers))
	lo := make([]float64, len(q.Layers))
	hi := make([]float64, len(q.Layers))
	for i := range errs {
		l := &q.Layers[i]
		errs[i] = LayerError{Layer: i + 1, Desc: l.LayerSpec.String(), Scale: float64(l.OutScale)}
		lo[i], hi[i] = math.Inf(1), math.Inf(-1)
	}
	x := make([]float32, batch*size)
	counts := make([]int, len(q.Layers))
	for s := 0; s < n; s += batch {
		m := min(batch, n-s)
		img := pixels[s*size : (s+m)*size]
		for j, v := range img {
			x[j] = float32(v) / 255
		}
		f.Forward(x, m)
		p.Forward(img, m)
		for i := range q.Layers {
			l := &q.Layers[i]
			scale, zero := float64(l.OutScale), float64(l.OutZero)
			fout := f.Activation(i)
			for j, fv := range fout {
				var dq float64
				if i == len(q.Layers)-1 {
					dq = float64(p.logits[j]) * scale
				} else {
					dq = (float64(p.activation(i, j)) - zero) * scale
				}
				d := math.Abs(float64(fv) - dq)
				errs[i].MaxAbs = max(errs[i].MaxAbs, d)
				errs[i].MeanAbs += d
				lo[i], hi[i] = min(lo[i], float64(fv)), max(hi[i], float64(fv))
			}
			counts[i] += len(fout)
		}
	}
	for i := range errs {
		if counts[i] > 0 {
			errs[i].MeanAbs /= float64(counts[i])
			errs[i].Range = hi[i] - lo[i]
		}
	}
	return errs, nil
}
