package main

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/parser"
	"go/token"
	"go/types"
	"sync"
)

// requantSource is the Go file that defines the layout of a requantisation
// panel (kernel.requantPanel): the Go code fills the panels by it and the
// epilogue reads them by it, so the generator takes the offsets from there
// rather than keep a copy that could drift.
const requantSource = "../../kernel/requant_int8.go"

// requantLayoutEnd is the last constant of requantSource's block of panel
// offsets (in int32s), the name by which the generator finds the block.
const requantLayoutEnd = "requantPanelLen"

// requantPanel holds the byte offsets of requantSource's panel vectors by
// name, read once.
var requantPanel = sync.OnceValue(func() map[string]int {
	offs, err := readRequantPanel(requantSource)
	if err != nil {
		panic(err)
	}
	return offs
})

// requantOffset is the byte offset in a requantisation panel of the vector
// named vector (rqBias, rqMult, ...) in requantSource.
func requantOffset(vector string) int {
	off, ok := requantPanel()[vector]
	if !ok {
		panic(fmt.Sprintf("%s: no requantisation vector %s", requantSource, vector))
	}
	return off
}

// readRequantPanel evaluates the constant block of the Go file path that
// names requantLayoutEnd, type-checked on its own (the block is constant
// expressions of iota), and returns its constants as byte offsets (4 bytes
// an int32).
func readRequantPanel(path string) (map[string]int, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	for _, decl := range f.Decls {
		gen, ok := decl.(*ast.GenDecl)
		if !ok || gen.Tok != token.CONST || !declares(gen, requantLayoutEnd) {
			continue
		}
		alone := &ast.File{Name: f.Name, Decls: []ast.Decl{gen}}
		pkg, err := new(types.Config).Check(f.Name.Name, fset, []*ast.File{alone}, nil)
		if err != nil {
			return nil, err
		}
		offs := map[string]int{}
		for _, name := range pkg.Scope().Names() {
			v, ok := constant.Int64Val(pkg.Scope().Lookup(name).(*types.Const).Val())
			if !ok {
				return nil, fmt.Errorf("%s: %s is not an integer", path, name)
			}
			offs[name] = 4 * int(v)
		}
		return offs, nil
	}
	return nil, fmt.Errorf("%s: no constant block names %s", path, requantLayoutEnd)
}

// declares reports whether the declaration gen names name.
func declares(gen *ast.GenDecl, name string) bool {
	for _, spec := range gen.Specs {
		for _, id := range spec.(*ast.ValueSpec).Names {
			if id.Name == name {
				return true
			}
		}
	}
	return false
}
