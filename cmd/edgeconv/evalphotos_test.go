package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/edgeconv/edgeconv/internal/score"
	"github.com/edgeconv/edgeconv/internal/testscenes"
)

// photoFolder lays out a folder of labelled photos from the firmware's
// test scenes: one in a subfolder, one labelled with a digit changed, one
// dropped and one added, and a photo that is not there.
func photoFolder(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	for i, s := range testscenes.Load(t) {
		data, err := os.ReadFile(s.Path)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(s.Path)
		if i == 1 {
			name = filepath.Join("sub", name)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// scene00 reads 979 0236 2673 146515: its label has a 5 for the first
	// 9 (misread), no 0 (spurious) and one more 1 at the end (missed).
	labels := "file\tdigits\tnotes\n" +
		"scene00.png\t579236267314651511\tchanged\n" +
		"sub/scene03.png\t69959351900603723424890\tas read\n"
	if err := os.WriteFile(filepath.Join(dir, "LABELS.tsv"), []byte(labels), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestEvalPhotos scores read's readings of labelled photos.
func TestEvalPhotos(t *testing.T) {
	dir := photoFolder(t)
	ctx := context.Background()
	rep := edgeconvJSON[photosReport](t, ctx, "eval", "--photos", dir, "--json")
	if len(rep.Photos) != 2 || rep.Failed != 0 {
		t.Fatalf("%+v", rep)
	}
	p := rep.Photos[0]
	if p.Text != "979\n0236\n2673\n146515" {
		t.Fatalf("scene00 read %q; the scene changed?", p.Text)
	}
	if p.Right != 15 || p.Misread != 1 || p.Missed != 2 || p.Spurious != 1 || p.Labelled != 18 || p.Read != 17 {
		t.Errorf("scene00 scored %+v", p.Counts)
	}
	if a := p.Alignment; a.Want != "579 -236 2673 14651511" || a.Got != "979 0236 2673 146515--" || a.Marks != "x== +=== ==== ======--" {
		t.Errorf("scene00 aligned as %+v", a)
	}
	if q := rep.Photos[1]; q.File != "sub/scene03.png" || q.Right != 23 || q.Labelled != 23 || q.Accuracy != 1 {
		t.Errorf("scene03 scored %+v", q)
	}
	if rep.Total.Right != 38 || rep.Total.Labelled != 41 || rep.Model != "embedded:model/default.safetensors" {
		t.Errorf("totals %+v, model %s", rep.Total, rep.Model)
	}

	// The text: the alignment with marks under the wrong digits, totals.
	code, stdout, _ := edgeconv(t, ctx, "eval", "--photos", dir)
	for _, want := range []string{
		"scene00.png: 15 of 18 digits right (83.33%), 1 misread, 2 missed, 1 spurious",
		"  label  579 -236 2673 14651511\n  read   979 0236 2673 146515--\n         x   +               --\n",
		"sub/scene03.png: 23 of 23 digits right (100.00%)",
		"total, 2 photos: 38 of 41 digits right (92.68%), 1 misread, 2 missed, 1 spurious",
	} {
		if code != 0 || !strings.Contains(stdout, want) {
			t.Errorf("exit %d; no %q in\n%s", code, want, stdout)
		}
	}

	// A photo that is missing is reported and fails the command after the
	// others are scored; bad labels are an error.
	os.WriteFile(filepath.Join(dir, "LABELS.tsv"), []byte("file\tdigits\nscene00.png\t979\nnone.png\t1\n"), 0o644)
	code, stdout, stderr := edgeconv(t, ctx, "eval", "--photos", dir)
	if code != 1 || !strings.Contains(stdout, "total, 1 photos") || !strings.Contains(stderr, "none.png") ||
		!strings.Contains(stderr, "1 of 2 photos could not be read") {
		t.Errorf("missing photo: exit %d\n%s\n%s", code, stdout, stderr)
	}
	os.WriteFile(filepath.Join(dir, "LABELS.tsv"), []byte("file\tdigits\nscene00.png\t97x\n"), 0o644)
	code, _, stderr = edgeconv(t, ctx, "eval", "--photos", dir)
	if code != 1 || !strings.Contains(stderr, "line 2") {
		t.Errorf("bad label: exit %d: %s", code, stderr)
	}
	// A folder without labels: what they are, and how to read it without.
	code, _, stderr = edgeconv(t, ctx, "eval", "--photos", t.TempDir())
	if code != 1 || !strings.Contains(stderr, "no LABELS.tsv in it") || !strings.Contains(stderr, "edgeconv read") {
		t.Errorf("a folder without labels: exit %d: %s", code, stderr)
	}
}

// TestEvalSharedPhotos scores the development photos, shared/photos and
// shared/photos2, when they are beside the repository: every labelled
// digit is counted once. It reports the figures; the accuracy targets are
// extract's tests.
func TestEvalSharedPhotos(t *testing.T) {
	for _, name := range []string{"photos", "photos2"} {
		t.Run(name, func(t *testing.T) {
			dir := sharedDir(t, name)
			labels, err := score.ReadLabels(dir)
			if err != nil {
				t.Fatal(err)
			}
			want := 0
			for _, l := range labels {
				want += len(l.Digits)
			}
			rep := edgeconvJSON[photosReport](t, context.Background(), "eval", "--photos", dir, "--json")
			t.Logf("%s, %d photos: %v", name, len(rep.Photos), rep.Total)
			c := rep.Total
			if len(rep.Photos) != len(labels) || c.Labelled != want || c.Right+c.Misread+c.Missed != want {
				t.Errorf("%d photos, %d digits labelled; scored %d photos, %+v", len(labels), want, len(rep.Photos), c)
			}
		})
	}
}
