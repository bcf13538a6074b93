//go:build !purego

#include "textflag.h"

// WINDOWARGS loads the arguments that copyWindowsAsm and addWindowsAsm
// share, (dst, src unsafe.Pointer, n, colStep, kh, rowStep, seg int): R0
// dst, R1 src, R2 n, R3 colStep, R4 kh, R5 rowStep, R6 seg.
#define WINDOWARGS MOVD dst+0(FP), R0; MOVD src+8(FP), R1; MOVD n+16(FP), R2; MOVD colStep+24(FP), R3; MOVD kh+32(FP), R4; MOVD rowStep+40(FP), R5; MOVD seg+48(FP), R6

// func copyWindowsAsm(dst, src unsafe.Pointer, n, colStep, kh, rowStep, seg int)
// The sizes are in bytes (the float32 caller scales them by 4); each window
// moves in 32-byte blocks, WindowBlockInt8 bytes or WindowBlock float32s.
// Register map: R0 dst, R1 start of the current pixel's first window,
// R2 pixels left, R3 colStep, R4 kh, R5 rowStep, R6 seg (all in bytes),
// R7 current window, R8 kernel rows left, R9 source, R10 destination,
// R11 offset in the window.
TEXT ·copyWindowsAsm(SB), NOSPLIT, $0-56
	WINDOWARGS

pixel:
	MOVD R1, R7
	MOVD R4, R8

window:
	MOVD R7, R9
	MOVD R0, R10
	MOVD ZR, R11

block:
	VLD1.P 32(R9), [V0.S4, V1.S4]
	VST1.P [V0.S4, V1.S4], 32(R10)
	ADD    $32, R11
	CMP    R6, R11
	BLT    block

	ADD  R6, R0
	ADD  R5, R7
	SUBS $1, R8
	BNE  window
	ADD  R3, R1
	SUBS $1, R2
	BNE  pixel
	RET

// func addWindowsAsm(dst, src unsafe.Pointer, n, colStep, kh, rowStep, seg int)
// Register map: R0 start of the current pixel's first window in dst, R1 src
// (consumed in order), R2 pixels left, R3 colStep, R4 kh, R5 rowStep, R6 seg,
// R12 seg rounded down to 8 values (all in bytes), R7 current window, R8
// kernel rows left, R9 destination, R11 offset in the window. The vector sum
// is a fused multiply-add by 1.0 in V31 (exact: one rounding of dst+src).
TEXT ·addWindowsAsm(SB), NOSPLIT, $0-56
	WINDOWARGS
	LSL   $2, R3
	LSL   $2, R5
	LSL   $2, R6
	AND   $-32, R6, R12
	FMOVS $1.0, F31
	VDUP  V31.S[0], V31.S4

apixel:
	MOVD R0, R7
	MOVD R4, R8

awindow:
	MOVD R7, R9
	MOVD ZR, R11
	CMP  R12, R11
	BGE  atail

ablock:
	VLD1   (R9), [V0.S4, V1.S4]
	VLD1.P 32(R1), [V2.S4, V3.S4]
	VFMLA  V31.S4, V2.S4, V0.S4
	VFMLA  V31.S4, V3.S4, V1.S4
	VST1.P [V0.S4, V1.S4], 32(R9)
	ADD    $32, R11
	CMP    R12, R11
	BLT    ablock

atail:
	CMP     R6, R11
	BGE     anext
	FMOVS   (R9), F0
	FMOVS.P 4(R1), F1
	FADDS   F1, F0, F0
	FMOVS.P F0, 4(R9)
	ADD     $4, R11
	B       atail

anext:
	ADD  R5, R7
	SUBS $1, R8
	BNE  awindow
	ADD  R3, R0
	SUBS $1, R2
	BNE  apixel
	RET
