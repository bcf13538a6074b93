package engine

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Network is a float32 convnet: its spec and its parameters. The parameters
// of all layers live in one slice so that an optimiser can treat them as one
// vector.
//
// Weight layouts (the same as TensorFlow's, so models exchange without
// transposes): a convolution's weights are (KH, KW, Cin, Cout) and a dense
// layer's are (In, Out), each followed in Params by its bias (Out). A layer
// with batch normalisation has its offset β in the bias's place, followed
// by its running mean and running variance (Out each): they are not
// trained by gradient (theirs is always zero, so that Adam leaves them
// alone) but set by ForwardTrain, and living in Params they go into model
// files, checkpoints and copies with the rest. A max-pooling layer has no
// parameters.
type Network struct {
	Spec   Spec
	Params []float32
	layers []layer
	// gen counts ParamsChanged calls: an inference plan repacks its weights
	// when it differs from the generation it packed.
	gen uint64
}

// ParamsChanged tells the network's plans that Params were changed in place
// (by an optimiser step, or by copying weights in), so that inference plans
// repack their weights before their next pass. Plans made after the change
// need no call, and training plans repack at every forward pass anyway.
func (n *Network) ParamsChanged() { n.gen++ }

// layer is a LayerSpec resolved against its input: shapes and where its
// parameters sit in Network.Params.
type layer struct {
	LayerSpec
	in, out    Shape
	wOff, wLen int // weights in Params
	bOff       int // bias (or batch-norm offset) in Params; its length is out.C
	mOff       int // batch norm: running mean in Params, then running variance (out.C each)
	padT, padL int // convolution or pooling padding before the first row and column
}

// K returns the length of one row of the layer's im2col matrix, the inner
// dimension of its matrix product: KH·KW·Cin for a convolution, the input
// size for a dense layer.
func (l *layer) k() int {
	switch l.Kind {
	case Conv:
		return l.KH * l.KW * l.in.C
	case MaxPool:
		return 0
	}
	return l.in.Size()
}

// weights returns the layer's weights in params, laid out like
// Network.Params (the parameters or a gradient of them).
func (l *layer) weights(params []float32) []float32 { return params[l.wOff : l.wOff+l.wLen] }

// bias returns the layer's bias in params.
func (l *layer) bias(params []float32) []float32 { return params[l.bOff : l.bOff+l.out.C] }

// New builds a network for a validated spec with all parameters zero.
func New(spec Spec) (*Network, error) {
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	n := &Network{Spec: spec}
	var size int
	n.layers, size = spec.layout()
	n.Params = make([]float32, size)
	return n, nil
}

// layout resolves a validated spec's layers against their inputs and
// places their parameters in one vector of size floats.
func (s Spec) layout() (layers []layer, size int) {
	in := s.Input
	for _, ls := range s.Layers {
		out, _ := ls.outShape(in)
		l := layer{LayerSpec: ls, in: in, out: out}
		if ls.Kind == Conv || ls.Kind == MaxPool {
			_, l.padT = convOutput(in.H, ls.KH, ls.Stride, ls.Padding)
			_, l.padL = convOutput(in.W, ls.KW, ls.Stride, ls.Padding)
		}
		l.wOff, l.bOff, l.mOff = size, size, size
		if ls.Kind != MaxPool {
			l.wLen = l.k() * out.C
			l.bOff = size + l.wLen
			size = l.bOff + out.C
			if ls.BN {
				l.mOff = size
				size += 2 * out.C
			}
		}
		layers = append(layers, l)
		in = out
	}
	return layers, size
}

// Geometry describes the layers of the network the spec describes, as
// Network.Layers does but without allocating parameters: Weights and Bias
// are nil. Readers of other weight formats (quant) take the shapes from
// it.
func (s Spec) Geometry() ([]LayerInfo, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	layers, _ := s.layout()
	out := make([]LayerInfo, len(layers))
	for i := range layers {
		out[i] = layers[i].info()
	}
	return out, nil
}

// Init sets the weights to a truncated normal with standard deviation 0.1
// (values beyond two deviations are drawn again, as TensorFlow's
// truncated_normal does) and every bias (or batch-norm offset) to 0.1, the
// codelab's initialisation, and running means to 0 and variances to 1.
// The same seed gives the same parameters.
func (n *Network) Init(seed uint64) {
	rng := rand.New(rand.NewPCG(seed, 0x65646765636f6e76)) // "edgeconv"
	for i := range n.layers {
		l := &n.layers[i]
		for j := range l.wLen {
			v := rng.NormFloat64()
			for math.Abs(v) > 2 {
				v = rng.NormFloat64()
			}
			n.Params[l.wOff+j] = float32(0.1 * v)
		}
		if l.Kind == MaxPool {
			continue
		}
		for j := range l.out.C {
			n.Params[l.bOff+j] = 0.1
		}
		if l.BN {
			clear(l.runMean(n.Params))
			for j := range l.runVar(n.Params) {
				n.Params[l.mOff+l.out.C+j] = 1
			}
		}
	}
	n.ParamsChanged()
}

// InputSize returns the number of float32 values in one input sample.
func (n *Network) InputSize() int { return n.Spec.Input.Size() }

// Classes returns the number of logits the network produces per sample.
func (n *Network) Classes() int { return n.Spec.Classes() }

// Tensor names one parameter tensor of the network: its name in the model
// file, its shape and its place in Params.
type Tensor struct {
	Name  string
	Shape []int
	Off   int
	Len   int
}

// Tensors lists the parameter tensors in order: for layer i (from 1),
// "layerI.weight" and "layerI.bias", and for a layer with batch
// normalisation "layerI.running_mean" and "layerI.running_var"; a
// max-pooling layer has none.
func (n *Network) Tensors() []Tensor {
	ts := make([]Tensor, 0, 2*len(n.layers))
	for i := range n.layers {
		l := &n.layers[i]
		if l.Kind == MaxPool {
			continue
		}
		var wShape []int
		if l.Kind == Conv {
			wShape = []int{l.KH, l.KW, l.in.C, l.out.C}
		} else {
			wShape = []int{l.in.Size(), l.out.C}
		}
		ts = append(ts,
			Tensor{Name: fmt.Sprintf("layer%d.weight", i+1), Shape: wShape, Off: l.wOff, Len: l.wLen},
			Tensor{Name: fmt.Sprintf("layer%d.bias", i+1), Shape: []int{l.out.C}, Off: l.bOff, Len: l.out.C})
		if l.BN {
			ts = append(ts,
				Tensor{Name: fmt.Sprintf("layer%d.running_mean", i+1), Shape: []int{l.out.C}, Off: l.mOff, Len: l.out.C},
				Tensor{Name: fmt.Sprintf("layer%d.running_var", i+1), Shape: []int{l.out.C}, Off: l.mOff + l.out.C, Len: l.out.C})
		}
	}
	return ts
}

// FLOPs returns the floating-point operations of one sample's forward pass,
// counting a multiply-add as two.
func (n *Network) FLOPs() int64 {
	var f int64
	for i := range n.layers {
		l := &n.layers[i]
		f += 2 * int64(l.out.Size()) * int64(l.k())
	}
	return f
}

// runMean returns the running mean of a batch-norm layer in params.
func (l *layer) runMean(params []float32) []float32 { return params[l.mOff : l.mOff+l.out.C] }

// runVar returns the running variance of a batch-norm layer in params.
func (l *layer) runVar(params []float32) []float32 {
	return params[l.mOff+l.out.C : l.mOff+2*l.out.C]
}

// LayerInfo describes a planned layer for display and for other packages
// (quantisation) that need the geometry.
type LayerInfo struct {
	LayerSpec
	In, Out    Shape
	PadT, PadL int
	Weights    []float32 // (KH, KW, Cin, Cout) or (In, Out); aliases Params; nil for MaxPool
	Bias       []float32 // (Out), the offset β with BN; aliases Params; nil for MaxPool
	// RunMean and RunVar are a batch-norm layer's running statistics
	// (Out each), aliasing Params; nil without BN.
	RunMean, RunVar []float32
}

// Layers describes the network's layers in order. The weight and bias slices
// alias Params.
func (n *Network) Layers() []LayerInfo {
	out := make([]LayerInfo, len(n.layers))
	for i := range n.layers {
		l := &n.layers[i]
		out[i] = l.info()
		if l.Kind == MaxPool {
			continue
		}
		out[i].Weights, out[i].Bias = l.weights(n.Params), l.bias(n.Params)
		if l.BN {
			out[i].RunMean, out[i].RunVar = l.runMean(n.Params), l.runVar(n.Params)
		}
	}
	return out
}

// info describes the layer without its parameters.
func (l *layer) info() LayerInfo {
	return LayerInfo{LayerSpec: l.LayerSpec, In: l.in, Out: l.out, PadT: l.padT, PadL: l.padL}
}
