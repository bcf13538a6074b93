//go:build !purego

#include "textflag.h"

// func requantInt8x8AVX2(dst *int8, acc *int32, periods, vecs int, bias, mult, shift, mask, half *int32, zero, lo, hi int32)
// Requires AVX2. Register map:
//   DI dst, SI acc, CX periods left, DX vecs per period, R8 vecs left in period
//   R9 bias, R10 mult, R11 shift, R12 mask, R13 half, R14 offset in the period
//   Y12 zero, Y13 lo, Y14 hi, Y15 2^30 in every qword
TEXT ·requantInt8x8AVX2(SB), NOSPLIT, $0-84
	MOVQ dst+0(FP), DI
	MOVQ acc+8(FP), SI
	MOVQ periods+16(FP), CX
	MOVQ vecs+24(FP), DX
	MOVQ bias+32(FP), R9
	MOVQ mult+40(FP), R10
	MOVQ shift+48(FP), R11
	MOVQ mask+56(FP), R12
	MOVQ half+64(FP), R13
	MOVL zero+72(FP), AX
	MOVQ AX, X12
	VPBROADCASTD X12, Y12
	MOVL lo+76(FP), AX
	MOVQ AX, X13
	VPBROADCASTD X13, Y13
	MOVL hi+80(FP), AX
	MOVQ AX, X14
	VPBROADCASTD X14, Y14
	MOVQ $0x40000000, AX
	MOVQ AX, X15
	VPBROADCASTQ X15, Y15
	TESTQ CX, CX
	JZ   done

period:
	MOVQ DX, R8
	XORQ R14, R14

vec:
	VMOVDQU (SI), Y0
	VPADDD  (R9)(R14*1), Y0, Y0     // x = acc + bias
	VMOVDQU (R10)(R14*1), Y1        // mult
	VPMULDQ Y1, Y0, Y2              // even lanes: int64 x·mult
	VPSRLQ  $32, Y0, Y3
	VPSRLQ  $32, Y1, Y4
	VPMULDQ Y4, Y3, Y3              // odd lanes
	VPADDQ  Y15, Y2, Y2
	VPADDQ  Y15, Y3, Y3
	VPSRLQ  $31, Y2, Y2             // low dword: (x·mult + 2^30) >> 31
	VPSRLQ  $31, Y3, Y3
	VPSLLQ  $32, Y3, Y3
	VPBLENDD $0xAA, Y3, Y2, Y2      // x, the high multiply, in all 8 lanes
	VPAND   (R12)(R14*1), Y2, Y6    // remainder
	VPSRAD  $31, Y2, Y7             // −1 where x < 0
	VMOVDQU (R13)(R14*1), Y8
	VPSUBD  Y7, Y8, Y8              // threshold
	VPSRAVD (R11)(R14*1), Y2, Y2    // x >> shift
	VPCMPGTD Y8, Y6, Y6             // −1 where remainder > threshold
	VPSUBD  Y6, Y2, Y2
	VPADDD  Y12, Y2, Y2             // + zero point
	VPMAXSD Y13, Y2, Y2
	VPMINSD Y14, Y2, Y2
	VEXTRACTI128 $1, Y2, X3
	VPACKSSDW X3, X2, X2            // exact: the values lie in [lo, hi] ⊂ [−128, 127]
	VPACKSSWB X2, X2, X2
	MOVQ    X2, (DI)
	ADDQ    $32, SI
	ADDQ    $8, DI
	ADDQ    $32, R14
	DECQ    R8
	JNZ     vec
	DECQ    CX
	JNZ     period

done:
	VZEROUPPER
	RET
