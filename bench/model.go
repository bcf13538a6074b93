package bench

import (
	"math/rand/v2"

	"github.com/edgeconv/edgeconv/engine"
	"github.com/edgeconv/edgeconv/train"
)

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
