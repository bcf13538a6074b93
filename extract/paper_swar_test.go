package extract

import (
	"math/rand/v2"
	"testing"
)

// TestGeBytes checks the eight-bytes-at-once comparison against bytes
// compared one by one, on every pair of byte values.
func TestGeBytes(t *testing.T) {
	for a := 0; a < 256; a++ {
		for b := 0; b < 256; b++ {
			// Spread the pair over the word with other values beside it.
			x := uint64(a)<<24 | 0xff<<16 | uint64(b)
			y := uint64(b)<<24 | uint64(a)
			got := geBytes(x, y)
			want := uint64(0)
			for k := 0; k < 8; k++ {
				if uint8(x>>(8*k)) >= uint8(y>>(8*k)) {
					want |= 0xff << (8 * k)
				}
			}
			if got != want {
				t.Fatalf("geBytes(%#x, %#x) = %#x, want %#x", x, y, got, want)
			}
		}
	}
}

// TestMaxMinBytes checks maxMinBytes (AVX2 on amd64 for whole 32-byte
// vectors, SWAR for the rest) against bytes compared one by one.
func TestMaxMinBytes(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for n := 0; n < 140; n++ {
		hi, lo, src := make([]uint8, n), make([]uint8, n), make([]uint8, n)
		for i := range src {
			hi[i], lo[i], src[i] = uint8(rng.IntN(256)), uint8(rng.IntN(256)), uint8(rng.IntN(256))
		}
		wantHi, wantLo := make([]uint8, n), make([]uint8, n)
		for i := range src {
			wantHi[i], wantLo[i] = max(hi[i], src[i]), min(lo[i], src[i])
		}
		maxMinBytes(hi, lo, src)
		for i := range src {
			if hi[i] != wantHi[i] || lo[i] != wantLo[i] {
				t.Fatalf("n=%d i=%d: got %d %d, want %d %d", n, i, hi[i], lo[i], wantHi[i], wantLo[i])
			}
		}
	}
}

// TestSkipPaper checks the eight-samples-at-once test of fromYCbCr against
// the distance computed sample by sample: it never skips a sample that
// darkens, and stops only at eight samples of which one darkens or lies 16
// or more from the paper in Cb or Cr.
func TestSkipPaper(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for n := 0; n < 20000; n++ {
		size := rng.IntN(140)
		b, r, pb, pr, pen := make([]uint8, size), make([]uint8, size), make([]uint8, size), make([]uint8, size), make([]uint8, size)
		// Mostly samples near the paper, some far, some at the edges.
		spread := []int{3, 5, 8, 12, 20, 256}[rng.IntN(6)]
		for k := range b {
			p, q := rng.IntN(256), rng.IntN(256)
			b[k] = uint8(min(max(p+rng.IntN(2*spread+1)-spread, 0), 255))
			r[k] = uint8(min(max(q+rng.IntN(2*spread+1)-spread, 0), 255))
			pb[k], pr[k], pen[k] = uint8(p), uint8(q), 1
		}
		darkens := func(k int) bool {
			return (abs(int(b[k])-int(pb[k]))+abs(int(r[k])-int(pr[k])))*chromaGain-chromaDead > 0
		}
		far := func(k int) bool { return abs(int(b[k])-int(pb[k])) >= 16 || abs(int(r[k])-int(pr[k])) >= 16 }
		i0 := rng.IntN(size + 1)
		pen2 := append([]uint8(nil), pen...)
		j := skipPaper(pen, b, r, pb, pr, i0)
		// The AVX2 steps stop where the SWAR steps would.
		if j2 := skipPaperGeneric(pen2, b, r, pb, pr, i0); j2 != j || string(pen2) != string(pen) {
			t.Fatalf("skipPaper from %d of %d returned %d, skipPaperGeneric %d", i0, size, j, j2)
		}
		if j < i0 || (j-i0)%8 != 0 || j > size {
			t.Fatalf("skipPaper from %d of %d returned %d", i0, size, j)
		}
		for k := range size {
			if k >= i0 && k < j {
				if darkens(k) || pen[k] != 0 {
					t.Fatalf("skipPaper skipped sample %d (pen %d), whose colour darkens: b %d/%d r %d/%d", k, pen[k], b[k], pb[k], r[k], pr[k])
				}
			} else if pen[k] != 1 {
				t.Fatalf("skipPaper wrote sample %d outside [%d, %d)", k, i0, j)
			}
		}
		if j+8 <= size {
			stop := false
			for k := j; k < j+8; k++ {
				stop = stop || darkens(k) || far(k)
			}
			if !stop {
				t.Fatalf("skipPaper stopped at %d before eight samples within the dead zone", j)
			}
		}
	}
}

// TestPaperRun checks labelRuns's skip over paper 32 pixels at a time: it
// skips whole vectors of paper only, and with AVX2 stops only at a vector
// that holds ink (a pixel darker than its threshold) or at the end.
func TestPaperRun(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for range 20000 {
		n := rng.IntN(200)
		row, lo := make([]uint8, n), make([]uint8, n)
		ink := []int{0, 1, 50, 1000}[rng.IntN(4)] // in 1000 pixels
		for i := range row {
			lo[i] = uint8(rng.IntN(256))
			row[i] = uint8(int(lo[i]) + rng.IntN(256-int(lo[i]))) // paper, lo[i] itself included
			if rng.IntN(1000) < ink && lo[i] > 0 {
				row[i] = uint8(rng.IntN(int(lo[i])))
			}
		}
		k := paperRun(row, lo)
		if k%32 != 0 || k < 0 || k > n {
			t.Fatalf("paperRun of %d pixels = %d", n, k)
		}
		for i := range k {
			if row[i] < lo[i] {
				t.Fatalf("paperRun of %d pixels = %d skips ink at %d", n, k, i)
			}
		}
		if useAVX2 && k+32 <= n {
			inkAt := -1
			for i := k; i < k+32 && inkAt < 0; i++ {
				if row[i] < lo[i] {
					inkAt = i
				}
			}
			if inkAt < 0 {
				t.Fatalf("paperRun of %d pixels = %d, before a vector of paper", n, k)
			}
		}
	}
}

// TestLerpRow checks lerpRow (AVX2 on amd64 for whole steps of 16
// pixels) against the interpolation computed pixel by pixel, for every
// weight.
func TestLerpRow(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for wy := uint32(0); wy <= 256; wy++ {
		n := rng.IntN(100)
		a, b, dst := make([]uint16, n), make([]uint16, n), make([]uint8, n)
		for x := range a {
			a[x], b[x] = uint16(rng.Uint32()), uint16(rng.Uint32())
		}
		if wy%16 == 0 {
			for x := range a {
				a[x], b[x] = 0xffff-uint16(x&1), uint16(x&1)*0xffff
			}
		}
		lerpRow(dst, a, b, wy)
		for x := range dst {
			want := uint8((uint64(a[x])*uint64(256-wy) + uint64(b[x])*uint64(wy)) >> 16)
			if dst[x] != want {
				t.Fatalf("wy %d, width %d: dst[%d] = %d, want %d (a %d, b %d)", wy, n, x, dst[x], want, a[x], b[x])
			}
		}
	}
}

// TestSpreadRow checks the doubling of chroma samples against the one by
// one spread, for every subsampling and odd widths.
func TestSpreadRow(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for sx := 0; sx <= 2; sx++ {
		for w := 0; w < 50; w++ {
			cw := (w + (1 << sx) - 1) >> sx
			penC := make([]uint8, cw)
			for i := range penC {
				penC[i] = uint8(rng.IntN(256))
			}
			pen := make([]uint8, w)
			spreadRow(pen, penC, sx)
			for x := range pen {
				if pen[x] != penC[x>>sx] {
					t.Fatalf("sx %d, width %d: pen[%d] = %d, want %d", sx, w, x, pen[x], penC[x>>sx])
				}
			}
		}
	}
}
