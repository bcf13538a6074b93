package quant

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/edgeconv/edgeconv/engine"
)

// Network is an integer-only convnet: the float network's geometry with int8
// weights and the fixed-point parameters of every layer.
type Network struct {
	Spec engine.Spec
	// InputScale and InputZero quantise the input: real = (q − InputZero)·
	// InputScale. A pixel p in 0..255 is q = p − 128, so InputScale = 1/255
	// and InputZero = −128 reproduce the float network's p/255 exactly.
	InputScale float32
	InputZero  int32
	Layers     []Layer
}

// Layer is one quantised layer.
type Layer struct {
	engine.LayerSpec
	In, Out    engine.Shape
	PadT, PadL int

	// Weights are symmetric per output channel, in the float layout: (KH,
	// KW, Cin, Cout) or (In, Out); real = q·WeightScale[c], q in [−127, 127].
	Weights     []int8
	WeightScale []float32 // (Out)
	// Bias is int32 at scale InScale·WeightScale[c] with zero point 0.
	Bias []int32 // (Out)
	// Multiplier and Shift requantise channel c's accumulator to the output
	// scale: Multiplier[c]·2^(Shift[c]−31) ≈ InScale·WeightScale[c]/OutScale.
	Multiplier []int32 // (Out)
	Shift      []int32 // (Out)
	// OutScale and OutZero give the output's real value,
	// (q − OutZero)·OutScale. Hidden layers output int8, clamped to
	// [OutZero, 127] after ReLU and [−128, 127] otherwise; the last layer
	// outputs int32 logits with OutZero = 0.
	OutScale float32
	OutZero  int32
}

// K returns the inner dimension of the layer's matrix product.
func (l *Layer) K() int {
	switch l.Kind {
	case engine.Conv:
		return l.KH * l.KW * l.In.C
	case engine.MaxPool:
		return 0
	}
	return l.In.Size()
}

// Method selects how activation ranges are calibrated.
type Method string

// Calibration methods.
const (
	// MinMax takes each activation's range from its smallest and largest
	// value over the calibration images.
	MinMax Method = "minmax"
	// Percentile clips the range to the Options.Percentile-th percentile at
	// the top (and its mirror at the bottom), ignoring rare outliers.
	Percentile Method = "percentile"
)

// Options configures Quantize.
type Options struct {
	Method     Method  // MinMax when empty
	Percentile float64 // for Percentile: in (50, 100]; 99.99 when 0
}

// Errors of Quantize.
var (
	errNoCalib   = errors.New("quant: no calibration samples")
	errBadMethod = errors.New("quant: unknown calibration method")
)

// Quantize converts a float32 network to integers. calib holds the
// calibration samples, each one input of net.InputSize() float32 values in
// [0, 1] (pixels/255, as train.Dataset.Batch makes them): the float network
// runs on them to find every activation's range. Dropout is ignored. Batch
// normalisation is folded into its layer's weights and bias first
// (engine.Network.FoldBN), so the int8 network has none: its Spec is the
// folded network's, without bn. A max-pooling layer keeps its input's
// scale and zero point: the largest of int8 values is the int8 value of
// the largest real one.
func Quantize(net *engine.Network, calib [][]float32, opts Options) (*Network, error) {
	if len(calib) == 0 {
		return nil, errNoCalib
	}
	if net.Spec.HasBN() {
		net = net.FoldBN()
	}
	switch opts.Method {
	case "":
		opts.Method = MinMax
	case MinMax, Percentile:
	default:
		return nil, fmt.Errorf("%w %q (want minmax or percentile)", errBadMethod, opts.Method)
	}
	if opts.Percentile == 0 {
		opts.Percentile = 99.99
	}
	if !(opts.Percentile > 50 && opts.Percentile <= 100) {
		return nil, fmt.Errorf("quant: percentile %v out of (50, 100]", opts.Percentile)
	}
	for i, x := range calib {
		if len(x) != net.InputSize() {
			return nil, fmt.Errorf("quant: calibration sample %d has %d values, the network takes %d", i, len(x), net.InputSize())
		}
	}
	infos := net.Layers()
	vals := hiddenOutputs(net, calib)
	q := &Network{Spec: net.Spec, InputScale: 1.0 / 255, InputZero: -128}
	inScale, inZero := float64(q.InputScale), q.InputZero
	for li, info := range infos {
		l := Layer{LayerSpec: info.LayerSpec, In: info.In, Out: info.Out, PadT: info.PadT, PadL: info.PadL}
		l.Keep = 0 // dropout does not exist at inference
		if l.Kind == engine.MaxPool {
			l.OutScale, l.OutZero = float32(inScale), inZero
			q.Layers = append(q.Layers, l)
			continue
		}
		C, K := info.Out.C, len(info.Weights)/info.Out.C
		l.Weights = make([]int8, len(info.Weights))
		l.WeightScale = make([]float32, C)
		l.Bias = make([]int32, C)
		for c := range C {
			var m float64
			for p := range K {
				m = max(m, math.Abs(float64(info.Weights[p*C+c])))
			}
			s := float32(m / 127)
			if !(s > 0) || math.IsInf(float64(s), 0) {
				s = 1 // an all-zero channel: any scale does
			}
			l.WeightScale[c] = s
			for p := range K {
				v := math.Round(float64(info.Weights[p*C+c]) / float64(s))
				l.Weights[p*C+c] = int8(max(-127, min(127, v)))
			}
			b := math.Round(float64(info.Bias[c]) / (inScale * float64(s)))
			l.Bias[c] = int32(max(math.MinInt32, min(math.MaxInt32, b)))
		}
		last := li == len(infos)-1
		if last {
			// int32 logits on the coarsest channel's accumulator scale, so that
			// every multiplier is at most 1 and the classes compare.
			l.OutScale = float32(inScale * float64(slices.Max(l.WeightScale)))
			l.OutZero = 0
		} else {
			lo, hi := calibRange(vals[li], opts)
			l.OutScale, l.OutZero = affine(lo, hi)
		}
		l.Multiplier = make([]int32, C)
		l.Shift = make([]int32, C)
		for c := range C {
			m, s, ok := QuantizeMultiplier(inScale * float64(l.WeightScale[c]) / float64(l.OutScale))
			if !ok {
				return nil, fmt.Errorf("quant: layer %d channel %d: requantisation multiplier out of range", li+1, c)
			}
			l.Multiplier[c], l.Shift[c] = m, s
		}
		q.Layers = append(q.Layers, l)
		inScale, inZero = float64(l.OutScale), l.OutZero
	}
	if err := q.validate(); err != nil {
		return nil, err
	}
	return q, nil
}

// calibBatch is how many samples a calibration or comparison pass of the
// float network runs at once. It is fixed, so that the float outputs, whose
// last bits depend on the batch (the kernels slice a product's k by its
// rows), depend only on the samples.
const calibBatch = 100

// hiddenOutputs runs the float network, through the engine's own forward
// pass on one worker, on the calibration samples and returns the outputs of
// every hidden layer over all of them: vals[i] holds layer i's.
func hiddenOutputs(net *engine.Network, calib [][]float32) [][]float32 {
	size, hidden := net.InputSize(), len(net.Spec.Layers)-1
	batch := min(len(calib), calibBatch)
	plan := engine.NewPlan(net, batch, engine.PlanOptions{Workers: 1, KeepActivations: true})
	defer plan.Close()
	x := make([]float32, batch*size)
	vals := make([][]float32, hidden)
	for s := 0; s < len(calib); s += batch {
		n := min(batch, len(calib)-s)
		for j, sample := range calib[s : s+n] {
			copy(x[j*size:(j+1)*size], sample)
		}
		plan.Forward(x, n)
		for l := range hidden {
			vals[l] = append(vals[l], plan.Activation(l)...)
		}
	}
	return vals
}

// calibRange returns the range of the values that the method keeps,
// widened to include 0.
func calibRange(v []float32, opts Options) (lo, hi float64) {
	if len(v) == 0 {
		return 0, 0
	}
	if opts.Method == Percentile && opts.Percentile < 100 {
		s := slices.Clone(v)
		slices.Sort(s)
		top := int(math.Ceil(float64(len(s)-1) * opts.Percentile / 100))
		bot := len(s) - 1 - top
		lo, hi = float64(s[bot]), float64(s[top])
	} else {
		lo, hi = float64(slices.Min(v)), float64(slices.Max(v))
	}
	return min(lo, 0), max(hi, 0)
}

// affine returns the asymmetric int8 scale and zero point of the real range
// [lo, hi] (lo ≤ 0 ≤ hi): lo maps to −128, hi to 127, and 0 exactly to the
// zero point.
func affine(lo, hi float64) (scale float32, zero int32) {
	if hi-lo <= 0 {
		return 1, -128
	}
	scale = float32((hi - lo) / 255)
	z := math.Round(-128 - lo/float64(scale))
	return scale, int32(max(-128, min(127, z)))
}

// validate checks that the network is complete and consistent: shapes chain
// from the spec, scales are positive and finite, zero points and
// requantisation parameters are in range and agree with the scales, and no
// accumulator can overflow. Everything that builds or loads a Network calls
// it, so that NewPlan and Forward cannot fail.
func (q *Network) validate() error {
	if err := q.Spec.Validate(); err != nil {
		return fmt.Errorf("quant: %w", err)
	}
	for i, l := range q.Spec.Layers {
		if l.BN {
			return fmt.Errorf("quant: layer %d (%s): an int8 network has its batch normalisation folded into the weights", i+1, l)
		}
	}
	if len(q.Layers) != len(q.Spec.Layers) {
		return fmt.Errorf("quant: %d layers, the architecture has %d", len(q.Layers), len(q.Spec.Layers))
	}
	if q.InputScale != 1.0/255 || q.InputZero != -128 {
		return fmt.Errorf("quant: input scale %v and zero point %d, want 1/255 and -128 (pixels)", q.InputScale, q.InputZero)
	}
	geom, err := q.Spec.Geometry()
	if err != nil {
		return fmt.Errorf("quant: %w", err)
	}
	inScale, inZero := q.InputScale, q.InputZero
	for i, info := range geom {
		l := &q.Layers[i]
		name := fmt.Sprintf("quant: layer %d (%s)", i+1, info.LayerSpec)
		ls := info.LayerSpec
		ls.Keep = 0
		got := l.LayerSpec
		got.Keep = 0
		if got != ls || l.In != info.In || l.Out != info.Out || l.PadT != info.PadT || l.PadL != info.PadL {
			return fmt.Errorf("%s: geometry does not match the architecture", name)
		}
		if l.Kind == engine.MaxPool {
			if l.Weights != nil || l.WeightScale != nil || l.Bias != nil || l.Multiplier != nil || l.Shift != nil ||
				l.OutScale != inScale || l.OutZero != inZero {
				return fmt.Errorf("%s: a max-pooling layer has no parameters and keeps its input's scale and zero point", name)
			}
			continue
		}
		C, K := l.Out.C, l.K()
		if K > 1<<16 {
			return fmt.Errorf("%s: inner dimension %d too large for int32 accumulators", name, K)
		}
		if len(l.Weights) != K*C || len(l.WeightScale) != C || len(l.Bias) != C || len(l.Multiplier) != C || len(l.Shift) != C {
			return fmt.Errorf("%s: parameter lengths do not match %d×%d", name, K, C)
		}
		last := i == len(q.Layers)-1
		if !goodScale(l.OutScale) {
			return fmt.Errorf("%s: output scale %v is not positive and finite", name, l.OutScale)
		}
		if l.OutZero < -128 || l.OutZero > 127 || (last && l.OutZero != 0) {
			return fmt.Errorf("%s: output zero point %d out of range", name, l.OutZero)
		}
		colsum := make([]int64, C)
		for p := range K {
			for c, w := range l.Weights[p*C : (p+1)*C] {
				if w == -128 {
					return fmt.Errorf("%s: weight %d is -128; symmetric weights lie in [-127, 127]", name, p*C+c)
				}
				colsum[c] += int64(w)
			}
		}
		for c := range C {
			if !goodScale(l.WeightScale[c]) {
				return fmt.Errorf("%s: weight scale %d is %v, not positive and finite", name, c, l.WeightScale[c])
			}
			m, s := l.Multiplier[c], l.Shift[c]
			if m < 1<<30 || s < MinShift || s > MaxShift {
				return fmt.Errorf("%s: channel %d: multiplier %d shift %d out of range", name, c, m, s)
			}
			want := float64(inScale) * float64(l.WeightScale[c]) / float64(l.OutScale)
			if got := RealMultiplier(m, s); math.Abs(got-want) > 1e-6*want {
				return fmt.Errorf("%s: channel %d: multiplier %d shift %d (%g) disagrees with the scales (%g)", name, c, m, s, got, want)
			}
			folded := int64(l.Bias[c]) - int64(inZero)*colsum[c]
			if folded < math.MinInt32 || folded > math.MaxInt32 {
				return fmt.Errorf("%s: channel %d: bias %d overflows with the zero-point correction", name, c, l.Bias[c])
			}
		}
		inScale, inZero = l.OutScale, l.OutZero
	}
	return nil
}

func goodScale(s float32) bool {
	return s > 0 && !math.IsInf(float64(s), 0) && !math.IsNaN(float64(s))
}

// InputSize returns the number of pixels of one input sample.
func (q *Network) InputSize() int { return q.Spec.Input.Size() }

// Classes returns the number of logits per sample.
func (q *Network) Classes() int { return q.Spec.Classes() }

// LogitScale is the real value of one unit of the int32 logits Forward
// returns.
func (q *Network) LogitScale() float32 { return q.Layers[len(q.Layers)-1].OutScale }
