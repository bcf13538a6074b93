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
	// InputSize returns the number of values in one input sample, H·W·C.
	InputSize() int
	// NewRunner prepares inference on pixels, (batch, H, W, C) NHWC bytes as
	// MNIST stores them, for batches of up to batch samples shared by
	// workers goroutines. The runner converts the pixels to its own input
	// format here, once, so that the timed Run measures the network alone.
	NewRunner(batch, workers int, pixels []uint8) Runner
}

// Runner runs inference prepared by Model.NewRunner.
type Runner interface {
	// Run infers the first n samples of the runner's pixels.
	Run(n int)
	// Close releases the runner's goroutines.
	Close()
}

// Float is a float32 network as a Model: its input is the pixels divided by
// 255, as training scales them.
type Float struct{ *engine.Network }

// NewRunner implements Model with an inference plan.
func (f Float) NewRunner(batch, workers int, pixels []uint8) Runner {
	return floatRunner{engine.NewPlan(f.Network, batch, engine.PlanOptions{Workers: workers}), Scale(pixels)}
}

type floatRunner struct {
	plan *engine.Plan
	x    []float32
}

func (r floatRunner) Run(n int) { r.plan.Forward(r.x, n) }
func (r floatRunner) Close()    { r.plan.Close() }

// Scale returns pixels divided by 255 as float32, the network input that
// training uses.
func Scale(pixels []uint8) []float32 {
	x := make([]float32, len(pixels))
	for i, p := range pixels {
		x[i] = float32(p) / 255
	}
	return x
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

// Pixels returns n samples from ds, cycling through it: (n, Rows, Cols)
// bytes.
func Pixels(ds *train.Dataset, n int) []uint8 {
	size := ds.Rows * ds.Cols
	px := make([]uint8, n*size)
	for i := range n {
		copy(px[i*size:(i+1)*size], ds.Image(i%ds.N))
	}
	return px
}
