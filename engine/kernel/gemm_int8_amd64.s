//go:build !purego

#include "textflag.h"

// Hand-written (not avo): two small microkernels, see gemm_int8_amd64.go for
// their Go loops. Requires AVX2.
//
// Register map of gemmInt8x4x8AVX2:
//   CX  k groups left        BX  packed B (32 bytes per k group)
//   R10..R13  A rows 0..3    DX  C row 0, R9 ldc in bytes
//   Y0..Y7   accumulators: row r cols 0-3 in Y(2r), cols 4-7 in Y(2r+1),
//            each int32 lane a partial sum of two int16 products
//   Y8, Y9   B group widened to int16 (cols 0-3, cols 4-7)
//   Y10      A group (4 values) widened to int16 and repeated 4 times
//   Y11      product temporary

#define ROW(areg, acc0, acc1) \
	VPBROADCASTD (areg), X10 \
	VPMOVSXBW    X10, Y10    \
	VPMADDWD     Y8, Y10, Y11 \
	VPADDD       Y11, acc0, acc0 \
	VPMADDWD     Y9, Y10, Y11 \
	VPADDD       Y11, acc1, acc1 \
	ADDQ         $4, areg

// STORE sums the lane pairs of one row's accumulators into 8 int32 and
// stores them at (DX): VPHADDD gives c0 c1 c4 c5 | c2 c3 c6 c7, VPERMQ
// puts the quadwords in order.
#define STORE(acc0, acc1) \
	VPHADDD acc1, acc0, Y12 \
	VPERMQ  $0xD8, Y12, Y12 \
	VMOVDQU Y12, (DX)       \
	ADDQ    R9, DX

// func gemmInt8x4x8AVX2(kg int, a *int8, lda int, b *int8, c *int32, ldcBytes int)
TEXT ·gemmInt8x4x8AVX2(SB), NOSPLIT, $0-48
	MOVQ kg+0(FP), CX
	MOVQ a+8(FP), R10
	MOVQ lda+16(FP), R8
	MOVQ b+24(FP), BX
	MOVQ c+32(FP), DX
	MOVQ ldcBytes+40(FP), R9
	LEAQ (R10)(R8*1), R11
	LEAQ (R11)(R8*1), R12
	LEAQ (R12)(R8*1), R13
	VPXOR Y0, Y0, Y0
	VPXOR Y1, Y1, Y1
	VPXOR Y2, Y2, Y2
	VPXOR Y3, Y3, Y3
	VPXOR Y4, Y4, Y4
	VPXOR Y5, Y5, Y5
	VPXOR Y6, Y6, Y6
	VPXOR Y7, Y7, Y7
	TESTQ CX, CX
	JZ    done4

loop4:
	VPMOVSXBW (BX), Y8
	VPMOVSXBW 16(BX), Y9
	ROW(R10, Y0, Y1)
	ROW(R11, Y2, Y3)
	ROW(R12, Y4, Y5)
	ROW(R13, Y6, Y7)
	ADDQ $32, BX
	DECQ CX
	JNZ  loop4

done4:
	STORE(Y0, Y1)
	STORE(Y2, Y3)
	STORE(Y4, Y5)
	STORE(Y6, Y7)
	VZEROUPPER
	RET

// func gemmInt8x1x8AVX2(kg int, a *int8, b *int8, c *int32)
TEXT ·gemmInt8x1x8AVX2(SB), NOSPLIT, $0-32
	MOVQ kg+0(FP), CX
	MOVQ a+8(FP), R10
	MOVQ b+16(FP), BX
	MOVQ c+24(FP), DX
	VPXOR Y0, Y0, Y0
	VPXOR Y1, Y1, Y1
	TESTQ CX, CX
	JZ    done1

loop1:
	VPMOVSXBW (BX), Y8
	VPMOVSXBW 16(BX), Y9
	ROW(R10, Y0, Y1)
	ADDQ $32, BX
	DECQ CX
	JNZ  loop1

done1:
	VPHADDD Y1, Y0, Y12
	VPERMQ  $0xD8, Y12, Y12
	VMOVDQU Y12, (DX)
	VZEROUPPER
	RET

// ROW4 is ROW for a 4-column panel: only the B vector of columns 0-3.
#define ROW4(areg, acc) \
	VPBROADCASTD (areg), X10 \
	VPMOVSXBW    X10, Y10    \
	VPMADDWD     Y8, Y10, Y11 \
	VPADDD       Y11, acc, acc \
	ADDQ         $4, areg

// STORE4 sums the lane pairs of one row's accumulator (c0 c0 c1 c1 | c2 c2
// c3 c3) into 4 int32 at (DX).
#define STORE4(acc) \
	VPHADDD acc, acc, Y12 \
	VPERMQ  $0x08, Y12, Y12 \
	VMOVDQU X12, (DX)       \
	ADDQ    R9, DX

// func gemmInt8x4x4AVX2(kg int, a *int8, lda int, b *int8, c *int32, ldcBytes int)
// The 4×8 kernel for a panel whose columns 4-7 are padding: Y0..Y3 are the
// accumulators of rows 0..3, Y8 the B columns 0-3.
TEXT ·gemmInt8x4x4AVX2(SB), NOSPLIT, $0-48
	MOVQ kg+0(FP), CX
	MOVQ a+8(FP), R10
	MOVQ lda+16(FP), R8
	MOVQ b+24(FP), BX
	MOVQ c+32(FP), DX
	MOVQ ldcBytes+40(FP), R9
	LEAQ (R10)(R8*1), R11
	LEAQ (R11)(R8*1), R12
	LEAQ (R12)(R8*1), R13
	VPXOR Y0, Y0, Y0
	VPXOR Y1, Y1, Y1
	VPXOR Y2, Y2, Y2
	VPXOR Y3, Y3, Y3
	TESTQ CX, CX
	JZ    done44

loop44:
	VPMOVSXBW (BX), Y8
	ROW4(R10, Y0)
	ROW4(R11, Y1)
	ROW4(R12, Y2)
	ROW4(R13, Y3)
	ADDQ $32, BX
	DECQ CX
	JNZ  loop44

done44:
	STORE4(Y0)
	STORE4(Y1)
	STORE4(Y2)
	STORE4(Y3)
	VZEROUPPER
	RET
