package engine

import (
	"fmt"
	"testing"
)

// seed99Spec is train's seed99 preset, the network the engine's speed is
// quoted on.
const seed99Spec = "conv 6x6 6 s1 relu; conv 5x5 12 s2 relu; conv 4x4 24 s2 relu; dense 200 relu keep=0.75; dense 10"

// BenchmarkForward times an inference plan's Forward on seed99 with random
// weights, one worker: batch 1 (latency) and batch 100 (throughput).
func BenchmarkForward(b *testing.B) {
	net := testNet(b, seed99Spec)
	for _, batch := range []int{1, 100} {
		b.Run(fmt.Sprintf("batch%d", batch), func(b *testing.B) {
			p := NewPlan(net, batch, PlanOptions{Workers: 1})
			defer p.Close()
			x := benchInput(batch * net.InputSize())
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
// image, as in Forward), to show where the latency goes.
func BenchmarkLayers(b *testing.B) {
	net := testNet(b, seed99Spec)
	p := NewPlan(net, 1, PlanOptions{Workers: 1})
	defer p.Close()
	x := benchInput(net.InputSize())
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
