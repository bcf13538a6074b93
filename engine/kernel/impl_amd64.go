//go:build !purego

package kernel

import "golang.org/x/sys/cpu"

// The dispatch switches of amd64 (see impl.go), read from the CPU once.
// The float32 kernels need AVX2 and FMA; the int8 ones AVX2 alone, or for
// GemmInt8Windows's VNNI kernels (VPDPBUSD on YMM, EVEX) AVX512F, AVX512VL,
// AVX512_VNNI and BMI2 (BZHI makes the store mask). GemmInt8 has no VNNI
// kernels: it runs the AVX2 ones whenever useInt8AVX2 is set.
var (
	useAVX2     = cpu.X86.HasAVX2 && cpu.X86.HasFMA
	useInt8AVX2 = cpu.X86.HasAVX2
	useInt8VNNI = cpu.X86.HasAVX512F && cpu.X86.HasAVX512VL && cpu.X86.HasAVX512VNNI && cpu.X86.HasBMI2
)

func init() {
	register(familyFloat32, "AVX2", &useAVX2)
	register(familyInt8, "AVX2", &useInt8AVX2)
	register(familyInt8, "AVX512VNNI", &useInt8VNNI)
}
