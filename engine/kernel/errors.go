package kernel

// Panic values for programming errors: a kernel called with a shape its
// slices cannot hold. They are constant strings so that a recovered panic can
// be compared.
const (
	errNegativeDim  = "kernel: negative dimension"
	errBadStride    = "kernel: row stride smaller than row length"
	errShortSlice   = "kernel: slice too short for its shape"
	errShortScratch = "kernel: scratch shorter than SgemmScratchLen"
	errShortPacked  = "kernel: packed B shorter than PackedBLen"
	errBadWindows   = "kernel: invalid Windows geometry, or rows longer than SgemmWindowsMaxK"
	errBadPart      = "kernel: part not in [0, parts)"
)
