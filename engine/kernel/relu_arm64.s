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
