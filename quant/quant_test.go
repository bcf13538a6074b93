package quant

import (
	"strings"
	"testing"

	"github.com/edgeconv/edgeconv/engine"
)

func TestQuantizeErrors(t *testing.T) {
	spec, err := engine.ParseSpec(GoldenSpec)
	if err != nil {
		t.Fatal(err)
	}
	net, err := engine.New(spec)
	if err != nil {
		t.Fatal(err)
	}
	net.Init(1)
	ok := [][]float32{make([]float32, 784)}
	for _, c := range []struct {
		calib [][]float32
		opts  Options
		want  string
	}{
		{nil, Options{}, "no calibration"},
		{ok, Options{Method: "mse"}, "unknown calibration method"},
		{ok, Options{Method: Percentile, Percentile: 20}, "percentile"},
		{[][]float32{make([]float32, 10)}, Options{}, "has 10 values"},
	} {
		if _, err := Quantize(net, c.calib, c.opts); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: error %v, want %q", c.opts, err, c.want)
		}
	}
	pooled, err := engine.ParseSpec("conv 5x5 4 s1 relu; maxpool 2x2; dense 10")
	if err != nil {
		t.Fatal(err)
	}
	pnet, _ := engine.New(pooled)
	if _, err := Quantize(pnet, ok, Options{}); err == nil || !strings.Contains(err.Error(), "max-pooling") {
		t.Errorf("a max-pooling network: error %v", err)
	}
	// An untrained network on a black image still quantises: all-zero
	// activations get a usable scale.
	q, err := Quantize(net, ok, Options{})
	if err != nil {
		t.Fatal(err)
	}
	p := NewPlan(q, 1, 1)
	p.Forward(make([]uint8, 784), 1)
}
