//go:build !purego

package kernel

import "unsafe"

// useAdamSIMD reports whether Adam takes the assembly in adam_amd64.s.
func useAdamSIMD() bool { return useAVX2 }

// adamSIMD runs the assembly over slices of the same length, a multiple of
// adamBlock.
func adamSIMD(params, grad, m, v []float32, b1, b2, eps, lrt float32) {
	c := [6]float32{b1, 1 - b1, b2, 1 - b2, eps, lrt}
	adamAVX2(unsafe.Pointer(&params[0]), unsafe.Pointer(&grad[0]), unsafe.Pointer(&m[0]), unsafe.Pointer(&v[0]), len(params), &c)
}

// adamAVX2 is in adam_amd64.s. c holds b1, 1−b1, b2, 1−b2, eps and lrt.
//
//go:noescape
func adamAVX2(params, grad, m, v unsafe.Pointer, n int, c *[6]float32)
