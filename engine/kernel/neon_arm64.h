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

// SDOT Vd.4S, Vn.16B, Vm.16B (the dot-product extension, asimddp)
#define SDOT4S(d, n, m) WORD $(0x4e809400 | (m)<<16 | (n)<<5 | (d))

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
