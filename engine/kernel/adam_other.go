//go:build !amd64 || purego

package kernel

// useAdamSIMD reports whether Adam takes an assembly loop: only on amd64,
// where Go rounds every operation as adamGeneric does. (NEON would have to
// match the Go code's bits on arm64 too, and the optimiser is a small part
// of a training step.)
func useAdamSIMD() bool { return false }

func adamSIMD(params, grad, m, v []float32, b1, b2, eps, lrt float32) {
	adamGeneric(params, grad, m, v, b1, b2, eps, lrt)
}
