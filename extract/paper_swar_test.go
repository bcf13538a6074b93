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

func TestMaxMinBytes(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for n := 0; n < 40; n++ {
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
