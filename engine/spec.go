package engine

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// LayerKind says what a layer computes.
type LayerKind uint8

const (
	// Conv is a 2-D convolution over an NHWC input.
	Conv LayerKind = iota + 1
	// Dense is a fully connected layer over the flattened input (in HWC order,
	// as TensorFlow's reshape of an NHWC tensor flattens it).
	Dense
	// MaxPool takes the largest value of each channel in every KH×KW
	// window; it has no parameters and keeps the channel count. SAME
	// padding ignores the windows' part outside the input, as
	// TensorFlow's max_pool does.
	MaxPool
)

// LayerSpec describes one layer: a convolution or a dense layer, optionally
// followed by batch normalisation, by ReLU and by dropout; or a max-pooling
// layer.
type LayerSpec struct {
	Kind    LayerKind
	KH, KW  int     // kernel or window size (Conv, MaxPool)
	Stride  int     // stride in both dimensions (Conv, MaxPool)
	Padding Padding // Conv, MaxPool
	Out     int     // output channels (Conv) or units (Dense); 0 for MaxPool
	// BN normalises each output channel over the batch before the ReLU
	// (batch normalisation with an offset and no scale, the codelab's):
	// the layer's bias is then the offset β, and its running mean and
	// variance follow it in Params (Conv, Dense).
	BN   bool
	ReLU bool    // apply ReLU to the output (Conv, Dense)
	Keep float32 // dropout keep probability during training; 0 or 1 means no dropout (Conv, Dense)
}

// HasDropout reports whether the layer applies dropout while training.
func (l LayerSpec) HasDropout() bool { return l.Keep > 0 && l.Keep < 1 }

// String formats the layer in the syntax ParseSpec reads.
func (l LayerSpec) String() string {
	var b strings.Builder
	switch l.Kind {
	case Conv:
		fmt.Fprintf(&b, "conv %dx%d %d s%d", l.KH, l.KW, l.Out, l.Stride)
		if l.Padding == Valid {
			b.WriteString(" valid")
		}
	case Dense:
		fmt.Fprintf(&b, "dense %d", l.Out)
	case MaxPool:
		fmt.Fprintf(&b, "maxpool %dx%d s%d", l.KH, l.KW, l.Stride)
		if l.Padding == Valid {
			b.WriteString(" valid")
		}
	}
	if l.BN {
		b.WriteString(" bn")
	}
	if l.ReLU {
		b.WriteString(" relu")
	}
	if l.HasDropout() {
		b.WriteString(" keep=" + strconv.FormatFloat(float64(l.Keep), 'g', -1, 32))
	}
	return b.String()
}

// Spec describes a network: the shape of one input sample and the layers in
// order. The last layer's outputs are the class logits, to which training
// applies softmax cross-entropy.
type Spec struct {
	Input  Shape
	Layers []LayerSpec
}

// MNISTInput is the input shape of every network in this project: one
// 28×28 grey channel.
var MNISTInput = Shape{H: 28, W: 28, C: 1}

// String formats the spec in the syntax ParseSpec reads; ParseSpec(s.String())
// gives s back.
func (s Spec) String() string {
	parts := make([]string, 0, len(s.Layers)+1)
	parts = append(parts, fmt.Sprintf("input %s", s.Input))
	for _, l := range s.Layers {
		parts = append(parts, l.String())
	}
	return strings.Join(parts, "; ")
}

// Classes returns the number of outputs of the last layer.
func (s Spec) Classes() int {
	if len(s.Layers) == 0 {
		return 0
	}
	return s.Layers[len(s.Layers)-1].Out
}

// Limits that keep a spec from asking for absurd amounts of memory; they are
// far above anything that runs on a Pi. Sizes are checked in 64 bits, so
// that a spec cannot overflow a 32-bit int (GOARCH=arm) and slip past them.
const (
	maxDim    = 4096
	maxKernel = 64
	maxStride = 16
	maxLayers = 64
	// MaxActivation bounds the values of one sample's activation at any
	// layer, the input included: 2^24 (64 MiB of float32).
	MaxActivation = 1 << 24
	// MaxParams bounds a network's parameters: 2^28, 1 GiB of float32,
	// the most a model file holds (engine/safetensors).
	MaxParams = 1 << 28
)

// ParseSpec reads a network description: layers separated by ';' or new
// lines, each a keyword and options separated by spaces. '#' starts a comment.
//
//	input HxWxC                    the input sample shape (default 28x28x1)
//	conv KHxKW OUT [sS] [same|valid] [bn] [relu] [keep=P]
//	dense UNITS [bn] [relu] [keep=P]
//	maxpool KHxKW [sS] [same|valid]
//
// For example the codelab's seed99 network is
//
//	conv 6x6 6 s1 relu; conv 5x5 12 s2 relu; conv 4x4 24 s2 relu;
//	dense 200 relu keep=0.75; dense 10
//
// keep=P applies dropout with keep probability P after the layer while
// training; bn normalises the layer's outputs before its ReLU (LayerSpec.BN).
// A max-pooling layer's stride defaults to its window's height (maxpool 2x2
// is maxpool 2x2 s2). ParseSpec checks that the shapes chain and returns an error that
// names the offending layer otherwise.
func ParseSpec(text string) (Spec, error) {
	spec := Spec{Input: MNISTInput}
	var lines []string
	for _, line := range strings.Split(text, "\n") {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		lines = append(lines, strings.Split(line, ";")...)
	}
	seenLayer := false
	for _, line := range lines {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		switch f[0] {
		case "input":
			if seenLayer {
				return Spec{}, errors.New("engine: spec: input must come before the layers")
			}
			if len(f) != 2 {
				return Spec{}, fmt.Errorf("engine: spec: %q: want input HxWxC", line)
			}
			dims, err := parseDims(f[1], 3)
			if err != nil {
				return Spec{}, fmt.Errorf("engine: spec: %q: %v", line, err)
			}
			spec.Input = Shape{H: dims[0], W: dims[1], C: dims[2]}
		case "conv", "dense", "maxpool":
			l, err := parseLayer(f)
			if err != nil {
				return Spec{}, fmt.Errorf("engine: spec: layer %d %q: %v", len(spec.Layers)+1, strings.TrimSpace(line), err)
			}
			spec.Layers = append(spec.Layers, l)
			seenLayer = true
		default:
			return Spec{}, fmt.Errorf("engine: spec: %q: unknown layer %q (want input, conv, dense or maxpool)", strings.TrimSpace(line), f[0])
		}
	}
	if err := spec.Validate(); err != nil {
		return Spec{}, err
	}
	return spec, nil
}

func parseLayer(f []string) (LayerSpec, error) {
	l := LayerSpec{Stride: 1}
	rest := f[1:]
	switch f[0] {
	case "conv", "maxpool":
		l.Kind = Conv
		usage := "want conv KHxKW OUT [sS] [same|valid] [bn] [relu] [keep=P]"
		if f[0] == "maxpool" {
			l.Kind = MaxPool
			usage = "want maxpool KHxKW [sS] [same|valid]"
		}
		if len(rest) < 1 || l.Kind == Conv && len(rest) < 2 {
			return l, errors.New(usage)
		}
		k, err := parseDims(rest[0], 2)
		if err != nil {
			return l, fmt.Errorf("kernel size: %v", err)
		}
		l.KH, l.KW = k[0], k[1]
		if l.Kind == MaxPool {
			l.Stride = l.KH
		}
		rest = rest[1:]
	default:
		l.Kind = Dense
		if len(rest) < 1 {
			return l, errors.New("want dense UNITS [bn] [relu] [keep=P]")
		}
	}
	if l.Kind != MaxPool {
		out, err := strconv.Atoi(rest[0])
		if err != nil || out < 1 {
			return l, fmt.Errorf("output size %q is not a positive integer", rest[0])
		}
		l.Out = out
		rest = rest[1:]
	}
	windowed := l.Kind == Conv || l.Kind == MaxPool
	for _, opt := range rest {
		switch {
		case opt == "relu" && l.Kind != MaxPool:
			l.ReLU = true
		case opt == "bn" && l.Kind != MaxPool:
			l.BN = true
		case opt == "same" && windowed:
			l.Padding = Same
		case opt == "valid" && windowed:
			l.Padding = Valid
		case strings.HasPrefix(opt, "keep=") && l.Kind != MaxPool:
			p, err := strconv.ParseFloat(opt[len("keep="):], 32)
			if err != nil || !(p > 0 && p <= 1) {
				return l, fmt.Errorf("%q: keep probability must be in (0, 1]", opt)
			}
			l.Keep = float32(p)
		case len(opt) > 1 && opt[0] == 's' && windowed:
			s, err := strconv.Atoi(opt[1:])
			if err != nil || s < 1 {
				return l, fmt.Errorf("%q: stride must be s1, s2, …", opt)
			}
			l.Stride = s
		default:
			return l, fmt.Errorf("unknown option %q", opt)
		}
	}
	return l, nil
}

func parseDims(s string, n int) ([]int, error) {
	parts := strings.Split(s, "x")
	if len(parts) != n {
		return nil, fmt.Errorf("%q: want %d sizes separated by x", s, n)
	}
	dims := make([]int, n)
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || v < 1 {
			return nil, fmt.Errorf("%q: sizes must be positive integers", s)
		}
		dims[i] = v
	}
	return dims, nil
}

// Validate checks that every layer is well formed and that the shapes chain
// from the input to the logits.
func (s Spec) Validate() error {
	in := s.Input
	if in.H < 1 || in.W < 1 || in.C < 1 || in.H > maxDim || in.W > maxDim || in.C > maxDim || size64(in) > MaxActivation {
		return fmt.Errorf("engine: spec: input shape %s out of range", in)
	}
	if len(s.Layers) == 0 {
		return errors.New("engine: spec: no layers")
	}
	if len(s.Layers) > maxLayers {
		return fmt.Errorf("engine: spec: %d layers, at most %d", len(s.Layers), maxLayers)
	}
	var params int64
	for i, l := range s.Layers {
		out, err := l.outShape(in)
		if err == nil && size64(out) > MaxActivation {
			err = fmt.Errorf("output of %d values per sample, more than %d", size64(out), MaxActivation)
		}
		if err != nil {
			return fmt.Errorf("engine: spec: layer %d (%s) on input %s: %v", i+1, l, in, err)
		}
		params += l.params(in, out)
		if params > MaxParams {
			return fmt.Errorf("engine: spec: more than %d parameters (at layer %d, %s)", MaxParams, i+1, l)
		}
		in = out
	}
	if last := s.Layers[len(s.Layers)-1]; last.Kind != Dense || last.BN || last.ReLU || last.HasDropout() {
		return errors.New("engine: spec: the last layer must be a plain dense layer (the logits)")
	}
	if s.Classes() < 2 {
		return errors.New("engine: spec: the last layer needs at least 2 outputs")
	}
	return nil
}

// outShape returns the output shape of the layer for an input shape, or an
// error if the layer cannot apply to it.
func (l LayerSpec) outShape(in Shape) (Shape, error) {
	if l.Kind == MaxPool {
		if l.Out != 0 || l.BN || l.ReLU || l.Keep != 0 {
			return Shape{}, errors.New("a max-pooling layer has no output count, bn, relu or dropout")
		}
		return l.windowShape(in, in.C)
	}
	if l.Out < 1 || l.Out > maxDim*4 {
		return Shape{}, fmt.Errorf("output size %d out of range", l.Out)
	}
	if l.Keep < 0 || l.Keep > 1 {
		return Shape{}, fmt.Errorf("keep probability %g out of range", l.Keep)
	}
	switch l.Kind {
	case Conv:
		return l.windowShape(in, l.Out)
	case Dense:
		if size64(in) > MaxActivation {
			return Shape{}, errors.New("input too large for a dense layer")
		}
		return Shape{H: 1, W: 1, C: l.Out}, nil
	}
	return Shape{}, errors.New("unknown layer kind")
}

// windowShape checks the kernel, stride and padding of a layer that slides
// a window over its input (Conv, MaxPool) and returns its output shape, of
// c channels.
func (l LayerSpec) windowShape(in Shape, c int) (Shape, error) {
	if l.KH < 1 || l.KW < 1 || l.KH > maxKernel || l.KW > maxKernel {
		return Shape{}, fmt.Errorf("kernel %dx%d out of range", l.KH, l.KW)
	}
	if l.Stride < 1 || l.Stride > maxStride {
		return Shape{}, fmt.Errorf("stride %d out of range", l.Stride)
	}
	if l.Padding != Same && l.Padding != Valid {
		return Shape{}, errors.New("unknown padding")
	}
	oh, _ := convOutput(in.H, l.KH, l.Stride, l.Padding)
	ow, _ := convOutput(in.W, l.KW, l.Stride, l.Padding)
	if oh < 1 || ow < 1 {
		return Shape{}, errors.New("kernel larger than its input")
	}
	return Shape{H: oh, W: ow, C: c}, nil
}

// Params returns the number of parameters (weights and biases) of the
// network the spec describes, computed from the shapes alone: a reader can
// compare it with what a file holds before New allocates them. The spec must
// be valid (Validate).
func (s Spec) Params() int64 {
	var n int64
	in := s.Input
	for _, l := range s.Layers {
		out, _ := l.outShape(in)
		n += l.params(in, out)
		in = out
	}
	return n
}

// params counts the layer's weights and biases (with batch normalisation,
// its offsets and running mean and variance) for the given input and
// output shapes, in 64 bits.
func (l LayerSpec) params(in, out Shape) int64 {
	k := size64(in)
	switch l.Kind {
	case Conv:
		k = int64(l.KH) * int64(l.KW) * int64(in.C)
	case MaxPool:
		return 0
	}
	n := (k + 1) * int64(out.C)
	if l.BN {
		n += 2 * int64(out.C)
	}
	return n
}

// size64 is s.Size() in 64 bits.
func size64(s Shape) int64 { return int64(s.H) * int64(s.W) * int64(s.C) }
