// Package kernel holds edgeconv's hot loops: the float32 matrix products
// behind convolution and dense layers, and (later) the int8 kernels.
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
// CPU features are read once at start-up from golang.org/x/sys/cpu. The build
// tag purego forces the Generic code everywhere.
//
// # Memory
//
// Kernels never allocate. Scratch space (packed panels) is owned by the caller
// and sized by the matching ...ScratchLen function.
package kernel
