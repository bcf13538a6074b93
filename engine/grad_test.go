package engine

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// refLoss is an independent float64 reference of the forward pass and the
// mean softmax cross-entropy: direct loops, no im2col, no kernels. Dropout
// uses the same masks as the engine (dropoutMask) when dropSeed is non-zero;
// batch normalisation uses the batch's statistics then (ForwardTrain), the
// running ones otherwise.
func refLoss(net *Network, params []float64, x []float32, labels []uint8, n int, dropSeed uint64) float64 {
	in := float64s(x[:n*net.InputSize()])
	for li := range net.layers {
		l := &net.layers[li]
		if l.Kind == MaxPool {
			in = refMaxPool(l, in, n)
			continue
		}
		w, b := params[l.wOff:l.wOff+l.wLen], params[l.bOff:l.bOff+l.out.C]
		if l.BN {
			b = make([]float64, l.out.C) // no bias before the normalisation
		}
		out := refLayer(l, w, b, in, n)
		if l.ReLU && !l.BN {
			for i, v := range out {
				if v < 0 {
					out[i] = 0
				}
			}
		}
		if l.BN {
			refBatchNorm(l, params, out, dropSeed != 0)
		}
		if dropSeed != 0 && l.HasDropout() {
			mask := make([]float32, len(out))
			dropoutMask(mask, dropSeed, li, 0, l.Keep)
			for i := range out {
				out[i] *= float64(mask[i])
			}
		}
		in = out
	}
	classes := net.Classes()
	var loss float64
	for s := range n {
		z := in[s*classes : (s+1)*classes]
		zmax := z[0]
		for _, v := range z {
			zmax = math.Max(zmax, v)
		}
		var sum float64
		for _, v := range z {
			sum += math.Exp(v - zmax)
		}
		loss += math.Log(sum) - (z[labels[s]] - zmax)
	}
	return loss / float64(n)
}

// refBatchNorm normalises out, a BN layer's products, with the batch's
// statistics (batch) or the running ones in params, adds the offset and
// applies the layer's ReLU, in place.
func refBatchNorm(l *layer, params, out []float64, batch bool) {
	C := l.out.C
	for c := range C {
		var mean, variance float64
		if batch {
			cnt := 0
			for j := c; j < len(out); j += C {
				mean += out[j]
				cnt++
			}
			mean /= float64(cnt)
			for j := c; j < len(out); j += C {
				variance += (out[j] - mean) * (out[j] - mean)
			}
			variance /= float64(cnt)
		} else {
			mean, variance = params[l.mOff+c], params[l.mOff+C+c]
		}
		inv := 1 / math.Sqrt(variance+bnEpsilon)
		for j := c; j < len(out); j += C {
			v := (out[j]-mean)*inv + params[l.bOff+c]
			if l.ReLU && v < 0 {
				v = 0
			}
			out[j] = v
		}
	}
}

// refMaxPool is the textbook max-pooling of n samples of in.
func refMaxPool(l *layer, in []float64, n int) []float64 {
	out := make([]float64, n*l.out.Size())
	for s := range n {
		for oy := range l.out.H {
			for ox := range l.out.W {
				for c := range l.out.C {
					m := math.Inf(-1)
					for ky := range l.KH {
						for kx := range l.KW {
							iy, ix := oy*l.Stride-l.padT+ky, ox*l.Stride-l.padL+kx
							if iy >= 0 && ix >= 0 && iy < l.in.H && ix < l.in.W {
								m = math.Max(m, in[((s*l.in.H+iy)*l.in.W+ix)*l.in.C+c])
							}
						}
					}
					out[((s*l.out.H+oy)*l.out.W+ox)*l.out.C+c] = m
				}
			}
		}
	}
	return out
}

// TestGradients checks every parameter gradient of the engine, and through
// them every activation gradient, against central finite differences of the
// float64 reference, on networks that cover both paddings, strides 1 to 3,
// odd sizes, dropout, ReLU, batch normalisation, max-pooling and several
// workers.
func TestGradients(t *testing.T) {
	cases := []struct {
		spec    string
		n       int
		workers int
	}{
		{"input 5x5x2; conv 3x3 4 s1 relu; dense 3", 2, 1},
		{"input 9x7x1; conv 5x5 4 s1; conv 5x5 8 s2; dense 10", 2, 1},
		{"input 7x9x3; conv 3x3 5 s2 relu; conv 4x4 6 s2 valid relu; dense 7 relu; dense 4", 3, 1},
		{"input 9x7x1; conv 5x5 4 s1; conv 5x5 8 s2 relu; conv 4x4 12 s2 relu; dense 20 relu keep=0.5; dense 10", 4, 2},
		{"input 8x8x2; conv 2x2 3 s2 valid relu; conv 3x3 2 s3 relu keep=0.7; dense 5", 3, 3},
		{"input 6x6x1; conv 6x6 3 s1 relu; dense 6 keep=0.8; dense 2", 5, 2},
		{"input 28x28x1; conv 6x6 2 s1 relu; conv 5x5 3 s2 relu; conv 4x4 4 s2 relu; dense 8 relu keep=0.75; dense 10", 2, 2},
		{"input 6x6x2; conv 3x3 4 s1 bn relu; dense 3", 3, 1},
		{"input 9x7x1; conv 5x5 4 s1 bn relu; maxpool 2x2; conv 3x3 6 s1 bn; dense 8 bn relu keep=0.75; dense 4", 4, 2},
		{"input 7x7x3; maxpool 3x3 s2; conv 3x3 4 s1 relu; maxpool 2x2 s2 valid; dense 5 bn relu; dense 3", 5, 3},
		{"input 8x8x1; conv 3x3 3 s1 bn relu; maxpool 3x3 s2; conv 2x2 5 s2 valid bn relu keep=0.8; dense 4", 3, 2},
	}
	for ci, c := range cases {
		t.Run(fmt.Sprint(ci), func(t *testing.T) {
			if testing.Short() && strings.HasPrefix(c.spec, "input 28x28") {
				t.Skip("large network; run without -short")
			}
			spec, err := ParseSpec(c.spec)
			if err != nil {
				t.Fatal(err)
			}
			net, err := New(spec)
			if err != nil {
				t.Fatal(err)
			}
			rng := rand.New(rand.NewPCG(uint64(ci), 7))
			for i := range net.Params {
				net.Params[i] = float32(rng.NormFloat64() * 0.3)
			}
			x := make([]float32, c.n*net.InputSize())
			for i := range x {
				x[i] = rng.Float32()
			}
			labels := make([]uint8, c.n)
			for i := range labels {
				labels[i] = uint8(rng.IntN(net.Classes()))
			}
			p := NewPlan(net, c.n+1, PlanOptions{Workers: c.workers, Training: true})
			defer p.Close()
			const seed = 12345
			p.ForwardTrain(x, c.n, seed)
			engineLoss, _ := p.Loss(labels)
			p.Backward()
			grad := p.Grad()

			params := float64s(net.Params)
			if want := refLoss(net, params, x, labels, c.n, seed); math.Abs(engineLoss-want) > 1e-5*math.Max(1, want) {
				t.Fatalf("loss %v, reference %v", engineLoss, want)
			}
			// Central differences at two step sizes: where they disagree, a
			// ReLU kink lies within the step and the difference says nothing
			// about the derivative, so the parameter is skipped (few are).
			numeric := func(i int, h float64) float64 {
				orig := params[i]
				params[i] = orig + h
				lp := refLoss(net, params, x, labels, c.n, seed)
				params[i] = orig - h
				lm := refLoss(net, params, x, labels, c.n, seed)
				params[i] = orig
				return (lp - lm) / (2 * h)
			}
			near := func(a, b float64) bool {
				d := math.Abs(a - b)
				return d <= 1e-5 || d <= 1e-3*math.Max(math.Abs(a), math.Abs(b))
			}
			// The numeric derivatives come from the float64 reference, the
			// same on every architecture and slow under emulation: -short
			// (the qemu and purego runs, which are here for the engine's
			// own gradient) checks every stride-th parameter, at least
			// shortParams of them; the native run checks all.
			stride := 1
			if testing.Short() {
				stride = max(1, len(params)/shortParams)
			}
			skipped, checked := 0, 0
			for i := 0; i < len(params); i += stride {
				checked++
				n1, n2 := numeric(i, 1e-5), numeric(i, 1e-6)
				if !near(n1, n2) {
					skipped++
					continue
				}
				if ana := float64(grad[i]); !near(ana, n2) {
					t.Errorf("param %d: analytic %.6g, numeric %.6g (spec %q)", i, ana, n2, c.spec)
				}
			}
			if skipped > checked/50+1 {
				t.Errorf("%d of %d parameters skipped as non-smooth", skipped, checked)
			}
		})
	}
}

// refLayer is the direct loops of a dense or convolution layer over n NHWC
// inputs, before its ReLU: each output is its bias plus the products of
// the weights with the inputs under them (the window, for a convolution).
func refLayer(l *layer, w, b, in []float64, n int) []float64 {
	out := make([]float64, n*l.out.Size())
	for s := range n {
		for oy := range l.out.H {
			for ox := range l.out.W {
				for co := range l.out.C {
					sum := b[co]
					if l.Kind == Dense {
						for i := range l.in.Size() {
							sum += in[s*l.in.Size()+i] * w[i*l.out.C+co]
						}
					} else {
						for ky := range l.KH {
							for kx := range l.KW {
								iy, ix := oy*l.Stride-l.padT+ky, ox*l.Stride-l.padL+kx
								if iy < 0 || ix < 0 || iy >= l.in.H || ix >= l.in.W {
									continue
								}
								for ci := range l.in.C {
									sum += in[((s*l.in.H+iy)*l.in.W+ix)*l.in.C+ci] * w[((ky*l.KW+kx)*l.in.C+ci)*l.out.C+co]
								}
							}
						}
					}
					out[((s*l.out.H+oy)*l.out.W+ox)*l.out.C+co] = sum
				}
			}
		}
	}
	return out
}

// float64s returns x widened to float64.
func float64s(x []float32) []float64 {
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = float64(v)
	}
	return out
}

// shortParams is how many parameters a -short gradient check looks at, at
// least.
const shortParams = 150

// naiveConv is an independent reference for one convolution layer: the
// textbook six nested loops over an NHWC input (refLayer), summed in
// float64.
func naiveConv(l *layer, w, b, in []float32, n int) []float32 {
	sums := refLayer(l, float64s(w), float64s(b), float64s(in), n)
	out := make([]float32, len(sums))
	for i, v := range sums {
		if l.ReLU && v < 0 {
			v = 0
		}
		out[i] = float32(v)
	}
	return out
}

// TestConvForwardMatchesNaive compares the im2col path with the direct loops
// on odd sizes, both paddings and several strides, including MNIST's
// 28×28 → 14×14 stride-2 case.
func TestConvForwardMatchesNaive(t *testing.T) {
	specs := []string{
		"input 28x28x1; conv 6x6 6 s1 relu; dense 2",
		"input 28x28x6; conv 5x5 12 s2 relu; dense 2",
		"input 14x14x12; conv 4x4 24 s2 relu; dense 2",
		"input 9x7x13; conv 3x3 5 s2; dense 2",
		"input 9x7x3; conv 4x2 5 s3 valid relu; dense 2",
		"input 1x1x3; conv 3x3 2 s1; dense 2",
		"input 5x6x2; conv 5x6 3 s1 valid; dense 2",
	}
	for _, s := range specs {
		const n = 3
		net, x := jittered(t, s, 3, 5, 0.01, n)
		for _, workers := range []int{1, 2} {
			p := NewPlan(net, n, PlanOptions{Workers: workers})
			p.Forward(x, n)
			l := &net.layers[0]
			want := naiveConv(l, net.Params[l.wOff:l.wOff+l.wLen], net.Params[l.bOff:l.bOff+l.out.C], x, n)
			got := p.acts[0][:len(want)]
			for i := range want {
				if d := math.Abs(float64(got[i] - want[i])); d > 1e-5 && d > 1e-4*math.Abs(float64(want[i])) {
					t.Fatalf("%s workers=%d: element %d: got %g want %g", s, workers, i, got[i], want[i])
				}
			}
			p.Close()
		}
	}
}

// TestWorkersAgree checks that the loss and gradients do not depend on the
// worker count beyond float rounding.
func TestWorkersAgree(t *testing.T) {
	for _, text := range []string{
		"input 12x12x1; conv 5x5 4 s1 relu; conv 4x4 8 s2 relu; dense 30 relu keep=0.75; dense 10",
		"input 12x12x1; conv 5x5 4 s1 bn relu; maxpool 2x2; conv 3x3 8 s1 bn relu; dense 30 bn relu keep=0.75; dense 10",
	} {
		spec, _ := ParseSpec(text)
		net, _ := New(spec)
		net.Init(1)
		const n = 7
		x, labels := randomBatch(net, n, rand.New(rand.NewPCG(9, 9)))
		init := slices.Clone(net.Params)
		var ref []float32
		var want float64
		for _, workers := range []int{1, 2, 3, 7, 8} {
			copy(net.Params, init) // ForwardTrain moves the running statistics
			p := NewPlan(net, n, PlanOptions{Workers: workers, Training: true})
			p.ForwardTrain(x, n, 77)
			loss, _ := p.Loss(labels)
			p.Backward()
			if ref == nil {
				ref, want = append([]float32(nil), p.Grad()...), loss
			} else {
				if math.Abs(loss-want) > 1e-6 {
					t.Errorf("%s: workers=%d: loss %v, want %v", text, workers, loss, want)
				}
				for i, g := range p.Grad() {
					if d := math.Abs(float64(g - ref[i])); d > 1e-6 && d > 1e-4*math.Abs(float64(ref[i])) {
						t.Fatalf("%s: workers=%d: grad[%d] = %g, want %g", text, workers, i, g, ref[i])
					}
				}
			}
			p.Close()
		}
	}
}

// TestBackwardUpdate checks that BackwardUpdate hands fn every parameter
// once, in pieces within the workers' shares, with Grad holding Backward's
// sum bit for bit by the time fn sees a piece, for several worker counts.
func TestBackwardUpdate(t *testing.T) {
	net := testNet(t, "input 12x12x1; conv 5x5 4 s1 bn relu; conv 4x4 8 s2 relu; dense 700 relu keep=0.75; dense 10")
	const n = 7
	x, labels := randomBatch(net, n, rand.New(rand.NewPCG(3, 4)))
	init := slices.Clone(net.Params)
	for _, workers := range []int{1, 2, 3} {
		copy(net.Params, init)
		p := NewPlan(net, n, PlanOptions{Workers: workers, Training: true})
		p.ForwardTrain(x, n, 5)
		p.Loss(labels)
		p.Backward()
		want := slices.Clone(p.Grad())

		copy(net.Params, init)
		p.ForwardTrain(x, n, 5)
		p.Loss(labels)
		got := make([]float32, len(want))
		seen := make([]int32, len(want)) // fn's calls cover disjoint pieces: no two write one element
		p.BackwardUpdate(func(lo, hi int) {
			copy(got[lo:hi], p.Grad()[lo:hi])
			for i := lo; i < hi; i++ {
				seen[i]++
			}
		})
		for i := range want {
			if seen[i] != 1 {
				t.Fatalf("workers=%d: parameter %d handed to fn %d times", workers, i, seen[i])
			}
			if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
				t.Fatalf("workers=%d: grad[%d] = %g in fn, want Backward's %g", workers, i, got[i], want[i])
			}
		}
		p.Close()
	}
}

// randomBatch returns n random inputs of net in [0, 1) and n random labels
// of 10 classes.
func randomBatch(net *Network, n int, rng *rand.Rand) ([]float32, []uint8) {
	x := make([]float32, n*net.InputSize())
	for i := range x {
		x[i] = rng.Float32()
	}
	labels := make([]uint8, n)
	for i := range labels {
		labels[i] = uint8(rng.IntN(10))
	}
	return x, labels
}
