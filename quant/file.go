package quant

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/edgeconv/edgeconv/engine"
	"github.com/edgeconv/edgeconv/engine/safetensors"
)

// File format constants: the metadata of an int8 model file.
const (
	// Format is the engine.FormatKey value of an int8 model file.
	Format = "edgeconv-int8"
	// Version is the format version this code writes and reads.
	Version = "1"
)

// ErrFormat is wrapped by every error about an int8 model file whose
// content is missing, malformed or inconsistent.
var ErrFormat = errors.New("quant: bad int8 model file")

// SafeTensors returns the network as safetensors metadata and tensors, the
// form SaveFile writes (see the package documentation for the names).
func (q *Network) SafeTensors() (map[string]string, []safetensors.Tensor) {
	meta := map[string]string{
		engine.FormatKey:  Format,
		engine.VersionKey: Version,
		engine.ArchKey:    q.Spec.String(),
	}
	ts := []safetensors.Tensor{
		{Name: "input.scale", DType: "F32", Shape: []int{1}, Data: safetensors.Float32s([]float32{q.InputScale})},
		{Name: "input.zero_point", DType: "I32", Shape: []int{1}, Data: safetensors.Int32s([]int32{q.InputZero})},
	}
	for i := range q.Layers {
		l := &q.Layers[i]
		if l.Kind == engine.MaxPool {
			continue // no tensors: it keeps its input's scale and zero point
		}
		p := fmt.Sprintf("layer%d.", i+1)
		C := l.Out.C
		ts = append(ts,
			safetensors.Tensor{Name: p + "weight", DType: "I8", Shape: weightShape(l), Data: int8Bytes(l.Weights)},
			safetensors.Tensor{Name: p + "weight_scale", DType: "F32", Shape: []int{C}, Data: safetensors.Float32s(l.WeightScale)},
			safetensors.Tensor{Name: p + "bias", DType: "I32", Shape: []int{C}, Data: safetensors.Int32s(l.Bias)},
			safetensors.Tensor{Name: p + "multiplier", DType: "I32", Shape: []int{C}, Data: safetensors.Int32s(l.Multiplier)},
			safetensors.Tensor{Name: p + "shift", DType: "I32", Shape: []int{C}, Data: safetensors.Int32s(l.Shift)},
			safetensors.Tensor{Name: p + "output_scale", DType: "F32", Shape: []int{1}, Data: safetensors.Float32s([]float32{l.OutScale})},
			safetensors.Tensor{Name: p + "output_zero_point", DType: "I32", Shape: []int{1}, Data: safetensors.Int32s([]int32{l.OutZero})},
		)
	}
	return meta, ts
}

func weightShape(l *Layer) []int {
	if l.Kind == engine.Conv {
		return []int{l.KH, l.KW, l.In.C, l.Out.C}
	}
	return []int{l.In.Size(), l.Out.C}
}

func int8Bytes(v []int8) []byte {
	b := make([]byte, len(v))
	for i, x := range v {
		b[i] = byte(x)
	}
	return b
}

// FromSafeTensors rebuilds an int8 network from a model file's metadata and
// tensors and validates it completely (see the package documentation): a
// damaged or inconsistent file gives an error wrapping ErrFormat.
func FromSafeTensors(meta map[string]string, tensors []safetensors.Tensor) (*Network, error) {
	if f := meta[engine.FormatKey]; f != Format {
		return nil, fmt.Errorf("%w: format %q, want %q", ErrFormat, f, Format)
	}
	if v := meta[engine.VersionKey]; v != Version {
		return nil, fmt.Errorf("%w: version %q, this program reads %q", ErrFormat, v, Version)
	}
	spec, err := engine.ParseSpec(meta[engine.ArchKey])
	if err != nil {
		return nil, fmt.Errorf("%w: architecture: %v", ErrFormat, err)
	}
	// Weights are a byte each: the file must hold at least that many
	// before anything of the architecture's size is allocated.
	if err := engine.CheckHolds(spec, tensors, 1); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrFormat, err)
	}
	geom, err := spec.Geometry()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrFormat, err)
	}
	get := func(name, dtype string, shape ...int) ([]byte, error) {
		b, err := safetensors.Find(tensors, name, dtype, shape...)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrFormat, err)
		}
		return b, nil
	}
	f32 := func(name string, n int) ([]float32, error) {
		return values(get, name, "F32", n, safetensors.ToFloat32s)
	}
	i32 := func(name string, n int) ([]int32, error) { return values(get, name, "I32", n, safetensors.ToInt32s) }
	q := &Network{Spec: spec}
	s, err := f32("input.scale", 1)
	if err != nil {
		return nil, err
	}
	z, err := i32("input.zero_point", 1)
	if err != nil {
		return nil, err
	}
	q.InputScale, q.InputZero = s[0], z[0]
	for i, info := range geom {
		l := Layer{LayerSpec: info.LayerSpec, In: info.In, Out: info.Out, PadT: info.PadT, PadL: info.PadL}
		l.Keep = 0
		if l.Kind == engine.MaxPool {
			l.OutScale, l.OutZero = q.InputScale, q.InputZero
			if i > 0 {
				l.OutScale, l.OutZero = q.Layers[i-1].OutScale, q.Layers[i-1].OutZero
			}
			q.Layers = append(q.Layers, l)
			continue
		}
		p := "layer" + strconv.Itoa(i+1) + "."
		C := info.Out.C
		w, err := get(p+"weight", "I8", weightShape(&l)...)
		if err != nil {
			return nil, err
		}
		l.Weights = make([]int8, len(w))
		for j, b := range w {
			l.Weights[j] = int8(b)
		}
		if l.WeightScale, err = f32(p+"weight_scale", C); err != nil {
			return nil, err
		}
		if l.Bias, err = i32(p+"bias", C); err != nil {
			return nil, err
		}
		if l.Multiplier, err = i32(p+"multiplier", C); err != nil {
			return nil, err
		}
		if l.Shift, err = i32(p+"shift", C); err != nil {
			return nil, err
		}
		if s, err = f32(p+"output_scale", 1); err != nil {
			return nil, err
		}
		if z, err = i32(p+"output_zero_point", 1); err != nil {
			return nil, err
		}
		l.OutScale, l.OutZero = s[0], z[0]
		q.Layers = append(q.Layers, l)
	}
	if err := q.validate(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrFormat, err)
	}
	return q, nil
}

// values returns the n values of the tensor name of type dtype, found by
// get and decoded by decode.
func values[T any](get func(name, dtype string, shape ...int) ([]byte, error), name, dtype string, n int, decode func([]T, []byte)) ([]T, error) {
	b, err := get(name, dtype, n)
	if err != nil {
		return nil, err
	}
	v := make([]T, n)
	decode(v, b)
	return v, nil
}

// SaveFile writes the network to path as an int8 safetensors model file,
// atomically.
func (q *Network) SaveFile(path string) error {
	meta, ts := q.SafeTensors()
	return safetensors.WriteFile(path, meta, ts)
}

// LoadFile reads and validates an int8 model file.
func LoadFile(path string) (*Network, error) {
	return safetensors.Load(path, FromSafeTensors)
}
