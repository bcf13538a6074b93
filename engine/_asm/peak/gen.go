// Command peak generates engine/kernel's register-only AVX2 FMA loop,
// peak_amd64.s and its Go declaration peak_stubs_amd64.go.
package main

import (
	"fmt"

	"github.com/edgeconv/edgeconv/engine/_asm/internal/asmfunc"
	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	. "github.com/mmcloughlin/avo/reg"
)

//go:generate go run . -out ../../kernel/peak_amd64.s -stubs ../../kernel/peak_stubs_amd64.go -pkg kernel

// chains is the number of independent accumulators: at least the FMA latency
// (4 cycles on Zen 4, 4-5 on Intel cores) times the two FMA pipes.
const chains = 12

func main() {
	ConstraintExpr("!purego")
	asmfunc.Begin("peakFMAAVX2", "func(n int)",
		fmt.Sprintf("peakFMAAVX2 runs n iterations of %d independent VFMADD231PS on YMM", chains),
		"registers and touches no memory, the equivalent of",
		"",
		"\tfor i := 0; i < n; i++ {",
		fmt.Sprintf("\t\tfor r := 0; r < %d; r++ {", chains),
		"\t\t\tfor lane := 0; lane < 8; lane++ {",
		"\t\t\t\tacc[r][lane] += x[lane] * y[lane] // fused, x = y = 0",
		"\t\t\t}",
		"\t\t}",
		"\t}",
		"",
		fmt.Sprintf("that is %d float32 FLOPs per iteration.", chains*8*2),
		"Reference: peak_generic.go (peakFMAGeneric).",
		"Requires: AVX, FMA.",
	)
	n := Load(Param("n"), GP64())
	x, y := YMM(), YMM()
	VXORPS(x, x, x)
	VXORPS(y, y, y)
	acc := make([]VecVirtual, chains)
	for i := range acc {
		acc[i] = YMM()
		VXORPS(acc[i], acc[i], acc[i])
	}
	TESTQ(n, n)
	JLE(LabelRef("done"))
	Label("loop")
	for i := range acc {
		VFMADD231PS(x, y, acc[i])
	}
	DECQ(n)
	JNZ(LabelRef("loop"))
	Label("done")
	VZEROUPPER()
	RET()
	Generate()
}
