//go:build !purego

package kernel

// arm64 runs the Generic requantisation (a NEON version with SQRDMULH and
// SRSHL is future work).
func requantInt8(r *RequantInt8, dst []int8, acc []int32) { requantInt8Generic(r, dst, acc) }
