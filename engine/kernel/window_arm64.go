//go:build !purego

package kernel

// windowKernels lists the SIMD implementations of CopyWindows,
// CopyWindowsInt8 and AddWindows for the tests, which compare them with the
// Generic ones.
var windowKernels = []windowKernel{
	{name: "NEON", available: &hasNEON, copy: copyWindowsSIMD, add: addWindowsSIMD, copyInt8: copyWindowsInt8SIMD},
}

// useWindowSIMD reports whether the dispatch takes the assembly in
// window_arm64.s.
func useWindowSIMD() bool { return useNEON }
