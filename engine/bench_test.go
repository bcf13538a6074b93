package engine

import (
	"fmt"
	"math"
	"os"
	"testing"
)

// benchModelEnv names a trained float32 model file for BenchmarkForward and
// BenchmarkLayers to run instead of seed99 with random weights: a trained
// model's last ReLU leaves most of the dense layer's inputs zero, which the
// batch-1 plan skips, so only a trained model shows where batch-1 latency
// goes. Its input is then benchDigit rather than benchInput.
const benchModelEnv = "EDGECONV_BENCH_MODEL"

// benchNet returns the network the benchmarks run, and one input image for it.
func benchNet(b *testing.B) (*Network, []float32) {
	path := os.Getenv(benchModelEnv)
	if path == "" {
		net := testNet(b, seed99Spec)
		return net, benchInput(net.InputSize())
	}
	net, err := LoadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	if net.Spec.Input != MNISTInput {
		b.Fatalf("%s: the benchmarks draw 28x28 digits, the model reads %v", path, net.Spec.Input)
	}
	return net, benchDigit()
}

// seed99Spec is train's seed99 preset, the network the engine's speed is
// quoted on and that the tests of a whole network start from.
const seed99Spec = "conv 6x6 6 s1 relu; conv 5x5 12 s2 relu; conv 4x4 24 s2 relu; dense 200 relu keep=0.75; dense 10"

// BenchmarkForward times an inference plan's Forward on seed99 with random
// weights (or the model benchModelEnv names), one worker: batch 1 (latency)
// and batch 100 (throughput).
func BenchmarkForward(b *testing.B) {
	net, img := benchNet(b)
	for _, batch := range []int{1, 100} {
		b.Run(fmt.Sprintf("batch%d", batch), func(b *testing.B) {
			p := NewPlan(net, batch, PlanOptions{Workers: 1})
			defer p.Close()
			x := make([]float32, 0, batch*len(img))
			for range batch {
				x = append(x, img...)
			}
			b.ReportAllocs()
			for b.Loop() {
				p.Forward(x, batch)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*batch)/1e3, "µs/image")
		})
	}
}

// BenchmarkLayers times each layer of seed99's batch-1 inference plan on
// its own (the chain's convolutions writing into the next one's bordered
// image, as in Forward), to show where the latency goes; with
// benchModelEnv set, of the trained model it names.
func BenchmarkLayers(b *testing.B) {
	net, x := benchNet(b)
	p := NewPlan(net, 1, PlanOptions{Workers: 1})
	defer p.Close()
	p.Forward(x, 1) // packs the weights and fills every bordered image
	for i, pl := range p.layers {
		b.Run(fmt.Sprintf("%d-%s", i, [...]string{Conv: "conv", Dense: "dense", MaxPool: "maxpool"}[net.layers[i].Kind]), func(b *testing.B) {
			var run func()
			switch {
			case i < len(p.chain)-1:
				c, next := p.chain[i], p.chain[i+1]
				run = func() { c.runWindows(c.pads[0], next.pads[0][next.interior():], next.rowStep()) }
			case i == len(p.chain)-1:
				c := p.chain[i]
				run = func() { c.runWindows(c.pads[0], p.acts[i], c.l.out.W*c.l.out.C) }
			default:
				in := p.acts[i-1]
				run = func() { pl.forward(&p.shared[0], 0, in, p.acts[i], 0, 1) }
			}
			for b.Loop() {
				run()
			}
		})
	}
}

// benchInput returns n pixel-like values in [0, 1].
func benchInput(n int) []float32 {
	x := make([]float32, n)
	for i := range x {
		x[i] = float32(i*7919%256) / 255
	}
	return x
}

// benchDigit returns a 28x28 image of a digit-like stroke in [0, 1]: a
// slanted ring of the width of an MNIST pen stroke, for a trained model to
// see something like its data.
func benchDigit() []float32 {
	const side = 28
	x := make([]float32, side*side)
	for y := range side {
		for i := range side {
			// Distance from an ellipse 7 wide and 10 high about (14, 14),
			// slanted by a fifth of a pixel per row.
			dx := (float64(i) - 14 + 0.2*(float64(y)-14)) / 6.5
			dy := (float64(y) - 14) / 9.5
			d := math.Abs(math.Hypot(dx, dy)-1) * 7
			x[y*side+i] = float32(max(0, min(1, 2-d)))
		}
	}
	return x
}
