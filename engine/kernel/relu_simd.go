//go:build (amd64 || arm64) && !purego

package kernel

import "unsafe"

// useReluSIMD reports whether Relu takes the assembly: the same switch as
// the matrix kernels.
func useReluSIMD() bool { return useWindowSIMD() }

// reluSIMD runs the assembly over x, whose length is a multiple of
// reluBlock.
func reluSIMD(x []float32) { reluAsm(unsafe.Pointer(&x[0]), len(x)) }

// reluAsm is in relu_amd64.s (VMAXPS) and relu_arm64.s (FMAX).
//
//go:noescape
func reluAsm(x unsafe.Pointer, n int)
