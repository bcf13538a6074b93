//go:build !purego

package jpeg420

import "golang.org/x/sys/cpu"

// The AVX2 assembly is generated with avo by engine/_asm/idct, a module of
// its own.
//go:generate go -C ../../../engine/_asm/idct generate

// useAVX2 is read once: the CPU does not change under a running program.
var useAVX2 = cpu.X86.HasAVX2

// idct is idctGo, in AVX2 where the CPU has it: the same bits, in about
// 190 instructions a block where idctGo averaged 1,300 on a photo's blocks
// (callgrind, reading's BenchmarkRead).
func idct(b *block, px *[blockSize]uint8) {
	if useAVX2 {
		idctAVX2((*[blockSize]int32)(b), px, &idctK)
		return
	}
	idctGo(b, px)
}

// idctK holds the constants of idctAVX2 (engine/_asm/idct), each in the
// eight lanes of a vector: the three of each dctBox of idctRows and
// idctCols (kcos, ksin-kcos, kcos+ksin: x2, x3 in the rows and in the
// columns, then x4, x7 and x5, x6, whose constants the two passes share),
// 1/√2 in the rows and in the columns, the columns' rounding 1<<19, the
// level shift 128, and the order of the dwords that puts the packed rows
// of the output in place.
var idctK = func() (k [17][8]int32) {
	boxes := [4][2]int32{
		{c(sqrt2inv_cos6, 18), -c(sqrt2inv_sin6, 18)},
		{c(sqrt2inv_cos6, 12), -c(sqrt2inv_sin6, 12)},
		{c(cos3, 12), -c(sin3, 12)},
		{c(cos1, 12), -c(sin1, 12)},
	}
	var s [17]int32
	for i, bx := range boxes {
		kcos, ksin := bx[0], bx[1]
		s[3*i], s[3*i+1], s[3*i+2] = kcos, ksin-kcos, kcos+ksin
	}
	s[12], s[13], s[14], s[15] = c(sqrt2inv, 8), c(sqrt2inv, 14), 1<<19, 128
	for i, v := range s[:16] {
		for j := range 8 {
			k[i][j] = v
		}
	}
	k[16] = [8]int32{0, 4, 1, 5, 2, 6, 3, 7}
	return k
}()
