//go:build !purego

#include "textflag.h"
#include "neon_arm64.h"

// ADDPROW sums the two lanes of each column of a row (columns 0-3 in a0:b0,
// 4-7 in a1:b1), stores the sums at (R6) and moves R6 on by ldc (R8).
#define ADDPROW(a0, b0, a1, b1) VADDP b0.S4, a0.S4, V2.S4; VADDP b1.S4, a1.S4, V3.S4; VST1.P [V2.S4, V3.S4], (R6)(R8)

// ARGS4X8 loads the arguments of the 4×8 kernels, (kg int, a *int8, lda
// int, b *int8, c *int32, ldcBytes int), into the registers of the map
// below and points R3..R5 at A's rows 1..3; ARGS1X8 those of the 1×8
// kernels, (kg int, a *int8, b *int8, c *int32).
#define ARGS1X8 MOVD kg+0(FP), R0; MOVD a+8(FP), R2; MOVD b+16(FP), R1; MOVD c+24(FP), R6
#define ARGS4X8 MOVD kg+0(FP), R0; MOVD a+8(FP), R2; MOVD lda+16(FP), R7; MOVD b+24(FP), R1; MOVD c+32(FP), R6; MOVD ldcBytes+40(FP), R8; ADD R7, R2, R3; ADD R7, R3, R4; ADD R7, R4, R5

// KLOOP runs the k loop of every kernel: for each of the R0 k groups, LOAD
// it and MUL it into the accumulators (loop and done name the labels).
#define KLOOP(loop, done, LOAD, MUL) CBZ R0, done; loop: LOAD; MUL; SUB $1, R0; CBNZ R0, loop; done:

// NEON GemmInt8 microkernels, 4×8 and 1×8 tiles, two flavours: SDOT (the
// dot-product extension, asimddp: Cortex-A76 / Pi 5) and SMULL/SMULL2/SADALP
// (baseline ASIMD: Cortex-A72 / Pi 4). See gemm_int8_arm64.go for their Go
// loops. The Go assembler has no mnemonic for SDOT, SMULL or SADALP: they
// are the macros SDOT4S, SMULL8H, SMULL2_8H and SADALP4S of neon_arm64.h.
//
// Register map (all four functions):
//   R0  k groups left       R1  packed B (32 bytes per k group)
//   R2..R5  A rows 0..3     R6  C, R7 lda, R8 ldc in bytes
//   V0, V1  B group: columns 0-3 and 4-7, four int8 k values each
//   V4..V7  A group of rows 0..3: four int8 values repeated in every lane
// SDOT: V8..V15 accumulators, row r columns 0-3 in V(8+2r), 4-7 in V(9+2r),
//   one int32 column sum per lane.
// SMULL: V16..V31 accumulators, row r half h (columns 4h..4h+3) in
//   V(16+4r+2h) (columns 4h, 4h+1) and V(17+4r+2h) (columns 4h+2, 4h+3),
//   each column's sum split over two lanes (k pairs 0-1 and 2-3); V2, V3
//   hold the int16 products. int8·int8 products lie in [−16256, 16384] and
//   fit int16; SADALP widens each pair to int32 before adding.

// func gemmInt8x4x8DotNEON(kg int, a *int8, lda int, b *int8, c *int32, ldcBytes int)
TEXT ·gemmInt8x4x8DotNEON(SB), NOSPLIT, $0-48
	ARGS4X8
	VZERO8(V8, V9, V10, V11, V12, V13, V14, V15)
	KLOOP(dot4loop, dot4done, LOADGROUP4, SDOT4X8)
	STROW(V8, V9, R6, R8)
	STROW(V10, V11, R6, R8)
	STROW(V12, V13, R6, R8)
	STROW(V14, V15, R6, R8)
	RET

// func gemmInt8x1x8DotNEON(kg int, a *int8, b *int8, c *int32)
TEXT ·gemmInt8x1x8DotNEON(SB), NOSPLIT, $0-32
	ARGS1X8
	VZERO2(V8, V9)
	KLOOP(dot1loop, dot1done, LOADGROUP1, SDOTROW(4, 8, 9))
	VST1 [V8.S4, V9.S4], (R6)
	RET

// func gemmInt8x4x8NEON(kg int, a *int8, lda int, b *int8, c *int32, ldcBytes int)
TEXT ·gemmInt8x4x8NEON(SB), NOSPLIT, $0-48
	ARGS4X8
	VROWS8(VZEROROW, 0, 0)
	KLOOP(mul4loop, mul4done, LOADGROUP4, SMULL4X8)
	ADDPROW(V16, V17, V18, V19)
	ADDPROW(V20, V21, V22, V23)
	ADDPROW(V24, V25, V26, V27)
	ADDPROW(V28, V29, V30, V31)
	RET

// func gemmInt8x1x8NEON(kg int, a *int8, b *int8, c *int32)
TEXT ·gemmInt8x1x8NEON(SB), NOSPLIT, $0-32
	ARGS1X8
	VZERO4(V16, V17, V18, V19)
	KLOOP(mul1loop, mul1done, LOADGROUP1, SMULLROW(4, 16, 17, 18, 19))
	VADDP V17.S4, V16.S4, V2.S4
	VADDP V19.S4, V18.S4, V3.S4
	VST1  [V2.S4, V3.S4], (R6)
	RET
