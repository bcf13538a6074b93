// Package train trains edgeconv networks on MNIST: it reads the IDX files,
// draws shuffled batches, runs the Adam optimiser under the codelab's
// learning-rate schedule, evaluates on the test set, and writes checkpoints
// from which a run resumes exactly.
//
// # Reproducibility
//
// A run is a function of its configuration, its seed and its worker count
// on a given architecture (the kernels' summation order and FMAs differ
// between builds): the initial weights come from the seed, each epoch's data order from
// (seed, epoch), and each step's dropout masks from (seed, iteration). A
// checkpoint stores the parameters, the optimiser's moments and the
// position in the data, so that a resumed run writes the same model, byte for
// byte, as one that was never interrupted; and where the run writes
// (RunOptions), so that Resume continues it to the same files. Run writes
// checkpoints when it starts and periodically if asked, and stops with
// ErrDiverged, writing nothing, when the loss stops being a number.
//
// # Digit networks and evaluation
//
// The trainer trains digit networks only (model.CheckSpec: 28x28x1 input,
// 10 classes or 11 with model.NotDigit), so that whatever it writes opens
// everywhere. Evaluate measures a model.Classifier on a dataset, the
// classifier that every command classifies with; the trainer evaluates the
// network it trains through model.FromNetwork, with one classifier made at
// the first evaluation, whose plan repacks the weights after each step
// (engine.Network.ParamsChanged). Batch feeds training the same inputs,
// pixels/255 (model.ScalePixels). Eval's rejection and style figures
// (held-out negatives and digits, below) go through Evaluate too.
//
// # Not a digit, and the styles MNIST lacks
//
// A network with an 11th output (class NotDigit, model.NotDigit) learns to
// say that what the extractor found is not a digit. Synthesize renders its
// negatives and digits in the styles MNIST under-represents as the extractor
// presents a candidate: MNIST-style 28x28 images (bytes, ink 255 on 0, as
// MNIST stores them and the extractor makes them), the longer side 20
// pixels, the centre of mass at the centre, strokes no thinner than the
// extractor's thickening leaves them, after a random slant, rotation and
// stretch, and a blur now and then. The negatives are handwritten letters
// and symbols (outline and Hershey fonts of internal/glyphs, with a random
// pen and a hand's wobble), letters that touch (dx, nm), printed fragments
// (Go fonts), stroke fragments (arcs, hooks, dashes, dots), paper edges and
// corners, grid and ruled-line remnants, fingers and smudges; letters and
// symbols that a hand writes like a digit (O, l, S, Z, B, g, q, b, y, …) are
// left out, and so is any sample that comes out as a straight stroke near
// the vertical (a 1). The style digits come from the handwriting, stroke and
// printed fonts and from drawn strokes: 1s with a flag and a base, crossed
// 7s, open-top 4s, 9s with a straight stem, Z-like 2s. Each sample is a
// function of (seed, index), so a run that mixes them in (Config.Synth)
// stays reproducible and resumable; HeldOutNegatives and HeldOutDigits
// render the same kinds from the fonts that training does not use, for
// evaluation.
package train
