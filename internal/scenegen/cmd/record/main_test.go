package main

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRecord writes a recording of a small photo and checks its size; bad
// arguments are usage errors.
func TestRecord(t *testing.T) {
	dir := t.TempDir()
	img := image.NewRGBA(image.Rect(0, 0, 40, 30))
	for i := range img.Pix {
		img.Pix[i] = 200
	}
	photo := filepath.Join(dir, "sheet.png")
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(photo, b.Bytes(), 0o644)
	out := filepath.Join(dir, "rec.y4m")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"-photo", photo, "-out", out, "-frames", "3"}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	header := "YUV4MPEG2 W640 H480 F30:1 Ip A1:1 C420jpeg\n"
	if want := len(header) + 3*(len("FRAME\n")+640*480*3/2); len(data) != want || !strings.HasPrefix(string(data), header) {
		t.Errorf("recording of %d bytes starting %.50q, want %d", len(data), data, want)
	}
	for _, args := range [][]string{
		{"-out", out},
		{"-photo", photo, "-scene", "-out", out},
		{"-photo", photo},
		{"-photo", photo, "-out", out, "-frames", "0"},
		{"-photo", photo, "-out", out, "-shake", "0"},
		{"-photo", photo, "-out", out, "-turn", "-3"},
		{"-photo", photo, "-out", out, "-table", "170,170"},
		{"-photo", photo, "-out", out, "-table", "170,170,256"},
		{"-photo", photo, "-out", out, "-table", "170,170,165,1"},
	} {
		if code := run(args, &stdout, &stderr); code != 2 {
			t.Errorf("%q: exit %d, want 2", args, code)
		}
	}
	if code := run([]string{"-photo", filepath.Join(dir, "none.png"), "-out", out}, &stdout, &stderr); code != 1 {
		t.Errorf("missing photo: exit %d, want 1", code)
	}
	if code := run([]string{"-photo", photo, "-next", filepath.Join(dir, "none.png"), "-out", out}, &stdout, &stderr); code != 1 {
		t.Errorf("missing second photo: exit %d, want 1", code)
	}
	// The stresses: a second sheet, a shakier hand, a finger resting, a
	// grey desk.
	if code := run([]string{"-photo", photo, "-next", photo, "-shake", "3", "-turn", "20", "-cover", "-table", "170, 170, 165", "-out", out, "-frames", "3"}, &stdout, &stderr); code != 0 {
		t.Fatalf("stressed: exit %d: %s", code, stderr.String())
	}
}
