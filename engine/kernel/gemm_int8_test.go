package kernel

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/edgeconv/edgeconv/internal/alloctest"
)

// gemmInt8Naive is the definition of GemmInt8 on the unpacked k×n matrix
// w: the tests check the packed Generic kernel against it.
func gemmInt8Naive(m, n, k int, a []int8, lda int, w []int8, c []int32, ldc int) {
	for i := range m {
		for j := range n {
			var s int32
			for p := range k {
				s += int32(a[i*lda+p]) * int32(w[p*n+j])
			}
			c[i*ldc+j] = s
		}
	}
}

const (
	guardI8    = int8(0x5a)
	guardI32   = int32(-0x2badf00d)
	guardLenI8 = 37
)

type int8Case struct {
	m, n, k int
	fill    string // "rand", "max", "min", "mixed"
}

func (c int8Case) String() string { return fmt.Sprintf("m=%d n=%d k=%d %s", c.m, c.n, c.k, c.fill) }

// int8Shapes sweeps sizes below, at and above the 4-row, 8-column and 4-k
// tiles, odd sizes, and the seed99 layers (conv1..3 with 3 samples, dense).
func int8Shapes() []int8Case {
	var cs []int8Case
	for _, m := range []int{1, 2, 3, 4, 5, 7, 8, 9, 13} {
		for _, n := range []int{1, 3, 7, 8, 9, 15, 16, 17, 24, 25} {
			for _, k := range []int{0, 1, 2, 3, 4, 5, 7, 8, 9, 31, 36, 37} {
				cs = append(cs, int8Case{m, n, k, "rand"})
			}
		}
	}
	for _, s := range [][3]int{{784 * 3, 6, 36}, {196 * 3, 12, 150}, {49 * 3, 24, 192}, {1, 200, 1176}, {100, 200, 1176}, {100, 10, 200}, {1, 10, 200}} {
		for _, f := range []string{"rand", "max", "min", "mixed"} {
			cs = append(cs, int8Case{s[0], s[1], s[2], f})
		}
	}
	return cs
}

func fillInt8(rng *rand.Rand, v []int8, fill string, sign int8) {
	for i := range v {
		switch fill {
		case "max":
			v[i] = 127
		case "min":
			v[i] = -128
		case "mixed": // the largest products: -128·-128 and 127·127, and -128·127
			if sign > 0 {
				v[i] = -128
			} else if i%2 == 0 {
				v[i] = -128
			} else {
				v[i] = 127
			}
		default:
			v[i] = int8(rng.IntN(256) - 128)
		}
	}
}

// runInt8Case runs kernel fn on the case with guard bands around every
// operand and compares it with the naive product.
func runInt8Case(t *testing.T, name string, fn func(m, n, k int, a []int8, lda int, b []int8, c []int32, ldc int), cs int8Case, seed uint64) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, uint64(cs.m*1000003+cs.n*1009+cs.k)))
	m, n, k := cs.m, cs.n, cs.k
	lda, ldc := k+rng.IntN(3), n+rng.IntN(3)
	if lda == 0 {
		lda = 1
	}
	w := make([]int8, k*n)
	fillInt8(rng, w, cs.fill, -1)
	aLen := (m-1)*lda + roundUp4(k)
	aBuf := make([]int8, aLen+2*guardLenI8)
	for i := range aBuf {
		aBuf[i] = guardI8
	}
	a := aBuf[guardLenI8 : guardLenI8+aLen]
	fillInt8(rng, a, cs.fill, 1)
	// Bytes past k in each row's group of 4 are read but meet zero weights:
	// give them random values to prove it.
	aCopy := append([]int8(nil), aBuf...)

	pLen := Int8PackedLen(k, n)
	pBuf := make([]int8, pLen+2*guardLenI8)
	for i := range pBuf {
		pBuf[i] = guardI8
	}
	packed := pBuf[guardLenI8 : guardLenI8+pLen]
	PackInt8(packed, w, k, n, n)
	pCopy := append([]int8(nil), pBuf...)

	cLen := (m-1)*ldc + n
	cBuf := make([]int32, cLen+2*guardLenI8)
	for i := range cBuf {
		cBuf[i] = guardI32
	}
	c := cBuf[guardLenI8 : guardLenI8+cLen]
	want := make([]int32, cLen)
	gemmInt8Naive(m, n, k, a, lda, w, want, ldc)
	fn(m, n, k, a, lda, packed, c, ldc)
	for i := range m {
		for j := range n {
			if got, w := c[i*ldc+j], want[i*ldc+j]; got != w {
				t.Fatalf("%s %v lda=%d ldc=%d seed=%d: C[%d][%d] = %d, want %d", name, cs, lda, ldc, seed, i, j, got, w)
			}
		}
		for j := n; j < ldc && i < m-1; j++ {
			if c[i*ldc+j] != guardI32 {
				t.Fatalf("%s %v: wrote C[%d][%d] in the row stride gap", name, cs, i, j)
			}
		}
	}
	for i := range guardLenI8 {
		if cBuf[i] != guardI32 || cBuf[len(cBuf)-1-i] != guardI32 {
			t.Fatalf("%s %v: wrote outside C", name, cs)
		}
	}
	for i := range aBuf {
		if aBuf[i] != aCopy[i] {
			t.Fatalf("%s %v: modified A at %d", name, cs, i-guardLenI8)
		}
	}
	for i := range pBuf {
		if pBuf[i] != pCopy[i] {
			t.Fatalf("%s %v: modified packed B at %d", name, cs, i-guardLenI8)
		}
	}
}

// TestGemmInt8 runs GemmInt8 on every implementation (on arm64: SDOT,
// SMULL and Go, whatever the CPU would choose).
func TestGemmInt8(t *testing.T) {
	eachImpl(t, familyInt8, func(t *testing.T, impl string) {
		for _, cs := range int8Shapes() {
			runInt8Case(t, impl, GemmInt8, cs, 1)
		}
	})
}

func TestGemmInt8Panics(t *testing.T) {
	a := make([]int8, 16)
	b := make([]int8, Int8PackedLen(4, 8))
	c := make([]int32, 32)
	for _, tc := range []struct {
		name string
		fn   func()
		want string
	}{
		{"negative", func() { GemmInt8(-1, 1, 1, a, 1, b, c, 1) }, errNegativeDim},
		{"short A", func() { GemmInt8(4, 8, 3, a[:12], 3, b, c, 8) }, errInt8ShortA},
		{"short B", func() { GemmInt8(1, 8, 4, a, 4, b[:31], c, 8) }, errInt8ShortPacked},
		{"short C", func() { GemmInt8(4, 8, 4, a, 4, b, c[:31], 8) }, errShortSlice},
		{"lda", func() { GemmInt8(1, 8, 4, a, 3, b, c, 8) }, errBadStride},
		{"pack dst", func() { PackInt8(b[:3], a, 2, 8, 8) }, errInt8ShortPacked},
	} {
		wantPanic(t, tc.name, tc.want, tc.fn)
	}
}

func TestGemmInt8ZeroAlloc(t *testing.T) {
	m, n, k := 64, 24, 192
	a := make([]int8, m*k)
	b := make([]int8, Int8PackedLen(k, n))
	c := make([]int32, m*n)
	alloctest.Zero(t, "GemmInt8", 0, 20, func() { GemmInt8(m, n, k, a, k, b, c, n) })
}

// FuzzGemmInt8 decodes a shape and data from the fuzzer's bytes and checks
// every available implementation against the naive product.
func FuzzGemmInt8(f *testing.F) {
	f.Add(uint8(3), uint8(9), uint8(7), []byte{1, 2, 3, 255, 128, 127})
	f.Add(uint8(4), uint8(8), uint8(4), []byte{128})
	f.Fuzz(func(t *testing.T, m, n, k uint8, data []byte) {
		M, N, K := int(m%20)+1, int(n%40)+1, int(k%80)
		if len(data) == 0 {
			data = []byte{0}
		}
		a := make([]int8, (M-1)*K+roundUp4(K))
		w := make([]int8, K*N)
		for i := range a {
			a[i] = int8(data[i%len(data)] + byte(i/len(data)))
		}
		for i := range w {
			w[i] = int8(data[(i+7)%len(data)] ^ byte(i))
		}
		packed := make([]int8, Int8PackedLen(K, N))
		PackInt8(packed, w, K, N, N)
		lda := max(K, 1)
		if K == 0 {
			a = make([]int8, M)
		}
		want := make([]int32, M*N)
		gemmInt8Naive(M, N, K, a, lda, w, want, N)
		defer resetImpls(familyInt8)
		for _, impl := range append(implNames(familyInt8), "") {
			if !selectImpl(familyInt8, impl) {
				continue
			}
			got := make([]int32, M*N)
			GemmInt8(M, N, K, a, lda, packed, got, N)
			for i := range got {
				if got[i] != want[i] {
					t.Fatalf("%q M=%d N=%d K=%d: C[%d] = %d, want %d", impl, M, N, K, i, got[i], want[i])
				}
			}
		}
	})
}

func BenchmarkGemmInt8(b *testing.B) {
	for _, s := range [][3]int{{784, 6, 36}, {196, 12, 150}, {49, 24, 192}, {1, 200, 1176}, {100, 200, 1176}, {100, 10, 200}} {
		m, n, k := s[0], s[1], s[2]
		b.Run(fmt.Sprintf("%dx%dx%d", m, n, k), func(b *testing.B) {
			eachImpl(b, familyInt8, func(b *testing.B, _ string) {
				a := make([]int8, m*k+4)
				p := make([]int8, Int8PackedLen(k, n))
				c := make([]int32, m*n)
				b.ReportAllocs()
				for b.Loop() {
					GemmInt8(m, n, k, a, k, p, c, n)
				}
				b.ReportMetric(2*float64(m*n*k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GOP/s")
			})
		})
	}
}
