//go:build !purego

#include "textflag.h"
#include "neon_arm64.h"

// FMLAROW adds V0:V1 (a row of B) times x (A[i][p]) to the accumulators a:b.
#define FMLAROW(x, a, b) VFMLA V0.S4, x.S4, a.S4; VFMLA V1.S4, x.S4, b.S4

// FMLAEROW adds B's row q (V(2q):V(2q+1)) times A[i][p+q] (lane q of
// V(8+i)) to row i's accumulators a:b; FMLAESTEP does it for the 8 rows.
#define FMLAEROW(a, b, i, q) FMLAE4S(a, 2*(q), 8+(i), q); FMLAE4S(b, 2*(q)+1, 8+(i), q)
#define FMLAESTEP(q) FMLAEROW(16, 17, 0, q); FMLAEROW(18, 19, 1, q); FMLAEROW(20, 21, 2, q); FMLAEROW(22, 23, 3, q); FMLAEROW(24, 25, 4, q); FMLAEROW(26, 27, 5, q); FMLAEROW(28, 29, 6, q); FMLAEROW(30, 31, 7, q)

// COPYF32 copies n float32s (n ≥ 1, counted down to 0) from src to dst,
// both moved on past them: a partial tile's way into and out of tmp.
#define COPYF32(loop, src, dst, n) loop: FMOVS.P 4(src), F0; FMOVS.P F0, 4(dst); SUBS $1, n; BNE loop

// ROWPTR sets r to row i of A (R26 moved on by rsa), or to row 0 past mr.
#define ROWPTR(i, r) ADD R2, R26; CMP $i, R8; CSEL GT, R26, R1, r

// func sgemm8x8NEON(k, segs int, a *float32, rsa, csa, segStep int, b *float32, rsb int, c *float32, ldc, mr, nr int, load bool, epi int)
//
// Register map:
//	R0       k, steps left          R1       row 0 of A
//	R2       rsa in bytes           R3       csa in bytes
//	R4       b                      R5       rsb in bytes
//	R6       c                      R7       ldc in bytes
//	R8       mr                     R9       nr
//	R10      load                   R15      1 for a partial tile (mr < 8 or nr < 8)
//	R11-R14  R26 temporaries
//	R19-R25  rows 1-7 of A; a row ≥ mr aliases row 0 (computed, never stored)
//	V0, V1   one row of B (8 columns)
//	V2-V9    A[i][p] broadcast, row i in V(2+i)
//	V16-V31  accumulators: row i, columns 0-3 in V(16+2i), 4-7 in V(17+2i)
//	R13      groups of 4 steps left (csa = 1)
//	V0-V7    four rows of B, row q in V(2q):V(2q+1) (csa = 1)
//	V8-V15   A[i][p..p+3], row i in V(8+i) (csa = 1)
//
// When A's elements are consecutive (csa = 1: the forward pass's windows
// and rows), the loop takes 4 steps at a time: one 4-float load per row of
// A and 4 rows of B, then 64 FMLAs by element (FMLAE4S), 12 loads where
// broadcasting would take 36 (cortex-a72: 24 → 16 cycles a step in
// llvm-mca, docs/arm-model.md). The remaining steps, and every step of a
// strided A, broadcast A[i][p] (VLD1R) as before.
//
// The rows of A are segs segments of k steps (SgemmPackedWindows): between
// segments every row pointer moves on by the skip kept on the stack, from
// where k steps of csa leave it to segStep past the segment's start.
//
// A partial tile goes through tmp, an 8×8 tile on the stack: C's valid part
// is copied in (when load), and out again at the end, one float at a time.
// The epilogue epi (bit 0: add the row of B after the last step, the bias;
// bit 1: clamp at zero) works on the accumulators before either store.
// FADD4S and FMAX4S (neon_arm64.h) are the vector FADD and FMAX that Go's
// assembler has no mnemonic for.
TEXT ·sgemm8x8NEON(SB), NOSPLIT, $272-112
	MOVD k+0(FP), R0
	MOVD a+16(FP), R1
	MOVD rsa+24(FP), R2
	LSL  $2, R2
	MOVD csa+32(FP), R3
	LSL  $2, R3
	MOVD b+48(FP), R4
	MOVD rsb+56(FP), R5
	LSL  $2, R5
	MOVD c+64(FP), R6
	MOVD ldc+72(FP), R7
	LSL  $2, R7
	MOVD mr+80(FP), R8
	MOVD nr+88(FP), R9
	MOVBU load+96(FP), R10
	MOVD $0, R15

	// Segments left, and the skip between them.
	MOVD segs+8(FP), R11
	MOVD R11, segsleft-264(SP)
	MOVD segStep+40(FP), R11
	LSL  $2, R11
	MUL  R3, R0, R12
	SUB  R12, R11
	MOVD R11, skip-272(SP)

	// Row pointers, clamped to row 0 past mr.
	MOVD R1, R26
	ROWPTR(1, R19)
	ROWPTR(2, R20)
	ROWPTR(3, R21)
	ROWPTR(4, R22)
	ROWPTR(5, R23)
	ROWPTR(6, R24)
	ROWPTR(7, R25)

	CMP $8, R8
	BNE partialsetup
	CMP $8, R9
	BNE partialsetup
	CBZ R10, zero

	// Full tile with load: start from C.
	MOVD R6, R11
	VROWS8(LDROW, R11, R7)
	B    start

zero:
	VROWS8(VZEROROW, 0, 0)
	B    start

partialsetup:
	MOVD $1, R15
	VROWS8(VZEROROW, 0, 0)
	CBZ  R10, start
	MOVD $tmp-256(SP), R12
	VST1.P [V16.S4, V17.S4, V18.S4, V19.S4], 64(R12)
	VST1.P [V16.S4, V17.S4, V18.S4, V19.S4], 64(R12)
	VST1.P [V16.S4, V17.S4, V18.S4, V19.S4], 64(R12)
	VST1.P [V16.S4, V17.S4, V18.S4, V19.S4], 64(R12)

	// Copy C's mr×nr corner into tmp, then load all of tmp.
	MOVD R6, R11
	MOVD $tmp-256(SP), R12
	MOVD R8, R13

inrow:
	MOVD R11, R14
	MOVD R12, R26
	MOVD R9, R25

	COPYF32(incol, R14, R26, R25)
	ADD  R7, R11
	ADD  $32, R12
	SUBS $1, R13
	BNE  inrow

	// R25 was borrowed: recompute row 7.
	MOVD R1, R26
	ADD  R2, R26
	ADD  R2<<1, R26
	ADD  R2<<2, R26
	CMP  $7, R8
	CSEL GT, R26, R1, R25

	MOVD $tmp-256(SP), R12
	VLD1.P 64(R12), [V16.S4, V17.S4, V18.S4, V19.S4]
	VLD1.P 64(R12), [V20.S4, V21.S4, V22.S4, V23.S4]
	VLD1.P 64(R12), [V24.S4, V25.S4, V26.S4, V27.S4]
	VLD1.P 64(R12), [V28.S4, V29.S4, V30.S4, V31.S4]

start:
	CMP  $4, R3
	BNE  steps
	LSR  $2, R0, R13
	AND  $3, R0
	CBZ  R13, steps

loop4:
	VLD1.P (R4)(R5), [V0.S4, V1.S4]
	VLD1.P (R4)(R5), [V2.S4, V3.S4]
	VLD1.P (R4)(R5), [V4.S4, V5.S4]
	VLD1.P (R4)(R5), [V6.S4, V7.S4]
	VLD1.P 16(R1), [V8.S4]
	VLD1.P 16(R19), [V9.S4]
	VLD1.P 16(R20), [V10.S4]
	VLD1.P 16(R21), [V11.S4]
	VLD1.P 16(R22), [V12.S4]
	VLD1.P 16(R23), [V13.S4]
	VLD1.P 16(R24), [V14.S4]
	VLD1.P 16(R25), [V15.S4]
	FMLAESTEP(0)
	FMLAESTEP(1)
	FMLAESTEP(2)
	FMLAESTEP(3)
	SUBS $1, R13
	BNE  loop4

steps:
	CBZ R0, segend

loop:
	VLD1.P  (R4)(R5), [V0.S4, V1.S4]
	VLD1R.P (R1)(R3), [V2.S4]
	VLD1R.P (R19)(R3), [V3.S4]
	VLD1R.P (R20)(R3), [V4.S4]
	VLD1R.P (R21)(R3), [V5.S4]
	VLD1R.P (R22)(R3), [V6.S4]
	VLD1R.P (R23)(R3), [V7.S4]
	VLD1R.P (R24)(R3), [V8.S4]
	VLD1R.P (R25)(R3), [V9.S4]
	FMLAROW(V2, V16, V17)
	FMLAROW(V3, V18, V19)
	FMLAROW(V4, V20, V21)
	FMLAROW(V5, V22, V23)
	FMLAROW(V6, V24, V25)
	FMLAROW(V7, V26, V27)
	FMLAROW(V8, V28, V29)
	FMLAROW(V9, V30, V31)
	SUBS   $1, R0
	BNE    loop

segend:
	MOVD segsleft-264(SP), R11
	SUBS $1, R11
	BEQ  epilogue
	MOVD R11, segsleft-264(SP)
	MOVD skip-272(SP), R11
	ADD  R11, R1
	ADD  R11, R19
	ADD  R11, R20
	ADD  R11, R21
	ADD  R11, R22
	ADD  R11, R23
	ADD  R11, R24
	ADD  R11, R25
	MOVD k+0(FP), R0
	B    start

epilogue:
	MOVD epi+104(FP), R11
	CBZ  R11, store
	TBZ  $0, R11, relu
	VLD1 (R4), [V0.S4, V1.S4]
	ROWS8(FADDROW, 0, 0)

relu:
	TBZ  $1, R11, store
	VEOR V2.B16, V2.B16, V2.B16
	ROWS8(FMAXROW, 2, 0)

store:
	CBNZ R15, partialstore
	VROWS8(STROW, R6, R7)
	RET

partialstore:
	MOVD $tmp-256(SP), R12
	VST1.P [V16.S4, V17.S4, V18.S4, V19.S4], 64(R12)
	VST1.P [V20.S4, V21.S4, V22.S4, V23.S4], 64(R12)
	VST1.P [V24.S4, V25.S4, V26.S4, V27.S4], 64(R12)
	VST1.P [V28.S4, V29.S4, V30.S4, V31.S4], 64(R12)
	MOVD $tmp-256(SP), R12

outrow:
	MOVD R6, R14
	MOVD R12, R26
	MOVD R9, R11

	COPYF32(outcol, R26, R14, R11)
	ADD  R7, R6
	ADD  $32, R12
	SUBS $1, R8
	BNE  outrow
	RET

// func sgemm1x8NEON(k int, a *float32, csa int, b *float32, rsb int, c *float32, nr int, load bool)
//
// Register map:
//	R0       k, steps left          R1       A (one row)
//	R3       csa in bytes           R4       b
//	R5       rsb in bytes           R6       c
//	R9       nr                     R10      load
//	R11-R14  epilogue temporaries
//	V0-V7    four rows of B (steps p..p+3), two registers each
//	V8-V11   A[p..p+3] broadcast
//	V16-V23  four accumulator sets (one per step of the unrolled loop), two
//	         registers each; set 0 (V16, V17) starts from C when load is set
//	V24, V25 zero
TEXT ·sgemm1x8NEON(SB), NOSPLIT, $32-57
	MOVD  k+0(FP), R0
	MOVD  a+8(FP), R1
	MOVD  csa+16(FP), R3
	LSL   $2, R3
	MOVD  b+24(FP), R4
	MOVD  rsb+32(FP), R5
	LSL   $2, R5
	MOVD  c+40(FP), R6
	MOVD  nr+48(FP), R9
	MOVBU load+56(FP), R10
	VZERO8(V16, V17, V18, V19, V20, V21, V22, V23)
	VZERO2(V24, V25)
	CBZ   R10, start
	CMP   $8, R9
	BNE   partialload
	VLD1  (R6), [V16.S4, V17.S4]
	B     start

partialload:
	// Copy C's nr columns into the zeroed tmp, then load all of tmp.
	MOVD   $tmp-32(SP), R12
	VST1   [V24.S4, V25.S4], (R12)
	MOVD   R6, R11
	MOVD   R9, R13

	COPYF32(incol, R11, R12, R13)
	MOVD $tmp-32(SP), R12
	VLD1 (R12), [V16.S4, V17.S4]

start:
	CMP   $4, R0
	BLT   single

loop4:
	VLD1.P  (R4)(R5), [V0.S4, V1.S4]
	VLD1.P  (R4)(R5), [V2.S4, V3.S4]
	VLD1.P  (R4)(R5), [V4.S4, V5.S4]
	VLD1.P  (R4)(R5), [V6.S4, V7.S4]
	VLD1R.P (R1)(R3), [V8.S4]
	VLD1R.P (R1)(R3), [V9.S4]
	VLD1R.P (R1)(R3), [V10.S4]
	VLD1R.P (R1)(R3), [V11.S4]
	VFMLA  V0.S4, V8.S4, V16.S4
	VFMLA  V1.S4, V8.S4, V17.S4
	VFMLA  V2.S4, V9.S4, V18.S4
	VFMLA  V3.S4, V9.S4, V19.S4
	VFMLA  V4.S4, V10.S4, V20.S4
	VFMLA  V5.S4, V10.S4, V21.S4
	VFMLA  V6.S4, V11.S4, V22.S4
	VFMLA  V7.S4, V11.S4, V23.S4
	SUB    $4, R0
	CMP    $4, R0
	BGE    loop4

single:
	CBZ    R0, reduce

loop1:
	VLD1.P  (R4)(R5), [V0.S4, V1.S4]
	VLD1R.P (R1)(R3), [V8.S4]
	VFMLA  V0.S4, V8.S4, V16.S4
	VFMLA  V1.S4, V8.S4, V17.S4
	SUBS   $1, R0
	BNE    loop1

reduce:
	FADD4S(18, 18, 20)
	FADD4S(19, 19, 21)
	FADD4S(16, 16, 22)
	FADD4S(17, 17, 23)
	FADD4S(16, 16, 18)
	FADD4S(17, 17, 19)
	CMP    $8, R9
	BNE    partialstore
	VST1   [V16.S4, V17.S4], (R6)
	RET

partialstore:
	MOVD   $tmp-32(SP), R12
	VST1   [V16.S4, V17.S4], (R12)

	COPYF32(outcol, R12, R6, R9)
	RET
