package model_test

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/edgeconv/edgeconv/model"
	"github.com/edgeconv/edgeconv/model/modeltest"
)

// TestSelfTest: the embedded model reads the probe digits, in int8 and in
// float32; the same network with damaged weights (NaN, or the last layer
// scrambled) is rejected.
func TestSelfTest(t *testing.T) {
	m, err := model.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range []model.Options{{}, {Float: true}} {
		right, err := m.SelfTest(o)
		if err != nil || right < 95 {
			t.Errorf("%+v: %d right, %v", o, right, err)
		}
	}
	for _, damage := range []struct {
		name string
		f    func(w []float32)
	}{
		{"NaN", func(w []float32) { w[7] = float32(math.NaN()) }},
		{"scrambled", func(w []float32) {
			for i := range w {
				w[i] = float32((i*7919)%13) - 6
			}
		}},
	} {
		net := modeltest.DefaultCopy(t)
		ls := net.Layers()
		damage.f(ls[len(ls)-1].Weights)
		bad, err := model.FromNetwork(net, damage.name)
		if err != nil {
			t.Fatal(err)
		}
		if right, err := bad.SelfTest(model.Options{}); err == nil {
			t.Errorf("%s weights pass the self-test (%d right)", damage.name, right)
		} else if !strings.Contains(err.Error(), damage.name) {
			t.Errorf("the error does not name the model: %v", err)
		}
	}
}

func TestCheckSum(t *testing.T) {
	m, err := model.Default()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	good, bad, junk := filepath.Join(dir, "good"), filepath.Join(dir, "bad"), filepath.Join(dir, "junk")
	os.WriteFile(good, []byte(strings.ToUpper(m.SHA256())+"  m.safetensors\n"), 0o644)
	os.WriteFile(bad, []byte(strings.Repeat("0", 64)+"  m.safetensors\n"), 0o644)
	os.WriteFile(junk, []byte("hello\n"), 0o644)
	if err := m.CheckSum(good); err != nil {
		t.Error(err)
	}
	if err := m.CheckSum(bad); !errors.Is(err, model.ErrSumMismatch) {
		t.Errorf("wrong sum: %v", err)
	}
	if err := m.CheckSum(junk); err == nil || errors.Is(err, model.ErrSumMismatch) {
		t.Errorf("not a sum file: %v", err)
	}
	if err := m.CheckSum(filepath.Join(dir, "none")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("no sum file: %v", err)
	}
}
