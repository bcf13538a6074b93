//go:build !purego

#include "textflag.h"

// func reluAsm(x unsafe.Pointer, n int)
// n is a multiple of 8. VMAXPS returns its second source operand (the
// memory one here) when either is NaN or both are zero, so NaN and −0 stay.
TEXT ·reluAsm(SB), NOSPLIT, $0-16
	MOVQ   x+0(FP), DI
	MOVQ   n+8(FP), CX
	VXORPS Y15, Y15, Y15

loop32:
	CMPQ    CX, $32
	JLT     loop8
	VMAXPS  (DI), Y15, Y0
	VMAXPS  32(DI), Y15, Y1
	VMAXPS  64(DI), Y15, Y2
	VMAXPS  96(DI), Y15, Y3
	VMOVUPS Y0, (DI)
	VMOVUPS Y1, 32(DI)
	VMOVUPS Y2, 64(DI)
	VMOVUPS Y3, 96(DI)
	ADDQ    $128, DI
	SUBQ    $32, CX
	JMP     loop32

loop8:
	CMPQ    CX, $8
	JLT     done
	VMAXPS  (DI), Y15, Y0
	VMOVUPS Y0, (DI)
	ADDQ    $32, DI
	SUBQ    $8, CX
	JMP     loop8

done:
	VZEROUPPER
	RET

// func reluGradAsm(d, out unsafe.Pointer, n int)
// n is a multiple of 8. d[i] &= (out[i] > 0 ? all ones : 0), the compare
// being VCMPPS 0 < out[i] (predicate LT_OQ, 0x11), false for NaN.
TEXT ·reluGradAsm(SB), NOSPLIT, $0-24
	MOVQ   d+0(FP), DI
	MOVQ   out+8(FP), SI
	MOVQ   n+16(FP), CX
	VXORPS Y15, Y15, Y15

gloop32:
	CMPQ    CX, $32
	JLT     gloop8
	VCMPPS  $0x11, (SI), Y15, Y0
	VCMPPS  $0x11, 32(SI), Y15, Y1
	VCMPPS  $0x11, 64(SI), Y15, Y2
	VCMPPS  $0x11, 96(SI), Y15, Y3
	VANDPS  (DI), Y0, Y0
	VANDPS  32(DI), Y1, Y1
	VANDPS  64(DI), Y2, Y2
	VANDPS  96(DI), Y3, Y3
	VMOVUPS Y0, (DI)
	VMOVUPS Y1, 32(DI)
	VMOVUPS Y2, 64(DI)
	VMOVUPS Y3, 96(DI)
	ADDQ    $128, DI
	ADDQ    $128, SI
	SUBQ    $32, CX
	JMP     gloop32

gloop8:
	CMPQ    CX, $8
	JLT     gdone
	VCMPPS  $0x11, (SI), Y15, Y0
	VANDPS  (DI), Y0, Y0
	VMOVUPS Y0, (DI)
	ADDQ    $32, DI
	ADDQ    $32, SI
	SUBQ    $8, CX
	JMP     gloop8

gdone:
	VZEROUPPER
	RET

// BIASLOOP is the loop of addBiasAsm and addBiasReluAsm: x[i] += bias[i]
// for the CX values at DI and SI, 8 at a time, then OP on the sum in Y0
// before the store (NOP for none; MAXZERO, the ReLU, takes the maximum
// with Y15, zero).
#define MAXZERO VMAXPS Y0, Y15, Y0
#define BIASLOOP(loop, OP) loop: VMOVUPS (SI), Y0; VADDPS (DI), Y0, Y0; OP; VMOVUPS Y0, (DI); ADDQ $32, DI; ADDQ $32, SI; SUBQ $8, CX; JNZ loop

// func addBiasAsm(x, bias unsafe.Pointer, n int)
// n is a multiple of 8. x[i] += bias[i].
TEXT ·addBiasAsm(SB), NOSPLIT, $0-24
	MOVQ x+0(FP), DI
	MOVQ bias+8(FP), SI
	MOVQ n+16(FP), CX

	BIASLOOP(bloop, NOP)
	VZEROUPPER
	RET

// func addBiasReluAsm(x, bias unsafe.Pointer, n int)
// n is a multiple of 8. x[i] = max(x[i] + bias[i], 0), VMAXPS keeping a NaN
// sum as Relu does.
TEXT ·addBiasReluAsm(SB), NOSPLIT, $0-24
	MOVQ   x+0(FP), DI
	MOVQ   bias+8(FP), SI
	MOVQ   n+16(FP), CX
	VXORPS Y15, Y15, Y15

	BIASLOOP(brloop, MAXZERO)
	VZEROUPPER
	RET
