package train

import (
	"fmt"
	"sort"
	"strings"

	"github.com/edgeconv/edgeconv/engine"
)

// Preset is a named training recipe: a network and its schedule, with the
// codelab's batch size and length.
type Preset struct {
	Name       string
	Spec       string // in engine.ParseSpec syntax
	Schedule   Schedule
	Iterations int
	Batch      int
	Synth      Synth   // synthetic samples mixed in (the seed99r recipe)
	Augment    bool    // distort training images with DefaultAugment (Config.Augment)
	Elastic    float64 // and elastically by up to so many pixels (Config.Elastic)
	About      string
}

// Presets are the codelab's models, as its source code defines them
// (docs/DESIGN.md): all convolutions SAME-padded with ReLU, Adam, batch 100,
// 10,000 iterations.
var Presets = map[string]Preset{
	"seed98": {
		Name:       "seed98",
		Spec:       "conv 5x5 4 s1 relu; conv 5x5 8 s2 relu; conv 4x4 12 s2 relu; dense 200 relu; dense 10",
		Schedule:   Schedule{Min: 0.0001, Max: 0.003, Decay: 2000},
		Iterations: 10000, Batch: 100,
		About: "the codelab's 98.9% convnet: 4/8/12 channels, no dropout",
	},
	"seed99": {
		Name:       "seed99",
		Spec:       "conv 6x6 6 s1 relu; conv 5x5 12 s2 relu; conv 4x4 24 s2 relu; dense 200 relu keep=0.75; dense 10",
		Schedule:   Schedule{Min: 0.0001, Max: 0.003, Decay: 2000},
		Iterations: 10000, Batch: 100,
		About: "the codelab's 99.3% convnet: 6/12/24 channels, dropout 0.75 on the dense layer",
	},
	"seed995": {
		Name:       "seed995",
		Spec:       "conv 6x6 24 s1 bn relu; conv 5x5 48 s2 bn relu; conv 4x4 64 s2 bn relu; dense 200 bn relu keep=0.75; dense 10",
		Schedule:   Schedule{Min: 0.0001, Max: 0.02, Decay: 1600},
		Iterations: 10000, Batch: 100,
		About: "the codelab's batch-norm step, about 99.5%: 24/48/64 channels, batch norm before every ReLU, dropout 0.75 on the dense layer",
	},
	"record": {
		Name:       "record",
		Spec:       "conv 6x6 24 s1 bn relu; conv 5x5 48 s2 bn relu; conv 4x4 64 s2 bn relu; dense 200 bn relu keep=0.75; dense 10",
		Schedule:   Schedule{Min: 0.0001, Max: 0.02, Decay: 2000},
		Iterations: 9000, Batch: 100, Augment: true, Elastic: 2,
		About: "seed995 trained on distorted images (DefaultAugment and an elastic distortion of ±2 px) with a slower decay: for the last tenths of a point",
	},
	"seed99r": {
		Name:       "seed99r",
		Spec:       "conv 6x6 6 s1 bn relu; conv 5x5 12 s2 bn relu; conv 4x4 24 s2 bn relu; dense 200 bn relu keep=0.75; dense 11",
		Schedule:   Schedule{Min: 0.0001, Max: 0.01, Decay: 4000},
		Iterations: 20000, Batch: 100,
		Synth: Synth{Negatives: 12000, Digits: 6000, Strokes: true, Prior: 0.05},
		About: "seed99 with batch norm and an 11th class, not a digit: 12,000 negatives and 6,000 style digits mixed into MNIST, " +
			"marker and hairline strokes, 20,000 iterations, the not-a-digit bias moved to a prior of 5%",
	},
}

// DefaultPreset is what `edgeconv train` trains when told nothing.
const DefaultPreset = "seed99"

// LookupPreset returns the named preset and its parsed spec.
func LookupPreset(name string) (Preset, engine.Spec, error) {
	p, ok := Presets[name]
	if !ok {
		return Preset{}, engine.Spec{}, fmt.Errorf("train: unknown preset %q (have %s)", name, strings.Join(PresetNames(), ", "))
	}
	spec, err := engine.ParseSpec(p.Spec)
	if err != nil {
		return Preset{}, engine.Spec{}, err
	}
	return p, spec, nil
}

// PresetNames lists the presets in order.
func PresetNames() []string {
	var names []string
	for n := range Presets {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
