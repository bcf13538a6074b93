//go:build linux

package camera

import (
	"os"
	"os/exec"
	"syscall"
)

// dieWithParent has the kernel kill rpicam-vid when the process that
// started it dies, however it dies (kill -9, the out-of-memory killer): an
// orphan would go on holding the camera, and the restarted program could
// not open it. The signal is tied to the thread that started the child,
// and Go keeps its threads alive unless a goroutine locked to one exits,
// which nothing here does.
func dieWithParent(cmd *exec.Cmd) {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Pdeathsig = syscall.SIGKILL
}

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
