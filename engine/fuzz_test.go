package engine

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"slices"
	"testing"

	"github.com/edgeconv/edgeconv/engine/safetensors"
)

// FuzzParseSpec feeds arbitrary text to ParseSpec (the --spec flag and a
// model file's architecture): errors are fine; a spec it accepts must be
// valid, within the limits, and read back the same from its String.
func FuzzParseSpec(f *testing.F) {
	for _, s := range []string{
		seed99Spec,
		"# seed99\ninput 28x28x1\nconv 6x6 6 relu\nconv 4x4 24 s2 valid relu\ndense 11\n",
		"input 4096x4096x1; dense 16384",
		"conv 1x1 16384 s1; dense 16384; dense 10",
		"input 4096x4096x4096; dense 10",
		"conv 64x64 3 s16 valid; dense 2",
		"conv 5x5 8 s1 bn relu; maxpool 2x2; conv 3x3 16 valid bn relu keep=0.9; maxpool 3x3 s2 valid; dense 30 bn relu; dense 10",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		spec, err := ParseSpec(text)
		if err != nil {
			return
		}
		if err := spec.Validate(); err != nil {
			t.Fatalf("ParseSpec(%q) accepted an invalid spec: %v", text, err)
		}
		if p := spec.Params(); p < 1 || p > MaxParams {
			t.Fatalf("ParseSpec(%q): %d parameters", text, p)
		}
		again, err := ParseSpec(spec.String())
		if err != nil || again.String() != spec.String() {
			t.Fatalf("ParseSpec(%q).String() = %q reads back as %q, %v", text, spec.String(), again.String(), err)
		}
		if _, err := spec.Geometry(); err != nil {
			t.Fatal(err)
		}
	})
}

// FuzzFromSafeTensors feeds arbitrary bytes to the float32 model and
// checkpoint reader: errors are fine, panics and allocations beyond what
// the file holds are not (the parameter count is checked first); a network
// it accepts is written back and read again unchanged.
func FuzzFromSafeTensors(f *testing.F) {
	spec, _ := ParseSpec("input 8x8x1; conv 3x3 2 s2 relu; dense 3")
	net, _ := New(spec)
	net.Init(1)
	meta, ts := net.SafeTensors()
	var b bytes.Buffer
	safetensors.Write(&b, meta, ts)
	f.Add(b.Bytes())
	meta[FormatKey] = FormatCheckpoint
	b.Reset()
	safetensors.Write(&b, meta, append(ts, safetensors.Tensor{Name: "adam.m", DType: "F32", Shape: []int{1}, Data: make([]byte, 4)}))
	f.Add(b.Bytes())
	h, _ := json.Marshal(map[string]any{"__metadata__": map[string]string{
		FormatKey: FormatFloat32, VersionKey: FormatVersion, ArchKey: "input 4096x4096x1; dense 16384"}})
	f.Add(append(binary.LittleEndian.AppendUint64(nil, uint64(len(h))), h...))
	f.Fuzz(func(t *testing.T, data []byte) {
		net, err := decode(data)
		if err != nil {
			return
		}
		meta, ts := net.SafeTensors()
		var b bytes.Buffer
		if err := safetensors.Write(&b, meta, ts); err != nil {
			t.Fatal(err)
		}
		again, err := decode(b.Bytes())
		if err != nil || again.Spec.String() != net.Spec.String() || !slices.Equal(again.Params, net.Params) {
			t.Fatalf("a network read from a file does not read back: %v", err)
		}
	})
}
