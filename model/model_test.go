package model_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/edgeconv/edgeconv/engine"
	"github.com/edgeconv/edgeconv/engine/enginetest"
	"github.com/edgeconv/edgeconv/engine/safetensors"
	"github.com/edgeconv/edgeconv/model"
	"github.com/edgeconv/edgeconv/model/modeltest"
	"github.com/edgeconv/edgeconv/quant"
	"github.com/edgeconv/edgeconv/train"
)

const seed99 = "conv 6x6 6 s1 relu; conv 5x5 12 s2 relu; conv 4x4 24 s2 relu; dense 200 relu keep=0.75; dense 10"

// randomPixels returns n images of random bytes.
func randomPixels(n int, seed uint64) []uint8 {
	rng := rand.New(rand.NewPCG(seed, 1))
	px := make([]uint8, n*model.Size)
	for i := range px {
		px[i] = uint8(rng.Uint32())
	}
	return px
}

// fileBytes serialises a model file.
func fileBytes(t testing.TB, meta map[string]string, ts []safetensors.Tensor) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := safetensors.Write(&b, meta, ts); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// mustLoad is model.Load, failing t on an error.
func mustLoad(t testing.TB, name string, data []byte) *model.Model {
	t.Helper()
	m, err := model.Load(name, data)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// mustFromNetwork is model.FromNetwork, failing t on an error.
func mustFromNetwork(t testing.TB, net *engine.Network, name string) *model.Model {
	t.Helper()
	m, err := model.FromNetwork(net, name)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// quantized returns net quantised on calibration images of random pixels.
func quantized(t testing.TB, net *engine.Network) *quant.Network {
	t.Helper()
	px := randomPixels(20, 7)
	calib := make([][]float32, 20)
	for i := range calib {
		calib[i] = make([]float32, model.Size)
		model.ScalePixels(calib[i], px[i*model.Size:(i+1)*model.Size])
	}
	q, err := quant.Quantize(net, calib, quant.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return q
}

func TestDefault(t *testing.T) {
	m := modeltest.Default(t)
	if m.Name() != model.DefaultName || m.Label() != "default" || m.String() != "default int8" {
		t.Errorf("name %q, label %q, string %q", m.Name(), m.Label(), m.String())
	}
	// seed99r: seed99 with the NotDigit class.
	seed99r := strings.TrimSuffix(seed99, "dense 10") + "dense 11"
	if m.Precision() != model.Int8 || m.Format() != quant.Format || m.Classes() != 11 || !m.HasNotDigit() ||
		m.Input() != engine.MNISTInput || m.Spec().String() != "input 28x28x1; "+seed99r {
		t.Errorf("precision %v, format %q, %d classes, input %v, spec %q", m.Precision(), m.Format(), m.Classes(), m.Input(), m.Spec())
	}
	data, err := os.ReadFile("default.safetensors")
	if err != nil {
		t.Fatal(err)
	}
	if len(data) > 1200<<10 {
		t.Errorf("the embedded model is %d bytes, over 1.2 MB", len(data))
	}
	sum := sha256.Sum256(data)
	if m.SHA256() != hex.EncodeToString(sum[:]) || m.FileSize() != len(data) {
		t.Errorf("SHA-256 %s, size %d; the file's are %x, %d", m.SHA256(), m.FileSize(), sum, len(data))
	}
	// docs/DESIGN.md, "The cost model": 0.985 million multiply-adds, and
	// 200 more for the 11th class.
	if got, want := m.FLOPs(), int64(2*(169344+352800+225792+235200+2200)); got != want {
		t.Errorf("FLOPs %d, want %d", got, want)
	}
	var shapes []string
	params := 0
	for _, l := range m.Layers() {
		shapes = append(shapes, l.In.String()+">"+l.Out.String())
		params += l.Params
	}
	if got, want := strings.Join(shapes, " "), "28x28x1>28x28x6 28x28x6>14x14x12 14x14x12>7x7x24 7x7x24>1x1x200 1x1x200>1x1x11"; got != want {
		t.Errorf("layers %s, want %s", got, want)
	}
	if int64(params) != m.Spec().Params() {
		t.Errorf("layers hold %d parameters, the spec %d", params, m.Spec().Params())
	}
	net, err := m.FloatNetwork()
	if err != nil || net.Spec.String() != m.Spec().String() {
		t.Fatalf("dequantised network: %v", err)
	}
	if again, _ := m.FloatNetwork(); again != net {
		t.Error("FloatNetwork dequantised twice")
	}
	if again, _ := model.Default(); again != m {
		t.Error("Default parsed the embedded model twice")
	}
}

// TestFormats opens the same network as a float32 file, a checkpoint, a
// network in memory and an int8 file: the float32 forms classify alike,
// bit for bit, and the int8 one close to them.
func TestFormats(t *testing.T) {
	net := enginetest.Net(t, seed99, 3)
	meta, ts := net.SafeTensors()
	float := fileBytes(t, meta, ts)
	meta[engine.FormatKey] = engine.FormatCheckpoint
	ckpt := fileBytes(t, meta, append(ts, safetensors.Tensor{Name: "adam.m", DType: "F32", Shape: []int{1}, Data: make([]byte, 4)}))
	qm, qts := quantized(t, net).SafeTensors()
	int8 := fileBytes(t, qm, qts)

	path := filepath.Join(t.TempDir(), "net.safetensors")
	if err := os.WriteFile(path, float, 0o644); err != nil {
		t.Fatal(err)
	}
	fromFile, err := model.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	fromCkpt := mustLoad(t, "ckpt", ckpt)
	fromNet := mustFromNetwork(t, net, "memory")
	fromInt8 := mustLoad(t, "int8", int8)
	for _, c := range []struct {
		m         *model.Model
		format    string
		precision model.Precision
		label     string
	}{
		{fromFile, engine.FormatFloat32, model.Float32, "net"},
		{fromCkpt, engine.FormatCheckpoint, model.Float32, "ckpt"},
		{fromNet, "", model.Float32, "memory"},
		{fromInt8, quant.Format, model.Int8, "int8"},
	} {
		if c.m.Format() != c.format || c.m.Precision() != c.precision || c.m.Label() != c.label || c.m.FLOPs() != net.FLOPs() {
			t.Errorf("%s: format %q precision %v label %q FLOPs %d", c.label, c.m.Format(), c.m.Precision(), c.m.Label(), c.m.FLOPs())
		}
		if (c.m.SHA256() == "") != (c.format == "") {
			t.Errorf("%s: SHA-256 %q", c.label, c.m.SHA256())
		}
	}
	if n, _ := fromNet.FloatNetwork(); n != net {
		t.Error("FloatNetwork does not return the float32 network")
	}
	px := randomPixels(40, 1)
	want := classifyAll(t, fromNet, model.Options{}, px)
	for _, m := range []*model.Model{fromFile, fromCkpt} {
		got := classifyAll(t, m, model.Options{}, px)
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("%s: image %d: %+v, want %+v", m.Name(), i, got[i], want[i])
			}
		}
	}
	// Random weights on random pixels: the int8 network agrees with the
	// float one on most images, and its dequantised run too.
	for _, float := range []bool{false, true} {
		got := classifyAll(t, fromInt8, model.Options{Float: float}, px)
		agree := 0
		for i := range want {
			if got[i].Class == want[i].Class {
				agree++
			}
		}
		if agree < len(want)*8/10 {
			t.Errorf("int8 (float %v) agrees with float32 on %d of %d images", float, agree, len(want))
		}
	}
}

// classifyAll classifies px with a new classifier and returns a copy of the
// results.
func classifyAll(t testing.TB, m *model.Model, opts model.Options, px []uint8) []model.Result {
	t.Helper()
	c, err := m.NewClassifier(opts)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	return append([]model.Result(nil), c.Classify(px)...)
}

// TestClassify checks a classifier against the networks run directly:
// classes are the argmax of the plan's logits (the integer logits for int8),
// confidences and Probs their softmax, Loss the plan's cross-entropy, and
// neither the batch size nor the worker count changes the classes.
func TestClassify(t *testing.T) {
	net := enginetest.Net(t, seed99, 5)
	m := mustFromNetwork(t, net, "n")
	const n = 23
	px := randomPixels(n, 2)
	labels := make([]uint8, n)
	for i := range labels {
		labels[i] = uint8(i % 10)
	}
	plan := engine.NewPlan(net, n, engine.PlanOptions{Workers: 1})
	defer plan.Close()
	x := make([]float32, n*model.Size)
	model.ScalePixels(x, px)
	logits := plan.Forward(x, n)
	wantLoss, _ := plan.Loss(labels)
	// The same batch as the plan: the same arithmetic, bit for bit.
	c, err := m.NewClassifier(model.Options{Batch: n})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	res := c.Classify(px)
	if len(res) != n || c.Precision() != model.Float32 || c.Classes() != 10 || c.String() != "n float32" || c.Model() != m {
		t.Fatalf("%d results, precision %v, %d classes, %q", len(res), c.Precision(), c.Classes(), c)
	}
	var loss float64
	for i, r := range res {
		z := logits[i*10 : (i+1)*10]
		p := c.Probs()[i*10 : (i+1)*10]
		best, sum := 0, 0.0
		for j := range z {
			if z[j] > z[best] {
				best = j
			}
			if c.Logits()[i*10+j] != z[j] {
				t.Fatalf("image %d: logit %d is %v, the plan's %v", i, j, c.Logits()[i*10+j], z[j])
			}
			sum += float64(p[j])
		}
		if r.Class != best || r.Confidence != p[best] || math.Abs(sum-1) > 1e-5 {
			t.Errorf("image %d: %+v, argmax %d, probabilities %v", i, r, best, p)
		}
		var e float64
		for _, v := range z {
			e += math.Exp(float64(v - z[best]))
		}
		if want := 1 / e; math.Abs(float64(r.Confidence)-want) > 1e-6 {
			t.Errorf("image %d: confidence %v, want %v", i, r.Confidence, want)
		}
		loss += c.Loss(i, int(labels[i]))
	}
	if loss /= n; math.Abs(loss-wantLoss) > 1e-9*wantLoss {
		t.Errorf("mean loss %v, the plan's %v", loss, wantLoss)
	}
	for _, o := range []model.Options{{Batch: 1}, {Batch: 5}, {Batch: 64, Workers: 3}, {Batch: 7, Workers: 2}} {
		got := classifyAll(t, m, o, px)
		for i := range got {
			if got[i].Class != res[i].Class || math.Abs(float64(got[i].Confidence-res[i].Confidence)) > 1e-5 {
				t.Errorf("%+v: image %d: %+v, want %+v", o, i, got[i], res[i])
			}
		}
	}
	// Fewer images than before reuse the buffers; none is fine too.
	if got := c.Classify(px[:3*model.Size]); len(got) != 3 || got[2].Class != res[2].Class {
		t.Errorf("3 images: %+v", got)
	}
	if got := c.Classify(nil); len(got) != 0 {
		t.Errorf("no images: %+v", got)
	}

	// int8: the class is the argmax of the integer logits.
	q := quantized(t, net)
	qm, qts := q.SafeTensors()
	m8 := mustLoad(t, "q", fileBytes(t, qm, qts))
	qp := quant.NewPlan(q, n, 1)
	defer qp.Close()
	ql := qp.Forward(px, n)
	c8, err := m8.NewClassifier(model.Options{Batch: 4})
	if err != nil {
		t.Fatal(err)
	}
	defer c8.Close()
	for i, r := range c8.Classify(px) {
		z := ql[i*10 : (i+1)*10]
		best := 0
		for j := range z {
			if z[j] > z[best] {
				best = j
			}
			if want := float32(float64(z[j]) * float64(q.LogitScale())); c8.Logits()[i*10+j] != want {
				t.Fatalf("int8 image %d: logit %d is %v, want %v", i, j, c8.Logits()[i*10+j], want)
			}
		}
		if r.Class != best {
			t.Errorf("int8 image %d: class %d, integer argmax %d", i, r.Class, best)
		}
	}
	if c8.String() != "q int8" {
		t.Errorf("int8 classifier %q", c8)
	}
}

// TestNotDigit builds an 11-class network, float32 and int8: both open,
// report the NotDigit class and classify into 11 classes.
func TestNotDigit(t *testing.T) {
	net := enginetest.Net(t, strings.Replace(seed99, "dense 10", "dense 11", 1), 9)
	// Make class 10 win on some images: raise its bias.
	ls := net.Layers()
	ls[len(ls)-1].Bias[model.NotDigit] += 2
	net.ParamsChanged()
	qm, qts := quantized(t, net).SafeTensors()
	m8 := mustLoad(t, "eleven.int8", fileBytes(t, qm, qts))
	m32 := mustFromNetwork(t, net, "eleven")
	px := randomPixels(30, 4)
	for _, m := range []*model.Model{m32, m8} {
		if m.Classes() != 11 || !m.HasNotDigit() {
			t.Errorf("%s: %d classes", m, m.Classes())
		}
		notDigit := 0
		for _, r := range classifyAll(t, m, model.Options{}, px) {
			if r.Class < 0 || r.Class > model.NotDigit {
				t.Errorf("%s: class %d", m, r.Class)
			}
			if r.Class == model.NotDigit {
				notDigit++
			}
		}
		if notDigit == 0 {
			t.Errorf("%s: class 10 never chosen", m)
		}
	}
}

// TestHostileFiles: files whose architecture does not read digits, or
// claims more parameters than the file holds (issue: a 114-byte file made
// every command allocate 1.1 TB), give a one-line error naming the file
// before anything large is allocated.
func TestHostileFiles(t *testing.T) {
	header := func(meta map[string]string) []byte {
		h, _ := json.Marshal(map[string]any{"__metadata__": meta})
		b := binary.LittleEndian.AppendUint64(nil, uint64(len(h)))
		return append(b, h...)
	}
	arch := func(a string) map[string]string {
		return map[string]string{"format": "edgeconv-float32", "version": "1", "arch": a}
	}
	wrongShape := func(spec string) []byte {
		net := enginetest.Net(t, spec, 1)
		meta, ts := net.SafeTensors()
		return fileBytes(t, meta, ts)
	}
	int8Bomb := arch("conv 1x1 1024 s1; dense 200; dense 10")
	int8Bomb["format"] = quant.Format
	for _, c := range []struct {
		name string
		data []byte
		want string
	}{
		{"bomb", header(arch("input 4096x4096x1; dense 16384")), "more than 268435456 parameters"},
		{"big-input", header(arch("input 4096x4096x1; dense 10")), "digit models read 28x28x1"},
		{"huge", header(arch("conv 1x1 16384 s1; dense 16384; dense 10")), "more than 268435456 parameters"},
		{"wide", header(arch("conv 1x1 1024 s1; dense 200; dense 10")), "the file holds 0"},
		{"wide-int8", header(int8Bomb), "the file holds 0"},
		{"rgb", wrongShape("input 28x28x3; conv 3x3 4 s2 relu; dense 10"), "reads 28x28x3 images"},
		{"small", wrongShape("input 8x8x1; dense 10"), "reads 8x8x1 images"},
		{"two", wrongShape("conv 3x3 4 s2 relu; dense 2"), "has 2 classes"},
		{"twelve", wrongShape("conv 3x3 4 s2 relu; dense 12"), "has 12 classes"},
		{"format", header(map[string]string{"format": "gguf"}), `format "gguf"`},
		{"noformat", header(map[string]string{}), "no format"},
		{"arch", header(arch("conv 3x3")), "architecture"},
		{"truncated", []byte{40, 0, 0, 0, 0, 0, 0, 0, '{'}, "safetensors"},
		{"empty", nil, "safetensors"},
	} {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		m, err := model.Load(c.name+".safetensors", c.data)
		runtime.ReadMemStats(&after)
		if err == nil || m != nil {
			t.Errorf("%s: loaded", c.name)
			continue
		}
		msg := err.Error()
		if !strings.HasPrefix(msg, c.name+".safetensors: ") || !strings.Contains(msg, c.want) || strings.Contains(msg, "\n") {
			t.Errorf("%s: error %q, want one line naming the file and %q", c.name, msg, c.want)
		}
		if got := after.TotalAlloc - before.TotalAlloc; got > 4<<20 {
			t.Errorf("%s: %d bytes allocated before the error", c.name, got)
		}
	}
	if _, err := model.Open(filepath.Join(t.TempDir(), "missing.safetensors")); err == nil || !strings.Contains(err.Error(), "missing.safetensors") {
		t.Errorf("missing file: %v", err)
	}
	if _, err := model.FromNetwork(enginetest.Net(t, "input 8x8x1; dense 10", 1), "small"); err == nil || !strings.HasPrefix(err.Error(), "small: ") {
		t.Errorf("FromNetwork of an 8x8 network: %v", err)
	}
	m, _ := model.Default()
	for _, o := range []model.Options{{Batch: -1}, {Workers: -2}, {Workers: 100000}} {
		if _, err := m.NewClassifier(o); err == nil {
			t.Errorf("NewClassifier(%+v): no error", o)
		}
	}
	// A batch whose plan would not fit in memory (terabytes) is an error
	// before anything is allocated, not the runtime's fatal out-of-memory.
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := m.NewClassifier(model.Options{Batch: 1 << 30, Workers: 2})
	runtime.ReadMemStats(&after)
	if err == nil || !strings.Contains(err.Error(), "of memory") {
		t.Errorf("NewClassifier of batch 2^30: %v", err)
	}
	if got := after.TotalAlloc - before.TotalAlloc; got > 1<<20 {
		t.Errorf("NewClassifier of batch 2^30: %d bytes allocated before the error", got)
	}
}

func TestScalePixels(t *testing.T) {
	src := make([]uint8, 256)
	for i := range src {
		src[i] = uint8(i)
	}
	dst := make([]float32, 256)
	model.ScalePixels(dst, src)
	for i, v := range dst {
		if v != float32(i)/255 {
			t.Fatalf("ScalePixels(%d) = %v, want %v", i, v, float32(i)/255)
		}
	}
}

// classifyDefault classifies images with the embedded model, in batches of
// 4, and returns the model, the classifier (closed when the test ends) and
// a copy of the results.
func classifyDefault(t *testing.T, images []uint8) (*model.Model, *model.Classifier, []model.Result) {
	t.Helper()
	m := modeltest.Default(t)
	c, err := m.NewClassifier(model.Options{Batch: 4})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return m, c, append([]model.Result(nil), c.Classify(images)...)
}

// TestLikeliestDigit: the most probable of the ten digit classes, whatever
// the not-a-digit class says, on held-out negatives (letters, symbols,
// fragments), most of which the embedded model calls not a digit.
func TestLikeliestDigit(t *testing.T) {
	neg, err := train.HeldOutNegatives(16, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	m, c, res := classifyDefault(t, neg.Images)
	notDigit := 0
	for i := range res {
		p := c.Probs()[i*m.Classes() : (i+1)*m.Classes()]
		best := 0
		for k := range model.Digits {
			if p[k] > p[best] {
				best = k
			}
		}
		got := c.LikeliestDigit(i)
		if got.Class != best || got.Confidence != p[best] {
			t.Errorf("image %d: %+v, want class %d with %v", i, got, best, p[best])
		}
		if res[i].Class == model.NotDigit {
			notDigit++
		}
	}
	if notDigit == 0 {
		t.Errorf("no negative read as not a digit (%+v): the test does not test the case it is for", res)
	}
}

// TestMean: the mean of one image's probabilities is its own result; of
// several, the class with the largest summed probability and its mean.
func TestMean(t *testing.T) {
	digits, err := train.HeldOutDigits(6, 2, 1)
	if err != nil {
		t.Fatal(err)
	}
	m, c, res := classifyDefault(t, digits.Images)
	k := m.Classes()
	for i := range res {
		if got := c.Mean(i, i+1); got != res[i] {
			t.Errorf("Mean(%d, %d) = %+v, the image's result %+v", i, i+1, got, res[i])
		}
	}
	p := c.Probs()
	best, bestSum := 0, float32(-1)
	for cl := range k {
		var s float32
		for i := 1; i < 5; i++ {
			s += p[i*k+cl]
		}
		if s > bestSum {
			best, bestSum = cl, s
		}
	}
	if got := c.Mean(1, 5); got.Class != best || math.Abs(float64(got.Confidence-bestSum/4)) > 1e-6 {
		t.Errorf("Mean(1, 5) = %+v, want class %d with %v", got, best, bestSum/4)
	}
}

// TestBNMaxPool opens models with batch normalisation and max-pooling:
// the float32 file classifies as the network in memory does, the layers
// report their parameters, and both quantise to int8 files (the
// normalisation folded) that agree with them.
func TestBNMaxPool(t *testing.T) {
	const pooled = "conv 5x5 8 s1 bn relu; maxpool 2x2; conv 3x3 16 s1 bn relu; maxpool 2x2; dense 50 bn relu keep=0.75; dense 10"
	const seed995 = "conv 6x6 24 s1 bn relu; conv 5x5 48 s2 bn relu; conv 4x4 64 s2 bn relu; dense 200 bn relu keep=0.75; dense 10"
	px := randomPixels(40, 2)
	for _, spec := range []string{pooled, seed995} {
		net := enginetest.Net(t, spec, 5)
		// Running statistics a trained network could have.
		rng := rand.New(rand.NewPCG(5, 5))
		for _, l := range net.Layers() {
			for c := range l.RunMean {
				l.RunMean[c], l.RunVar[c] = float32(rng.NormFloat64()), float32(0.5+rng.Float64())
			}
		}
		net.ParamsChanged()
		meta, ts := net.SafeTensors()
		fromFile := mustLoad(t, "bn", fileBytes(t, meta, ts))
		fromNet := mustFromNetwork(t, net, "memory")
		if fromFile.Spec().String() != net.Spec.String() {
			t.Errorf("spec %q", fromFile.Spec())
		}
		params := 0
		for _, l := range fromFile.Layers() {
			params += l.Params
			if l.Kind == engine.MaxPool && (l.Params != 0 || l.FLOPs != 0) {
				t.Errorf("max-pooling layer: %+v", l)
			}
		}
		if params != len(net.Params) {
			t.Errorf("layers report %d parameters, the network has %d", params, len(net.Params))
		}
		want := classifyAll(t, fromNet, model.Options{}, px)
		got := classifyAll(t, fromFile, model.Options{Workers: 2, Batch: 7}, px)
		for i := range want {
			if got[i].Class != want[i].Class || math.Abs(float64(got[i].Confidence-want[i].Confidence)) > 1e-4 {
				t.Fatalf("%s: image %d: %+v, want %+v", spec, i, got[i], want[i])
			}
		}
		qm, qts := quantized(t, net).SafeTensors()
		int8 := mustLoad(t, "int8", fileBytes(t, qm, qts))
		if int8.Spec().HasBN() || int8.FLOPs() != fromFile.FLOPs() {
			t.Errorf("int8 model: spec %q, %d FLOPs", int8.Spec(), int8.FLOPs())
		}
		agree := 0
		for i, r := range classifyAll(t, int8, model.Options{}, px) {
			if r.Class == want[i].Class {
				agree++
			}
		}
		if agree < len(want)*8/10 {
			t.Errorf("int8 agrees with float32 on %d of %d images", agree, len(want))
		}
	}
}
