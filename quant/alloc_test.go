//go:build !race

package quant

import (
	"fmt"
	"testing"

	"github.com/edgeconv/edgeconv/engine"
	"github.com/edgeconv/edgeconv/internal/alloctest"
)

// TestForwardZeroAlloc proves that a planned integer forward pass allocates
// nothing, with one worker and with several, for the fixture and for a
// network with max-pooling.
func TestForwardZeroAlloc(t *testing.T) {
	spec, err := engine.ParseSpec("conv 5x5 8 s1 relu; maxpool 2x2; conv 3x3 12 s1 relu; maxpool 3x3 s2 valid; dense 10")
	if err != nil {
		t.Fatal(err)
	}
	net, _ := engine.New(spec)
	net.Init(1)
	calib := [][]float32{make([]float32, 784)}
	for i := range calib[0] {
		calib[0][i] = float32(i%255) / 255
	}
	pooled, err := Quantize(net, calib, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []*Network{loadFixture(t), pooled} {
		forwardZeroAlloc(t, q)
	}
}

func forwardZeroAlloc(t *testing.T, q *Network) {
	pixels := make([]uint8, 8*q.InputSize())
	for i := range pixels {
		pixels[i] = uint8(i * 7)
	}
	for _, workers := range []int{1, 2} {
		p := NewPlan(q, 8, workers)
		for _, n := range []int{1, 8} {
			alloctest.Zero(t, fmt.Sprintf("%s: workers %d batch %d: Forward", q.Spec, workers, n), 0, 50, func() { p.Forward(pixels, n) })
		}
		p.Close()
	}
}
