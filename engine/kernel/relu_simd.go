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

// reluGradSIMD runs the assembly over d and out, of the same length, a
// multiple of reluBlock.
func reluGradSIMD(d, out []float32) {
	reluGradAsm(unsafe.Pointer(&d[0]), unsafe.Pointer(&out[0]), len(d))
}

// reluGradAsm is in relu_amd64.s (VCMPPS, VANDPS) and relu_arm64.s (FCMGT,
// AND).
//
//go:noescape
func reluGradAsm(d, out unsafe.Pointer, n int)

// addBiasSIMD runs the assembly over x and bias, of the same length, a
// multiple of reluBlock.
func addBiasSIMD(x, bias []float32, relu bool) {
	if relu {
		addBiasReluAsm(unsafe.Pointer(&x[0]), unsafe.Pointer(&bias[0]), len(x))
	} else {
		addBiasAsm(unsafe.Pointer(&x[0]), unsafe.Pointer(&bias[0]), len(x))
	}
}

// addBiasAsm and addBiasReluAsm are in relu_amd64.s (VADDPS, VMAXPS) and
// relu_arm64.s (FADD, FMAX).
//
//go:noescape
func addBiasAsm(x, bias unsafe.Pointer, n int)

//go:noescape
func addBiasReluAsm(x, bias unsafe.Pointer, n int)
