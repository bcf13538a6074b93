//go:build unix

package atomicfile

import (
	"errors"
	"os"
	"syscall"
)

// syncDir flushes the directory entry of a file just renamed into dir to
// the disk: without it a power cut can lose the rename although the file's
// data was synced.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) {
		// EINVAL: the file system cannot sync a directory (some network
		// and FUSE file systems); there is nothing more to do.
		return err
	}
	return nil
}

// running reports whether a process with this ID exists.
func running(pid int) bool {
	if pid <= 0 {
		return false
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
