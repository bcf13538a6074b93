package quant

import (
	"slices"
	"strings"
	"testing"

	"github.com/edgeconv/edgeconv/engine"
	"github.com/edgeconv/edgeconv/engine/enginetest"
	"github.com/edgeconv/edgeconv/internal/filetest"
)

func TestQuantizeErrors(t *testing.T) {
	net := enginetest.Net(t, GoldenSpec, 1)
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
	// An untrained network on a black image still quantises: all-zero
	// activations get a usable scale.
	q, err := Quantize(net, ok, Options{})
	if err != nil {
		t.Fatal(err)
	}
	p := NewPlan(q, 1, 1)
	p.Forward(make([]uint8, 784), 1)
}

// TestMaxPool quantises networks with max-pooling (SAME and VALID, first
// and inside): the pooling layers keep their input's scale and zero point,
// the int8 outputs follow the float ones within a few quantisation steps,
// the file reads back to the same network, and Dequantize runs.
func TestMaxPool(t *testing.T) {
	for _, text := range []string{
		"conv 5x5 8 s1 relu; maxpool 2x2; conv 3x3 12 s1 relu; maxpool 3x3 s2 valid; dense 30 relu; dense 10",
		"maxpool 2x2 s1; conv 5x5 6 s2 bn relu; maxpool 3x3 s2; dense 10",
	} {
		net := enginetest.Net(t, text, 3)
		px := randomPixels(3, 50*784)
		calib := make([][]float32, 50)
		for i := range calib {
			calib[i] = make([]float32, 784)
			for j := range calib[i] {
				calib[i][j] = float32(px[i*784+j]) / 255
			}
		}
		q, err := Quantize(net, calib, Options{})
		if err != nil {
			t.Fatal(err)
		}
		for i, l := range q.Layers {
			if l.Kind == engine.MaxPool {
				inScale, inZero := q.InputScale, q.InputZero
				if i > 0 {
					inScale, inZero = q.Layers[i-1].OutScale, q.Layers[i-1].OutZero
				}
				if l.OutScale != inScale || l.OutZero != inZero {
					t.Errorf("%s: layer %d: scale %v zero %d, input's %v %d", text, i+1, l.OutScale, l.OutZero, inScale, inZero)
				}
			}
		}
		errs, err := Compare(net, q, px, 50)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range errs {
			if e.MaxAbs > 4*e.Scale+0.05*e.Range {
				t.Errorf("%s: %v", text, e)
			}
		}
		back, _ := filetest.RoundTrip(t, "pool.safetensors", q.SaveFile, LoadFile)
		a, b := NewPlan(q, 50, 2), NewPlan(back, 50, 1)
		if !slices.Equal(a.Forward(px, 50), b.Forward(px, 50)) {
			t.Errorf("%s: the loaded network's logits differ", text)
		}
		a.Close()
		b.Close()
		if _, err := Dequantize(back); err != nil {
			t.Error(err)
		}
	}
}
