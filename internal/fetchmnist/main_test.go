package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/edgeconv/edgeconv/train"
)

// realDir is where `make data` puts the files, seen from this package.
var realDir = filepath.Join("..", "..", train.MNISTDir)

// requireReal skips the test unless the real MNIST files are present.
func requireReal(t *testing.T) {
	t.Helper()
	if err := train.VerifyMNIST(realDir); err != nil {
		if errors.Is(err, train.ErrNoData) {
			t.Skipf("no MNIST data in %s (run `make data`)", realDir)
		}
		t.Fatal(err)
	}
}

// from returns a srcDir function that returns dir and counts its calls.
func from(dir string, calls *int) func() (string, error) {
	return func() (string, error) { *calls++; return dir, nil }
}

// listDir returns the names in dir.
func listDir(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func TestFetch(t *testing.T) {
	requireReal(t)
	dir := filepath.Join(t.TempDir(), "a", "mnist") // created by fetch

	// A fresh directory: all four copied, the source asked for once.
	var out bytes.Buffer
	calls := 0
	if err := fetch(&out, dir, from(realDir, &calls)); err != nil {
		t.Fatal(err)
	}
	if calls != 1 {
		t.Errorf("source directory asked for %d times, want 1", calls)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 4 {
		t.Fatalf("output has %d lines, want 4:\n%s", len(lines), out.String())
	}
	for i, f := range train.MNISTFiles {
		if want := filepath.Join(dir, f.Name) + ": ok, copied"; lines[i] != want {
			t.Errorf("line %d = %q, want %q", i, lines[i], want)
		}
	}
	if err := train.VerifyMNIST(dir); err != nil {
		t.Fatal(err)
	}
	if got := listDir(t, dir); len(got) != 4 {
		t.Errorf("directory holds %v, want just the four files", got)
	}

	// Everything present: nothing downloaded, nothing written.
	out.Reset()
	calls = 0
	if err := fetch(&out, dir, from("/nonexistent", &calls)); err != nil {
		t.Fatal(err)
	}
	if calls != 0 || strings.Count(out.String(), "ok, already present\n") != 4 {
		t.Errorf("with all files present: %d source calls, output\n%s", calls, out.String())
	}

	// One file damaged, one missing: both replaced, the others left alone.
	damaged := filepath.Join(dir, train.MNISTFiles[0].Name)
	if err := os.WriteFile(damaged, []byte("damaged"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, train.MNISTFiles[3].Name)); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := fetch(&out, dir, from(realDir, &calls)); err != nil {
		t.Fatal(err)
	}
	want := []string{"ok, replaced a file with the wrong sha256", "ok, already present", "ok, already present", "ok, copied"}
	lines = strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	for i, w := range want {
		if i >= len(lines) || !strings.HasSuffix(lines[i], w) {
			t.Errorf("output line %d: want suffix %q in\n%s", i, w, out.String())
		}
	}
	if err := train.VerifyMNIST(dir); err != nil {
		t.Fatal(err)
	}
}

// TestFetchBadSource checks that a source file with the wrong checksum is a
// clear error, leaves the target unchanged and leaves no temporary file.
func TestFetchBadSource(t *testing.T) {
	src, dir := t.TempDir(), t.TempDir()
	for _, f := range train.MNISTFiles {
		if err := os.WriteFile(filepath.Join(src, f.Name), []byte("not mnist: "+f.Name), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	old := filepath.Join(dir, train.MNISTFiles[0].Name)
	if err := os.WriteFile(old, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	calls := 0
	err := fetch(&out, dir, from(src, &calls))
	if err == nil {
		t.Fatal("no error for a source with wrong checksums")
	}
	for _, w := range []string{filepath.Join(src, train.MNISTFiles[0].Name), "want " + train.MNISTFiles[0].SHA256, "not installed"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not contain %q", err, w)
		}
	}
	if b, _ := os.ReadFile(old); string(b) != "old" {
		t.Errorf("target file changed to %q", b)
	}
	if got := listDir(t, dir); len(got) != 1 {
		t.Errorf("directory holds %v, want just the old file", got)
	}
}

// TestFetchMissingSource checks that a source without the files fails.
func TestFetchMissingSource(t *testing.T) {
	dir := t.TempDir()
	calls := 0
	err := fetch(&bytes.Buffer{}, dir, from(filepath.Join(dir, "nowhere"), &calls))
	if err == nil || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("error %v, want one wrapping os.ErrNotExist", err)
	}
	if got := listDir(t, dir); len(got) != 0 {
		t.Errorf("directory holds %v, want nothing", got)
	}
}

// TestModuleDataDir runs `go mod download` for real (from the module cache
// when `make data` has run) and checks the files there.
func TestModuleDataDir(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command; skipped with -short")
	}
	src, err := moduleDataDir("go")
	if err != nil {
		t.Fatal(err)
	}
	if err := train.VerifyMNIST(src); err != nil {
		t.Fatal(err)
	}
}
