package quant

import (
	"strings"
	"testing"

	"github.com/edgeconv/edgeconv/engine"
	"github.com/edgeconv/edgeconv/train"
)

// TestQuantizeAccuracy trains a small network and checks that both
// calibration methods keep its test accuracy, and that the integer network
// and the float one mostly agree.
func TestQuantizeAccuracy(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a network")
	}
	net := trainSmall(t)
	trainSet, test := loadMNIST(t, train.Train), loadMNIST(t, train.Test)
	floatAcc := train.Evaluate(net, test, 2).Accuracy
	calib := calibSamples(trainSet, 300)
	for _, m := range []Method{MinMax, Percentile} {
		q, err := Quantize(net, calib, Options{Method: m})
		if err != nil {
			t.Fatal(err)
		}
		p := NewPlan(q, 500, 2)
		correct := 0
		for s := 0; s < test.N; s += 500 {
			lg := p.Forward(test.Images[s*784:], 500)
			for k := range 500 {
				if Argmax(lg[k*10:(k+1)*10]) == int(test.Labels[s+k]) {
					correct++
				}
			}
		}
		p.Close()
		acc := float64(correct) / float64(test.N)
		t.Logf("%s: float %.2f%%, int8 %.2f%%", m, 100*floatAcc, 100*acc)
		if acc < floatAcc-0.005 {
			t.Errorf("%s: int8 accuracy %.4f, float %.4f", m, acc, floatAcc)
		}
		errs, err := Compare(net, q, test.Images, 100)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range errs {
			if e.MaxRel() > 0.5 || e.MeanAbs > 0.05*e.Range {
				t.Errorf("%s: %v", m, e)
			}
		}
	}
}

func TestQuantizeErrors(t *testing.T) {
	spec, err := engine.ParseSpec(goldenSpec)
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
	// An untrained network on a black image still quantises: all-zero
	// activations get a usable scale.
	q, err := Quantize(net, ok, Options{})
	if err != nil {
		t.Fatal(err)
	}
	p := NewPlan(q, 1, 1)
	p.Forward(make([]uint8, 784), 1)
}
