//go:build !purego

#include "textflag.h"
#include "neon_arm64.h"

// FMAX4S, FCMGTZ4S and FADD4S are vector instructions that Go's assembler
// has no mnemonic for (neon_arm64.h).

// func reluAsm(x unsafe.Pointer, n int)
// n is a multiple of 8.
TEXT ·reluAsm(SB), NOSPLIT, $0-16
	MOVD x+0(FP), R0
	MOVD n+8(FP), R1
	VEOR V31.B16, V31.B16, V31.B16

loop:
	CMP    $8, R1
	BLT    done
	VLD1   (R0), [V0.S4, V1.S4]
	FMAX4S(0, 0, 31)
	FMAX4S(1, 1, 31)
	VST1.P [V0.S4, V1.S4], 32(R0)
	SUB    $8, R1
	B      loop

done:
	RET

// func reluGradAsm(d, out unsafe.Pointer, n int)
// n is a multiple of 8. d[i] &= (out[i] > 0 ? all ones : 0): FCMGT against
// zero, false for NaN.
TEXT ·reluGradAsm(SB), NOSPLIT, $0-24
	MOVD d+0(FP), R0
	MOVD out+8(FP), R1
	MOVD n+16(FP), R2

gloop:
	CMP    $8, R2
	BLT    gdone
	VLD1.P 32(R1), [V2.S4, V3.S4]
	VLD1   (R0), [V0.S4, V1.S4]
	FCMGTZ4S(2, 2)
	FCMGTZ4S(3, 3)
	VAND   V2.B16, V0.B16, V0.B16
	VAND   V3.B16, V1.B16, V1.B16
	VST1.P [V0.S4, V1.S4], 32(R0)
	SUB    $8, R2
	B      gloop

gdone:
	RET

// BIASLOOP is the loop of addBiasAsm and addBiasReluAsm: x[i] += bias[i]
// for the R2 values at R0 and R1, 8 at a time, then OP on the sums in V0
// and V1 before the store (NOP for none).
#define BIASLOOP(loop, OP) loop: VLD1 (R0), [V0.S4, V1.S4]; VLD1.P 32(R1), [V2.S4, V3.S4]; FADD4S(0, 0, 2); FADD4S(1, 1, 3); OP; VST1.P [V0.S4, V1.S4], 32(R0); SUBS $8, R2; BNE loop

// func addBiasAsm(x, bias unsafe.Pointer, n int)
// n is a multiple of 8. x[i] += bias[i].
TEXT ·addBiasAsm(SB), NOSPLIT, $0-24
	MOVD x+0(FP), R0
	MOVD bias+8(FP), R1
	MOVD n+16(FP), R2

	BIASLOOP(bloop, NOP)
	RET

// func addBiasReluAsm(x, bias unsafe.Pointer, n int)
// n is a multiple of 8. x[i] = max(x[i] + bias[i], 0) (FADD, then FMAX
// with zero as in reluAsm).
TEXT ·addBiasReluAsm(SB), NOSPLIT, $0-24
	MOVD x+0(FP), R0
	MOVD bias+8(FP), R1
	MOVD n+16(FP), R2
	VEOR V31.B16, V31.B16, V31.B16

	BIASLOOP(brloop, FMAX4S(0, 0, 31); FMAX4S(1, 1, 31))
	RET
