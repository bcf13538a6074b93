package quant

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/edgeconv/edgeconv/engine"
	"github.com/edgeconv/edgeconv/engine/safetensors"
	"github.com/edgeconv/edgeconv/internal/filetest"
)

func TestSaveLoadRoundTrip(t *testing.T) {
	q := loadFixture(t)
	q2, path := filetest.RoundTrip(t, "q.safetensors", q.SaveFile, LoadFile)
	if !reflect.DeepEqual(q, q2) {
		t.Error("network changed in a save/load round trip")
	}
	// engine.LoadFile refuses an int8 file (package model tells the formats
	// apart).
	if _, err := engine.LoadFile(path); !errors.Is(err, engine.ErrNotFloat32) {
		t.Errorf("engine.LoadFile on an int8 file: %v, want ErrNotFloat32", err)
	}
}

// TestLoadDamaged truncates the fixture at every length and flips every
// byte: each must give an error, never a panic or a network.
func TestLoadDamaged(t *testing.T) {
	data, err := os.ReadFile(Fixture)
	if err != nil {
		t.Fatal(err)
	}
	orig := loadFixture(t)
	// load returns nil only for a file that still holds the same integer
	// network: a flip in the header can be harmless (a space, or the
	// training-only keep= probability in the architecture).
	load := func(b []byte) error {
		meta, ts, err := safetensors.Read(bytes.NewReader(b))
		if err != nil {
			return err
		}
		q, err := FromSafeTensors(meta, ts)
		if err == nil && !reflect.DeepEqual(q.Layers, orig.Layers) {
			t.Fatalf("a damaged file loaded as a different network")
		}
		return err
	}
	if err := load(data); err != nil {
		t.Fatal(err)
	}
	step := 1
	if testing.Short() {
		step = 97
	}
	for n := 0; n < len(data); n += step {
		if load(data[:n]) == nil {
			t.Fatalf("truncated to %d of %d bytes: no error", n, len(data))
		}
	}
	// Every flip in the length prefix or the data section (CRC-checked) must
	// fail; one in the JSON header must fail or leave the network as it was.
	dataStart := 8 + int(binary.LittleEndian.Uint64(data))
	b := bytes.Clone(data)
	for i := 0; i < len(b); i += step {
		for _, x := range []byte{0x01, 0x80, 0xff} {
			b[i] ^= x
			err := load(b)
			b[i] ^= x
			if err == nil && (i < 8 || i >= dataStart) {
				t.Fatalf("byte %d xor %#x: no error", i, x)
			}
		}
	}
}

// TestLoadInconsistent writes files that are well-formed safetensors but
// wrong as int8 models, and checks each error.
func TestLoadInconsistent(t *testing.T) {
	q := loadFixture(t)
	cases := []struct {
		name string
		edit func(meta map[string]string, ts map[string]*safetensors.Tensor)
		want string
	}{
		{"float format", func(m map[string]string, _ map[string]*safetensors.Tensor) {
			m[engine.FormatKey] = engine.FormatFloat32
		}, "format"},
		{"version", func(m map[string]string, _ map[string]*safetensors.Tensor) { m[engine.VersionKey] = "2" }, "version"},
		{"arch", func(m map[string]string, _ map[string]*safetensors.Tensor) { m[engine.ArchKey] = "conv 5x5" }, "architecture"},
		{"shapes do not chain", func(m map[string]string, _ map[string]*safetensors.Tensor) {
			m[engine.ArchKey] = strings.Replace(m[engine.ArchKey], "dense 30", "dense 31", 1)
		}, "layer4.weight"},
		{"missing tensor", func(_ map[string]string, ts map[string]*safetensors.Tensor) { delete(ts, "layer3.shift") }, "no tensor \"layer3.shift\""},
		{"wrong dtype", func(_ map[string]string, ts map[string]*safetensors.Tensor) {
			ts["layer2.bias"].DType = "F32"
		}, "layer2.bias"},
		{"zero weight scale", func(_ map[string]string, ts map[string]*safetensors.Tensor) { setF32(ts["layer1.weight_scale"], 2, 0) }, "weight scale 2"},
		{"NaN weight scale", func(_ map[string]string, ts map[string]*safetensors.Tensor) {
			setF32(ts["layer1.weight_scale"], 0, float32(math.NaN()))
		}, "weight scale 0"},
		{"negative output scale", func(_ map[string]string, ts map[string]*safetensors.Tensor) { setF32(ts["layer2.output_scale"], 0, -1) }, "output scale"},
		{"infinite output scale", func(_ map[string]string, ts map[string]*safetensors.Tensor) {
			setF32(ts["layer3.output_scale"], 0, float32(math.Inf(1)))
		}, "output scale"},
		{"input scale", func(_ map[string]string, ts map[string]*safetensors.Tensor) { setF32(ts["input.scale"], 0, 0.5) }, "input scale"},
		{"zero point", func(_ map[string]string, ts map[string]*safetensors.Tensor) {
			setI32(ts["layer2.output_zero_point"], 0, 200)
		}, "zero point"},
		{"logit zero point", func(_ map[string]string, ts map[string]*safetensors.Tensor) {
			setI32(ts["layer5.output_zero_point"], 0, 3)
		}, "zero point"},
		{"small multiplier", func(_ map[string]string, ts map[string]*safetensors.Tensor) {
			setI32(ts["layer1.multiplier"], 1, 12345)
		}, "multiplier"},
		{"negative multiplier", func(_ map[string]string, ts map[string]*safetensors.Tensor) {
			setI32(ts["layer4.multiplier"], 0, -1<<30)
		}, "multiplier"},
		{"shift", func(_ map[string]string, ts map[string]*safetensors.Tensor) { setI32(ts["layer2.shift"], 0, 40) }, "shift"},
		{"multiplier disagrees", func(_ map[string]string, ts map[string]*safetensors.Tensor) {
			v := make([]int32, 4)
			safetensors.ToInt32s(v, ts["layer1.shift"].Data)
			setI32(ts["layer1.shift"], 0, v[0]-1)
		}, "disagrees"},
		{"weight -128", func(_ map[string]string, ts map[string]*safetensors.Tensor) { ts["layer2.weight"].Data[5] = 0x80 }, "-128"},
		{"bias overflow", func(_ map[string]string, ts map[string]*safetensors.Tensor) {
			setI32(ts["layer4.bias"], 0, math.MaxInt32)
		}, "overflows"},
	}
	meta0, ts0 := q.SafeTensors()
	for _, c := range cases {
		meta := make(map[string]string)
		for k, v := range meta0 {
			meta[k] = v
		}
		byName := make(map[string]*safetensors.Tensor)
		for _, tn := range ts0 {
			tn.Data = bytes.Clone(tn.Data)
			byName[tn.Name] = &tn
		}
		c.edit(meta, byName)
		var ts []safetensors.Tensor
		for _, tn := range ts0 {
			if p, ok := byName[tn.Name]; ok {
				ts = append(ts, *p)
			}
		}
		path := filepath.Join(t.TempDir(), "bad.safetensors")
		if err := safetensors.WriteFile(path, meta, ts); err != nil {
			t.Fatal(err)
		}
		_, err := LoadFile(path)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		} else if c.name != "arch" && !errors.Is(err, ErrFormat) {
			t.Errorf("%s: error %v does not wrap ErrFormat", c.name, err)
		}
	}
}

func setF32(t *safetensors.Tensor, i int, v float32) {
	copy(t.Data[4*i:], safetensors.Float32s([]float32{v}))
}

func setI32(t *safetensors.Tensor, i int, v int32) {
	copy(t.Data[4*i:], safetensors.Int32s([]int32{v}))
}

// TestDequantize: the dequantised network holds the int8 weights times
// their scales and the biases at s_in·s_w, and its classes agree with the
// integer network's on MNIST-like bytes.
func TestDequantize(t *testing.T) {
	q := loadFixture(t)
	net, err := Dequantize(q)
	if err != nil {
		t.Fatal(err)
	}
	if net.Spec.String() != q.Spec.String() {
		t.Fatalf("spec %q, want %q", net.Spec, q.Spec)
	}
	inScale := float64(q.InputScale)
	for i, l := range net.Layers() {
		ql := &q.Layers[i]
		C := l.Out.C
		for k, w := range l.Weights {
			if want := float32(ql.Weights[k]) * ql.WeightScale[k%C]; w != want {
				t.Fatalf("layer %d weight %d: %v, want %v", i+1, k, w, want)
			}
		}
		for c, b := range l.Bias {
			if want := float32(float64(ql.Bias[c]) * inScale * float64(ql.WeightScale[c])); b != want {
				t.Fatalf("layer %d bias %d: %v, want %v", i+1, c, b, want)
			}
		}
		inScale = float64(ql.OutScale)
	}
	bad := *q
	bad.Layers = append([]Layer(nil), q.Layers...)
	bad.Layers[0].WeightScale = []float32{1}
	if _, err := Dequantize(&bad); err == nil {
		t.Error("mismatched scales: no error")
	}
}
