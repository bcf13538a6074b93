//go:build !purego

#include "textflag.h"

// NEON GemmInt8 microkernels, 4×8 and 1×8 tiles, two flavours: SDOT (the
// dot-product extension, asimddp: Cortex-A76 / Pi 5) and SMULL/SMULL2/SADALP
// (baseline ASIMD: Cortex-A72 / Pi 4). See gemm_int8_arm64.go for their Go
// loops. The Go assembler has no mnemonic for SDOT, SMULL or SADALP, so they
// are WORDs with the instruction in the comment above.
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
	MOVD kg+0(FP), R0
	MOVD a+8(FP), R2
	MOVD lda+16(FP), R7
	MOVD b+24(FP), R1
	MOVD c+32(FP), R6
	MOVD ldcBytes+40(FP), R8
	ADD  R7, R2, R3
	ADD  R7, R3, R4
	ADD  R7, R4, R5
	VEOR V8.B16, V8.B16, V8.B16
	VEOR V9.B16, V9.B16, V9.B16
	VEOR V10.B16, V10.B16, V10.B16
	VEOR V11.B16, V11.B16, V11.B16
	VEOR V12.B16, V12.B16, V12.B16
	VEOR V13.B16, V13.B16, V13.B16
	VEOR V14.B16, V14.B16, V14.B16
	VEOR V15.B16, V15.B16, V15.B16
	CBZ  R0, dot4done

dot4loop:
	VLD1.P  32(R1), [V0.B16, V1.B16]
	VLD1R.P 4(R2), [V4.S4]
	VLD1R.P 4(R3), [V5.S4]
	VLD1R.P 4(R4), [V6.S4]
	VLD1R.P 4(R5), [V7.S4]
	// SDOT V8.4S, V0.16B, V4.16B
	WORD $0x4e849408
	// SDOT V9.4S, V1.16B, V4.16B
	WORD $0x4e849429
	// SDOT V10.4S, V0.16B, V5.16B
	WORD $0x4e85940a
	// SDOT V11.4S, V1.16B, V5.16B
	WORD $0x4e85942b
	// SDOT V12.4S, V0.16B, V6.16B
	WORD $0x4e86940c
	// SDOT V13.4S, V1.16B, V6.16B
	WORD $0x4e86942d
	// SDOT V14.4S, V0.16B, V7.16B
	WORD $0x4e87940e
	// SDOT V15.4S, V1.16B, V7.16B
	WORD $0x4e87942f
	SUB  $1, R0
	CBNZ R0, dot4loop

dot4done:
	VST1 [V8.S4, V9.S4], (R6)
	ADD  R8, R6
	VST1 [V10.S4, V11.S4], (R6)
	ADD  R8, R6
	VST1 [V12.S4, V13.S4], (R6)
	ADD  R8, R6
	VST1 [V14.S4, V15.S4], (R6)
	RET

// func gemmInt8x1x8DotNEON(kg int, a *int8, b *int8, c *int32)
TEXT ·gemmInt8x1x8DotNEON(SB), NOSPLIT, $0-32
	MOVD kg+0(FP), R0
	MOVD a+8(FP), R2
	MOVD b+16(FP), R1
	MOVD c+24(FP), R6
	VEOR V8.B16, V8.B16, V8.B16
	VEOR V9.B16, V9.B16, V9.B16
	CBZ  R0, dot1done

dot1loop:
	VLD1.P  32(R1), [V0.B16, V1.B16]
	VLD1R.P 4(R2), [V4.S4]
	// SDOT V8.4S, V0.16B, V4.16B
	WORD $0x4e849408
	// SDOT V9.4S, V1.16B, V4.16B
	WORD $0x4e849429
	SUB  $1, R0
	CBNZ R0, dot1loop

dot1done:
	VST1 [V8.S4, V9.S4], (R6)
	RET

// func gemmInt8x4x8NEON(kg int, a *int8, lda int, b *int8, c *int32, ldcBytes int)
TEXT ·gemmInt8x4x8NEON(SB), NOSPLIT, $0-48
	MOVD kg+0(FP), R0
	MOVD a+8(FP), R2
	MOVD lda+16(FP), R7
	MOVD b+24(FP), R1
	MOVD c+32(FP), R6
	MOVD ldcBytes+40(FP), R8
	ADD  R7, R2, R3
	ADD  R7, R3, R4
	ADD  R7, R4, R5
	VEOR V16.B16, V16.B16, V16.B16
	VEOR V17.B16, V17.B16, V17.B16
	VEOR V18.B16, V18.B16, V18.B16
	VEOR V19.B16, V19.B16, V19.B16
	VEOR V20.B16, V20.B16, V20.B16
	VEOR V21.B16, V21.B16, V21.B16
	VEOR V22.B16, V22.B16, V22.B16
	VEOR V23.B16, V23.B16, V23.B16
	VEOR V24.B16, V24.B16, V24.B16
	VEOR V25.B16, V25.B16, V25.B16
	VEOR V26.B16, V26.B16, V26.B16
	VEOR V27.B16, V27.B16, V27.B16
	VEOR V28.B16, V28.B16, V28.B16
	VEOR V29.B16, V29.B16, V29.B16
	VEOR V30.B16, V30.B16, V30.B16
	VEOR V31.B16, V31.B16, V31.B16
	CBZ  R0, mul4done

mul4loop:
	VLD1.P  32(R1), [V0.B16, V1.B16]
	VLD1R.P 4(R2), [V4.S4]
	VLD1R.P 4(R3), [V5.S4]
	VLD1R.P 4(R4), [V6.S4]
	VLD1R.P 4(R5), [V7.S4]
	// SMULL V2.8H, V0.8B, V4.8B
	WORD $0x0e24c002
	// SMULL2 V3.8H, V0.16B, V4.16B
	WORD $0x4e24c003
	// SADALP V16.4S, V2.8H
	WORD $0x4e606850
	// SADALP V17.4S, V3.8H
	WORD $0x4e606871
	// SMULL V2.8H, V1.8B, V4.8B
	WORD $0x0e24c022
	// SMULL2 V3.8H, V1.16B, V4.16B
	WORD $0x4e24c023
	// SADALP V18.4S, V2.8H
	WORD $0x4e606852
	// SADALP V19.4S, V3.8H
	WORD $0x4e606873
	// SMULL V2.8H, V0.8B, V5.8B
	WORD $0x0e25c002
	// SMULL2 V3.8H, V0.16B, V5.16B
	WORD $0x4e25c003
	// SADALP V20.4S, V2.8H
	WORD $0x4e606854
	// SADALP V21.4S, V3.8H
	WORD $0x4e606875
	// SMULL V2.8H, V1.8B, V5.8B
	WORD $0x0e25c022
	// SMULL2 V3.8H, V1.16B, V5.16B
	WORD $0x4e25c023
	// SADALP V22.4S, V2.8H
	WORD $0x4e606856
	// SADALP V23.4S, V3.8H
	WORD $0x4e606877
	// SMULL V2.8H, V0.8B, V6.8B
	WORD $0x0e26c002
	// SMULL2 V3.8H, V0.16B, V6.16B
	WORD $0x4e26c003
	// SADALP V24.4S, V2.8H
	WORD $0x4e606858
	// SADALP V25.4S, V3.8H
	WORD $0x4e606879
	// SMULL V2.8H, V1.8B, V6.8B
	WORD $0x0e26c022
	// SMULL2 V3.8H, V1.16B, V6.16B
	WORD $0x4e26c023
	// SADALP V26.4S, V2.8H
	WORD $0x4e60685a
	// SADALP V27.4S, V3.8H
	WORD $0x4e60687b
	// SMULL V2.8H, V0.8B, V7.8B
	WORD $0x0e27c002
	// SMULL2 V3.8H, V0.16B, V7.16B
	WORD $0x4e27c003
	// SADALP V28.4S, V2.8H
	WORD $0x4e60685c
	// SADALP V29.4S, V3.8H
	WORD $0x4e60687d
	// SMULL V2.8H, V1.8B, V7.8B
	WORD $0x0e27c022
	// SMULL2 V3.8H, V1.16B, V7.16B
	WORD $0x4e27c023
	// SADALP V30.4S, V2.8H
	WORD $0x4e60685e
	// SADALP V31.4S, V3.8H
	WORD $0x4e60687f
	SUB  $1, R0
	CBNZ R0, mul4loop

mul4done:
	// ADDP sums each column's two lanes: V2 = columns 0-3, V3 = 4-7.
	VADDP V17.S4, V16.S4, V2.S4
	VADDP V19.S4, V18.S4, V3.S4
	VST1 [V2.S4, V3.S4], (R6)
	ADD  R8, R6
	VADDP V21.S4, V20.S4, V2.S4
	VADDP V23.S4, V22.S4, V3.S4
	VST1 [V2.S4, V3.S4], (R6)
	ADD  R8, R6
	VADDP V25.S4, V24.S4, V2.S4
	VADDP V27.S4, V26.S4, V3.S4
	VST1 [V2.S4, V3.S4], (R6)
	ADD  R8, R6
	VADDP V29.S4, V28.S4, V2.S4
	VADDP V31.S4, V30.S4, V3.S4
	VST1 [V2.S4, V3.S4], (R6)
	RET

// func gemmInt8x1x8NEON(kg int, a *int8, b *int8, c *int32)
TEXT ·gemmInt8x1x8NEON(SB), NOSPLIT, $0-32
	MOVD kg+0(FP), R0
	MOVD a+8(FP), R2
	MOVD b+16(FP), R1
	MOVD c+24(FP), R6
	VEOR V16.B16, V16.B16, V16.B16
	VEOR V17.B16, V17.B16, V17.B16
	VEOR V18.B16, V18.B16, V18.B16
	VEOR V19.B16, V19.B16, V19.B16
	CBZ  R0, mul1done

mul1loop:
	VLD1.P  32(R1), [V0.B16, V1.B16]
	VLD1R.P 4(R2), [V4.S4]
	// SMULL V2.8H, V0.8B, V4.8B
	WORD $0x0e24c002
	// SMULL2 V3.8H, V0.16B, V4.16B
	WORD $0x4e24c003
	// SADALP V16.4S, V2.8H
	WORD $0x4e606850
	// SADALP V17.4S, V3.8H
	WORD $0x4e606871
	// SMULL V2.8H, V1.8B, V4.8B
	WORD $0x0e24c022
	// SMULL2 V3.8H, V1.16B, V4.16B
	WORD $0x4e24c023
	// SADALP V18.4S, V2.8H
	WORD $0x4e606852
	// SADALP V19.4S, V3.8H
	WORD $0x4e606873
	SUB  $1, R0
	CBNZ R0, mul1loop

mul1done:
	VADDP V17.S4, V16.S4, V2.S4
	VADDP V19.S4, V18.S4, V3.S4
	VST1 [V2.S4, V3.S4], (R6)
	RET
