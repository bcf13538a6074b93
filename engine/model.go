package engine

import (
	"errors"
	"fmt"
	"math"

	"github.com/edgeconv/edgeconv/engine/safetensors"
)

// Model file metadata: every edgeconv file names its format and version, and
// a float32 model its architecture in ParseSpec syntax.
const (
	// FormatKey names the kind of file ("edgeconv-float32" here; the quant
	// package writes "edgeconv-int8"; checkpoints say so too).
	FormatKey = "format"
	// VersionKey is the format version; readers refuse versions they do not
	// know.
	VersionKey = "version"
	// ArchKey holds Spec.String().
	ArchKey = "arch"

	// FormatFloat32 is the FormatKey value of a float32 model.
	FormatFloat32 = "edgeconv-float32"
	// FormatVersion is the version this code writes and reads.
	FormatVersion = "1"
)

// ErrNotFloat32 is wrapped by the error about a file that holds something
// other than a float32 model or a checkpoint (an int8 model, say). Package
// model is what tells the formats apart and opens any of them.
var ErrNotFloat32 = errors.New("engine: not a float32 model file")

// SafeTensors returns the network as safetensors metadata and tensors, the
// form SaveFile writes. The tensors copy the parameters.
func (n *Network) SafeTensors() (map[string]string, []safetensors.Tensor) {
	meta := map[string]string{
		FormatKey:  FormatFloat32,
		VersionKey: FormatVersion,
		ArchKey:    n.Spec.String(),
	}
	var ts []safetensors.Tensor
	for _, t := range n.Tensors() {
		ts = append(ts, safetensors.Tensor{Name: t.Name, DType: "F32", Shape: t.Shape,
			Data: safetensors.Float32s(n.Params[t.Off : t.Off+t.Len])})
	}
	return meta, ts
}

// FromSafeTensors rebuilds a network from the metadata and tensors of a
// model file, checking the format, the architecture and every tensor's
// dtype and shape, and that no value is NaN or infinite. Tensors that do not
// belong to the network (a checkpoint's optimiser state) are ignored.
func FromSafeTensors(meta map[string]string, tensors []safetensors.Tensor) (*Network, error) {
	switch f := meta[FormatKey]; f {
	case FormatFloat32, FormatCheckpoint:
	case "":
		return nil, fmt.Errorf("%w: no %q in metadata", ErrNotFloat32, FormatKey)
	default:
		return nil, fmt.Errorf("%w: format is %q", ErrNotFloat32, f)
	}
	if v := meta[VersionKey]; v != FormatVersion {
		return nil, fmt.Errorf("engine: model format version %q, this program reads %q", v, FormatVersion)
	}
	spec, err := ParseSpec(meta[ArchKey])
	if err != nil {
		return nil, fmt.Errorf("engine: model architecture: %w", err)
	}
	// The architecture sizes the network: before allocating it, the file
	// must hold that many parameters, so that a small file cannot ask for
	// gigabytes.
	if err := CheckHolds(spec, tensors, 4); err != nil {
		return nil, err
	}
	net, err := New(spec)
	if err != nil {
		return nil, err
	}
	for _, want := range net.Tensors() {
		data, err := safetensors.Find(tensors, want.Name, "F32", want.Shape...)
		if err != nil {
			return nil, fmt.Errorf("engine: model: %w", err)
		}
		dst := net.Params[want.Off : want.Off+want.Len]
		safetensors.ToFloat32s(dst, data)
		for i, v := range dst {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				return nil, fmt.Errorf("engine: tensor %q element %d is %v", want.Name, i, v)
			}
		}
	}
	return net, nil
}

// CheckHolds returns an error unless the tensors of a model file hold at
// least the spec's parameters (Spec.Params) at elem bytes each: readers
// call it before they allocate the network, so that a small file whose
// architecture claims billions of parameters is refused without
// allocating them. The spec must be valid.
func CheckHolds(spec Spec, tensors []safetensors.Tensor, elem int64) error {
	var have int64
	for _, t := range tensors {
		have += int64(len(t.Data))
	}
	if need := spec.Params() * elem; have < need {
		return fmt.Errorf("engine: the architecture needs %d bytes of parameters, the file holds %d", need, have)
	}
	return nil
}

// SaveFile writes the network to path as a safetensors model file,
// atomically (a temporary file renamed over path).
func (n *Network) SaveFile(path string) error {
	meta, ts := n.SafeTensors()
	return safetensors.WriteFile(path, meta, ts)
}

// LoadFile reads a float32 model file (or a training checkpoint) and
// validates it completely before returning the network.
func LoadFile(path string) (*Network, error) {
	return safetensors.Load(path, FromSafeTensors)
}

// FormatCheckpoint is the FormatKey value of a training checkpoint: a float32
// model plus the optimiser's state, which LoadFile also accepts as a model.
const FormatCheckpoint = "edgeconv-checkpoint"
