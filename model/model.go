package model

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/edgeconv/edgeconv/engine"
	"github.com/edgeconv/edgeconv/engine/safetensors"
	"github.com/edgeconv/edgeconv/quant"
)

// The images a model reads and the classes it tells apart.
const (
	// Side is the side of a digit image in pixels: MNIST's 28.
	Side = 28
	// Size is the number of pixels of one image, (28, 28) row-major.
	Size = Side * Side
	// Digits is the number of digit classes, 0 to 9.
	Digits = 10
	// NotDigit is the class of a model with 11 outputs that says "this is
	// not a digit" (a letter, a symbol, a stroke fragment, a paper edge).
	NotDigit = 10
)

// Precision is the arithmetic a model or a classifier runs in.
type Precision uint8

// Precisions.
const (
	Float32 Precision = iota + 1
	Int8
)

// String returns "float32" or "int8".
func (p Precision) String() string {
	switch p {
	case Float32:
		return "float32"
	case Int8:
		return "int8"
	}
	return fmt.Sprintf("Precision(%d)", uint8(p))
}

// DefaultName names the embedded model in messages; Name returns it for
// Default's model.
const DefaultName = "embedded:model/default.safetensors"

// defaultModel is the model compiled into the program: `make firmware`
// writes it (docs/pi.md).
//
//go:embed default.safetensors
var defaultModel []byte

// Model is a digit model opened for inference: a float32 network (a model
// file or a training checkpoint) or an int8 one. It is read-only once
// opened and may be shared between goroutines; each goroutine classifies
// through its own Classifier.
type Model struct {
	name      string
	format    string // the file's format metadata; "" for a network in memory
	precision Precision
	spec      engine.Spec
	net       *engine.Network // float32 models
	q         *quant.Network  // int8 models
	sum       string          // hex SHA-256 of the file's bytes
	size      int             // the file's length in bytes
	layers    []Layer
	// dequantized returns the float32 network of an int8 model's
	// dequantised weights, made once on first use.
	dequantized func() (*engine.Network, error)
}

// Layer describes one layer of a model for reports.
type Layer struct {
	engine.LayerSpec
	// In and Out are the shapes of one image's input and output.
	In, Out engine.Shape
	// Params counts the weights and biases (with batch normalisation, the
	// offsets and running statistics too); 0 for max-pooling.
	Params int
	// FLOPs counts the operations of one image's forward pass, a
	// multiply-add counting as two (integer ones in an int8 model).
	FLOPs int64
}

// maxFile bounds the model files Open reads: the largest the safetensors
// reader accepts (8-byte length, 16 MiB header, 1 GiB of data).
const maxFile = 8 + 1<<24 + 1<<30

// Open reads the model file at path: float32, int8 or a training checkpoint,
// told apart by the file's format metadata, and validates it completely
// (Load).
func Open(path string) (*Model, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Size() > maxFile {
		return nil, fmt.Errorf("%s: model: %d bytes, more than a model file holds", path, st.Size())
	}
	data, err := io.ReadAll(io.LimitReader(f, maxFile+1))
	if err != nil {
		return nil, err
	}
	return Load(path, data)
}

// Default returns the model compiled into the program (DefaultName).
func Default() (*Model, error) { return loadDefault() }

var loadDefault = sync.OnceValues(func() (*Model, error) { return Load(DefaultName, defaultModel) })

// Load opens a model from the bytes of a model file; name says where they
// came from in messages (a path, a URL). Before the network's parameters
// are allocated it checks that the model reads digits (CheckSpec) and that
// the file holds as many parameters as its architecture claims, so that a
// small hostile file cannot make it allocate gigabytes; then every tensor
// is checked (engine.FromSafeTensors, quant.FromSafeTensors). Every error
// is one line naming the file.
func Load(name string, data []byte) (*Model, error) {
	m, err := load(name, data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return m, nil
}

func load(name string, data []byte) (*Model, error) {
	if len(data) > maxFile {
		return nil, fmt.Errorf("model: %d bytes, more than a model file holds", len(data))
	}
	meta, ts, err := safetensors.Read(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	m := &Model{name: name, format: meta[engine.FormatKey], size: len(data)}
	elem := int64(4) // bytes per parameter in the file
	switch m.format {
	case engine.FormatFloat32, engine.FormatCheckpoint:
		m.precision = Float32
	case quant.Format:
		m.precision, elem = Int8, 1
	case "":
		return nil, errors.New("model: not an edgeconv model file (no format in its metadata)")
	default:
		return nil, fmt.Errorf("model: not an edgeconv model file (format %q)", m.format)
	}
	if m.spec, err = engine.ParseSpec(meta[engine.ArchKey]); err != nil {
		return nil, fmt.Errorf("model: architecture: %w", err)
	}
	if err := CheckSpec(m.spec); err != nil {
		return nil, err
	}
	if err := engine.CheckHolds(m.spec, ts, elem); err != nil {
		return nil, err
	}
	if m.precision == Int8 {
		if m.q, err = quant.FromSafeTensors(meta, ts); err != nil {
			return nil, err
		}
		m.dequantized = sync.OnceValues(func() (*engine.Network, error) { return quant.Dequantize(m.q) })
	} else if m.net, err = engine.FromSafeTensors(meta, ts); err != nil {
		return nil, err
	}
	sum := sha256.Sum256(data)
	m.sum = hex.EncodeToString(sum[:])
	m.describe()
	return m, nil
}

// FromNetwork returns a float32 model of net in memory, named name in
// messages: the trainer evaluates the network it is training this way.
// The model shares net's parameters: classifiers made from it see later
// changes once net.ParamsChanged has been called.
func FromNetwork(net *engine.Network, name string) (*Model, error) {
	if err := CheckSpec(net.Spec); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	m := &Model{name: name, precision: Float32, spec: net.Spec, net: net}
	m.describe()
	return m, nil
}

// CheckSpec reports whether a network of this architecture reads digits:
// its input must be one 28x28 grey image (engine.MNISTInput) and it must
// have 10 classes, or 11 where class NotDigit means "not a digit". Networks
// of other shapes still run through engine and quant directly.
func CheckSpec(spec engine.Spec) error {
	if spec.Input != engine.MNISTInput {
		return fmt.Errorf("model: the network reads %s images; digit models read %s", spec.Input, engine.MNISTInput)
	}
	if c := spec.Classes(); c != Digits && c != Digits+1 {
		return fmt.Errorf("model: the network has %d classes; digit models have 10 (11 with not-a-digit)", c)
	}
	return nil
}

// describe fills the per-layer report.
func (m *Model) describe() {
	add := func(ls engine.LayerSpec, in, out engine.Shape, k int) {
		l := Layer{LayerSpec: ls, In: in, Out: out, Params: (k + 1) * out.C, FLOPs: 2 * int64(out.Size()) * int64(k)}
		switch {
		case ls.Kind == engine.MaxPool:
			// Comparisons, not multiply-adds: no FLOPs counted.
			l.Params, l.FLOPs = 0, 0
		case ls.BN:
			l.Params += 2 * out.C
		}
		m.layers = append(m.layers, l)
	}
	if m.q != nil {
		for i := range m.q.Layers {
			l := &m.q.Layers[i]
			add(m.spec.Layers[i], l.In, l.Out, l.K())
		}
		return
	}
	for i, l := range m.net.Layers() {
		add(m.spec.Layers[i], l.In, l.Out, len(l.Weights)/l.Out.C)
	}
}

// Name returns the name the model was opened under: the file's path,
// DefaultName, or the name given to Load or FromNetwork.
func (m *Model) Name() string { return m.name }

// Label returns a short name for messages: "default" for the embedded
// model, else the name's base without ".safetensors".
func (m *Model) Label() string {
	if m.name == DefaultName {
		return "default"
	}
	return strings.TrimSuffix(filepath.Base(m.name), ".safetensors")
}

// Format returns the file's format metadata: "edgeconv-float32",
// "edgeconv-int8" or "edgeconv-checkpoint"; "" for a network in memory.
func (m *Model) Format() string { return m.format }

// Precision returns the arithmetic the model's weights are stored in.
func (m *Model) Precision() Precision { return m.precision }

// Spec returns the architecture; Spec().String() is its spec string, as
// engine.ParseSpec reads it.
func (m *Model) Spec() engine.Spec { return m.spec }

// Input returns the shape of one input image, 28x28x1.
func (m *Model) Input() engine.Shape { return m.spec.Input }

// Classes returns the number of classes: 10, or 11 when the model can say
// NotDigit.
func (m *Model) Classes() int { return m.spec.Classes() }

// HasNotDigit reports whether the model has the NotDigit class.
func (m *Model) HasNotDigit() bool { return m.Classes() > NotDigit }

// Layers describes the layers in order. The slice is the model's: do not
// change it.
func (m *Model) Layers() []Layer { return m.layers }

// FLOPs returns the operations of one image's forward pass, a multiply-add
// counting as two.
func (m *Model) FLOPs() int64 {
	var f int64
	for _, l := range m.layers {
		f += l.FLOPs
	}
	return f
}

// SHA256 returns the hex SHA-256 of the model file's bytes, which names the
// exact model (for fleet reports); "" for a network in memory.
func (m *Model) SHA256() string { return m.sum }

// FileSize returns the model file's length in bytes; 0 for a network in
// memory.
func (m *Model) FileSize() int { return m.size }

// FloatNetwork returns the model's float32 network: a float32 model's own,
// or the network of an int8 model's dequantised weights (quant.Dequantize,
// made once). It is shared, not copied: training and quantisation start
// from it, and a change to its parameters is a change to the model.
func (m *Model) FloatNetwork() (*engine.Network, error) {
	if m.net != nil {
		return m.net, nil
	}
	return m.dequantized()
}

// String returns the label and the precision, e.g. "default int8".
func (m *Model) String() string { return m.Label() + " " + m.precision.String() }
