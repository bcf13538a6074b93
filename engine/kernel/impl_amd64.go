//go:build !purego

package kernel

import "golang.org/x/sys/cpu"

// The dispatch switches of amd64 (see impl.go), read from the CPU once.
// The float32 kernels need AVX2 and FMA; the int8 ones AVX2 alone.
var (
	useAVX2     = cpu.X86.HasAVX2 && cpu.X86.HasFMA
	useInt8AVX2 = cpu.X86.HasAVX2
)

func init() {
	register(familyFloat32, "AVX2", &useAVX2)
	register(familyInt8, "AVX2", &useInt8AVX2)
}
