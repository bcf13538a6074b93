//go:build !purego

#include "textflag.h"

// VEC4(OP) applies OP(offset, register) to the four vectors of a 128-byte
// block: Y0 at 0, Y1 at 32, Y2 at 64 and Y3 at 96.
#define VEC4(OP) OP(0, Y0); OP(32, Y1); OP(64, Y2); OP(96, Y3)

// VECLOOP is the body of reluAsm and reluGradAsm after their arguments:
// with zero in Y15, the loop over the CX values (a multiple of 8), 32 a
// step while it can (OP on the block's four vectors, then STORE of them),
// then 8; STEP(bytes) moves the pointers on.
#define VECLOOP(loop32, loop8, done, OP, STORE, STEP) \
	VXORPS Y15, Y15, Y15                       \
loop32:                                            \
	CMPQ CX, $32; JLT loop8                    \
	VEC4(OP); VEC4(STORE)                      \
	STEP($128); SUBQ $32, CX; JMP loop32       \
loop8:                                             \
	CMPQ CX, $8; JLT done                      \
	OP(0, Y0); STORE(0, Y0)                    \
	STEP($32); SUBQ $8, CX; JMP loop8          \
done:                                              \
	VZEROUPPER; RET

// STOREDI stores vector y at offset o of DI; STEPDI and STEPDISI move DI,
// or DI and SI, on by n bytes.
#define STOREDI(o, y) VMOVUPS y, o(DI)
#define STEPDI(n) ADDQ n, DI
#define STEPDISI(n) ADDQ n, DI; ADDQ n, SI

// func reluAsm(x unsafe.Pointer, n int)
// n is a multiple of 8. VMAXPS returns its second source operand (the
// memory one here) when either is NaN or both are zero, so NaN and −0 stay.
#define RELU(o, y) VMAXPS o(DI), Y15, y
TEXT ·reluAsm(SB), NOSPLIT, $0-16
	MOVQ x+0(FP), DI
	MOVQ n+8(FP), CX
	VECLOOP(loop32, loop8, done, RELU, STOREDI, STEPDI)

// func reluGradAsm(d, out unsafe.Pointer, n int)
// n is a multiple of 8. d[i] &= (out[i] > 0 ? all ones : 0), the compare
// being VCMPPS 0 < out[i] (predicate LT_OQ, 0x11), false for NaN.
#define KEEPPOS(o, y) VCMPPS $0x11, o(SI), Y15, y; VANDPS o(DI), y, y
TEXT ·reluGradAsm(SB), NOSPLIT, $0-24
	MOVQ d+0(FP), DI
	MOVQ out+8(FP), SI
	MOVQ n+16(FP), CX
	VECLOOP(gloop32, gloop8, gdone, KEEPPOS, STOREDI, STEPDISI)

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
