package train

import (
	"testing"

	"github.com/edgeconv/edgeconv/engine"
	"github.com/edgeconv/edgeconv/model"
)

// TestPresets: every preset parses into a digit model of its name, and the
// batch-norm presets have the codelab's BN network.
func TestPresets(t *testing.T) {
	for _, name := range PresetNames() {
		p, spec, err := LookupPreset(name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if p.Name != name || p.Iterations < 1 || p.Batch < 1 || !(p.Schedule.Decay > 0) {
			t.Errorf("%s: %+v", name, p)
		}
		if err := model.CheckSpec(spec); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	for _, name := range []string{"seed995", "record"} {
		_, spec, _ := LookupPreset(name)
		if !spec.HasBN() || spec.Params() != (6*6*1+3)*24+(5*5*24+3)*48+(4*4*48+3)*64+(3136+3)*200+201*10 {
			t.Errorf("%s: %s, %d parameters", name, spec, spec.Params())
		}
	}
	if r := Presets["record"]; !r.Augment || r.Elastic == 0 || Presets["seed995"].Augment {
		t.Error("record trains on distorted images, elastically too, seed995 on MNIST as it is")
	}
}

// TestResumeWithBN is TestResumeMatchesUninterrupted for a network with
// batch normalisation and max-pooling: the running statistics, which
// ForwardTrain moves, are saved with the parameters, so the resumed run
// ends with the same bytes.
func TestResumeWithBN(t *testing.T) {
	cfg := smallConfig(t, 40)
	spec, err := engine.ParseSpec("conv 5x5 4 s1 bn relu; maxpool 2x2; conv 3x3 6 s2 bn relu; dense 32 bn relu keep=0.75; dense 10")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Spec = spec
	testResume(t, cfg)
}
