package main

import (
	"strings"
	"testing"
)

// A function of llvm-objdump's output: set-up, an outer loop around an
// inner one of two FMLAs and a load, and a forward branch out.
const disassembly = `
0000000000001000 <github.com/edgeconv/edgeconv/engine/kernel.toy.abi0>:
    1000:      	mov	x0, x1
    1004:      	cbz	x2, 0x1030 <github.com/edgeconv/edgeconv/engine/kernel.toy.abi0+0x30>
    1008:      	mov	x3, x4
    100c:      	ld1	{ v0.4s, v1.4s }, [x4], x5
    1010:      	fmla	v16.4s, v2.4s, v0.4s
    1014:      	fmla	v17.4s, v2.s[1], v1.4s
    1018:      	subs	x3, x3, #1
    101c:      	b.ne	0x100c <github.com/edgeconv/edgeconv/engine/kernel.toy.abi0+0xc>
    1020:      	smull	v3.8h, v4.8b, v5.8b
    1024:      	subs	x2, x2, #1
    1028:      	b.ne	0x1008 <github.com/edgeconv/edgeconv/engine/kernel.toy.abi0+0x8>
    102c:      	sdot	v6.4s, v7.16b, v8.16b
    1030:      	ret
`

// TestInnerLoops: only the innermost backward branch makes a loop, its
// branch goes to a label, and its work is counted (an FMLA on four lanes,
// by element or not, is eight FLOP).
func TestInnerLoops(t *testing.T) {
	loops := innerLoops("toy", []byte(disassembly))
	if len(loops) != 1 {
		t.Fatalf("%d loops, want 1: %+v", len(loops), loops)
	}
	l := loops[0]
	want := "top:|ld1\t{ v0.4s, v1.4s }, [x4], x5|fmla\tv16.4s, v2.4s, v0.4s|fmla\tv17.4s, v2.s[1], v1.4s|subs\tx3, x3, #1|b.ne\ttop"
	if got := strings.Join(l.insns, "|"); got != want {
		t.Errorf("loop\n%s\nwant\n%s", got, want)
	}
	if l.flops != 16 || l.macs != 0 || l.dot {
		t.Errorf("work %d FLOP, %d MAC, dot %v; want 16, 0, false", l.flops, l.macs, l.dot)
	}
}

// TestWork: the multiply-accumulates of the int8 instructions.
func TestWork(t *testing.T) {
	for _, c := range []struct {
		op, args   string
		flops, mac int
		dot        bool
	}{
		{"sdot", "v6.4s, v7.16b, v8.16b", 0, 16, true},
		{"smull2", "v3.8h, v4.16b, v5.16b", 0, 8, false},
		{"smlal", "v3.4s, v4.4h, v5.4h", 0, 4, false},
		{"fmul", "v1.4s, v2.4s, v3.4s", 4, 0, false},
		{"fmul", "s1, s2, s3", 0, 0, false},
		{"sadalp", "v16.4s, v2.8h", 0, 0, false},
	} {
		f, m, d := work(c.op, c.args)
		if f != c.flops || m != c.mac || d != c.dot {
			t.Errorf("%s %s: %d FLOP, %d MAC, dot %v; want %d, %d, %v", c.op, c.args, f, m, d, c.flops, c.mac, c.dot)
		}
	}
}
