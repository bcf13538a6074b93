//go:build !purego

#include "textflag.h"
#include "neon_arm64.h"

// NEON GemmInt8Windows microkernels: a tile of up to 4 rows by 8 columns,
// the requantisation in the epilogue, in two flavours like GemmInt8's
// (gemm_int8_arm64.s): SDOT (asimddp) and SMULL/SMULL2/SADALP. See
// gemm_int8_implicit_arm64.go for their Go loop.
//
// Register map (both functions):
//   R0  k groups per segment      R1  packed B (32 bytes per k group)
//   R2..R5  A rows 0..3 (a missing row reads row 0, and is not stored)
//   R6  C, R7 lda, R8 ldc         R9 segments left
//   R10 segStep − 4·kg (from a segment's end to the next one's start)
//   R11 k groups left             R12 q, the requantisation panel
//   R13 w, the columns stored     R14 rows
//   R15 a row's 8 int8 results    R19 store pointer
//   V0, V1  B group: columns 0-3 and 4-7, four int8 k values each
//   V4..V7  A group of rows 0..3: four int8 values repeated in every lane
//   V8..V15 results: row r columns 0-3 in V(8+2r), 4-7 in V(9+2r)
//   SDOT: V8..V15 are the accumulators. SMULL: V16..V31 (as in
//   gemm_int8_arm64.s), summed in pairs into V8..V15 after the loop.
//   Epilogue: V16..V24 the panel's Bias, Mult and −Shift (columns 0-3,
//   4-7), Zero, Lo, Hi; V25, V26 temporaries.

// PROLOGUE loads the arguments, points the missing rows at row 0 and
// computes R10.
#define PROLOGUE \
	MOVD rows+0(FP), R14     \
	MOVD kg+8(FP), R0        \
	MOVD segs+16(FP), R9     \
	MOVD a+24(FP), R2        \
	MOVD lda+32(FP), R7      \
	MOVD segStep+40(FP), R10 \
	MOVD b+48(FP), R1        \
	ADD  R7, R2, R3          \
	ADD  R7, R3, R4          \
	ADD  R7, R4, R5          \
	CMP  $2, R14             \
	CSEL LT, R2, R3, R3      \
	CMP  $3, R14             \
	CSEL LT, R2, R4, R4      \
	CMP  $4, R14             \
	CSEL LT, R2, R5, R5      \
	LSL  $2, R0, R11         \
	SUB  R11, R10, R10

// NEXTSEG moves the rows to their next segment.
#define NEXTSEG \
	ADD R10, R2 \
	ADD R10, R3 \
	ADD R10, R4 \
	ADD R10, R5

// RQ requantises the 4 columns in Vx, h = 0 for columns 0-3, 1 for 4-7
// (requantValue): bias, SQRDMULH (the rounded doubling high multiply,
// (x·mult + 2³⁰) >> 31 for a positive mult), then the rounding shift right
// with ties away from zero: SRSHL rounds ties up, so negative values first
// lose 1 (SQADD of their sign; 0 when the shift is 0), then zero point and
// clamp.
#define RQ(x, h) \
	ADD4S(x, x, 16+h)      \
	SQRDMULH4S(x, x, 18+h) \
	AND16B(25, x, 20+h)    \
	SSHR31_4S(25, 25)      \
	SQADD4S(x, x, 25)      \
	SRSHL4S(x, x, 20+h)    \
	ADD4S(x, x, 22)        \
	SMAX4S(x, x, 23)       \
	SMIN4S(x, x, 24)

// ROWOUT requantises row results Va:Vb into 8 int8 in R15 and stores the
// first w at (R6), in pieces of 4, 2 and 1 when w < 8; p, h, o and e are
// the row's labels.
#define ROWOUT(a, b, p, h, o, e) \
	RQ(a, 0)             \
	RQ(b, 1)             \
	SQXTN4H(26, a)       \
	SQXTN2_8H(26, b)     \
	SQXTN8B(26, 26)      \
	VMOV V26.D[0], R15   \
	CMP  $8, R13         \
	BNE  p               \
	MOVD R15, (R6)       \
	B    e               \
p:                       \
	MOVD R6, R19         \
	TBZ  $2, R13, h      \
	MOVW R15, (R19)      \
	LSR  $32, R15        \
	ADD  $4, R19         \
h:                       \
	TBZ  $1, R13, o      \
	MOVH R15, (R19)      \
	LSR  $16, R15        \
	ADD  $2, R19         \
o:                       \
	TBZ  $0, R13, e      \
	MOVB R15, (R19)      \
e:                       \
	ADD  R8, R6

// LOADPANEL loads the panel's parameters (byte offsets of requantPanel:
// Bias 0, Mult 32, −Shift 192, Zero 224, Lo 256, Hi 288) and C's pointer,
// stride and width.
#define LOADPANEL \
	MOVD q+56(FP), R12           \
	MOVD c+64(FP), R6            \
	MOVD ldc+72(FP), R8          \
	MOVD w+80(FP), R13           \
	VLD1 (R12), [V16.S4, V17.S4] \
	ADD  $32, R12, R15           \
	VLD1 (R15), [V18.S4, V19.S4] \
	ADD  $192, R12, R15          \
	VLD1 (R15), [V20.S4, V21.S4] \
	ADD  $224, R12, R15          \
	VLD1 (R15), [V22.S4]         \
	ADD  $256, R12, R15          \
	VLD1 (R15), [V23.S4]         \
	ADD  $288, R12, R15          \
	VLD1 (R15), [V24.S4]

// EPILOGUE requantises and stores the tile's rows (R14 of them).
#define EPILOGUE \
	LOADPANEL                      \
	ROWOUT(8, 9, p0, h0, o0, e0)   \
	CMP  $2, R14                   \
	BLT  done                      \
	ROWOUT(10, 11, p1, h1, o1, e1) \
	CMP  $3, R14                   \
	BLT  done                      \
	ROWOUT(12, 13, p2, h2, o2, e2) \
	CMP  $4, R14                   \
	BLT  done                      \
	ROWOUT(14, 15, p3, h3, o3, e3) \
done:                              \
	RET

// SDOTEROW adds group q of B (V(2q), V(2q+1)) times group q of row r's 16
// bytes of A (V(16+r)) to row r's accumulators; SDOTEQ does it for the 4
// rows.
#define SDOTEROW(r, q) SDOTE4S(8+2*(r), 2*(q), 16+(r), q); SDOTE4S(9+2*(r), 2*(q)+1, 16+(r), q)
#define SDOTEQ(q) SDOTEROW(0, q); SDOTEROW(1, q); SDOTEROW(2, q); SDOTEROW(3, q)

// func gemmInt8Req4x8DotNEON(rows, kg, segs int, a *int8, lda, segStep int, b *int8, q *int32, c *int8, ldc, w int)
//
// A segment's groups go 4 at a time where it has 4 left: 4 groups of B
// (V0-V7), 16 bytes of each row of A (V16-V19), 32 SDOTs by element
// (SDOTE4S): 8 loads where broadcasting each row's group takes 20
// (llvm-mca, cortex-a76: docs/arm-model.md). The rest one at a time
// (LOADGROUP4, SDOT4X8). R15 counts the quads.
TEXT ·gemmInt8Req4x8DotNEON(SB), NOSPLIT, $0-88
	PROLOGUE
	VZERO8(V8, V9, V10, V11, V12, V13, V14, V15)

dotseg:
	LSR  $2, R0, R15
	AND  $3, R0, R11
	CBZ  R15, dotgroups

dotquad:
	VLD1.P 64(R1), [V0.B16, V1.B16, V2.B16, V3.B16]
	VLD1.P 64(R1), [V4.B16, V5.B16, V6.B16, V7.B16]
	VLD1.P 16(R2), [V16.B16]
	VLD1.P 16(R3), [V17.B16]
	VLD1.P 16(R4), [V18.B16]
	VLD1.P 16(R5), [V19.B16]
	SDOTEQ(0)
	SDOTEQ(1)
	SDOTEQ(2)
	SDOTEQ(3)
	SUB  $1, R15
	CBNZ R15, dotquad

dotgroups:
	CBZ R11, dotsegend

dotgroup:
	LOADGROUP4
	SDOT4X8
	SUB  $1, R11
	CBNZ R11, dotgroup

dotsegend:
	NEXTSEG
	SUB  $1, R9
	CBNZ R9, dotseg
	EPILOGUE

// func gemmInt8Req4x8NEON(rows, kg, segs int, a *int8, lda, segStep int, b *int8, q *int32, c *int8, ldc, w int)
TEXT ·gemmInt8Req4x8NEON(SB), NOSPLIT, $0-88
	PROLOGUE
	VROWS8(VZEROROW, 0, 0)

mulseg:
	MOVD R0, R11

mulgroup:
	LOADGROUP4
	SMULL4X8
	SUB  $1, R11
	CBNZ R11, mulgroup
	NEXTSEG
	SUB  $1, R9
	CBNZ R9, mulseg
	VADDP V17.S4, V16.S4, V8.S4
	VADDP V19.S4, V18.S4, V9.S4
	VADDP V21.S4, V20.S4, V10.S4
	VADDP V23.S4, V22.S4, V11.S4
	VADDP V25.S4, V24.S4, V12.S4
	VADDP V27.S4, V26.S4, V13.S4
	VADDP V29.S4, V28.S4, V14.S4
	VADDP V31.S4, V30.S4, V15.S4
	EPILOGUE

// The one-row kernels: a dense layer at batch 1 would otherwise compute
// four copies of its row. Same registers, rows 1-3 unused.

// func gemmInt8Req1x8DotNEON(rows, kg, segs int, a *int8, lda, segStep int, b *int8, q *int32, c *int8, ldc, w int)
TEXT ·gemmInt8Req1x8DotNEON(SB), NOSPLIT, $0-88
	PROLOGUE
	VZERO2(V8, V9)

dot1seg:
	MOVD R0, R11

dot1group:
	LOADGROUP1
	SDOTROW(4, 8, 9)
	SUB  $1, R11
	CBNZ R11, dot1group
	ADD  R10, R2
	SUB  $1, R9
	CBNZ R9, dot1seg
	LOADPANEL
	ROWOUT(8, 9, p0, h0, o0, e0)
	RET

// func gemmInt8Req1x8NEON(rows, kg, segs int, a *int8, lda, segStep int, b *int8, q *int32, c *int8, ldc, w int)
TEXT ·gemmInt8Req1x8NEON(SB), NOSPLIT, $0-88
	PROLOGUE
	VZERO4(V16, V17, V18, V19)

mul1seg:
	MOVD R0, R11

mul1group:
	LOADGROUP1
	SMULLROW(4, 16, 17, 18, 19)
	SUB  $1, R11
	CBNZ R11, mul1group
	ADD  R10, R2
	SUB  $1, R9
	CBNZ R9, mul1seg
	VADDP V17.S4, V16.S4, V8.S4
	VADDP V19.S4, V18.S4, V9.S4
	LOADPANEL
	ROWOUT(8, 9, p0, h0, o0, e0)
	RET
