// Package quant turns a float32 edgeconv network into an integer-only one
// (int8 post-training quantisation in TensorFlow Lite's scheme), runs it,
// and reads and writes the int8 model file.
//
// # Scheme
//
// A real value r is represented by an integer q through a scale s and a zero
// point z: r = (q − z)·s.
//
//   - Weights: int8, symmetric per output channel: z = 0,
//     s[c] = max|w[·,c]|/127, q = round(w/s[c]) in [−127, 127].
//   - Activations: int8, asymmetric per tensor, the range [lo, hi] (widened
//     to contain 0) calibrated by running the float network (the engine's
//     own forward pass, engine.Plan.Activation) on training images:
//     s = (hi − lo)/255, z = round(−128 − lo/s), so that real 0 is
//     exactly representable. Calibration methods: MinMax (smallest and
//     largest value seen) and Percentile (the 99.99th percentile by default,
//     clipping rare outliers).
//   - The input: a pixel p (0..255) is q = p − 128 with s = 1/255 and
//     z = −128, exactly the float network's p/255.
//   - Biases: int32 with scale s_in·s_w[c] and zero point 0.
//   - Requantisation: channel c's int32 accumulator
//     acc = Σ (q_in − z_in)·q_w + bias is scaled by the real multiplier
//     s_in·s_w[c]/s_out, held as a Q0.31 integer Multiplier in [2³⁰, 2³¹)
//     and an exponent Shift (MultiplyByQuantizedMultiplier, TensorFlow
//     Lite's function: SaturatingRoundingDoublingHighMul, which rounds to
//     nearest with ties away from zero, then RoundingDivideByPOT, which
//     rounds to nearest with ties away from zero). Then the output zero
//     point is added and the result clamped to [−128, 127], or to
//     [z_out, 127] when the layer has ReLU: ReLU is folded into the clamp.
//   - The last layer outputs int32 logits at scale s_in·max_c s_w[c] (zero
//     point 0), so every multiplier is at most 1 and the classes compare
//     directly: the prediction is the argmax of the integers.
//   - SAME padding feeds the input zero point (real 0) to the convolution.
//   - Dropout does not exist at inference.
//   - Batch normalisation is folded into its layer's weights and bias before
//     quantising (engine.Network.FoldBN): the int8 network's architecture
//     has no bn.
//   - A max-pooling layer keeps its input's scale and zero point (the largest
//     int8 value is the int8 value of the largest real one), so it has no
//     parameters and no tensors in the file.
//
// Everything from the pixels to the logits is integer arithmetic with
// defined overflow, so the logits are the same bits on every architecture,
// with or without the purego tag; testdata/golden.* proves it.
//
// # Zero-point correction
//
// The kernels compute Σ q_in·q_w on signed int8. The plan folds the rest
// into the bias once: bias' = bias − z_in·Σ_k q_w[k, c]. A convolution reads
// each sample padded with z_in, so that the correction holds at the
// borders: where its input comes from the pixels or from a convolution
// whose output fits inside the padded image, the plan keeps every sample's
// padded image, its borders set once, and the producer writes the interior
// in place (the epilogue's row strides); otherwise it pads a copy. kernel.GemmInt8Windows reads the convolution's windows from
// it in place (a dense layer's input rows directly) and applies, in its
// microkernels' epilogue, kernel.RequantInt8: bias', the multiplier, the
// shift, the output zero point and the clamp. Every exponent quantisation
// produces is ≤ 0; a layer of a file with a positive one runs
// kernel.GemmInt8 (over an im2col matrix for a convolution) and the Go
// MultiplyByQuantizedMultiplier instead, with the same results. The last
// layer, whose int32 logits are not requantised to int8, runs
// kernel.GemmInt8 and the Go code too.
//
// # File format
//
// An int8 model is a safetensors file (engine/safetensors) with metadata
// format = "edgeconv-int8", version = "1", arch = the spec string
// (engine.ParseSpec syntax), and these tensors (I counts layers from 1, C is
// the layer's output channels):
//
//	input.scale               F32 (1)       1/255
//	input.zero_point          I32 (1)       -128
//	layerI.weight             I8  (KH, KW, Cin, C) or (In, C)
//	layerI.weight_scale       F32 (C)
//	layerI.bias               I32 (C)
//	layerI.multiplier         I32 (C)       in [2^30, 2^31)
//	layerI.shift              I32 (C)       in [MinShift, MaxShift]
//	layerI.output_scale       F32 (1)
//	layerI.output_zero_point  I32 (1)       0 for the last layer
//
// LoadFile checks everything before use: the checksum and structure (the
// safetensors reader), the architecture, every tensor's dtype and shape,
// positive finite scales, zero points in range, weights in [−127, 127],
// multipliers and shifts in range and in agreement with the scales, and
// that the folded biases fit int32. Errors wrap ErrFormat.
//
// # Kernel layout
//
// Weights are packed at plan time by kernel.PackInt8Windows into panels of 8
// output channels × groups of 4 k, each kernel row of a convolution padded to
// a multiple of 4 k (see engine/kernel's GemmInt8Windows; a convolution of
// one input channel whose rows would waste steps so, like seed99's 6x6
// conv1, reads its padded input as interleaved row pairs instead, each
// group of 4 a 2x2 patch, the weights reordered to match), the order
// of arm64's SDOT, of AVX2's VPMADDWD on int16-widened values and of
// AVX512-VNNI's VPDPBUSD. Activations stay signed int8 (not uint8 with an
// offset): SDOT multiplies signed by signed, VPMADDUBSW (unsigned × signed,
// int16 pair sums that saturate at 2·255·127 > 32767) is not used, so no
// intermediate can saturate, and VPDPBUSD, unsigned × signed into int32
// without saturation, takes x+128 and its kernels subtract 128·Σw.
//
// # Plan
//
// NewPlan packs the weights, folds the biases and allocates every buffer;
// Plan.Forward then allocates nothing. Work is split between workers by
// samples; the result does not depend on the worker count.
package quant
