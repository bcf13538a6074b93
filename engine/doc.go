// Package engine trains and runs small float32 convnets: a network
// description, its parameters and model file, and the plan that runs it
// forward and backward on a batch. The hot loops are in engine/kernel.
//
// # Networks
//
// A Spec lists the layers (ParseSpec reads "conv 6x6 6 s1 relu; ...;
// dense 10"): convolutions of any kernel, stride and SAME or VALID padding,
// and dense layers, each optionally followed by batch normalisation, ReLU
// and, while training, dropout; and max-pooling layers. New resolves the shapes and lays out the parameters: a Network
// keeps all of them in one slice, Params, so that an optimiser is one loop
// over one vector, each layer's weights in TensorFlow's layout, (KH, KW,
// Cin, Cout) for a convolution and (In, Out) for a dense layer, followed by
// its bias (a BN layer: its offset, then its running mean and variance).
// Activations are NHWC float32, one contiguous slice per layer for
// the whole batch; a dense layer flattens its input in HWC order.
// LoadFile and SaveFile read and write the safetensors model file.
//
// # Plans
//
// A Plan is a network prepared for a batch size and a worker count
// (NewPlan): every buffer a pass needs is allocated there, so that Forward,
// ForwardTrain, Loss and Backward allocate nothing (TestZeroAlloc). An
// inference plan runs Forward; a training plan (PlanOptions.Training) also
// runs ForwardTrain (with dropout; ForwardTrainLoad has the workers fill
// the input in the same pass), Loss (softmax cross-entropy and the
// logits' gradient) and Backward, which leaves the parameter gradient in
// Grad; SplitParams then lets an optimiser update Params with all workers,
// and BackwardUpdate does both with the gradient summed piece by piece in
// the optimiser's pass.
//
// A plan holds one layer plan per layer, of the layer's kind (convPlan,
// densePlan, poolPlan): it owns what is the layer's alone and runs the layer's
// passes on a worker's samples; the plan itself owns what passes between
// layers. So a new layer kind comes to the plan as one type that implements
// planLayer and one case in newPlanLayer (besides its spec syntax and
// parameter layout, in spec.go and network.go).
//
// # Forward paths
//
// A dense layer is one matrix product of the samples by its packed
// weights, the bias and ReLU added in one pass after it. For a single
// sample in an inference plan whose weights are finite, the product skips
// the zero inputs (kernel.SgemvPackedSparse, the same bits): at batch 1 it
// is bound by reading the weights, and after a ReLU most rows need not be
// read. A convolution
// takes the fastest of three paths that its shape allows, chosen once when
// the plan is made:
//
//   - Implicit GEMM: every row of the convolution's im2col matrix is KH runs
//     of KW·Cin consecutive values of a zero-bordered copy of the input
//     image, so kernel.SgemmPackedWindows reads the windows in place and
//     adds the bias and the ReLU in registers before it stores. It is taken
//     when a row, with the bias packed after it, fits
//     kernel.SgemmWindowsMaxK (256): all of seed98's and seed99's
//     convolutions. A convolution of one channel into six at stride 1
//     (seed99's first) reads its windows in place with a direct kernel
//     instead, kernel.SconvC1x6S1, where that runs SIMD code: the same
//     bits without the grouped product's zero multiply-adds.
//   - The chain: in an inference plan, leading convolutions that read in
//     place run sample by sample, each writing its output straight into the
//     interior of the next one's bordered image, so that no layer copies its
//     input. It stops at a layer whose bordered image cannot hold the whole
//     previous output (VALID windows that skip input rows). Hidden outputs
//     inside the chain are not kept; PlanOptions.KeepActivations turns the
//     chain off so that Activation can return every layer's output (as
//     quantisation's calibration needs).
//   - im2col: the matrix is built a chunk of output pixels at a time (about
//     128 KiB, so that it stays in L2) into the worker's scratch, with
//     kernel.CopyWindows, and multiplied by the packed weights: for rows too
//     long to read in place, and in every backward pass, whose weight
//     gradient is a product with the im2col matrix and whose input gradient
//     is scattered back by col2im (kernel.AddWindows).
//
// A convolution with few output channels puts g adjacent output pixels in
// one row of its forward product, with block-diagonal weights g·Cout wide,
// so that it fills the widest microkernel tile (convGroup).
//
// # Batch normalisation
//
// ForwardTrain normalises a BN layer's outputs with the batch's statistics
// and moves the running ones in Params; every other pass uses the running
// statistics, and an inference plan folds them into the weights it packs,
// so that BN costs nothing at inference (batchnorm.go). Because the batch's
// statistics span every worker's samples, a pass with them is cut at each
// BN layer: the workers' per-channel sums are combined on the caller's
// goroutine between two runs of the workers.
//
// # Who owns which buffer
//
//	Network        Params; the layers' shapes and offsets
//	Plan           acts[i]: layer i's output for the batch (none inside the chain)
//	               grads[i], masks[i]: its gradient and dropout mask (training)
//	               grad: the parameter gradient summed over the workers (training)
//	               bn[i]: a BN layer's product before normalisation and its coefficients (training)
//	               folded: BN layers' weights with the running statistics folded in (inference)
//	layer plan     packed: its weights packed for the forward product (kernel.PackB),
//	               with the bias as one more row where the windows are read in place
//	               packedT: their transpose, for the input gradient (training)
//	               biasRows: the bias repeated, for kernel.AddBias
//	               pads[w]: worker w's zero-bordered input image (convolutions)
//	workerState    scratch that worker w's layers share in turn, as long as the
//	               longest any layer needs: the im2col chunk, the bordered input
//	               gradient, Sgemm scratch, weights before packing, the bias
//	               gradient's partial row sums, and the worker's own parameter
//	               gradient (training)
//
// Slices that a plan returns (Forward's logits, Activation, Grad) belong to
// it and are overwritten by the next pass. A plan packs the weights when it
// is made; an inference plan packs again when Network.ParamsChanged has been
// called since, a training plan at every forward pass, so that an optimiser
// may change Params in place between steps.
//
// # Threads
//
// A plan starts Workers−1 goroutines (internal/pool); the caller's
// goroutine is worker 0. Every pass splits the batch into contiguous ranges
// of samples, one per worker, and each worker runs every layer over its
// range with its own scratch: no locks inside a pass. Backward then sums the
// workers' parameter gradients in worker order, each worker one slice of
// the parameters, so the result is the same bits for a given worker count
// and differs between counts only by rounding. Dropout masks are a hash of
// (seed, layer, element), so they do not depend on the worker count either.
// A plan is not safe for concurrent use: make one per goroutine.
//
// # Errors
//
// Bad user input (a spec string, a model file) is an error value. Misuse of
// a plan (a batch larger than planned, Backward before Forward) is a
// programming error and panics with one of the "engine: ..." strings of
// errors.go.
package engine
