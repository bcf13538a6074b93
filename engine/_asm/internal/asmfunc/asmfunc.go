// Package asmfunc starts the assembly functions that the generators emit,
// all in the same way.
package asmfunc

import (
	"github.com/mmcloughlin/avo/attr"
	"github.com/mmcloughlin/avo/build"
	"github.com/mmcloughlin/avo/operand"
)

// Begin starts the NOSPLIT assembly function name of Go signature sig,
// documented by doc (one string a line), its Go declaration marked
// //go:noescape: without it a caller's stack buffer would move to the heap
// at every call.
func Begin(name, sig string, doc ...string) {
	build.TEXT(name, build.NOSPLIT, sig)
	build.Pragma("noescape")
	build.Doc(doc...)
}

// Data emits the read-only table name of n constants back to back, value(i)
// at index i (each taking its constant's size), and returns its first
// byte: the kernels' constants.
func Data(name string, n int, value func(i int) operand.Constant) operand.Mem {
	m := build.GLOBL(name, attr.RODATA|attr.NOPTR)
	off := 0
	for i := range n {
		v := value(i)
		build.DATA(off, v)
		off += v.Bytes()
	}
	return m
}
