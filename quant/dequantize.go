package quant

import (
	"fmt"
	"math"

	"github.com/edgeconv/edgeconv/engine"
)

// Dequantize returns the float32 network whose weights are q's int8 weights
// times their scales and whose biases are q's int32 biases times their
// scales (s_in·s_w[c]): the network q approximates, which runs on pixels/255
// as the float network q was made from. One int8 file thus serves both
// arithmetics.
func Dequantize(q *Network) (*engine.Network, error) {
	net, err := engine.New(q.Spec)
	if err != nil {
		return nil, err
	}
	ts := net.Tensors()
	if len(ts) != 2*len(q.Layers) {
		return nil, fmt.Errorf("quant: %d quantised layers for %d tensors", len(q.Layers), len(ts))
	}
	inScale := q.InputScale
	for i := range q.Layers {
		l := &q.Layers[i]
		w, b := ts[2*i], ts[2*i+1]
		cout := len(l.WeightScale)
		if w.Len != len(l.Weights) || b.Len != cout || len(l.Bias) != cout {
			return nil, fmt.Errorf("quant: layer %d: quantised shapes do not match %v", i+1, q.Spec.Layers[i])
		}
		wd := net.Params[w.Off : w.Off+w.Len]
		for k, v := range l.Weights {
			wd[k] = float32(v) * l.WeightScale[k%cout]
		}
		bd := net.Params[b.Off : b.Off+b.Len]
		for c := range bd {
			bd[c] = float32(float64(l.Bias[c]) * float64(inScale) * float64(l.WeightScale[c]))
		}
		inScale = l.OutScale
	}
	for _, v := range net.Params {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return nil, fmt.Errorf("quant: dequantised weight %v", v)
		}
	}
	return net, nil
}
