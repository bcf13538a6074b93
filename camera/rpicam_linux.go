//go:build linux

package camera

import (
	"os"
	"syscall"
)

// fSetPipeSz is F_SETPIPE_SZ from <fcntl.h> (Linux 2.6.35 and later).
const fSetPipeSz = 1031

// growPipe asks for a pipe buffer that holds a whole frame, so that
// rpicam-vid writes a frame in one go and Capture reads it in few system
// calls. The default is 64 KiB; an unprivileged process may go up to
// /proc/sys/fs/pipe-max-size (1 MiB by default). Failure is harmless.
func growPipe(f *os.File, size int) {
	rc, err := f.SyscallConn()
	if err != nil {
		return
	}
	size = min(size, 1<<20)
	rc.Control(func(fd uintptr) {
		syscall.Syscall(syscall.SYS_FCNTL, fd, fSetPipeSz, uintptr(size))
	})
}
