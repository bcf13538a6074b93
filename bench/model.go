package bench

import (
	"math/rand/v2"

	"github.com/edgeconv/edgeconv/engine"
	"github.com/edgeconv/edgeconv/train"
)

// Model is a network that the measurements can run: the float32 engine
// through Float, and an int8 network through an adapter of the same shape.
type Model interface {
	// FLOPs returns the operations of one sample's forward pass, counting a
	// multiply-add as two (for an int8 network, integer multiply-adds).
	FLOPs() int64
	// InputSize returns the number of float32 values in one input sample,
	// (H, W, C) NHWC.
	InputSize() int
	// NewRunner prepares inference for batches of up to batch samples,
	// shared by workers goroutines.
	NewRunner(batch, workers int) Runner
}

// Runner runs inference; *engine.Plan is one. Forward takes n samples of x,
// (n, H, W, C) NHWC float32, and returns their logits, which belong to the
// runner. Close releases its goroutines.
type Runner interface {
	Forward(x []float32, n int) []float32
	Close()
}

// Float is a float32 network as a Model.
type Float struct{ *engine.Network }

// NewRunner implements Model with an inference plan.
func (f Float) NewRunner(batch, workers int) Runner {
	return engine.NewPlan(f.Network, batch, engine.PlanOptions{Workers: workers})
}

var _ Model = Float{}

// PresetNetwork returns the named train preset's network with weights drawn
// by Network.Init(seed).
func PresetNetwork(name string, seed uint64) (*engine.Network, error) {
	_, spec, err := train.LookupPreset(name)
	if err != nil {
		return nil, err
	}
	net, err := engine.New(spec)
	if err != nil {
		return nil, err
	}
	net.Init(seed)
	return net, nil
}

// TrainFLOPs returns the operations of one training sample (forward and
// backward, a multiply-add counting as two): three times the forward pass
// less the first layer's input gradient, which is not computed. For seed99
// that is 5.57 MFLOP against 1.97 MFLOP forward.
func TrainFLOPs(net *engine.Network) int64 {
	f := 3 * net.FLOPs()
	if ls := net.Layers(); len(ls) > 0 {
		f -= 2 * int64(ls[0].Out.Size()) * int64(len(ls[0].Weights)/ls[0].Out.C)
	}
	return f
}

// RandomDataset returns n random images of shape (H, W) with random labels
// below classes, reproducible from seed: a stand-in for MNIST that runs at
// the same speed.
func RandomDataset(n int, in engine.Shape, classes int, seed uint64) *train.Dataset {
	rng := rand.New(rand.NewPCG(seed, 0x62656e6368)) // "bench"
	size := in.H * in.W
	ds := &train.Dataset{Images: make([]uint8, n*size), Labels: make([]uint8, n), N: n, Rows: in.H, Cols: in.W}
	for i := range ds.Images {
		ds.Images[i] = uint8(rng.Uint32())
	}
	for i := range ds.Labels {
		ds.Labels[i] = uint8(rng.IntN(min(classes, 256)))
	}
	return ds
}

// Inputs fills a batch of n samples from ds (cycling through it), pixels
// scaled to [0, 1] as training scales them: (n, H, W, 1) NHWC.
func Inputs(ds *train.Dataset, n int) []float32 {
	x := make([]float32, n*ds.Rows*ds.Cols)
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i % ds.N
	}
	ds.Batch(x, nil, idx)
	return x
}
