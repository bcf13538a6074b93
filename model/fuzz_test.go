package model_test

import (
	"encoding/binary"
	"strings"
	"testing"

	"github.com/edgeconv/edgeconv/engine"
	"github.com/edgeconv/edgeconv/engine/enginetest"
	"github.com/edgeconv/edgeconv/model"
)

// FuzzLoad feeds arbitrary bytes to model.Load, which every command opens
// models with (float32, int8 and checkpoint files): errors must be one
// line, panics must not happen, and a model it accepts must classify.
func FuzzLoad(f *testing.F) {
	net := enginetest.Net(f, "conv 5x5 2 s2 relu; dense 10", 1)
	meta, ts := net.SafeTensors()
	f.Add(fileBytes(f, meta, ts))
	meta[engine.FormatKey] = engine.FormatCheckpoint
	f.Add(fileBytes(f, meta, ts))
	qmeta, qts := quantized(f, net).SafeTensors()
	f.Add(fileBytes(f, qmeta, qts))
	bomb := `{"__metadata__":{"format":"edgeconv-float32","version":"1","arch":"input 4096x4096x1; dense 16384"}}`
	f.Add(append(binary.LittleEndian.AppendUint64(nil, uint64(len(bomb))), bomb...))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := model.Load("fuzz", data)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("error of more than one line: %q", err)
			}
			return
		}
		c, err := m.NewClassifier(model.Options{Batch: 1, Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if r := c.Classify(make([]uint8, model.Size)); len(r) != 1 || r[0].Class < 0 || r[0].Class >= m.Classes() {
			t.Fatalf("Classify: %+v", r)
		}
	})
}
