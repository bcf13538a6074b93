package main

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"

	"github.com/edgeconv/edgeconv/engine/_asm/internal/gofile"
)

// args is the argument list every microkernel takes (signature).
const args = "k, segs, a, rsa, csa, segStep, b, rsb, c, ldc, nr, load, epi"

// writeDispatch writes the Go side of the kernels' dispatch (gofile.Dispatch):
// the geometries the blocked driver tiles with (sgemmShapes, widest first)
// and sgemmTile, which calls the kernel of a width and row count.
func writeDispatch(b *bytes.Buffer) {
	byWidth := slices.Clone(families)
	slices.SortStableFunc(byWidth, func(x, y family) int { return cmp.Compare(y.w, x.w) })
	b.WriteString(`// sgemmShapes are the AVX2 microkernel geometries, widest first: w
// columns and up to mr rows, as many as fit the 16 YMM registers (the
// accumulators, the B vectors, a broadcast register and, for maskB, a load
// mask). The exact kernels, where rows share registers so that no lane is
// idle, only do exactly w columns.
var sgemmShapes = [...]sgemmShape{
`)
	for _, f := range byWidth {
		fmt.Fprintf(b, "\t{w: %d, mr: %d", f.w, f.maxRows)
		if f.maskB {
			b.WriteString(", maskB: true")
		}
		if f.exact {
			b.WriteString(", exact: true")
		}
		b.WriteString("},\n")
	}
	b.WriteString(`}

// sgemmKernel is the signature of the AVX2 microkernels
// (see sgemm_stubs_amd64.go).
type sgemmKernel func(k, segs int, a *float32, rsa, csa, segStep int, b *float32, rsb int, c *float32, ldc, nr int, load bool, epi int)

// sgemmKernelsAVX2[w][mr-1] is the mr×w microkernel.
var sgemmKernelsAVX2 = [...][]sgemmKernel{
`)
	for _, f := range byWidth {
		fmt.Fprintf(b, "\t%d: %s,\n", f.w, gofile.List(f.maxRows, func(mr int) string { return kernelName(mr, f.w) }))
	}
	b.WriteString(`}

// sgemmTile runs the mr×w microkernel on segs segments of k steps, then
// the epilogue epi (segs = 1 and epi = 0 outside SgemmPackedWindows); the
// Go tile when the AVX2 kernels are switched off.
func sgemmTile(w, mr, k, segs int, a *float32, rsa, csa, segStep int, b *float32, rsb int, c *float32, ldc, nr int, load bool, epi int) {
	if !useAVX2 {
		sgemmTileGo(mr, k, segs, a, rsa, csa, segStep, b, rsb, c, ldc, nr, load, epi)
		return
	}
	sgemmKernelsAVX2[w][mr-1](` + args + `)
}
`)
	b.WriteString(`
// sgemvSparseSets returns how many accumulator sets the one-row kernel of
// width w splits k over, when it has a sparse twin (sgemvSparseTile), and 0
// otherwise.
func sgemvSparseSets(w int) int {
	switch w {
`)
	for _, w := range sparseWidths {
		fmt.Fprintf(b, "\tcase %d:\n\t\treturn %d\n", w, setsOf(1, w))
	}
	b.WriteString(`	}
	return 0
}

// sgemvSparseTile runs the sparse twin of the one-row kernel of width w
// (see sgemm_stubs_amd64.go), one that sgemvSparseSets gives a set count.
func sgemvSparseTile(w, steps int, xs *float32, offs *int64, b, c *float32, nr int, load bool) {
	switch w {
`)
	for _, w := range sparseWidths {
		fmt.Fprintf(b, "\tcase %d:\n\t\t%s(steps, xs, offs, b, c, nr, load)\n", w, sparseName(w))
	}
	b.WriteString("\t}\n}\n")
}
