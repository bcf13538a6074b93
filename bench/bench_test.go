package bench

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/edgeconv/edgeconv/engine"
	"github.com/edgeconv/edgeconv/model"
	"github.com/edgeconv/edgeconv/train"
)

// benchPresets are the networks the model-level benchmarks run.
var benchPresets = []string{"seed98", "seed99"}

func presetNet(b *testing.B, name string) *engine.Network {
	b.Helper()
	net, err := PresetNetwork(name, 1)
	if err != nil {
		b.Fatal(err)
	}
	return net
}

// report adds the throughput metrics of images processed at flopsPerImage.
func report(b *testing.B, images, flopsPerImage float64) {
	sec := b.Elapsed().Seconds()
	if sec <= 0 {
		return
	}
	b.ReportMetric(images/sec, "images/s")
	b.ReportMetric(images*flopsPerImage/sec/1e9, "GFLOP/s")
}

// BenchmarkInference classifies pixel bytes with each preset's network on
// random weights and inputs, as every command classifies
// (model.Classifier: pixels/255, the forward pass, softmax): batch 1 and
// batch 100 on one worker, and batch 100 shared by all cores
// (runtime.NumCPU workers).
func BenchmarkInference(b *testing.B) {
	cases := []struct {
		name           string
		batch, workers int
	}{
		{"batch1", 1, 1},
		{"batch100", 100, 1},
		{"batch100-allcores", 100, runtime.NumCPU()},
	}
	for _, preset := range benchPresets {
		b.Run(preset, func(b *testing.B) {
			net := presetNet(b, preset)
			m, err := model.FromNetwork(net, preset)
			if err != nil {
				b.Fatal(err)
			}
			px := Pixels(RandomDataset(100, engine.MNISTInput, 10, 1), 100)
			for _, c := range cases {
				b.Run(c.name, func(b *testing.B) {
					clf, err := m.NewClassifier(model.Options{Batch: c.batch, Workers: c.workers})
					if err != nil {
						b.Fatal(err)
					}
					defer clf.Close()
					in := px[:c.batch*model.Size]
					b.ReportAllocs()
					images := 0
					for b.Loop() {
						clf.Classify(in)
						images += c.batch
					}
					report(b, float64(images), float64(net.FLOPs()))
				})
			}
		})
	}
}

// BenchmarkTrainStep runs real training steps (forward with dropout, loss,
// backward, Adam) of batch 100 on all cores, on random images and labels.
func BenchmarkTrainStep(b *testing.B) {
	const batch = 100
	data := RandomDataset(10000, engine.MNISTInput, 10, 1)
	for _, preset := range benchPresets {
		b.Run(fmt.Sprintf("%s/batch%d", preset, batch), func(b *testing.B) {
			p, spec, err := train.LookupPreset(preset)
			if err != nil {
				b.Fatal(err)
			}
			tr, err := train.NewTrainer(train.Config{Spec: spec, Schedule: p.Schedule, Iterations: 1 << 30,
				Batch: batch, Seed: 1, Workers: runtime.NumCPU()}, data, nil)
			if err != nil {
				b.Fatal(err)
			}
			defer tr.Close()
			b.ReportAllocs()
			images := 0
			for b.Loop() {
				tr.Step()
				images += batch
			}
			report(b, float64(images), float64(TrainFLOPs(tr.Net)))
		})
	}
}
