//go:build linux

package camera

import (
	"syscall"
	"testing"
)

// TestRPiCamPipeSize checks that the pipe holds a whole frame.
func TestRPiCamPipeSize(t *testing.T) {
	exe := buildFake(t)
	o := fakeOpts(exe, "FAKERPICAM_FRAMES="+writeFakeFrames(t, 1, 640, 480))
	o.Width, o.Height = 640, 480
	c := openFake(t, o)
	if err := c.Capture(NewFrame(c)); err != nil {
		t.Fatal(err)
	}
	c.mu.Lock()
	rc, err := c.child.out.SyscallConn()
	c.mu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	var size uintptr
	rc.Control(func(fd uintptr) {
		size, _, _ = syscall.Syscall(syscall.SYS_FCNTL, fd, 1032 /* F_GETPIPE_SZ */, 0)
	})
	if int(size) < c.lay.frameSize() {
		t.Fatalf("pipe holds %d bytes, a frame is %d", size, c.lay.frameSize())
	}
}
