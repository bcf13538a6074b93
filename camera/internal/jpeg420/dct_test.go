// Copyright 2025 The Go Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package jpeg420

import (
	"math/rand/v2"
	"testing"
)

// idctRef is image/jpeg's inverse DCT and store as Go 1.26 has them: every
// row through the butterflies, then the columns, without the shortcuts of
// idctGo (zero and DC-only rows, a first row alone) or the AVX2 form,
// which must match it exactly. That the butterflies are image/jpeg's own
// arithmetic, TestDecodeMatchesImageJPEG checks against image/jpeg itself.
func idctRef(b *block, px *[blockSize]uint8) {
	idctRows(b, false)
	idctCols(b, px)
}

// idcts are the inverse DCTs to test: idctGo, and where the CPU runs it the
// AVX2 form (idct_amd64_test.go).
var idcts = map[string]func(*block, *[blockSize]uint8){"go": idctGo}

// TestIDCT compares each of idcts with idctRef on blocks of every kind
// idctGo's shortcuts take apart: zero, DC only (every DC value a
// dequantised 12-bit coefficient can give), first row only, one non-zero
// row among zeros, sparse and dense random blocks with coefficients large
// enough to clamp, and blocks of any int32 (coefficients dequantised by
// 16-bit tables from a hostile file), where the arithmetic wraps.
func TestIDCT(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var blocks []block
	blocks = append(blocks, block{})
	for dc := int32(-2048 * 8); dc <= 2048*8; dc++ {
		blocks = append(blocks, block{0: dc})
	}
	coef := func() int32 { return rng.Int32N(4096) - 2048 }
	for range 5000 {
		var b block
		for i := range 8 {
			if rng.IntN(2) == 0 {
				b[i] = coef()
			}
		}
		blocks = append(blocks, b)
		var r block
		row := rng.IntN(8)
		for i := range 8 {
			if rng.IntN(3) != 0 {
				r[8*row+i] = coef()
			}
		}
		if rng.IntN(2) == 0 {
			r[8*row+1], r[8*row+2], r[8*row+3], r[8*row+4], r[8*row+5], r[8*row+6], r[8*row+7] = 0, 0, 0, 0, 0, 0, 0
		}
		blocks = append(blocks, r)
		var s, d block
		for range 1 + rng.IntN(6) {
			s[unzig[rng.IntN(20)]] = coef()
		}
		for i := range d {
			d[i] = coef() / int32(1+i)
		}
		var w block
		for i := range w {
			w[i] = int32(rng.Uint32())
		}
		blocks = append(blocks, s, d, w)
	}
	for name, idct := range idcts {
		for _, b := range blocks {
			ref, got := b, b
			var want, px [blockSize]uint8
			idctRef(&ref, &want)
			idct(&got, &px)
			for i := range px {
				if px[i] != want[i] {
					t.Fatalf("%s: block %v: sample %d = %d, want %d", name, b, i, px[i], want[i])
				}
			}
		}
	}
}

func BenchmarkIDCT(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 4))
	var dense, flat block
	for i := range dense {
		dense[i] = rng.Int32N(512) - 256
	}
	flat[0], flat[1] = 300, -40
	var px [blockSize]uint8
	for impl, idct := range idcts {
		for name, in := range map[string]block{"dense": dense, "first-row": flat} {
			b.Run(impl+"/"+name, func(b *testing.B) {
				for b.Loop() {
					blk := in
					idct(&blk, &px)
				}
			})
		}
	}
}
