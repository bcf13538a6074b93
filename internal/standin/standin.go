// Package standin builds stand-ins for the external programs edgeconv drives,
// for tests that want a real subprocess protocol without the hardware.
package standin

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// RPiCam compiles camera/internal/fakerpicam, a stand-in for
// rpicam-vid that speaks its stdout protocol from recorded frames, into a
// temporary folder of tb as "rpicam-vid" and returns its path.
//
// The stand-in plays an external program, so it is built for the machine
// that runs the go command (GOHOSTOS/GOHOSTARCH), not for the test's target:
// an arm64 test running under qemu-user then starts it natively, without
// binfmt_misc.
func RPiCam(tb testing.TB) string {
	tb.Helper()
	host, err := exec.Command("go", "env", "GOHOSTOS", "GOHOSTARCH").Output()
	if err != nil {
		tb.Fatalf("go env: %v", err)
	}
	f := strings.Fields(string(host))
	if len(f) != 2 {
		tb.Fatalf("go env GOHOSTOS GOHOSTARCH printed %q", host)
	}
	exe := filepath.Join(tb.TempDir(), "rpicam-vid")
	cmd := exec.Command("go", "build", "-o", exe, "github.com/edgeconv/edgeconv/camera/internal/fakerpicam")
	cmd.Env = append(os.Environ(), "GOOS="+f[0], "GOARCH="+f[1], "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("building the rpicam-vid stand-in: %v\n%s", err, out)
	}
	return exe
}
