// Package chromium drives a headless Chromium for the tests of edgeconv's
// web pages (the Pi's preview, the training dashboard): it loads a page
// and returns its DOM once loaded, or a screenshot.
package chromium

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// Find returns the path of a Chromium or Chrome, or "".
func Find() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// Require returns Find's Chromium, or skips t when there is none.
func Require(t testing.TB) string {
	t.Helper()
	c := Find()
	if c == "" {
		t.Skip("chromium not found (apt-get install -y chromium): the page is not tested in a browser")
	}
	return c
}

// Headless runs Chromium headless on url with extra flags (--dump-dom,
// --screenshot=FILE, ...) and returns its standard output: no sandbox,
// since CI runs as root, and no /dev/shm, which containers keep small. The
// window is 1280x1000.
func Headless(t testing.TB, chromium, url string, extra ...string) []byte {
	t.Helper()
	args := append([]string{"--headless", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + t.TempDir(), "--window-size=1280,1000"}, extra...)
	args = append(args, url)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, chromium, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %v: %v\n%s", extra, err, errb.String())
	}
	return out.Bytes()
}

// Screenshot loads url in Headless and returns the screenshot of its
// window. EDGECONV_SCREENSHOT=FILE keeps a copy of it, for a person to
// look at what a test counted the pixels of.
func Screenshot(t testing.TB, chromium, url string) image.Image {
	t.Helper()
	shot := filepath.Join(t.TempDir(), "screenshot.png")
	Headless(t, chromium, url, "--screenshot="+shot)
	data, err := os.ReadFile(shot)
	if err != nil {
		t.Fatal(err)
	}
	if keep := os.Getenv("EDGECONV_SCREENSHOT"); keep != "" {
		if err := os.WriteFile(keep, data, 0o644); err != nil {
			t.Error(err)
		}
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return img
}
