// Package bench measures edgeconv end to end on the machine it runs on: the
// float32 peak of a core, inference latency and throughput, and training
// throughput, each also as a fraction of that peak (the yardstick of
// docs/DESIGN.md, "Networks, presets and the cost model").
//
// # Benchmarks
//
// The package's _test.go files hold the model-level benchmarks, which need no
// data (random weights and inputs run at the same speed as real ones):
//
//	go test -run '^$' -bench . -benchmem ./bench/
//
// gives BenchmarkInference/{seed98,seed99}/{batch1,batch100,batch100-allcores}
// and BenchmarkTrainStep/{seed98,seed99}/batch100, each reporting GFLOP/s,
// images/s and allocations. Kernel benchmarks live beside their kernels, in
// engine/kernel.
//
// # Measurements
//
// Run measures a model.Model the way `edgeconv bench` reports it. The
// measurements are interleaved: Run makes several rounds, and in each round
// gives every measurement an equal slice of time, so that a burst of load
// from another program falls on all of them alike. Each measurement then
// reports the median of its timed samples (one call each), taken after a
// warm-up. The peak is the kernel's register-only FMA loop (kernel.PeakFMA),
// run on one core and on all cores at once.
//
// # Models
//
// Inference is timed as every command classifies: model.Classifier.Classify
// on MNIST-style pixel bytes (a float32 network reads them as p/255, an int8
// one as they are), softmax included, so a float32 model, an int8 one and
// an int8 one run dequantised are measured alike. With real data (MNIST),
// Run also checks the timed batch's classes against the labels
// (Result.Checked). Training is measured on a float32 network with real
// Adam steps (train.Trainer), on MNIST when the caller supplies it and on
// random images otherwise.
//
// # Counting FLOPs
//
// A multiply-add counts as two floating-point operations. Inference costs
// Network.FLOPs per image; a training step costs TrainFLOPs per image: the
// forward pass, the weight gradient of every layer (as much again) and the
// input gradient of every layer but the first (which needs none).
package bench
