package quant

import "testing"

// GoldenSpec is the architecture of the committed fixture: stride 1 and 2,
// odd and even kernels (SAME padding on both sides), inner dimensions that
// are and are not multiples of 4, dropout. (Exported for the external tests
// in mnist_test.go, which train it.)
const GoldenSpec = "conv 5x5 4 s1 relu; conv 4x4 8 s2 relu; conv 3x3 12 s2 relu; dense 30 relu keep=0.75; dense 10"

// Fixture is the committed int8 model: GoldenSpec trained for 400
// iterations and quantised (go test ./quant -run TestGolden -update
// rewrites it).
const Fixture = "testdata/small.int8.safetensors"

// loadFixture loads the committed int8 model.
func loadFixture(t testing.TB) *Network {
	t.Helper()
	q, err := LoadFile(Fixture)
	if err != nil {
		t.Fatalf("fixture: %v (regenerate with go test ./quant -run TestGolden -update)", err)
	}
	return q
}
