package gofile

import (
	"bytes"
	"flag"
	"fmt"
	"log"
	"strings"

	"github.com/mmcloughlin/avo/printer"
)

var dispatch = flag.String("dispatch", "", "write the Go dispatch of the kernels to this file")

// Dispatch writes the Go dispatch of a generator's kernels to the file that
// its -dispatch flag names, if any: a generated file of package kernel,
// built where the kernels are (!purego), whose declarations write appends
// to b. It exits on failure.
func Dispatch(write func(b *bytes.Buffer)) {
	if *dispatch == "" {
		return
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "// %s\n\n//go:build !purego\n\npackage kernel\n\n", printer.NewGoRunConfig().GeneratedWarning())
	write(&b)
	if err := Write(*dispatch, b.Bytes()); err != nil {
		log.Fatal(err)
	}
}

// List returns the composite literal {name(1), name(2), ..., name(n)}: the
// kernels of 1 to n rows, in a dispatch table indexed by rows-1. A table
// keeps the dispatch one line a family where a switch took two a kernel.
func List(n int, name func(mr int) string) string {
	names := make([]string, n)
	for mr := 1; mr <= n; mr++ {
		names[mr-1] = name(mr)
	}
	return "{" + strings.Join(names, ", ") + "}"
}
