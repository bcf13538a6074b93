//go:build !purego

#include "textflag.h"
#include "neon_arm64.h"

// FMLA8 adds V16·V17 to eight accumulators.
#define FMLA8(a, b, c, d, e, f, g, h) VFMLA V16.S4, V17.S4, a.S4; VFMLA V16.S4, V17.S4, b.S4; VFMLA V16.S4, V17.S4, c.S4; VFMLA V16.S4, V17.S4, d.S4; VFMLA V16.S4, V17.S4, e.S4; VFMLA V16.S4, V17.S4, f.S4; VFMLA V16.S4, V17.S4, g.S4; VFMLA V16.S4, V17.S4, h.S4

// func peakFMANEON(n int)
//
// Register map:
//	R0        iterations left
//	V0-V15    16 independent accumulators
//	V16, V17  the multiplicands (zero)
TEXT ·peakFMANEON(SB), NOSPLIT, $0-8
	MOVD n+0(FP), R0
	VZERO8(V0, V1, V2, V3, V4, V5, V6, V7)
	VZERO8(V8, V9, V10, V11, V12, V13, V14, V15)
	VZERO2(V16, V17)
	CMP  $0, R0
	BLE  done

loop:
	FMLA8(V0, V1, V2, V3, V4, V5, V6, V7)
	FMLA8(V8, V9, V10, V11, V12, V13, V14, V15)
	SUBS $1, R0
	BNE  loop

done:
	RET
