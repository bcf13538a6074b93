//go:build !linux

package camera

import "os"

// growPipe does nothing: only Linux can resize a pipe.
func growPipe(f *os.File, size int) {}
