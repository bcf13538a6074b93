// Package train trains edgeconv networks on MNIST: it reads the IDX files,
// draws shuffled batches, runs the Adam optimiser under the codelab's
// learning-rate schedule, evaluates on the test set, and writes checkpoints
// from which a run resumes exactly.
//
// # Reproducibility
//
// A run is a function of its configuration, its seed and its worker count:
// the initial weights come from the seed, each epoch's data order from
// (seed, epoch), and each step's dropout masks from (seed, iteration). A
// checkpoint stores the parameters, the optimiser's moments and the
// position in the data, so that a resumed run writes the same model, byte for
// byte, as one that was never interrupted.
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
// pixels/255 (model.ScalePixels).
package train
