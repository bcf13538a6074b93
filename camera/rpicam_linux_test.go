//go:build linux

package camera

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestRPiCamParentKilled: kill -9 of the program that runs rpicam-vid
// kills rpicam-vid too (it stayed behind as an orphan holding the camera).
// The test binary runs itself as that program (rpicamParent), which starts
// the stand-in, takes a frame and waits; the stand-in stops writing after
// that frame, so no broken pipe would end it.
func TestRPiCamParentKilled(t *testing.T) {
	if os.Getenv("EDGECONV_RPICAM_PARENT") != "" {
		rpicamParent(t)
		return
	}
	dir := t.TempDir()
	pidfile := filepath.Join(dir, "child.pid")
	parent := exec.Command(os.Args[0], "-test.run=^TestRPiCamParentKilled$", "-test.timeout=2m")
	parent.Env = append(os.Environ(), "EDGECONV_RPICAM_PARENT="+buildFake(t), "EDGECONV_RPICAM_PIDFILE="+pidfile,
		"EDGECONV_RPICAM_FRAMES="+writeFakeFrames(t, 2, fixW, fixH))
	parent.Stderr = os.Stderr
	if err := parent.Start(); errors.Is(err, syscall.ENOEXEC) {
		// Under qemu-user (make test-arm64) the test binary is not one
		// this machine runs by itself.
		t.Skipf("the test binary cannot run itself here: %v", err)
	} else if err != nil {
		t.Fatal(err)
	}
	defer parent.Process.Kill()
	// The parent writes "ready" after the child's pid, once it has a frame.
	var child int
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		b, _ := os.ReadFile(pidfile)
		if f := strings.Fields(string(b)); len(f) == 2 && f[1] == "ready" {
			child, _ = strconv.Atoi(f[0])
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the parent never took a frame (pid file %q)", b)
		}
	}
	if processGone(child) {
		t.Fatalf("child %d gone before the parent was killed", child)
	}
	parent.Process.Signal(syscall.SIGKILL)
	parent.Wait()
	t0 := time.Now()
	for !processGone(child) {
		if time.Since(t0) > 10*time.Second {
			syscall.Kill(child, syscall.SIGKILL)
			t.Fatalf("rpicam-vid (pid %d) still running 10 s after its parent was killed", child)
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Logf("the child was gone %v after kill -9 of its parent", time.Since(t0))
}

// rpicamParent is the program of TestRPiCamParentKilled: it starts the
// stand-in (its pid into the pid file), takes a frame, writes "ready" and
// waits to be killed.
func rpicamParent(t *testing.T) {
	pidfile := os.Getenv("EDGECONV_RPICAM_PIDFILE")
	o := fakeOpts(os.Getenv("EDGECONV_RPICAM_PARENT"), "FAKERPICAM_FRAMES="+os.Getenv("EDGECONV_RPICAM_FRAMES"),
		"FAKERPICAM_STALL_AFTER=1", "FAKERPICAM_PIDFILE="+pidfile)
	c, err := NewRPiCam(o)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Capture(NewFrame(c)); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(pidfile, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("ready\n")
	f.Close()
	time.Sleep(time.Minute)
	t.Fatal("not killed")
}

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
