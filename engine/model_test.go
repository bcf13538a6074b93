package engine

import (
	"bytes"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/edgeconv/edgeconv/engine/safetensors"
	"github.com/edgeconv/edgeconv/internal/filetest"
)

func testNet(t testing.TB, text string) *Network {
	t.Helper()
	spec, err := ParseSpec(text)
	if err != nil {
		t.Fatal(err)
	}
	net, err := New(spec)
	if err != nil {
		t.Fatal(err)
	}
	net.Init(42)
	return net
}

func encode(t *testing.T, net *Network) []byte {
	t.Helper()
	meta, ts := net.SafeTensors()
	var buf bytes.Buffer
	if err := safetensors.Write(&buf, meta, ts); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func decode(b []byte) (*Network, error) {
	meta, ts, err := safetensors.Read(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	return FromSafeTensors(meta, ts)
}

func TestModelRoundTrip(t *testing.T) {
	net := testNet(t, "conv 5x5 4 s1 relu; conv 5x5 8 s2 relu; conv 4x4 12 s2 valid relu; dense 200 relu keep=0.75; dense 10")
	got, path := filetest.RoundTrip(t, "m.safetensors", net.SaveFile, LoadFile)
	if got.Spec.String() != net.Spec.String() {
		t.Errorf("spec %q, want %q", got.Spec, net.Spec)
	}
	if !slices.Equal(got.Params, net.Params) {
		t.Error("parameters differ after a round trip")
	}
	// The encoding is deterministic: the same network gives the same bytes.
	if !bytes.Equal(encode(t, net), encode(t, got)) {
		t.Error("re-encoding a loaded model gives different bytes")
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries after SaveFile, want only the model", len(entries))
	}
}

// TestModelTruncatedAndCorrupt cuts the file at every length and flips every
// byte: each damaged file must give an error, never a panic and never a
// silently different network.
func TestModelTruncatedAndCorrupt(t *testing.T) {
	net := testNet(t, "input 6x6x1; conv 3x3 2 s2 relu; dense 3")
	b := encode(t, net)
	for n := range len(b) {
		if _, err := decode(b[:n]); err == nil {
			t.Fatalf("truncated to %d of %d bytes: no error", n, len(b))
		}
	}
	for i := range b {
		c := append([]byte(nil), b...)
		c[i] ^= 0x20
		got, err := decode(c)
		if err != nil {
			continue
		}
		// A flipped space in the header padding or a flipped letter case in
		// JSON can leave a valid file; it must then be the same network.
		if got.Spec.String() != net.Spec.String() || !slices.Equal(got.Params, net.Params) {
			t.Fatalf("flipping byte %d gave a different network without an error", i)
		}
	}
}

func TestModelMismatch(t *testing.T) {
	net := testNet(t, "input 6x6x1; conv 3x3 2 s2 relu; dense 3")
	meta, ts := net.SafeTensors()
	// Each case sets one metadata key, or changes the tensors, and wants
	// an error mentioning want.
	cases := []struct {
		name       string
		key, value string
		tensors    func(ts []safetensors.Tensor)
		want       string
	}{
		{name: "wrong arch", key: ArchKey, value: "input 6x6x1; conv 3x3 4 s2 relu; dense 3", want: "the file holds 308"},
		{name: "wrong shapes", key: ArchKey, value: "input 6x6x1; conv 3x3 1 s2 relu; dense 3", want: "layer1.weight"},
		{name: "bad arch", key: ArchKey, value: "conv 3x3", want: "architecture"},
		{name: "int8 file", key: FormatKey, value: "edgeconv-int8", want: "not a float32 model"},
		{name: "future version", key: VersionKey, value: "9", want: "version"},
		{name: "missing tensor", tensors: func(ts []safetensors.Tensor) { ts[0].Name = "layer9.weight" }, want: "no tensor"},
		{name: "NaN", tensors: func(ts []safetensors.Tensor) {
			ts[0].Data = append([]byte(nil), ts[0].Data...)
			copy(ts[0].Data, []byte{0, 0, 0xc0, 0x7f})
		}, want: "NaN"},
	}
	for _, c := range cases {
		m := maps.Clone(meta)
		tc := slices.Clone(ts)
		if c.key != "" {
			m[c.key] = c.value
		}
		if c.tensors != nil {
			c.tensors(tc)
		}
		var buf bytes.Buffer
		if err := safetensors.Write(&buf, m, tc); err != nil {
			t.Fatal(err)
		}
		_, err := decode(buf.Bytes())
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one mentioning %q", c.name, err, c.want)
		}
	}
	if _, err := LoadFile(filepath.Join(t.TempDir(), "missing.safetensors")); err == nil {
		t.Error("loading a missing file gave no error")
	}
}
