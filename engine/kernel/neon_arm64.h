// Macros shared by the NEON kernels (*_arm64.s).
//
// Go's arm64 assembler has no mnemonic for vector FADD, FMAX, FCMGT, SDOT,
// SMULL, SMULL2 or SADALP: each is a WORD built from its encoding, in a
// macro named after the instruction, with register numbers as arguments
// (FADD4S(16, 16, 0) is FADD V16.4S, V16.4S, V0.4S). The other macros name
// blocks that several kernels repeat.

// FADD Vd.4S, Vn.4S, Vm.4S
#define FADD4S(d, n, m) WORD $(0x4e20d400 | (m)<<16 | (n)<<5 | (d))

// FMAX Vd.4S, Vn.4S, Vm.4S
#define FMAX4S(d, n, m) WORD $(0x4e20f400 | (m)<<16 | (n)<<5 | (d))

// FCMGT Vd.4S, Vn.4S, #0.0 (false for NaN)
#define FCMGTZ4S(d, n) WORD $(0x4ea0c800 | (n)<<5 | (d))

// FMLA Vd.4S, Vn.4S, Vm.S[i] (by element: lane i of Vm times every lane of Vn)
#define FMLAE4S(d, n, m, i) WORD $(0x4f801000 | ((i)&1)<<21 | (m)<<16 | ((i)>>1)<<11 | (n)<<5 | (d))

// SDOT Vd.4S, Vn.16B, Vm.16B (the dot-product extension, asimddp)
#define SDOT4S(d, n, m) WORD $(0x4e809400 | (m)<<16 | (n)<<5 | (d))

// SDOT Vd.4S, Vn.16B, Vm.4B[i] (by element: group i of Vm against every
// lane of Vn)
#define SDOTE4S(d, n, m, i) WORD $(0x4f80e000 | ((i)&1)<<21 | (m)<<16 | ((i)>>1)<<11 | (n)<<5 | (d))

// SMULL Vd.8H, Vn.8B, Vm.8B
#define SMULL8H(d, n, m) WORD $(0x0e20c000 | (m)<<16 | (n)<<5 | (d))

// SMULL2 Vd.8H, Vn.16B, Vm.16B
#define SMULL2_8H(d, n, m) WORD $(0x4e20c000 | (m)<<16 | (n)<<5 | (d))

// SADALP Vd.4S, Vn.8H
#define SADALP4S(d, n) WORD $(0x4e606800 | (n)<<5 | (d))

// VZERO2, VZERO4 and VZERO8 clear vector registers.
#define VZERO2(a, b) VEOR a.B16, a.B16, a.B16; VEOR b.B16, b.B16, b.B16
#define VZERO4(a, b, c, d) VZERO2(a, b); VZERO2(c, d)
#define VZERO8(a, b, c, d, e, f, g, h) VZERO4(a, b, c, d); VZERO4(e, f, g, h)

// ROWS8(M, x, y) applies M(a, b, x, y) to the eight accumulator rows of an
// 8-column float32 tile, a and b the numbers of the registers holding its
// columns 0-3 and 4-7: 16 and 17 for row 0, up to 30 and 31 for row 7.
// VROWS8 passes the registers themselves (V16 and V17, ...).
#define ROWS8(M, x, y) M(16, 17, x, y); M(18, 19, x, y); M(20, 21, x, y); M(22, 23, x, y); M(24, 25, x, y); M(26, 27, x, y); M(28, 29, x, y); M(30, 31, x, y)
#define VROWS8(M, x, y) M(V16, V17, x, y); M(V18, V19, x, y); M(V20, V21, x, y); M(V22, V23, x, y); M(V24, V25, x, y); M(V26, V27, x, y); M(V28, V29, x, y); M(V30, V31, x, y)

// Row operations for ROWS8 and VROWS8:
//	VZEROROW  clears the row
//	LDROW     loads it from (x) and moves x on by y bytes (post-index)
//	STROW     stores it at (x) and moves x on by y bytes (post-index)
//	FADDROW   adds Vx (columns 0-3) and V(x+1) (columns 4-7) to it
//	FMAXROW   takes its maximum with Vx
#define VZEROROW(a, b, x, y) VZERO2(a, b)
#define LDROW(a, b, x, y) VLD1.P (x)(y), [a.S4, b.S4]
#define STROW(a, b, x, y) VST1.P [a.S4, b.S4], (x)(y)
#define FADDROW(a, b, x, y) FADD4S(a, a, x); FADD4S(b, b, x+1)
#define FMAXROW(a, b, x, y) FMAX4S(a, a, x); FMAX4S(b, b, x)

// Row blocks of the int8 kernels (gemm_int8_arm64.s,
// gemm_int8_implicit_arm64.s): B's group of 8 columns in V0 (columns 0-3)
// and V1 (4-7), V2 and V3 temporaries.
//
// SDOTROW adds to the accumulators a:b the dot products of the B group
// (V0, V1) with the A group x.
#define SDOTROW(x, a, b) SDOT4S(a, 0, x); SDOT4S(b, 1, x)

// SMULLHALF adds to the accumulators a:b the products of B's half h (V0 or
// V1) with the A group x, widened in pairs: SMULL and SMULL2 into V2 and
// V3, SADALP into a and b.
#define SMULLHALF(h, x, a, b) SMULL8H(2, h, x); SMULL2_8H(3, h, x); SADALP4S(a, 2); SADALP4S(b, 3)

// SMULLROW is SMULLHALF for both halves of B: columns 0-3 into a0:b0,
// 4-7 into a1:b1.
#define SMULLROW(x, a0, b0, a1, b1) SMULLHALF(0, x, a0, b0); SMULLHALF(1, x, a1, b1)

// LOADGROUP1 loads one k group of the 1×8 int8 tiles: B's 32 bytes from
// R1 into V0 and V1, and 4 bytes of A's row (R2) repeated in every lane of
// V4, moving both pointers on.
#define LOADGROUP1 VLD1.P 32(R1), [V0.B16, V1.B16]; VLD1R.P 4(R2), [V4.S4]

// LOADGROUP4 loads one k group of the 4×8 int8 tiles: B's 32 bytes from
// R1 into V0 and V1, and 4 bytes of A rows 0..3 (R2..R5) repeated in every
// lane of V4..V7, moving every pointer on. SDOT4X8 and SMULL4X8 multiply
// it into the SDOT tile's accumulators (V8..V15) or the SMULL tile's
// (V16..V31).
#define LOADGROUP4 LOADGROUP1; VLD1R.P 4(R3), [V5.S4]; VLD1R.P 4(R4), [V6.S4]; VLD1R.P 4(R5), [V7.S4]
#define SDOT4X8 SDOTROW(4, 8, 9); SDOTROW(5, 10, 11); SDOTROW(6, 12, 13); SDOTROW(7, 14, 15)
#define SMULL4X8 SMULLROW(4, 16, 17, 18, 19); SMULLROW(5, 20, 21, 22, 23); SMULLROW(6, 24, 25, 26, 27); SMULLROW(7, 28, 29, 30, 31)

// Integer vector instructions of the int8 requantisation (Vd.4S, Vn.4S,
// Vm.4S unless named otherwise).
// ADD, AND (Vd.16B), SQRDMULH, SQADD, SRSHL, SMAX, SMIN
#define ADD4S(d, n, m) WORD $(0x4ea08400 | (m)<<16 | (n)<<5 | (d))
#define AND16B(d, n, m) WORD $(0x4e201c00 | (m)<<16 | (n)<<5 | (d))
#define SQRDMULH4S(d, n, m) WORD $(0x6ea0b400 | (m)<<16 | (n)<<5 | (d))
#define SQADD4S(d, n, m) WORD $(0x4ea00c00 | (m)<<16 | (n)<<5 | (d))
#define SRSHL4S(d, n, m) WORD $(0x4ea05400 | (m)<<16 | (n)<<5 | (d))
#define SMAX4S(d, n, m) WORD $(0x4ea06400 | (m)<<16 | (n)<<5 | (d))
#define SMIN4S(d, n, m) WORD $(0x4ea06c00 | (m)<<16 | (n)<<5 | (d))

// SSHR Vd.4S, Vn.4S, #31 (−1 in the lanes that are negative, else 0)
#define SSHR31_4S(d, n) WORD $(0x4f210400 | (n)<<5 | (d))

// SQXTN Vd.4H, Vn.4S; SQXTN2 Vd.8H, Vn.4S; SQXTN Vd.8B, Vn.8H
#define SQXTN4H(d, n) WORD $(0x0e614800 | (n)<<5 | (d))
#define SQXTN2_8H(d, n) WORD $(0x4e614800 | (n)<<5 | (d))
#define SQXTN8B(d, n) WORD $(0x0e214800 | (n)<<5 | (d))
