package gofile

import (
	"bytes"
	"flag"
	"fmt"
	"log"

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

// Switch appends to b a switch on v that calls, for each value n from max
// down to 2, call(n), and by default call(1).
func Switch(b *bytes.Buffer, v string, max int, call func(n int) string) {
	fmt.Fprintf(b, "switch %s {\n", v)
	for n := max; n > 1; n-- {
		fmt.Fprintf(b, "case %d:\n%s\n", n, call(n))
	}
	fmt.Fprintf(b, "default:\n%s\n}\n", call(1))
}
