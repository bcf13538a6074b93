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
	infos := net.Layers()
	if len(infos) != len(q.Layers) {
		return nil, fmt.Errorf("quant: %d quantised layers for %d layers", len(q.Layers), len(infos))
	}
	inScale := q.InputScale
	for i := range q.Layers {
		l := &q.Layers[i]
		if l.Kind == engine.MaxPool {
			continue // its output scale is its input's
		}
		wd, bd := infos[i].Weights, infos[i].Bias
		cout := len(l.WeightScale)
		if len(wd) != len(l.Weights) || len(bd) != cout || len(l.Bias) != cout {
			return nil, fmt.Errorf("quant: layer %d: quantised shapes do not match %v", i+1, q.Spec.Layers[i])
		}
		for k, v := range l.Weights {
			wd[k] = float32(v) * l.WeightScale[k%cout]
		}
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
