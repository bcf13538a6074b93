// Package atomicfile writes a file under a temporary name beside it and
// renames it into place once it is whole, so that a crash, a full disk or a
// failed check never leaves a half-written file under the real name.
package atomicfile

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Write calls write with a buffered writer on a new temporary file in
// path's folder, then flushes, syncs and closes the file, renames it to
// path and syncs the folder (without that a power cut can lose the rename
// although the data was synced). The file is readable by all (0644), like
// any file the user creates (a temporary file starts private). If write or
// a later step fails, the temporary file is removed and path is left as it
// was.
//
// The temporary file is named ".BASE.tmp" and the writer's process ID, "-"
// and a random number. After the rename, Write removes the temporary files
// of path that processes no longer running left (killed while writing), so
// that they do not pile up (RemoveStale).
func Write(path string, write func(w io.Writer) error) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, tempPrefix(base)+strconv.Itoa(os.Getpid())+"-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	bw := bufio.NewWriterSize(f, 1<<16)
	if err = write(bw); err != nil {
		return err
	}
	if err = bw.Flush(); err != nil {
		return err
	}
	if err = f.Chmod(0o644); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return err
	}
	if err := syncDir(dir); err != nil {
		return fmt.Errorf("%s written, but syncing its folder: %w", path, err)
	}
	RemoveStale(path)
	return nil
}

// tempPrefix is how the temporary files of a file named base start.
func tempPrefix(base string) string { return "." + base + ".tmp" }

// RemoveStale removes the temporary files that Write calls for path may
// have left when their process was killed: those named for path by a
// process that is no longer running, or by no process (the names of
// earlier versions). It reports how many it removed; errors are ignored,
// since a file left behind does no harm but take space.
func RemoveStale(path string) int {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return 0
	}
	prefix := tempPrefix(base)
	n := 0
	for _, e := range ents {
		rest, ok := strings.CutPrefix(e.Name(), prefix)
		if !ok || e.IsDir() {
			continue
		}
		// Old names end in a random number, new ones in PID-random.
		pid, random, hasPID := strings.Cut(rest, "-")
		if !digits(pid) || hasPID && !digits(random) {
			continue // another file's
		}
		if p, err := strconv.Atoi(pid); hasPID && (err != nil || p == os.Getpid() || running(p)) {
			continue // being written
		}
		if os.Remove(filepath.Join(dir, e.Name())) == nil {
			n++
		}
	}
	return n
}

func digits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}
