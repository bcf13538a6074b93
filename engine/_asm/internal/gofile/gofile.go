// Package gofile writes the Go files the generators emit beside their
// assembly: gofmt'd, to a temporary name renamed over the target.
package gofile

import (
	"fmt"
	"go/format"
	"os"
	"path/filepath"
)

// Write formats src as Go source and writes it to path through a temporary
// file in the same folder, renamed when complete.
func Write(path string, src []byte) error {
	src, err := format.Source(src)
	if err != nil {
		return fmt.Errorf("formatting %s: %v", filepath.Base(path), err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".gofile-*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(src); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), path)
}
