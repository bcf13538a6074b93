package quant

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"os"
	"testing"

	"github.com/edgeconv/edgeconv/engine"
	"github.com/edgeconv/edgeconv/engine/safetensors"
)

// FuzzFromSafeTensors feeds arbitrary bytes to the int8 model reader:
// errors are fine, panics are not, and a network it accepts must run (the
// reader validates everything inference relies on).
func FuzzFromSafeTensors(f *testing.F) {
	fixture, err := os.ReadFile(Fixture)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(fixture)
	h, _ := json.Marshal(map[string]any{"__metadata__": map[string]string{
		engine.FormatKey: Format, engine.VersionKey: Version, engine.ArchKey: "conv 1x1 1024 s1; dense 200; dense 10"}})
	f.Add(append(binary.LittleEndian.AppendUint64(nil, uint64(len(h))), h...))
	f.Fuzz(func(t *testing.T, data []byte) {
		meta, ts, err := safetensors.Read(bytes.NewReader(data))
		if err != nil {
			return
		}
		q, err := FromSafeTensors(meta, ts)
		if err != nil {
			return
		}
		if q.InputSize() > 1<<16 {
			return // valid, but slow to run for every input
		}
		p := NewPlan(q, 1, 1)
		defer p.Close()
		if got := p.Forward(make([]uint8, q.InputSize()), 1); len(got) != q.Classes() {
			t.Fatalf("%d logits, want %d", len(got), q.Classes())
		}
	})
}
