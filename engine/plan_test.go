package engine

import (
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"

	"github.com/edgeconv/edgeconv/engine/kernel"
)

// TestPlanRepacks checks the packing contract: an inference plan keeps the
// weights it packed until Network.ParamsChanged, then computes with the new
// ones exactly as a fresh plan does; a training plan always uses the current
// weights.
func TestPlanRepacks(t *testing.T) {
	const n = 2
	net, x := jittered(t, "input 9x9x2; conv 3x3 4 s2 relu; dense 5 relu; dense 3", 1, 1, 0, n)
	infer := NewPlan(net, n, PlanOptions{Workers: 1})
	defer infer.Close()
	trainPlan := NewPlan(net, n, PlanOptions{Workers: 1, Training: true})
	defer trainPlan.Close()
	before := slices.Clone(infer.Forward(x, n))

	for i := range net.Params {
		net.Params[i] *= -1.5
	}
	if got := infer.Forward(x, n); !slices.Equal(got, before) {
		t.Error("an inference plan changed its result before ParamsChanged")
	}
	fresh := NewPlan(net, n, PlanOptions{Workers: 1})
	defer fresh.Close()
	want := slices.Clone(fresh.Forward(x, n))
	if slices.Equal(want, before) {
		t.Fatal("the change of parameters does not change the logits; the test proves nothing")
	}
	if got := trainPlan.Forward(x, n); !slices.Equal(got, want) {
		t.Errorf("training plan: got %v, want %v", got, want)
	}
	net.ParamsChanged()
	if got := infer.Forward(x, n); !slices.Equal(got, want) {
		t.Errorf("after ParamsChanged: got %v, want %v", got, want)
	}
}

// TestGroupedConv checks the pixel grouping of the forward pass against
// plain im2col, whatever group the kernels of this build would choose: for
// g adjacent pixels per row, cols_g · groupedWeights = cols_1 · w, on
// stride 1 and 2, SAME and VALID padding and several channel counts.
func TestGroupedConv(t *testing.T) {
	specs := []string{
		"input 28x28x1; conv 6x6 6 s1 relu; dense 2",
		"input 12x12x3; conv 5x5 4 s2; dense 2",
		"input 9x12x2; conv 3x4 3 s1 valid; dense 2",
		"input 8x8x5; conv 2x2 2 s2 valid; dense 2",
	}
	for _, text := range specs {
		net := testNet(t, text)
		net.Init(4)
		l := &net.layers[0]
		const n = 2
		x := make([]float32, n*net.InputSize())
		for i := range x {
			x[i] = float32((i*37)%101)/50 - 1
		}
		w := net.Params[l.wOff : l.wOff+l.wLen]
		rows := n * l.out.H * l.out.W
		want := make([]float32, rows*l.out.C)
		cols := make([]float32, rows*l.k()+copyBlock)
		pad := make([]float32, paddedLen(l))
		padded := -1
		im2col(l, 1, x, 0, rows, cols, pad, &padded)
		kernel.Sgemm(false, false, rows, l.out.C, l.k(), cols, l.k(), w, l.out.C, want, l.out.C, false,
			make([]float32, kernel.SgemmScratchLen(rows, l.out.C, l.k())))
		for g := 2; g <= 4; g++ {
			if l.out.W%g != 0 {
				continue
			}
			K, N, m := groupedK(l, g), g*l.out.C, rows/g
			wg := make([]float32, K*N)
			groupedWeights(l, g, w, wg)
			colsG := make([]float32, m*K+copyBlock)
			padded = -1
			im2col(l, g, x, 0, rows, colsG, pad, &padded)
			got := make([]float32, rows*l.out.C)
			kernel.Sgemm(false, false, m, N, K, colsG, K, wg, N, got, N, false,
				make([]float32, kernel.SgemmScratchLen(m, N, K)))
			for i := range want {
				if d := math.Abs(float64(got[i] - want[i])); d > 1e-5 {
					t.Fatalf("%s, g=%d: output %d = %v, want %v", text, g, i, got[i], want[i])
				}
			}
		}
	}
}

// TestConvPathsAgree runs networks of several convolutions through the
// three forward paths of an inference plan: the chain (each layer writing
// into the next one's bordered image), windows read in place layer by layer,
// and the im2col matrix. Their logits must agree to rounding.
func TestConvPathsAgree(t *testing.T) {
	specs := []string{
		"input 28x28x1; conv 6x6 6 s1 relu; conv 5x5 12 s2 relu; conv 4x4 24 s2 relu; dense 200 relu; dense 10",
		"input 28x28x1; conv 5x5 4 s1 relu; conv 5x5 8 s2 relu; conv 4x4 12 s2 relu; dense 20 relu; dense 10",
		// conv2's rows (5·5·12 + 1) are too long to read in place, so
		// there is no chain: conv1 and conv3 read their windows, conv2
		// builds its im2col matrix.
		"input 13x11x3; conv 3x3 12 s1 relu; conv 5x5 7 s2; conv 3x3 5 s1 relu; dense 4",
		// VALID convolutions whose windows leave input rows out: the next
		// bordered image cannot hold the whole output.
		"input 11x10x2; conv 3x3 4 s2 valid relu; conv 2x2 3 s2 valid; conv 1x1 5 s1 relu; dense 3",
		"input 9x7x3; conv 4x2 5 s3 valid relu; conv 3x3 6 s1; dense 2",
	}
	for _, text := range specs {
		const n = 3
		net, x := jittered(t, text, 6, 6, 0.05, n)
		logits := func(path forwardPath) []float32 {
			p := NewPlan(net, n, PlanOptions{Workers: 2, path: path})
			defer p.Close()
			return append([]float32(nil), p.Forward(x, n)...)
		}
		want := logits(pathIm2col)
		for _, path := range []struct {
			name string
			path forwardPath
		}{{"chain", pathBest}, {"windows", pathNoChain}} {
			got := logits(path.path)
			for i := range want {
				if d := math.Abs(float64(got[i] - want[i])); d > 1e-5 && d > 1e-4*math.Abs(float64(want[i])) {
					t.Fatalf("%s, %s path: logit %d = %g, im2col path %g", text, path.name, i, got[i], want[i])
				}
			}
		}
	}
}

// TestConvChainLength checks which leading convolutions form the chain.
func TestConvChainLength(t *testing.T) {
	for _, tt := range []struct {
		spec  string
		chain int
	}{
		{"input 28x28x1; conv 6x6 6 s1 relu; conv 5x5 12 s2 relu; conv 4x4 24 s2 relu; dense 200 relu; dense 10", 3},
		{"input 13x11x3; conv 3x3 12 s1 relu; conv 5x5 7 s2; conv 3x3 5 s1 relu; dense 4", 0},
		{"input 11x10x2; conv 3x3 4 s2 valid relu; conv 2x2 3 s2 valid; conv 1x1 5 s1 relu; dense 3", 0},
		{"input 12x12x2; conv 3x3 4 s1 relu; conv 2x2 11 s2 valid; conv 5x5 20 s1 relu; dense 3", 2},
		{"input 8x8x1; conv 3x3 4 s1 relu; dense 3", 0},
	} {
		net := testNet(t, tt.spec)
		p := NewPlan(net, 1, PlanOptions{Workers: 1})
		if len(p.chain) != tt.chain {
			t.Errorf("%s: chain of %d layers, want %d", tt.spec, len(p.chain), tt.chain)
		}
		p.Close()
	}
}

// TestActivations checks Activation: a plan made with KeepActivations runs
// without the chain and gives every layer's output, the same as a plan that
// reads its windows layer by layer, with the same logits as the chained
// plan; a chained plan keeps only what the chain does not write through.
func TestActivations(t *testing.T) {
	const n = 3
	net, x := jittered(t, "conv 6x6 6 s1 relu; conv 5x5 12 s2 relu; conv 4x4 24 s2 relu; dense 200 relu; dense 10", 2, 2, 0, n)
	keep := NewPlan(net, n, PlanOptions{Workers: 2, KeepActivations: true})
	defer keep.Close()
	ref := NewPlan(net, n, PlanOptions{Workers: 2, path: pathNoChain})
	defer ref.Close()
	chained := NewPlan(net, n, PlanOptions{Workers: 2})
	defer chained.Close()
	if len(keep.chain) != 0 || len(chained.chain) != 3 {
		t.Fatalf("chains of %d and %d layers, want 0 with KeepActivations and 3 without", len(keep.chain), len(chained.chain))
	}
	logits := slices.Clone(keep.Forward(x, 2))
	ref.Forward(x, 2)
	for i, l := range net.Layers() {
		got := keep.Activation(i)
		if len(got) != 2*l.Out.Size() {
			t.Fatalf("layer %d: %d values, want %d", i, len(got), 2*l.Out.Size())
		}
		if !slices.Equal(got, ref.acts[i][:len(got)]) {
			t.Errorf("layer %d: activations differ from the unchained plan's", i)
		}
		if l.ReLU && slices.Min(got) < 0 {
			t.Errorf("layer %d: negative output after ReLU", i)
		}
	}
	if got := chained.Forward(x, 2); !slices.Equal(got, logits) {
		t.Errorf("chained plan: logits %v, want %v", got, logits)
	}
	if got := chained.Activation(len(net.layers) - 1); !slices.Equal(got, logits) {
		t.Errorf("chained plan: Activation of the last layer %v, want the logits %v", got, logits)
	}
	func() {
		defer func() {
			if r := recover(); r != errNoActivation {
				t.Errorf("Activation of a layer inside the chain: panic %v, want %q", r, errNoActivation)
			}
		}()
		chained.Activation(0)
	}()
}

// jittered returns the network of text initialised with seed init, every
// parameter then moved by a normal draw of deviation sd (so that no two
// are alike), and n inputs in [0, 1); the draws come from a generator
// seeded with seed.
func jittered(t *testing.T, text string, init, seed uint64, sd float64, n int) (*Network, []float32) {
	t.Helper()
	net := testNet(t, text)
	net.Init(init)
	rng := rand.New(rand.NewPCG(seed, seed))
	for i := range net.Params {
		net.Params[i] += float32(rng.NormFloat64() * sd)
	}
	x := make([]float32, n*net.InputSize())
	for i := range x {
		x[i] = rng.Float32()
	}
	return net, x
}

// TestPlanBytes: the estimate is above what NewPlan allocates, by at most
// 35% for training plans, for several shapes, batches and workers.
func TestPlanBytes(t *testing.T) {
	if testing.Short() {
		t.Skip("measures allocations")
	}
	for _, c := range []struct {
		spec           string
		batch, workers int
		training       bool
	}{
		{seed99Spec, 100, 2, true},
		{seed99Spec, 250, 2, false},
		{"conv 6x6 24 s1 relu; conv 5x5 48 s2 relu; conv 4x4 64 s2 relu; dense 200 relu; dense 10", 1000, 3, true},
		{"conv 5x5 4 s2 relu; dense 16 relu; dense 10", 1, 1, false},
		{"conv 5x5 4 s2 relu; dense 16 relu; dense 10", 5000, 4, true},
		{"input 64x64x3; conv 3x3 32 s1 valid relu; dense 10", 64, 2, true},
		{"conv 6x6 24 s1 bn relu; conv 5x5 48 s2 bn relu; conv 4x4 64 s2 bn relu; dense 200 bn relu keep=0.75; dense 10", 100, 2, true},
		{"conv 6x6 24 s1 bn relu; conv 5x5 48 s2 bn relu; conv 4x4 64 s2 bn relu; dense 200 bn relu keep=0.75; dense 10", 250, 2, false},
		{"conv 5x5 16 s1 bn relu; maxpool 2x2; conv 5x5 32 s1 relu; maxpool 3x3 s2 valid; dense 10", 100, 2, true},
	} {
		spec, err := ParseSpec(c.spec)
		if err != nil {
			t.Fatal(err)
		}
		net, _ := New(spec)
		opts := PlanOptions{Workers: c.workers, Training: c.training}
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		p := NewPlan(net, c.batch, opts)
		runtime.ReadMemStats(&after)
		p.Close()
		got := int64(after.TotalAlloc-before.TotalAlloc) + int64(len(net.Params))*4
		est := spec.PlanBytes(c.batch, opts)
		if r := float64(est) / float64(got); r < 1 || r > 1.35 && c.training || r > 4 {
			t.Errorf("%s, batch %d, %d workers, training %v: estimate %d bytes, NewPlan allocated %d (ratio %.3f)",
				c.spec, c.batch, c.workers, c.training, est, got, r)
		}
	}
}

// TestDenseSparse checks that a single sample's dense layers, which skip
// their zero inputs, give the bits of the full product, and that a dense
// layer with an infinite weight does not skip (0·∞ is NaN).
func TestDenseSparse(t *testing.T) {
	net := testNet(t, seed99Spec)
	x := benchInput(4 * net.InputSize())
	p := NewPlan(net, 1, PlanOptions{Workers: 1})
	defer p.Close()
	for s := range 4 {
		in := x[s*net.InputSize() : (s+1)*net.InputSize()]
		got := slices.Clone(p.Forward(in, 1))
		for _, pl := range p.layers {
			if d, ok := pl.(*densePlan); ok {
				if !d.sparse {
					t.Fatal("a dense layer with finite weights does not skip zero inputs")
				}
				d.sparse = false
			}
		}
		want := p.Forward(in, 1)
		for i := range want {
			if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
				t.Fatalf("sample %d logit %d: %v skipping zeros, %v without", s, i, got[i], want[i])
			}
		}
		net.ParamsChanged() // repack: sparse again
	}
	d := p.layers[3].(*densePlan)
	d.l.weights(net.Params)[5] = float32(math.Inf(1))
	net.ParamsChanged()
	p.Forward(x, 1)
	if d.sparse {
		t.Error("a dense layer with an infinite weight skips zero inputs")
	}
}

// TestDirectConv checks that a convolution of one channel into six that
// runs the direct kernel (kernel.SconvC1x6S1) gives the bits of the matrix
// product it replaces, with and without ReLU, folded batch normalisation
// included; where the kernel runs no SIMD code the plan keeps the product.
func TestDirectConv(t *testing.T) {
	for _, text := range []string{
		"conv 6x6 6 s1 relu; conv 5x5 12 s2 relu; dense 10",
		"conv 5x5 6 s1; dense 10",
		"conv 6x6 6 s1 bn relu; dense 10",
	} {
		const n = 3
		net, x := jittered(t, text, 3, 3, 0.05, n)
		direct := NewPlan(net, n, PlanOptions{Workers: 1, KeepActivations: true})
		defer direct.Close()
		gemm := NewPlan(net, n, PlanOptions{Workers: 1, path: pathNoDirect})
		defer gemm.Close()
		c := direct.layers[0].(*convPlan)
		if c.direct != kernel.SconvC1x6S1SIMD(28, 28) || gemm.layers[0].(*convPlan).direct {
			t.Fatalf("%s: direct kernel %v and %v, want %v and false", text, c.direct, gemm.layers[0].(*convPlan).direct,
				kernel.SconvC1x6S1SIMD(28, 28))
		}
		direct.Forward(x, n)
		gemm.Forward(x, n)
		got, want := direct.Activation(0), gemm.acts[0][:len(direct.Activation(0))]
		for i := range want {
			if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
				t.Fatalf("%s: output %d = %v directly, %v by the matrix product", text, i, got[i], want[i])
			}
		}
	}
}

// TestForwardTrainLoad checks that ForwardTrainLoad has each worker load
// its own share of the samples once, before it runs them, and computes what
// ForwardTrain computes on the loaded batch, bit for bit, also with batch
// normalisation cutting the pass.
func TestForwardTrainLoad(t *testing.T) {
	for _, text := range []string{
		"input 8x8x1; conv 3x3 4 s1 relu; dense 12 relu keep=0.75; dense 10",
		"input 8x8x1; conv 3x3 4 s1 bn relu; dense 12 bn relu; dense 10",
	} {
		net := testNet(t, text)
		size := net.InputSize()
		const n = 7
		want := make([]float32, n*size)
		for i := range want {
			want[i] = float32(i%13) / 13
		}
		init := slices.Clone(net.Params)
		for _, workers := range []int{1, 2, 3} {
			p := NewPlan(net, 10, PlanOptions{Workers: workers, Training: true})
			copy(net.Params, init) // ForwardTrain moves the running statistics
			ref := slices.Clone(p.ForwardTrain(want, n, 9))
			copy(net.Params, init)
			x := make([]float32, n*size)
			loads := make([]int32, n)
			got := p.ForwardTrainLoad(x, n, 9, func(w, lo, hi int) {
				if l, h := p.pool.Share(w, n); l != lo || h != hi {
					t.Errorf("%s workers=%d: worker %d loads [%d, %d), its share is [%d, %d)", text, workers, w, lo, hi, l, h)
				}
				copy(x[lo*size:hi*size], want[lo*size:hi*size])
				for i := lo; i < hi; i++ {
					loads[i]++
				}
			})
			for i, c := range loads {
				if c != 1 {
					t.Fatalf("%s workers=%d: sample %d loaded %d times", text, workers, i, c)
				}
			}
			if !slices.Equal(got, ref) {
				t.Fatalf("%s workers=%d: logits %v, want ForwardTrain's %v", text, workers, got, ref)
			}
			p.Close()
		}
	}
}
