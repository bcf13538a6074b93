// Package asmfunc starts the assembly functions that the generators emit,
// all in the same way.
package asmfunc

import "github.com/mmcloughlin/avo/build"

// Begin starts the NOSPLIT assembly function name of Go signature sig,
// documented by doc (one string a line), its Go declaration marked
// //go:noescape: without it a caller's stack buffer would move to the heap
// at every call.
func Begin(name, sig string, doc ...string) {
	build.TEXT(name, build.NOSPLIT, sig)
	build.Pragma("noescape")
	build.Doc(doc...)
}
