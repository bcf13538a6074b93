// Package model opens a digit model and classifies 28x28 digit images with
// it. It sits between the networks (engine's float32, quant's int8) and
// everything that reads digits: the command line's read, run, eval,
// predict, bench and quantize, the firmware, the trainer's evaluations and
// the tests all open and classify through it, so that they give the same
// classes and confidences for the same images.
//
// # Opening
//
// Open reads a model file, Load the bytes of one, Default the model
// compiled into the program (default.safetensors here, which `make
// firmware` writes), and FromNetwork wraps a float32 network in memory.
// The file's format metadata (engine.FormatFloat32, engine.FormatCheckpoint
// or quant.Format) is read here and nowhere else. Opening validates the
// whole file, and first, before any parameter is allocated, that the
// architecture reads digits (CheckSpec: input 28x28x1, 10 classes or 11
// where class NotDigit says "not a digit") and that the file holds as many
// parameters as the architecture claims: a hostile file gets a one-line
// error, never a panic or an allocation of gigabytes. A Model reports its
// architecture (Spec), precision, input shape, classes, per-layer shapes,
// parameters and FLOPs, and the SHA-256 of the file's bytes; CheckSum
// compares it with a sum file (sha256sum's), and SelfTest runs a test
// inference on 100 MNIST test digits compiled in (probe.png, written by
// mkprobe.go), so that a file with damaged weights is caught before it is
// used (`edgeconv run` validates a new model file this way before
// switching to it).
//
// # Classifying
//
// NewClassifier plans the model for a batch size and a number of worker
// goroutines; with Options.Float an int8 model runs as the float32 network
// of its dequantised weights. Classify takes images as MNIST stores them
// and the extractor makes them, (n, 28, 28) bytes with ink 255 on paper 0,
// and returns each image's class and confidence (its softmax probability);
// Logits, Probs and Loss give the rest. A float32 network reads p/255
// (ScalePixels, which training uses too); an int8 network reads the bytes
// as it was calibrated (quant.Plan subtracts 128) and its class is the
// argmax of the integer logits. After the first call of a given size,
// Classify allocates nothing (tested with testing.AllocsPerRun).
package model
