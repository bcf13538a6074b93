//go:build !purego

package kernel

import "testing"

// disableInt8AVX2 makes GemmInt8 take the Generic path until the returned
// function restores the dispatch.
func disableInt8AVX2() (restore func()) {
	old := useInt8AVX2
	useInt8AVX2 = false
	return func() { useInt8AVX2 = old }
}

// TestGemmInt8NoAVX2 runs the public entry point through the Generic path
// on an AVX2 machine.
func TestGemmInt8NoAVX2(t *testing.T) {
	defer disableInt8AVX2()()
	for _, cs := range int8Shapes()[:300] {
		runInt8Case(t, "GemmInt8/Generic", GemmInt8, cs, 4)
	}
}
