//go:build !linux

package camera

import (
	"os"
	"os/exec"
)

// dieWithParent does nothing: only Linux has a parent-death signal.
func dieWithParent(cmd *exec.Cmd) {}

// growPipe does nothing: only Linux can resize a pipe.
func growPipe(f *os.File, size int) {}
