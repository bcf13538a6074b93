// Copyright 2025 The Go Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package jpeg420

import (
	"math/rand/v2"
	"testing"
)

// idctRef is image/jpeg's inverse DCT as Go 1.26 has it, without the
// shortcuts of idct: the reference that idct must match exactly.
func idctRef(b *block) {
	idctRefRows(b)
	idctRefCols(b)
}

func idctRefRows(b *block) {
	for i := range 8 {
		x := b[8*i : 8*i+8 : 8*i+8]
		x0 := x[0]
		x7 := x[1]
		x2 := x[2]
		x5 := x[3]
		x1 := x[4]
		x6 := x[5]
		x3 := x[6]
		x4 := x[7]

		// Run FDCT backward.
		// Independent operations have been reordered somewhat
		// to make precision tracking easier.
		//
		// Note that “x0, x1 = x0+x1, x0-x1” is now a reverse butterfly
		// and carries with it an implicit divide by two: the extra bit
		// is added to the precision, not the value size.

		// x[01234567] are UQ8.0 in [0, 255].

		// Stages 4, 3, 2: x0, x1, x2, x3.

		x0 <<= 17
		x1 <<= 17
		// x0, x1 now UQ8.17.
		x0, x1 = x0+x1, x0-x1
		// x0 now UQ8.18 in [0, 255].
		// x1 now Q7.18 in [-127½, 127½].

		// Note: (1/sqrt 2)*((cos 6*pi/16)+(sin 6*pi/16)) < 0.924, so no new high bit.
		x2, x3 = dctBox(x2, x3, c(sqrt2inv_cos6, 18), -c(sqrt2inv_sin6, 18))
		// x[23] now Q8.18 in [-236, 236].
		x1, x2 = x1+x2, x1-x2
		x0, x3 = x0+x3, x0-x3
		// x[0123] now Q8.19 in [-246, 246].

		// Stages 4, 3, 2: x4, x5, x6, x7.

		x4 <<= 7
		x7 <<= 7
		// x[47] now UQ8.7
		x7, x4 = x7+x4, x7-x4
		// x7 now UQ8.8 in [0, 255].
		// x4 now Q7.8 in [-127½, 127½].

		x6 = x6 * c(sqrt2inv, 8)
		x5 = x5 * c(sqrt2inv, 8)
		// x[56] now UQ8.8 in [0, 181].
		// Note that 1/√2 has five 0s in its binary representation after
		// the 8th bit, so this multipliy is actually producing 12 bits of precision.

		x7, x5 = x7+x5, x7-x5
		x4, x6 = x4+x6, x4-x6
		// x[4567] now Q8.9 in [-218, 218].

		x4, x7 = dctBox(x4>>2, x7>>2, c(cos3, 12), -c(sin3, 12))
		x5, x6 = dctBox(x5>>2, x6>>2, c(cos1, 12), -c(sin1, 12))
		// x[4567] now Q9.19 in [-303, 303].

		// Stage 1.

		x0, x7 = x0+x7, x0-x7
		x1, x6 = x1+x6, x1-x6
		x2, x5 = x2+x5, x2-x5
		x3, x4 = x3+x4, x3-x4
		// x[01234567] now Q9.20 in [-275, 275].

		// Note: we don't need all 20 bits of “precision”,
		// but it is faster to let idctCols shift it away as part
		// of other operations rather than downshift here.

		x[0] = x0
		x[1] = x1
		x[2] = x2
		x[3] = x3
		x[4] = x4
		x[5] = x5
		x[6] = x6
		x[7] = x7
	}
}

func idctRefCols(b *block) {
	for i := range 8 {
		x0 := b[0*8+i]
		x7 := b[1*8+i]
		x2 := b[2*8+i]
		x5 := b[3*8+i]
		x1 := b[4*8+i]
		x6 := b[5*8+i]
		x3 := b[6*8+i]
		x4 := b[7*8+i]

		// x[012345678] are Q9.20.

		// Start by adding 0.5 to x0 (the incoming DC signal).
		// The butterflies will add it to all the other values,
		// and then the final shifts will round properly.
		x0 += 1 << 19

		// Stages 4, 3, 2: x0, x1, x2, x3.

		x0, x1 = (x0+x1)>>2, (x0-x1)>>2
		// x[01] now Q9.19.
		// Note: (1/sqrt 2)*((cos 6*pi/16)+(sin 6*pi/16)) < 1, so no new high bit.
		x2, x3 = dctBox(x2>>13, x3>>13, c(sqrt2inv_cos6, 12), -c(sqrt2inv_sin6, 12))
		// x[0123] now Q9.19.

		x1, x2 = x1+x2, x1-x2
		x0, x3 = x0+x3, x0-x3
		// x[0123] now Q9.20.

		// Stages 4, 3, 2: x4, x5, x6, x7.

		x7, x4 = x7+x4, x7-x4
		// x[47] now Q9.21.

		x5 = (x5 >> 13) * c(sqrt2inv, 14)
		x6 = (x6 >> 13) * c(sqrt2inv, 14)
		// x[56] now Q9.21.

		x7, x5 = x7+x5, x7-x5
		x4, x6 = x4+x6, x4-x6
		// x[4567] now Q9.22.

		x4, x7 = dctBox(x4>>14, x7>>14, c(cos3, 12), -c(sin3, 12))
		x5, x6 = dctBox(x5>>14, x6>>14, c(cos1, 12), -c(sin1, 12))
		// x[4567] now Q10.20.

		x0, x7 = x0+x7, x0-x7
		x1, x6 = x1+x6, x1-x6
		x2, x5 = x2+x5, x2-x5
		x3, x4 = x3+x4, x3-x4
		// x[01234567] now Q10.21.

		x0 >>= 18
		x1 >>= 18
		x2 >>= 18
		x3 >>= 18
		x4 >>= 18
		x5 >>= 18
		x6 >>= 18
		x7 >>= 18
		// x[01234567] now Q10.3.

		b[0*8+i] = x0
		b[1*8+i] = x1
		b[2*8+i] = x2
		b[3*8+i] = x3
		b[4*8+i] = x4
		b[5*8+i] = x5
		b[6*8+i] = x6
		b[7*8+i] = x7
	}
}

// idcts are the inverse DCTs to test: idctGo, and where the CPU runs it the
// AVX2 form (idct_amd64_test.go).
var idcts = map[string]func(*block, *[blockSize]uint8){"go": idctGo}

// TestIDCT compares each of idcts with idctRef followed by image/jpeg's
// store (level shift, clamp) on blocks of every kind idctGo's shortcuts
// take apart: zero, DC only (every DC value a dequantised 12-bit
// coefficient can give), first row only, one non-zero row among zeros,
// sparse and dense random blocks with coefficients large enough to clamp,
// and blocks of any int32 (coefficients dequantised by 16-bit tables from
// a hostile file), where the arithmetic wraps.
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
			idctRef(&ref)
			var px [blockSize]uint8
			idct(&got, &px)
			for i, c := range ref {
				want := uint8(min(max(c+128, 0), 255))
				if px[i] != want {
					t.Fatalf("%s: block %v: sample %d = %d, want %d", name, b, i, px[i], want)
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
