// Package filetest holds what the tests of the model file formats (engine,
// quant) share.
package filetest

import (
	"path/filepath"
	"testing"
)

// RoundTrip writes a model with save to the file name in a temporary
// directory, reads it back with load and returns what load gave and the
// file's path, failing tb on either error.
func RoundTrip[T any](tb testing.TB, name string, save func(path string) error, load func(path string) (T, error)) (v T, path string) {
	tb.Helper()
	path = filepath.Join(tb.TempDir(), name)
	if err := save(path); err != nil {
		tb.Fatal(err)
	}
	v, err := load(path)
	if err != nil {
		tb.Fatal(err)
	}
	return v, path
}
