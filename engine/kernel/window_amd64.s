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
// window, BX kernel rows left, DX offset in the window.
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

atail:
	CMPQ DX, R11
	JGE  anext
	VMOVSS (AX)(DX*1), X0
	VADDSS (SI)(DX*1), X0, X0
	VMOVSS X0, (AX)(DX*1)
	ADDQ   $4, DX
	JMP    atail

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
