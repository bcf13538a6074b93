package quant

import (
	"fmt"
	"os"
	"runtime"
	"testing"

	"github.com/edgeconv/edgeconv/engine"
	"github.com/edgeconv/edgeconv/engine/enginetest"
	"golang.org/x/sys/unix"
)

// threadCPU returns the calling thread's CPU time in nanoseconds: on a
// shared machine it measures the work, not the wait.
func threadCPU() int64 {
	var ts unix.Timespec
	if unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts) != nil {
		return 0
	}
	return ts.Nano()
}

// loop runs fn b.N times on a locked thread and reports, beside ns/op, the
// thread's CPU time per op and per image.
func loop(b *testing.B, batch int, fn func()) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	b.ReportAllocs()
	fn()
	b.ResetTimer()
	t0 := threadCPU()
	for range b.N {
		fn()
	}
	cpu := float64(threadCPU()-t0) / float64(b.N)
	b.ReportMetric(cpu, "cpu-ns/op")
	b.ReportMetric(cpu/1e3/float64(batch), "cpu-µs/image")
}

// benchNets returns the seed99 float network and its quantised form. The
// weights do not change the time: a model named by $EDGECONV_BENCH_MODEL is
// used if set, otherwise a freshly initialised seed99, calibrated on
// synthetic images.
func benchNets(b *testing.B) (*engine.Network, *Network) {
	b.Helper()
	var net *engine.Network
	if path := os.Getenv("EDGECONV_BENCH_MODEL"); path != "" {
		var err error
		if net, err = engine.LoadFile(path); err != nil {
			b.Fatal(err)
		}
	} else {
		net = enginetest.Net(b, "conv 6x6 6 s1 relu; conv 5x5 12 s2 relu; conv 4x4 24 s2 relu; dense 200 relu keep=0.75; dense 10", 1)
	}
	calib := make([][]float32, 20)
	for i := range calib {
		calib[i] = make([]float32, net.InputSize())
		for j := range calib[i] {
			calib[i][j] = float32((i*31+j*7)%256) / 255
		}
	}
	q, err := Quantize(net, calib, Options{})
	if err != nil {
		b.Fatal(err)
	}
	return net, q
}

// BenchmarkForward times seed99 inference on one core, float32
// (engine.Plan) beside int8 (quant.Plan), at batch 1 and 100. ns/op and cpu-ns/op
// (the thread's CPU time, steady on a shared machine) are per batch;
// cpu-µs/image divides by the batch.
func BenchmarkForward(b *testing.B) {
	net, q := benchNets(b)
	for _, batch := range []int{1, 100} {
		pixels := make([]uint8, batch*net.InputSize())
		x := make([]float32, len(pixels))
		for i := range pixels {
			pixels[i] = uint8(i * 13)
			x[i] = float32(pixels[i]) / 255
		}
		b.Run(fmt.Sprintf("float32/batch%d", batch), func(b *testing.B) {
			p := engine.NewPlan(net, batch, engine.PlanOptions{Workers: 1})
			defer p.Close()
			loop(b, batch, func() { p.Forward(x, batch) })
		})
		b.Run(fmt.Sprintf("int8/batch%d", batch), func(b *testing.B) {
			p := NewPlan(q, batch, 1)
			defer p.Close()
			loop(b, batch, func() { p.Forward(pixels, batch) })
		})
	}
}
