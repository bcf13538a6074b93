package engine

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/edgeconv/edgeconv/internal/filetest"
)

// seed995 is the codelab's batch-norm network (train's preset of that name).
const seed995 = "conv 6x6 24 s1 bn relu; conv 5x5 48 s2 bn relu; conv 4x4 64 s2 bn relu; dense 200 bn relu keep=0.75; dense 10"

func TestParseSpecBNMaxPool(t *testing.T) {
	text := "conv 5x5 8 s1 bn relu; maxpool 2x2 s2; conv 3x3 16 s1 valid bn relu keep=0.9; maxpool 3x3 s2 valid; dense 30 bn relu; dense 10"
	spec, err := ParseSpec(text)
	if err != nil {
		t.Fatal(err)
	}
	if spec.String() != "input 28x28x1; "+text {
		t.Errorf("String() = %q", spec.String())
	}
	net, _ := New(spec)
	checkShapes(t, net, "28x28x8 14x14x8 12x12x16 5x5x16 1x1x30 1x1x10")
	// Each BN layer: weights, offset, running mean and variance.
	want := (25+3)*8 + (9*8+3)*16 + (400+3)*30 + 31*10
	if len(net.Params) != want || spec.Params() != int64(want) {
		t.Errorf("%d parameters (Spec.Params %d), want %d", len(net.Params), spec.Params(), want)
	}
	if s, err := ParseSpec("maxpool 2x2; dense 10"); err != nil || s.Layers[0].Stride != 2 || s.Layers[0].Padding != Same {
		t.Errorf("maxpool's default stride and padding: %+v, %v", s.Layers, err)
	}
	for text, want := range map[string]string{
		"maxpool 2x2 relu; dense 10":      "unknown option",
		"maxpool 2; dense 10":             "kernel size",
		"maxpool 2x2 s0; dense 10":        "stride",
		"maxpool 30x30 s1 valid; dense 9": "larger than its input",
		"conv 3x3 4; dense 10 bn":         "last layer",
		"maxpool 2x2":                     "last layer",
	} {
		if _, err := ParseSpec(text); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseSpec(%q) = %v, want an error mentioning %q", text, err, want)
		}
	}
}

// bnNet returns a network of text with jittered parameters and running
// statistics a trained network could have (positive variances).
func bnNet(t *testing.T, text string, seed uint64, n int) (*Network, []float32) {
	t.Helper()
	net, x := jittered(t, text, 3, seed, 0.05, n)
	rng := rand.New(rand.NewPCG(seed, 1))
	for i := range net.layers {
		l := &net.layers[i]
		if !l.BN {
			continue
		}
		for c := range l.out.C {
			l.runMean(net.Params)[c] = float32(rng.NormFloat64() * 0.3)
			l.runVar(net.Params)[c] = float32(0.05 + rng.Float64())
		}
	}
	net.ParamsChanged()
	return net, x
}

// TestBNInference: an inference plan, which folds the running statistics
// into the weights, a training plan's Forward, which normalises with them,
// and FoldBN's network all compute the float64 reference's loss and the
// same logits.
func TestBNInference(t *testing.T) {
	for _, text := range []string{
		"input 12x12x1; conv 5x5 4 s1 bn relu; conv 3x3 6 s2 bn relu; dense 9 bn relu keep=0.5; dense 4",
		"input 14x14x2; conv 3x3 70 s1 bn relu; maxpool 2x2; dense 5 bn; dense 3", // more channels than fold's table
		"input 28x28x1; " + seed995,
	} {
		const n = 5
		net, x := bnNet(t, text, 7, n)
		labels := []uint8{0, 1, 2, 1, 0}
		params := float64s(net.Params)
		want := refLoss(net, params, x, labels, n, 0)
		var ref []float32
		check := func(what string, logits []float32, loss float64) {
			t.Helper()
			if math.Abs(loss-want) > 1e-4*math.Max(1, want) {
				t.Errorf("%s: %s: loss %v, reference %v", text, what, loss, want)
			}
			if ref == nil {
				ref = slices.Clone(logits)
				return
			}
			for i := range ref {
				if d := math.Abs(float64(logits[i] - ref[i])); d > 1e-4 && d > 1e-4*math.Abs(float64(ref[i])) {
					t.Fatalf("%s: %s: logit %d = %g, want %g", text, what, i, logits[i], ref[i])
				}
			}
		}
		for _, opts := range []PlanOptions{{Workers: 1}, {Workers: 2}, {Workers: 2, path: pathIm2col}, {Workers: 3, Training: true}} {
			p := NewPlan(net, n, opts)
			logits := p.Forward(x, n)
			loss, _ := p.Loss(labels)
			check("plan", logits, loss)
			p.Close()
		}
		folded := net.FoldBN()
		if folded.Spec.HasBN() {
			t.Fatal("FoldBN left a BN layer")
		}
		p := NewPlan(folded, n, PlanOptions{Workers: 1})
		logits := p.Forward(x, n)
		loss, _ := p.Loss(labels)
		check("FoldBN", logits, loss)
		p.Close()
	}
}

// TestBNRunningStats: ForwardTrain moves the running statistics towards
// the batch's, by bnMomentum, with the unbiased variance, and an inference
// plan made before sees them after ParamsChanged.
func TestBNRunningStats(t *testing.T) {
	net, x := bnNet(t, "input 6x6x1; conv 3x3 2 s1 bn relu; dense 3", 2, 4)
	l := &net.layers[0]
	oldMean, oldVar := slices.Clone(l.runMean(net.Params)), slices.Clone(l.runVar(net.Params))
	// The products z by the reference, without the normalisation.
	z := naiveConv(&layer{LayerSpec: LayerSpec{Kind: Conv, KH: 3, KW: 3, Stride: 1, Out: 2}, in: l.in, out: l.out, padT: l.padT, padL: l.padL},
		l.weights(net.Params), make([]float32, 2), x, 4)
	infer := NewPlan(net, 4, PlanOptions{Workers: 1})
	before := slices.Clone(infer.Forward(x, 4))
	p := NewPlan(net, 4, PlanOptions{Workers: 2, Training: true})
	p.ForwardTrain(x, 4, 1)
	for c := range 2 {
		var sum, sq float64
		cnt := 0
		for j := c; j < len(z); j += 2 {
			sum += float64(z[j])
			cnt++
		}
		mean := sum / float64(cnt)
		for j := c; j < len(z); j += 2 {
			sq += (float64(z[j]) - mean) * (float64(z[j]) - mean)
		}
		variance := sq / float64(cnt-1)
		wantMean := 0.99*float64(oldMean[c]) + 0.01*mean
		wantVar := 0.99*float64(oldVar[c]) + 0.01*variance
		if got := float64(l.runMean(net.Params)[c]); math.Abs(got-wantMean) > 1e-6 {
			t.Errorf("channel %d: running mean %v, want %v", c, got, wantMean)
		}
		if got := float64(l.runVar(net.Params)[c]); math.Abs(got-wantVar) > 1e-5*wantVar {
			t.Errorf("channel %d: running variance %v, want %v", c, got, wantVar)
		}
	}
	if after := infer.Forward(x, 4); slices.Equal(after, before) {
		t.Error("the inference plan did not see the new running statistics")
	}
	p.Close()
	infer.Close()
}

// TestBNModelFile: the running statistics go into the model file and come
// back.
func TestBNModelFile(t *testing.T) {
	net, _ := bnNet(t, "conv 5x5 4 s1 bn relu; maxpool 2x2; conv 3x3 6 s2 bn relu; dense 20 bn relu; dense 10", 4, 1)
	got, _ := filetest.RoundTrip(t, "bn.safetensors", net.SaveFile, LoadFile)
	if got.Spec.String() != net.Spec.String() || !slices.Equal(got.Params, net.Params) {
		t.Error("the network differs after a round trip")
	}
	var names []string
	for _, ts := range net.Tensors() {
		names = append(names, ts.Name)
	}
	if !slices.Contains(names, "layer4.running_var") || slices.ContainsFunc(names, func(s string) bool { return strings.HasPrefix(s, "layer2.") }) {
		t.Errorf("tensors %v", names)
	}
}

// TestMaxPoolTies: where a window's values tie, the gradient goes to one
// of them only (the first), as the forward pass took one value.
func TestMaxPoolTies(t *testing.T) {
	net := testNet(t, "input 2x2x1; maxpool 2x2; dense 2")
	p := NewPlan(net, 1, PlanOptions{Workers: 1, Training: true})
	defer p.Close()
	x := []float32{0.5, 0.5, 0.5, 0.25}
	p.ForwardTrain(x, 1, 1)
	if got := p.Activation(0)[0]; got != 0.5 {
		t.Fatalf("max %v", got)
	}
	pp := p.layers[0].(*poolPlan)
	if pp.arg[0] != 0 {
		t.Errorf("argmax %d, want 0", pp.arg[0])
	}
}
