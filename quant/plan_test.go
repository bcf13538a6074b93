package quant

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/edgeconv/edgeconv/engine/enginetest"
)

// TestPairedRows: convolutions of one input channel read as row pairs
// (pairsPay: 6x6 and 5x5, SAME and VALID, strides 1 and 2) give the logits
// of the same plans without, bit for bit, at batch 1 and 7.
func TestPairedRows(t *testing.T) {
	for _, text := range []string{
		"conv 6x6 6 s1 relu; conv 5x5 12 s2 relu; dense 10",
		"conv 5x5 7 s2 relu; dense 10",
		"conv 6x6 9 s2 valid relu; dense 10",
		"conv 5x5 3 s1 valid; dense 10",
		"maxpool 2x2; conv 6x6 5 s1 relu; dense 10",
	} {
		q := randomNet(t, text)
		if !pairsPay(&q.Layers[0]) && !pairsPay(&q.Layers[1]) {
			t.Fatalf("%s: no layer reads row pairs", text)
		}
		px := randomPixels(7, 7*q.InputSize())
		for _, n := range []int{1, 7} {
			got := forwardClone(q, px, n)
			pairRows = false
			want := forwardClone(q, px, n)
			pairRows = true
			if !slices.Equal(got, want) {
				t.Errorf("%s: batch %d: logits with row pairs %v, without %v", text, n, got[:10], want[:10])
			}
		}
	}
}

func forwardClone(q *Network, px []uint8, n int) []int32 {
	p := NewPlan(q, n, 1)
	defer p.Close()
	return slices.Clone(p.Forward(px, n))
}

// randomPixels returns n random pixels from a generator seeded with seed.
func randomPixels(seed uint64, n int) []uint8 {
	rng := rand.New(rand.NewPCG(seed, seed))
	px := make([]uint8, n)
	for i := range px {
		px[i] = uint8(rng.IntN(256))
	}
	return px
}

// randomNet quantises an untrained network of the spec on random images.
func randomNet(t *testing.T, text string) *Network {
	t.Helper()
	net := enginetest.Net(t, text, 5)
	rng := rand.New(rand.NewPCG(5, 5))
	calib := make([][]float32, 20)
	for i := range calib {
		calib[i] = make([]float32, net.InputSize())
		for j := range calib[i] {
			calib[i][j] = rng.Float32()
		}
	}
	q, err := Quantize(net, calib, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return q
}

// TestPadInPlace: convolutions whose padded input their producer writes in
// place (the pixels' conversion or a convolution's epilogue, see
// planLayer.inPadded) give the logits of the same plans that pad a copy,
// bit for bit: SAME and VALID, strides 1 to 3, odd sizes, row pairs,
// max-pooling between, at batch 1 and 7 on one and two workers.
func TestPadInPlace(t *testing.T) {
	for _, text := range []string{
		"conv 6x6 6 s1 relu; conv 5x5 12 s2 relu; conv 4x4 24 s2 relu; dense 20 relu; dense 10",
		"conv 3x3 5 s1; conv 3x3 7 s3 valid relu; conv 2x2 3 s1 relu; dense 10",
		"conv 5x5 3 s2 valid relu; conv 3x3 9 s2 relu; dense 10",
		"conv 3x3 4 s1 relu; maxpool 2x2; conv 3x3 13 s1 relu; conv 1x1 2 s1; dense 10",
		"maxpool 2x2; conv 4x4 5 s2 relu; conv 5x5 11 s1 valid relu; dense 10",
		"dense 30 relu; dense 10",
	} {
		q := randomNet(t, text)
		px := randomPixels(9, 7*q.InputSize())
		inPlace := 0
		for _, workers := range []int{1, 2} {
			for _, n := range []int{1, 7} {
				p := NewPlan(q, n, workers)
				for i := range p.layers {
					if p.layers[i].inPadded {
						inPlace++
					}
				}
				got := slices.Clone(p.Forward(px, n))
				p.Close()
				padInPlace = false
				p = NewPlan(q, n, workers)
				padInPlace = true
				want := slices.Clone(p.Forward(px, n))
				p.Close()
				if !slices.Equal(got, want) {
					t.Errorf("%s: batch %d workers %d: logits padded in place %v, copied %v", text, n, workers, got[:10], want[:10])
				}
			}
		}
		if inPlace == 0 && text[:5] == "conv " {
			t.Errorf("%s: no layer's input padded in place", text)
		}
	}
}
