//go:build !purego

package kernel

import "testing"

// forceInt8NoDot makes GemmInt8 take the SMULL path until the returned
// function restores the dispatch.
func forceInt8NoDot() (restore func()) {
	old := useInt8Dot
	useInt8Dot = false
	return func() { useInt8Dot = old }
}

// TestGemmInt8NoDot runs the public entry point through the SMULL path even
// on a CPU with the dot-product extension.
func TestGemmInt8NoDot(t *testing.T) {
	defer forceInt8NoDot()()
	for _, cs := range int8Shapes()[:300] {
		runInt8Case(t, "GemmInt8/NoDot", GemmInt8, cs, 3)
	}
	t.Logf("asimddp: %v", hasInt8Dot)
}
