package main

import (
	"bytes"
	"context"
	"flag"
	"image"
	_ "image/png"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/edgeconv/edgeconv/camera"
	"github.com/edgeconv/edgeconv/internal/jsonline"
	"github.com/edgeconv/edgeconv/internal/testscenes"
)

// sceneDir returns a folder holding each scene reps times, in order.
func sceneDir(t *testing.T, reps int) string {
	t.Helper()
	dir := t.TempDir()
	for i, s := range testscenes.Load(t) {
		data, err := os.ReadFile(s.Path)
		if err != nil {
			t.Fatal(err)
		}
		for k := range reps {
			if err := os.WriteFile(filepath.Join(dir, strconv.Itoa(i)+"-"+strconv.Itoa(k)+".png"), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	return dir
}

// parseRunLines decodes run --json's lines.
func parseRunLines(t *testing.T, stdout string) []jsonline.Reading {
	t.Helper()
	return jsonline.Decode[jsonline.Reading](t, stdout)
}

// TestRunRecording runs a folder of frames, each scene 6 times: a scene's
// fused reading is reported on its 5th frame (its digits confirmed in 3,
// then the same for --stable 3), the second scene's too.
func TestRunRecording(t *testing.T) {
	dir := sceneDir(t, 6)
	code, stdout, stderr := edgeconv(t, context.Background(), "run", "--source", dir, "--listen", "off", "--json", "--float")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lines := parseRunLines(t, stdout)
	if sc := testscenes.Load(t); len(lines) != 2 || lines[0].Text != sc[0].Text || lines[1].Text != sc[1].Text {
		t.Fatalf("readings:\n%s", stdout)
	}
	if lines[0].Frame != 5 || lines[1].Frame != 11 || lines[0].Time.IsZero() || !lines[0].Confident {
		t.Errorf("first reading %+v", lines[0])
	}
	if !strings.Contains(stderr, "12 frames") {
		t.Errorf("no summary on stderr: %s", stderr)
	}

	// Text lines, and --frames.
	code, stdout, _ = edgeconv(t, context.Background(), "run", "--source", dir, "--listen", "off", "--frames", "5", "--quiet")
	if code != 0 || strings.Count(stdout, "\n") != 1 || !strings.Contains(stdout, "979 / 0236 / 2673 / 146515") {
		t.Errorf("text output (exit %d):\n%s", code, stdout)
	}
}

// TestRunVideo runs a phone-style video: the recording of TestRunRecording
// encoded as H.264 in an MP4 by ffmpeg, which run decodes through ffmpeg
// again. The readings are the same.
func TestRunVideo(t *testing.T) {
	ffmpeg, err := exec.LookPath("ffmpeg")
	if err != nil {
		if os.Getenv("EDGECONV_REQUIRE_FFMPEG") != "" {
			t.Fatal(err)
		}
		t.Skip("ffmpeg not installed")
	}
	dir := sceneDir(t, 6)
	video := filepath.Join(t.TempDir(), "sheet.mp4")
	cmd := exec.Command(ffmpeg, "-nostdin", "-loglevel", "error", "-framerate", "10", "-pattern_type", "glob",
		"-i", filepath.Join(dir, "*.png"), "-c:v", "libx264", "-crf", "16", "-pix_fmt", "yuv420p", video)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg: %v: %s", err, msg)
	}
	code, stdout, stderr := edgeconv(t, context.Background(), "run", "--source", video, "--listen", "off", "--json", "--float")
	if code != 0 || stdout == "" {
		t.Fatalf("exit %d, stdout %q: %s", code, stdout, stderr)
	}
	lines := parseRunLines(t, stdout)
	if sc := testscenes.Load(t); len(lines) != 2 || lines[0].Text != sc[0].Text || lines[1].Text != sc[1].Text {
		t.Fatalf("readings:\n%s", stdout)
	}
}

func TestRunUsage(t *testing.T) {
	ctx := context.Background()
	checkCLI(t, []cliCase{
		{[]string{"run", "extra"}, 2, "", "unexpected arguments"},
		{[]string{"run", "--stable", "0"}, 2, "", "--stable"},
		{[]string{"run", "--min-confidence", "2"}, 2, "", "--min-confidence"},
		{[]string{"run", "--min-confidence", "NaN"}, 2, "", "--min-confidence"},
		{[]string{"run", "--pprof", "0.0.0.0:6060"}, 2, "", "--pprof-remote"},
		{[]string{"run", "--pprof", ":6060"}, 2, "", "--pprof-remote"},
		{[]string{"run", "--pprof", "192.168.1.5:6060"}, 2, "", "--pprof-remote"},
		{[]string{"run", "--every-frame", "maybe"}, 2, "", "--every-frame"},
		{[]string{"run", "--i2c", "1"}, 2, "", "--i2c needs --display"},
		{[]string{"run", "--source", "nowhere.y4m", "--listen", "off"}, 1, "", "nowhere.y4m"},
		{[]string{"run", "--model", "nowhere.safetensors", "--listen", "off"}, 1, "", "nowhere.safetensors"},
		{[]string{"run", "--source", "../../camera/testdata/truncated.y4m", "--listen", "off"}, 1, "", "edgeconv: "},
		{[]string{"run", "--listen", "off", "--mqtt", "tcp://meter:pw@127.0.0.1"}, 1, "", "not in the URL"},
		{[]string{"run", "--listen", "off", "--mqtt", "http://127.0.0.1"}, 1, "", "tcp:// or ssl://"},
		{[]string{"run", "--listen", "off", "--mqtt", "tcp://127.0.0.1", "--mqtt-credentials", "nowhere.pw"}, 1, "", "nowhere.pw"},
		{[]string{"run", "--listen", "off", "--mqtt", "tcp://127.0.0.1", "--device", "a/b"}, 1, "", "device name"},
	})
	code, stdout, _ := edgeconv(t, ctx, "help", "run")
	if code != 0 || !strings.Contains(stdout, "-pprof") || !strings.Contains(stdout, "rpicam") {
		t.Errorf("help run: %d\n%s", code, stdout)
	}
}

// TestRunInterrupt: a cancelled context (SIGINT, SIGTERM) stops a live run
// cleanly with status 0.
func TestRunInterrupt(t *testing.T) {
	dir := sceneDir(t, 1)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(500*time.Millisecond, cancel)
	code, _, stderr := edgeconv(t, ctx, "run", "--source", dir+",loop,fps=20", "--listen", "127.0.0.1:0", "--pprof", "127.0.0.1:0")
	if code != 0 || !strings.Contains(stderr, "preview on http://127.0.0.1:") || !strings.Contains(stderr, "pprof on") {
		t.Errorf("exit %d\n%s", code, stderr)
	}
}

// nativeEdgeconv skips the test in -short mode (why says what it costs) and
// off Linux; otherwise it builds edgeconv for this machine into a temporary
// folder and returns the folder and the binary.
func nativeEdgeconv(t *testing.T, why string) (dir, exe string) {
	t.Helper()
	if testing.Short() {
		t.Skip(why + ": skipped in -short mode")
	}
	if runtime.GOOS != "linux" {
		t.Skip("linux only")
	}
	dir = t.TempDir()
	return dir, buildEdgeconv(t, dir, runtime.GOARCH)
}

// buildEdgeconv cross-builds the command for goarch into dir.
func buildEdgeconv(t *testing.T, dir, goarch string) string {
	t.Helper()
	exe := filepath.Join(dir, "edgeconv-"+goarch)
	cmd := exec.Command("go", "build", "-o", exe, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+goarch)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build for %s: %v\n%s", goarch, err, out)
	}
	return exe
}

// startPiped starts cmd with its standard output on the returned pipe and
// its standard error gathered in errb, and kills it at the end of the test
// if it still runs.
func startPiped(t *testing.T, cmd *exec.Cmd) (stdout io.ReadCloser, errb *bytes.Buffer) {
	t.Helper()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	errb = new(bytes.Buffer)
	cmd.Stderr = errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	return stdout, errb
}

// fakeCamera builds the stand-in for rpicam-vid and an I420 recording of
// the scenes (each reps times) for it to play.
func fakeCamera(t *testing.T, dir string, reps int) (exe, frames string) {
	t.Helper()
	exe = filepath.Join(dir, "rpicam-vid")
	hostEnv, err := exec.Command("go", "env", "GOHOSTOS", "GOHOSTARCH").Output()
	if err != nil {
		t.Fatal(err)
	}
	h := strings.Fields(string(hostEnv))
	build := exec.Command("go", "build", "-o", exe, "github.com/edgeconv/edgeconv/camera/internal/fakerpicam")
	build.Env = append(os.Environ(), "GOOS="+h[0], "GOARCH="+h[1], "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the stand-in: %v\n%s", err, out)
	}
	var imgs []*image.YCbCr
	for _, s := range testscenes.Load(t) {
		for range reps {
			imgs = append(imgs, s.Frame)
		}
	}
	var b bytes.Buffer
	if err := camera.WriteI420(&b, imgs); err != nil {
		t.Fatal(err)
	}
	frames = filepath.Join(dir, "scenes.i420")
	if err := os.WriteFile(frames, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return exe, frames
}

var peakRe = regexp.MustCompile(`peak RSS ([0-9.]+) MB`)

// runBinary runs an edgeconv binary (through qemu when given) on the
// stand-in camera and returns stdout and stderr.
func runBinary(t *testing.T, qemu, exe, cam, frames string, args ...string) (string, string) {
	t.Helper()
	argv := append([]string{exe, "run", "--source", "rpicam:640x480,exe=" + cam, "--every-frame", "true"}, args...)
	if qemu != "" {
		argv = append([]string{qemu}, argv...)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), "FAKERPICAM_FRAMES="+frames)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(argv, " "), err, errb.String())
	}
	return out.String(), errb.String()
}

// TestRunArm64MatchesAmd64 cross-builds the Pi's linux/arm64 binary, runs it
// under qemu-aarch64-static on the stand-in rpicam-vid playing recorded
// scenes, and requires the readings the native build prints: same texts,
// boxes and frames, confidences equal to 3 decimals up to float rounding
// (arm64 fuses multiply-adds).
func TestRunArm64MatchesAmd64(t *testing.T) {
	qemu, err := exec.LookPath("qemu-aarch64-static")
	if err != nil {
		t.Skip("qemu-aarch64-static not found (apt-get install -y qemu-user-static)")
	}
	dir, native := nativeEdgeconv(t, "cross-builds and emulates")
	// Each scene 6 times: fused, a scene's reading is reported on its
	// 5th frame; 24 frames give 4 readings.
	cam, frames := fakeCamera(t, dir, 6)
	arm64 := buildEdgeconv(t, dir, "arm64")
	args := []string{"--frames", "24", "--json", "--no-time", "--listen", "off"}
	for _, float := range []bool{false, true} {
		a := args
		if float {
			a = append(a, "--float")
		}
		want, _ := runBinary(t, "", native, cam, frames, a...)
		got, stderr := runBinary(t, qemu, arm64, cam, frames, a...)
		t.Logf("arm64 under qemu: %s", lastLine(stderr))
		wl, gl := parseRunLines(t, want), parseRunLines(t, got)
		if sc := testscenes.Load(t); len(wl) != 4 || wl[0].Text != sc[0].Text || wl[1].Text != sc[1].Text {
			t.Fatalf("native readings:\n%s", want)
		}
		if got == want {
			t.Logf("float %v: arm64 and %s printed the same %d readings, byte for byte", float, runtime.GOARCH, len(wl))
			continue
		}
		t.Logf("float %v: the outputs differ in bytes; comparing with a tolerance on confidences", float)
		if len(gl) != len(wl) {
			t.Fatalf("float %v: arm64 printed\n%s\namd64 printed\n%s", float, got, want)
		}
		for i := range wl {
			w, g := wl[i], gl[i]
			same := w.Text == g.Text && w.Frame == g.Frame && len(w.Digits) == len(g.Digits)
			for k := 0; same && k < len(w.Digits); k++ {
				same = w.Digits[k].Digit == g.Digits[k].Digit && w.Digits[k].Box == g.Digits[k].Box &&
					math.Abs(w.Digits[k].Confidence-g.Digits[k].Confidence) <= 0.0015
			}
			if !same {
				t.Errorf("float %v, reading %d: arm64 %+v, amd64 %+v", float, i, g, w)
			}
		}
	}
}

func lastLine(s string) string {
	s = strings.TrimSpace(s)
	return s[strings.LastIndexByte(s, '\n')+1:]
}

// TestRunPeakMemory runs the binary on the stand-in camera with the web
// preview on and reads its peak resident memory (VmHWM): the Pi budget is
// 40 MB.
func TestRunPeakMemory(t *testing.T) {
	if _, err := os.Stat("/proc/self/status"); err != nil {
		t.Skip("no /proc")
	}
	dir, exe := nativeEdgeconv(t, "builds the binary")
	cam, frames := fakeCamera(t, dir, 4)
	_, stderr := runBinary(t, "", exe, cam, frames, "--frames", "120", "--listen", "127.0.0.1:0", "--every-frame", "false")
	m := peakRe.FindStringSubmatch(stderr)
	if m == nil {
		t.Fatalf("no peak RSS in\n%s", stderr)
	}
	mb, _ := strconv.ParseFloat(m[1], 64)
	t.Logf("%s", lastLine(stderr))
	if mb >= 40 {
		t.Errorf("peak RSS %.1f MB, want < 40", mb)
	}
}

// TestDeployUnit checks deploy/edgeconv.service: the service user's groups,
// the restart policy, and that its default flags are ones run accepts; and,
// where systemd is installed, that systemd-analyze accepts the unit.
func TestDeployUnit(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "deploy", "edgeconv.service"))
	if err != nil {
		t.Fatal(err)
	}
	unit := string(data)
	for _, want := range []string{"User=edgeconv", "SupplementaryGroups=video gpio i2c", "Restart=on-failure",
		"ExecStart=/usr/local/bin/edgeconv run $EDGECONV_ARGS", "ExecReload=/bin/kill -HUP $MAINPID", "WantedBy=multi-user.target"} {
		if !strings.Contains(unit, "\n"+want+"\n") {
			t.Errorf("the unit has no line %q", want)
		}
	}
	m := regexp.MustCompile(`\nEnvironment="EDGECONV_ARGS=([^"]*)"\n`).FindStringSubmatch(unit)
	if m == nil {
		t.Fatal("no default EDGECONV_ARGS")
	}
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	lookup("run").SetFlags(fs)
	if err := fs.Parse(strings.Fields(m[1])); err != nil || fs.NArg() != 0 {
		t.Errorf("default flags %q: %v %q", m[1], err, fs.Args())
	}
	if sa, err := exec.LookPath("systemd-analyze"); err == nil {
		dir := t.TempDir()
		p := filepath.Join(dir, "edgeconv.service")
		os.WriteFile(p, []byte(strings.ReplaceAll(unit, "/usr/local/bin/edgeconv", "/bin/true")), 0o644)
		if out, err := exec.Command(sa, "verify", p).CombinedOutput(); err != nil {
			t.Errorf("systemd-analyze verify: %v\n%s", err, out)
		}
	}
	if out, err := exec.Command("sh", "-n", filepath.Join("..", "..", "deploy", "install.sh")).CombinedOutput(); err != nil {
		t.Errorf("deploy/install.sh: %v\n%s", err, out)
	}
}

// TestRunSIGTERM: the binary on the stand-in camera stops on SIGTERM as
// systemd stops it: exit 0, the CPU profile written, the camera program
// gone.
func TestRunSIGTERM(t *testing.T) {
	dir, exe := nativeEdgeconv(t, "builds the binary")
	cam, frames := fakeCamera(t, dir, 4)
	pidfile := filepath.Join(dir, "camera.pid")
	prof := filepath.Join(dir, "prof")
	cmd := exec.Command(exe, "run", "--source", "rpicam:640x480@30,exe="+cam, "--json", "--listen", "127.0.0.1:0",
		"--profile", "cpu", "--profile-dir", prof)
	cmd.Env = append(os.Environ(), "FAKERPICAM_FRAMES="+frames, "FAKERPICAM_PIDFILE="+pidfile)
	stdout, errb := startPiped(t, cmd)
	// Wait for the first reading.
	first := make(chan string, 1)
	go func() {
		buf := make([]byte, 1<<16)
		n, _ := stdout.Read(buf)
		first <- string(buf[:n])
		io.Copy(io.Discard, stdout)
	}()
	select {
	case line := <-first:
		if !strings.Contains(line, `"text"`) {
			t.Errorf("first output %q", line)
		}
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("no reading in 30 s:\n%s", errb.String())
	}
	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("exit after SIGTERM: %v\n%s", err, errb.String())
		}
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("still running 10 s after SIGTERM:\n%s", errb.String())
	}
	if fi, err := os.Stat(filepath.Join(prof, "cpu.pprof")); err != nil || fi.Size() == 0 {
		t.Errorf("no CPU profile after SIGTERM: %v", err)
	}
	pids, _ := os.ReadFile(pidfile)
	for _, p := range strings.Fields(string(pids)) {
		pid, _ := strconv.Atoi(p)
		if pid > 0 && syscall.Kill(pid, 0) == nil {
			t.Errorf("the camera program (pid %d) outlived edgeconv", pid)
		}
	}
}
