package kernel

import (
	"math/rand/v2"
	"testing"
)

// windowCasesInt8 are windowCases (seed99's int8 im2col shapes among them:
// conv1 seg 6 kh 6, conv2 seg 30 kh 5 stride 2, conv3 seg 48 kh 4 stride 2)
// and windows below, at, above and at multiples of WindowBlockInt8 bytes.
func windowCasesInt8(rng *rand.Rand) []windowCase {
	cases := windowCases(rng)
	for _, seg := range []int{1, 7, 31, 32, 33, 63, 64, 65, 95, 96, 97, 130} {
		cases = append(cases,
			windowCase{n: 5, colStep: seg/2 + 1, kh: 3, rowStep: 3*seg + 7, seg: seg}, // overlapping pixels
			windowCase{n: 3, colStep: seg, kh: 2, rowStep: 2 * seg, seg: seg},         // contiguous
			windowCase{n: 1, colStep: 0, kh: 1, rowStep: 0, seg: seg},
		)
	}
	return appendRandomWindowCases(cases, rng, 100, 200, 40)
}

func TestCopyWindowsInt8(t *testing.T) {
	checkCopyWindows(t, 11, windowCasesInt8, WindowBlockInt8, copyWindowsInt8Generic, CopyWindowsInt8)
}

// FuzzWindowsInt8 compares the dispatched CopyWindowsInt8 with the Generic
// one on fuzzed geometries.
func FuzzWindowsInt8(f *testing.F) {
	f.Add(uint8(28), uint8(1), uint8(6), uint8(33), uint8(5), uint64(1))    // seed99 conv1
	f.Add(uint8(14), uint8(12), uint8(5), uint8(186), uint8(29), uint64(2)) // seed99 conv2
	f.Add(uint8(7), uint8(24), uint8(4), uint8(192), uint8(47), uint64(3))  // seed99 conv3
	f.Fuzz(func(t *testing.T, n, colStep, kh, rowStep, seg uint8, seed uint64) {
		c := windowCase{int(n%32) + 1, int(colStep), int(kh%8) + 1, int(rowStep), int(seg) + 1}
		src := randomWindowValues[int8](rand.New(rand.NewPCG(seed, 7)), c.srcLen(WindowBlockInt8))
		fuzzCopyWindows(t, c, src, WindowBlockInt8, CopyWindowsInt8, copyWindowsInt8Generic)
	})
}

func BenchmarkCopyWindowsInt8(b *testing.B) {
	benchCopyWindows(b, WindowBlockInt8, CopyWindowsInt8)
}
