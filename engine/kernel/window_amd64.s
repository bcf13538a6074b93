//go:build !purego

#include "textflag.h"

// WINDOWARGS loads the arguments that copyWindowsAsm and addWindowsAsm
// share, (dst, src unsafe.Pointer, n, colStep, kh, rowStep, seg int): DI
// dst, SI src, CX n, R8 colStep, R9 kh, R10 rowStep, R11 seg.
#define WINDOWARGS MOVQ dst+0(FP), DI; MOVQ src+8(FP), SI; MOVQ n+16(FP), CX; MOVQ colStep+24(FP), R8; MOVQ kh+32(FP), R9; MOVQ rowStep+40(FP), R10; MOVQ seg+48(FP), R11

// func copyWindowsAsm(dst, src unsafe.Pointer, n, colStep, kh, rowStep, seg int)
// The sizes are in bytes (the float32 caller scales them by 4); each window
// moves in 32-byte blocks, WindowBlockInt8 bytes or WindowBlock float32s.
// Register map: DI dst, SI start of the current pixel's first window,
// CX pixels left, R8 colStep, R9 kh, R10 rowStep, R11 seg (all in bytes),
// AX current window, BX kernel rows left, DX offset in the window.
TEXT ·copyWindowsAsm(SB), NOSPLIT, $0-56
	WINDOWARGS

pixel:
	MOVQ SI, AX
	MOVQ R9, BX

window:
	XORQ DX, DX

block:
	VMOVUPS (AX)(DX*1), Y0
	VMOVUPS Y0, (DI)(DX*1)
	ADDQ    $32, DX
	CMPQ    DX, R11
	JLT     block

	ADDQ R11, DI
	ADDQ R10, AX
	DECQ BX
	JNZ  window
	ADDQ R8, SI
	DECQ CX
	JNZ  pixel
	VZEROUPPER
	RET

// func addWindowsAsm(dst, src unsafe.Pointer, n, colStep, kh, rowStep, seg int)
// Register map: SI src (consumed in order), DI start of the current pixel's
// first window in dst, CX pixels left, R8 colStep, R9 kh, R10 rowStep,
// R11 seg, R12 seg rounded down to 8 values (all in bytes), AX current
// window, BX kernel rows left, DX offset in the window, R13 bytes left in
// the window's tail.
TEXT ·addWindowsAsm(SB), NOSPLIT, $0-56
	WINDOWARGS
	SHLQ $2, R8
	SHLQ $2, R10
	SHLQ $2, R11
	MOVQ R11, R12
	ANDQ $-32, R12

apixel:
	MOVQ DI, AX
	MOVQ R9, BX

awindow:
	XORQ DX, DX
	CMPQ DX, R12
	JGE  atail

ablock:
	VMOVUPS (AX)(DX*1), Y0
	VADDPS  (SI)(DX*1), Y0, Y0
	VMOVUPS Y0, (AX)(DX*1)
	ADDQ    $32, DX
	CMPQ    DX, R12
	JLT     ablock

// The tail of fewer than 8 values: 4 at once, then 2, then 1, each
// reading and writing only the window's values (seed99's conv1 has 6 per
// window; one at a time they took most of its col2im).
atail:
	MOVQ R11, R13
	SUBQ DX, R13
	CMPQ R13, $16
	JLT  atail2
	VMOVUPS (AX)(DX*1), X0
	VADDPS  (SI)(DX*1), X0, X0
	VMOVUPS X0, (AX)(DX*1)
	ADDQ    $16, DX
	SUBQ    $16, R13

atail2:
	CMPQ R13, $8
	JLT  atail1
	VMOVSD (AX)(DX*1), X0
	VMOVSD (SI)(DX*1), X1
	VADDPS X1, X0, X0
	VMOVSD X0, (AX)(DX*1)
	ADDQ   $8, DX
	SUBQ   $8, R13

atail1:
	CMPQ R13, $4
	JLT  anext
	VMOVSS (AX)(DX*1), X0
	VADDSS (SI)(DX*1), X0, X0
	VMOVSS X0, (AX)(DX*1)

anext:
	ADDQ R11, SI
	ADDQ R10, AX
	DECQ BX
	JNZ  awindow
	ADDQ R8, DI
	DECQ CX
	JNZ  apixel
	VZEROUPPER
	RET
