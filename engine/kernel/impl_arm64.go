//go:build !purego

package kernel

import "golang.org/x/sys/cpu"

// The dispatch switches of arm64 (see impl.go). NEON (ASIMD) is part of the
// arm64 baseline; the int8 SDOT kernels need the dot-product extension
// (FEAT_DotProd, asimddp: the Pi 5 has it, the Pi 4 does not), and the
// SMULL/SADALP ones run where it is missing.
var (
	useNEON     = true
	useInt8NEON = true
	useInt8Dot  = cpu.ARM64.HasASIMDDP
)

func init() {
	register(familyFloat32, "NEON", &useNEON)
	register(familyInt8, "NEON", &useInt8NEON)
	register(familyInt8, "NEONDot", &useInt8Dot)
}
