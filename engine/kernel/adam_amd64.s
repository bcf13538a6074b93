//go:build !purego

#include "textflag.h"

// func adamAVX2(params, grad, m, v unsafe.Pointer, n int, c *[6]float32)
// n is a multiple of 8; c holds b1, 1−b1, b2, 1−b2, eps, lrt. Every
// product and sum is rounded on its own, in the order of adamGeneric;
// VSQRTPS and VDIVPS are correctly rounded, as Go's float64 square root
// rounded to float32 is.
TEXT ·adamAVX2(SB), NOSPLIT, $0-48
	MOVQ         params+0(FP), DI
	MOVQ         grad+8(FP), SI
	MOVQ         m+16(FP), DX
	MOVQ         v+24(FP), BX
	MOVQ         n+32(FP), CX
	MOVQ         c+40(FP), AX
	VBROADCASTSS (AX), Y10   // b1
	VBROADCASTSS 4(AX), Y11  // 1−b1
	VBROADCASTSS 8(AX), Y12  // b2
	VBROADCASTSS 12(AX), Y13 // 1−b2
	VBROADCASTSS 16(AX), Y14 // eps
	VBROADCASTSS 20(AX), Y15 // lrt

loop:
	VMOVUPS (SI), Y0     // g
	VMULPS  (DX), Y10, Y1 // b1·m
	VMULPS  Y0, Y11, Y2  // (1−b1)·g
	VADDPS  Y2, Y1, Y1   // m
	VMULPS  (BX), Y12, Y3 // b2·v
	VMULPS  Y0, Y13, Y4  // (1−b2)·g
	VMULPS  Y0, Y4, Y4   // ·g
	VADDPS  Y4, Y3, Y3   // v
	VMOVUPS Y1, (DX)
	VMOVUPS Y3, (BX)
	VSQRTPS Y3, Y3
	VADDPS  Y14, Y3, Y3  // √v + eps
	VMULPS  Y1, Y15, Y1  // lrt·m
	VDIVPS  Y3, Y1, Y1   // lrt·m / (√v + eps)
	VMOVUPS (DI), Y5
	VSUBPS  Y1, Y5, Y5
	VMOVUPS Y5, (DI)
	ADDQ    $32, DI
	ADDQ    $32, SI
	ADDQ    $32, DX
	ADDQ    $32, BX
	SUBQ    $8, CX
	JNZ     loop
	VZEROUPPER
	RET
