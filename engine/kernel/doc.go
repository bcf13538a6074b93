// Package kernel holds edgeconv's hot loops: the float32 matrix products
// behind convolution and dense layers, the window copies of im2col and
// col2im, ReLU, and the int8 product and requantisation that quant runs.
//
// # Contract
//
// Every kernel has a plain Go reference, named with the suffix Generic, that
// defines what it computes. SIMD versions (suffix AVX2 on amd64, NEON on
// arm64) are tested against the reference. The exported entry points check
// shapes once and then call the chosen implementation, which trusts its
// arguments.
//
// # Dispatch
//
// CPU features are read once at start-up from golang.org/x/sys/cpu into a
// few dispatch switches (impl_amd64.go, impl_arm64.go), which the entry
// points test on every call. Two families of kernels share them: float32
// (the matrix products, the window copies, ReLU and bias, Adam, PeakFMA),
// run by AVX2 where the CPU has AVX2 and FMA and by NEON, part of the arm64
// baseline (Adam excepted); and int8, GemmInt8 run by AVX2, or on arm64 by
// SDOT where the CPU has the dot-product extension (NEONDot) and by
// SMULL/SADALP (NEON) elsewhere, and GemmInt8Windows (with its RequantInt8 epilogue) the same
// way, except that on amd64 it runs AVX512VNNI where the CPU has AVX512F,
// AVX512VL, AVX512_VNNI and BMI2. The build tag purego forces the Generic
// code everywhere, and 32-bit arm, 386 and the other architectures always
// run it.
//
// Every SIMD implementation registers its switch with its family and name
// (impl.go, after the standard library's crypto/internal/impl). The tests
// and benchmarks select each registered implementation in turn, then the
// Generic code, and run the public entry points through the dispatch; an
// implementation the CPU lacks is skipped, or fails the tests when
// EDGECONV_REQUIRE_SIMD is set, as CI sets it. On Linux/amd64 a test also
// fails when /proc/cpuinfo lists AVX2 and FMA but the AVX2 implementations
// are not available. AVX512VNNI is beyond what CI's runner is known to
// have, so it skips where the CPU lacks it even in CI; a test fails instead
// when /proc/cpuinfo lists its features but it is not available.
//
// # Memory
//
// Kernels never allocate. Scratch space (packed panels) is owned by the caller
// and sized by the matching ...ScratchLen function, whose value does not depend
// on the architecture or the build tags.
//
// # Sgemm: blocking and tiles
//
// Sgemm computes row-major C = op(A)·op(B) (or C += …) single-threaded; the
// engine splits a batch between threads by samples, so each thread's
// products cover its samples' rows of C (forward, input gradient) or sum
// over them as K (weight gradient). The SIMD paths share one Go driver
// (sgemm_blocked.go):
//
//   - N is cut into blocks of at most 240 columns and K into slices of at
//     most 256 steps, so that the B panels of a block (at most 240 KiB) stay
//     in the L2 cache and a tile of A rows in L1.
//   - Each block is covered by tiles of mr rows × w columns of C, one
//     microkernel call each, which keeps the whole tile in vector registers
//     for the K slice, broadcasting one element of A per row and step and
//     loading w columns of B.
//   - A is never copied. A microkernel reads op(A) through a row stride and a
//     column stride, (lda, 1) for A and (1, lda) for Aᵀ, so the weight
//     gradients (transA, A being the im2col matrix) need no transposition.
//   - B is read in place when it is not transposed. Bᵀ (the input
//     gradients' weights) is packed, per block, into scratch.
//
// The microkernels, with their accumulator counts:
//
//	AVX2  24 columns × 1-4 rows    3 YMM per row, ≤ 12 accumulators
//	AVX2  16 columns × 1-6 rows    2 YMM per row, ≤ 12 accumulators
//	AVX2  12 columns × 1-6 rows    1.5 YMM per row, ≤ 9 accumulators
//	AVX2   8 columns × 1-12 rows   1 YMM per row, ≤ 12 accumulators
//	AVX2   6 columns × 1-12 rows   0.75 YMM per row, ≤ 9 accumulators
//	AVX2   4 columns × 1-16 rows   0.5 YMM per row, ≤ 8 accumulators
//	NEON   8 columns × 2-8 rows    2 Q registers per row, 16 accumulators
//	NEON   8 columns × 1 row       4 sets of 2 Q registers
//
// Why several widths: the networks' N is small against a huge M (conv1 has
// M=78,400 and N=6, conv2 N=12, conv3 N=24) and a single 6×16 tile would
// leave most of its lanes empty. A block's columns are split into full
// panels of the widest tile and one tail panel on the narrowest tile that
// holds the rest: N=24, 48, 192 and 1176 run on 4×24 tiles, N=200 on eight
// 4×24 panels and one 12×8 panel, N=10 on a 6×16 panel. The 12-, 6- and
// 4-column AVX2 kernels serve exactly N=12, 6 and 4 (and 24q+12, 24q+6,
// 24q+4) with no idle lane: in the 12-wide one, columns 8-11 of two rows
// share one YMM (the two A elements blended into its halves, B's four
// columns broadcast to both); in the 6-wide one, columns 0-3 of two rows
// share a YMM and columns 4-5 of four rows another; the 4-wide one is the
// 6-wide one without the latter. They trade FMAs for blends: 9 FMAs per
// step where the 16- or 8-wide tile needs 12 (measured: seed99 conv2 batch 1
// 9.3 → 7.4 µs, seed98 conv1 607 → 359 µs; seed99 conv1, bound by loads,
// gains little). On amd64 the 8- and 16-wide kernels load a
// narrower B under a VMASKMOVPS mask, so N=4, 10 or 13 needs no packed copy;
// the 24-wide one has no register left for the mask and reads a zero-padded
// packed tail instead. Each amd64 kernel exists for every row count (avo
// generates them from engine/_asm/sgemm's table of families, and with them
// sgemm_dispatch_amd64.go: sgemmShapes, the geometries the driver tiles
// with, and sgemmTile, the switch that calls a kernel), so the last rows of
// C cost no wasted work; kernels with
// few rows split K over up to 8 independent accumulator sets to hide the FMA
// latency (the batch-1 dense layer is a 1×K·K×N product). The 8-row NEON
// kernel instead takes mr and points the missing rows at row 0, storing only
// the valid ones; a single row has its own kernel.
//
// The 6- and 12-column kernels, which stream conv1's and conv2's tall im2col
// matrices from L3, prefetch each row of A 512 bytes ahead every 16 steps.
//
// Partial tiles (nr < w) are stored from registers in pieces of 8, 4, 2 and 1
// columns on amd64, and through an 8×8 stack tile on arm64.
//
// # Sgemm: packed B
//
// PackB rearranges op(B) once (a layer's weights between optimiser steps, or
// for inference) and SgemmPacked reads it: the same blocks (240 columns × 256
// steps, in column-block-major order) and, inside each, one kc×w row-major
// panel per tile width as above, zero-padded to w columns. Panels are read
// contiguously, which helps most for M=1 (batch-1 dense layers), where
// packing on every call would cost as much as the product. The layout
// depends on this build's tile widths; PackedBLen(k, n) = k·roundUp(n, 48) is
// an upper bound valid for every build.
//
// SgemvPackedSparse is SgemmPacked for one row of A that skips its zero
// elements, with the same bits: the 24-wide one-row AVX2 tile has a sparse
// twin that takes, for each of its 4 accumulator sets, a list of the
// nonzero steps that the dense tile gives that set (with the byte offsets
// of their rows of B), so every sum is made of the same products in the
// same order, less the 0·b = ±0 that leave it unchanged. The lists are made
// once per slice of k from a VMOVMSKPS bitmask of the row and serve every
// 24-wide panel; narrower tail panels run dense. Where B has an infinity or
// a NaN the skipped 0·b would have been NaN, so the engine uses it only for
// finite weights. Other builds run every tile dense.
//
// SgemmPanelWidth reports the widest tile of this build (24 on AVX2, 8 on
// NEON and in the Generic code), so that the engine can shape its products
// to fill it: a convolution with few output channels puts g adjacent output
// pixels in one im2col row and multiplies by a block-diagonal weight matrix
// g·Cout columns wide (engine's convGroup). For seed99's conv1 (Cout 6) that
// is 4 pixels on a 24-wide tile, 110 GFLOP/s against 58 on the 6-wide one,
// for 1.5 times the multiply-adds.
//
// SconvC1x6S1 does that layer, one channel into six at stride 1, without
// the zeros: its AVX2 kernel puts 16 output pixels in the lanes of two
// registers (four quads of four pixels of a row) times the six channels,
// loads each window step's inputs and broadcasts its six weights, and
// transposes the channel vectors into HWC pixels as it stores. Its sums are
// the FMA chains of the single-set 24-wide tiles, in the same order, so the
// grouped product and it give the same bits. SconvC1x6S1SIMD tells the
// engine where it runs SIMD code (AVX2, whole tiles); elsewhere the grouped
// product is faster.
//
// # SgemmPackedWindows: implicit GEMM and the epilogue
//
// A convolution's forward pass does not need its im2col matrix at all:
// every row of it is KH runs of KW·Cin consecutive values of the bordered
// image. So every microkernel takes its rows of A as segs segments of k
// steps, segStep apart (a plain product is one segment), and walks them
// itself: after each segment the row pointers move on by a skip kept on
// the stack. SgemmPackedWindows drives the tiles over Windows, the
// geometry of those rows: runs (one output row each) whose rows are a fixed
// Step apart, RunStep from one run to the next. A tile never spans two runs,
// where the stride between rows breaks; the driver cuts each run into tiles
// of the full height and one shorter tile (for conv2's runs of 14 rows on
// the 6-row tile, 6+6+2 ran at 7.6 µs and 5+5+4 at 8.3). B is packed with
// its whole K in one slice, so K (plus a bias row) is at most
// SgemmWindowsMaxK = 256.
//
// The microkernels also end with an optional epilogue, bit by bit of epi,
// on the accumulators before they are stored: add the bias, which PackB put
// in as row K of B so that the kernel finds it where its B pointer stops,
// then clamp at zero. A convolution's output is then finished in one store.
// C may be in runs too (cRunStep), so that a convolution writes its output
// rows into the interior of the next layer's bordered image. At batch 1 on
// seed99 the window copies, the bias pass and the image copies were 4 of 33
// µs.
//
// # Windows: im2col and col2im
//
// Where the engine does build the im2col matrix (the backward pass, and
// rows too long for SgemmPackedWindows), it reads a zero-bordered copy of
// each image, so that every patch is made of KH windows of KW·Cin
// consecutive values and no window needs a bounds check. CopyWindows
// gathers them and AddWindows scatters a
// column gradient back (col2im). With Cin·KW as small as 6 (conv1) or 30
// (conv2), a copy per window through memmove cost more than the windows
// themselves; CopyWindows instead moves whole blocks of WindowBlock = 8
// values (one YMM or two Q registers) and lets each block spill into the
// next window, which the following copy overwrites. That is why dst and src
// need WindowBlock−1 values of slack, and why AddWindows, which cannot spill
// (it adds), writes exactly seg values: on amd64 its tail goes 4, 2 and 1
// values at a time (conv2's 6 one at a time had made its col2im twice as
// slow, ~370 → ~180 ns an output row), on arm64 one at a time.
// CopyWindowsInt8 is the same copy for the int8 network's im2col: the
// assembly counts in bytes, so both share it, and its blocks are
// WindowBlockInt8 = 32 bytes, hence 31 bytes of slack. It replaced a Go loop
// of fixed-size array moves that took 37% of the int8 recognition (scene03
// frame 0.89 → 0.66 ms).
//
// # Relu
//
// Relu is a vector maximum with zero (VMAXPS, FMAX). vek32's
// MaximumNumber_Inplace, which the engine used first, handles NaN the IEEE
// way through a slower sequence and measured about ten times slower on the
// ReLU of a batch; the networks' activations are never NaN unless training
// has already failed, and then both versions pass the NaN on. ReluGrad, the
// backward gate, compares out with zero a vector at a time and masks the
// gradient (VCMPPS and VANDPS, FCMGT and AND); the Go version is branch-free
// too, since the signs are as good as random (train step 6.9 → 6.3 ms).
// AddBias adds a layer's bias, repeated, to the product's output and
// applies the ReLU in the same sweep (VADDPS and VMAXPS, FADD and FMAX).
//
// # Adam
//
// Adam, the optimiser's update, runs 8 parameters at a time on amd64
// (VMULPS, VADDPS, VSQRTPS, VDIVPS), every operation rounded on its own as
// Go rounds the scalar loop there, so that the trained bits do not depend
// on the switch. Other architectures run the Go loop (Go fuses multiply-adds
// on arm64, which a NEON version would have to copy).
//
// # Int8
//
// GemmInt8 (gemm_int8.go) multiplies int8 activations by int8 weights
// packed by PackInt8 into int32 accumulators: SDOT on arm64 where the CPU
// has it (FEAT_DotProd, Pi 5) and SMULL/SADALP otherwise, VPMADDWD on
// widened int16 on AVX2, and the Generic loop elsewhere; all give the same
// bits.
//
// GemmInt8Windows (gemm_int8_implicit.go) is the int8 implicit GEMM: like
// SgemmPackedWindows it reads the rows of A from a convolution's windows in
// place (or a dense layer's input rows, one segment each), and its
// microkernels requantise each tile in registers before they store int8:
// RequantInt8's per-channel bias, fixed-point multiplier and shift, zero
// point and clamp (ReLU is a clamp at the zero point), bit for bit the Go
// requantValue. The kernels read k in groups of 4 bytes, so PackInt8Windows
// pads every segment of the weights (a kernel row, KW·Cin bytes) to a
// multiple of 4 with zero weights, and the bytes read past a segment meet
// them. The AVX2 kernels read A widened to int16 from the caller's scratch
// (Int8WindowsScratchLen), one 8-byte broadcast per row and group. The
// AVX512-VNNI ones read A in place: VPDPBUSD (unsigned × signed bytes)
// takes a row's 4 bytes XOR 0x80, x+128, and the tile subtracts 128 times
// its columns' weight sums, which one more VPDPBUSD per group sums. Tiles:
// AVX2 up to 6 rows × 8 columns, and × 4 for a panel of at
// most 4 channels, AVX512-VNNI up to 7 × 8, each kernel walking the
// product's runs, panels and tiles itself (at most 4 calls a product:
// whole tiles, then each run's last rows, for the whole runs and then the
// partial last one) (generated with avo by
// engine/_asm/int8, like the float kernels, with GemmInt8's AVX2 ones,
// which store the int32 sums instead); NEON 4 × 8 and 1 × 8, SDOT or SMULL, whose epilogue is SQRDMULH, a sign
// fix-up and SRSHL (rounding ties away from zero as the reference does),
// and SQXTN.
//
// # PeakFMA
//
// PeakFMA runs a register-only FMA loop (12 independent YMM chains on amd64,
// 16 Q chains on arm64) and returns its FLOP count, so that a caller can time
// one core's float32 peak and report kernel speed as a fraction of it.
package kernel
