//go:build !purego

#include "textflag.h"

// func reluAsm(x unsafe.Pointer, n int)
// n is a multiple of 8. Go's assembler has no vector FMAX, so it is
// encoded by hand: FMAX Vd.4S, Vn.4S, Vm.4S = 0x4e20f400 | m<<16 | n<<5 | d.
TEXT ·reluAsm(SB), NOSPLIT, $0-16
	MOVD x+0(FP), R0
	MOVD n+8(FP), R1
	VEOR V31.B16, V31.B16, V31.B16

loop:
	CMP    $8, R1
	BLT    done
	VLD1   (R0), [V0.S4, V1.S4]
	WORD   $0x4e3ff400 // FMAX V0.4S, V0.4S, V31.4S
	WORD   $0x4e3ff421 // FMAX V1.4S, V1.4S, V31.4S
	VST1.P [V0.S4, V1.S4], 32(R0)
	SUB    $8, R1
	B      loop

done:
	RET

// func reluGradAsm(d, out unsafe.Pointer, n int)
// n is a multiple of 8. d[i] &= (out[i] > 0 ? all ones : 0). FCMGT against
// zero is encoded by hand: FCMGT Vd.4S, Vn.4S, #0.0 = 0x4ea0c800 | n<<5 | d;
// it is false for NaN.
TEXT ·reluGradAsm(SB), NOSPLIT, $0-24
	MOVD d+0(FP), R0
	MOVD out+8(FP), R1
	MOVD n+16(FP), R2

gloop:
	CMP    $8, R2
	BLT    gdone
	VLD1.P 32(R1), [V2.S4, V3.S4]
	VLD1   (R0), [V0.S4, V1.S4]
	WORD   $0x4ea0c842 // FCMGT V2.4S, V2.4S, #0.0
	WORD   $0x4ea0c863 // FCMGT V3.4S, V3.4S, #0.0
	VAND   V2.B16, V0.B16, V0.B16
	VAND   V3.B16, V1.B16, V1.B16
	VST1.P [V0.S4, V1.S4], 32(R0)
	SUB    $8, R2
	B      gloop

gdone:
	RET

// func addBiasAsm(x, bias unsafe.Pointer, n int)
// n is a multiple of 8. x[i] += bias[i]. Vector FADD is encoded by hand:
// FADD Vd.4S, Vn.4S, Vm.4S = 0x4e20d400 | m<<16 | n<<5 | d.
TEXT ·addBiasAsm(SB), NOSPLIT, $0-24
	MOVD x+0(FP), R0
	MOVD bias+8(FP), R1
	MOVD n+16(FP), R2

bloop:
	VLD1   (R0), [V0.S4, V1.S4]
	VLD1.P 32(R1), [V2.S4, V3.S4]
	WORD   $0x4e22d400 // FADD V0.4S, V0.4S, V2.4S
	WORD   $0x4e23d421 // FADD V1.4S, V1.4S, V3.4S
	VST1.P [V0.S4, V1.S4], 32(R0)
	SUBS   $8, R2
	BNE    bloop
	RET

// func addBiasReluAsm(x, bias unsafe.Pointer, n int)
// n is a multiple of 8. x[i] = max(x[i] + bias[i], 0) (FADD, then FMAX
// with zero as in reluAsm).
TEXT ·addBiasReluAsm(SB), NOSPLIT, $0-24
	MOVD x+0(FP), R0
	MOVD bias+8(FP), R1
	MOVD n+16(FP), R2
	VEOR V31.B16, V31.B16, V31.B16

brloop:
	VLD1   (R0), [V0.S4, V1.S4]
	VLD1.P 32(R1), [V2.S4, V3.S4]
	WORD   $0x4e22d400 // FADD V0.4S, V0.4S, V2.4S
	WORD   $0x4e23d421 // FADD V1.4S, V1.4S, V3.4S
	WORD   $0x4e3ff400 // FMAX V0.4S, V0.4S, V31.4S
	WORD   $0x4e3ff421 // FMAX V1.4S, V1.4S, V31.4S
	VST1.P [V0.S4, V1.S4], 32(R0)
	SUBS   $8, R2
	BNE    brloop
	RET
