package scenegen

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// writeIDX writes an IDX file of unsigned bytes, gzip-compressed.
func writeIDX(t *testing.T, path string, magic uint32, dims []uint32, data []byte) {
	var buf bytes.Buffer
	z := gzip.NewWriter(&buf)
	binary.Write(z, binary.BigEndian, magic)
	for _, d := range dims {
		binary.Write(z, binary.BigEndian, d)
	}
	z.Write(data)
	z.Close()
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// fakeMNIST returns n synthetic 28x28 digits: bars and rings of varied
// width, labelled 1 and 0.
func fakeMNIST(n int) *MNIST {
	m := &MNIST{N: n, Images: make([]uint8, n*784), Labels: make([]uint8, n)}
	for i := 0; i < n; i++ {
		img := m.Image(i)
		ring := i%2 == 0
		for y := 4; y < 24; y++ {
			for x := 4; x < 24; x++ {
				var on bool
				if ring {
					r := math.Hypot(float64(x)-13.5, float64(y)-13.5)
					on = r > 6 && r < 9+float64(i%3)
				} else {
					on = x >= 12 && x < 15+i%3
				}
				if on {
					img[y*28+x] = 255
				}
			}
		}
		if !ring {
			m.Labels[i] = 1
		}
	}
	return m
}

func TestLoadIDX(t *testing.T) {
	dir := t.TempDir()
	m := fakeMNIST(3)
	writeIDX(t, filepath.Join(dir, TestImages), 0x803, []uint32{3, 28, 28}, m.Images)
	writeIDX(t, filepath.Join(dir, TestLabels), 0x801, []uint32{3}, m.Labels)
	got, err := LoadTest(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got.N != 3 || !bytes.Equal(got.Images, m.Images) || !bytes.Equal(got.Labels, m.Labels) {
		t.Errorf("LoadTest returned %d images, labels %v; want 3, %v", got.N, got.Labels, m.Labels)
	}
	// A wrong magic number and a missing file are errors.
	writeIDX(t, filepath.Join(dir, TestLabels), 0x803, []uint32{3}, m.Labels)
	if _, err := LoadTest(dir); err == nil {
		t.Error("LoadTest accepted labels with an image magic number")
	}
	if _, err := LoadTest(t.TempDir()); err == nil {
		t.Error("LoadTest of an empty directory succeeded")
	}
}

func TestHomographyInverse(t *testing.T) {
	h := pageToFrame(320, 240, 0.15, 0.0003, -0.0002)
	inv := h.inverse()
	for _, p := range [][2]float64{{0, 0}, {639, 0}, {320, 240}, {17, 455}} {
		x, y := h.apply(p[0], p[1])
		bx, by := inv.apply(x, y)
		if math.Abs(bx-p[0]) > 1e-6 || math.Abs(by-p[1]) > 1e-6 {
			t.Errorf("inverse(h(%v)) = (%v, %v)", p, bx, by)
		}
	}
}

func TestGenerate(t *testing.T) {
	m := fakeMNIST(20)
	p := Hard(320, 240)
	p.MinDigitH, p.MaxDigitH = 20, 30
	a := Generate(rand.New(rand.NewPCG(1, 2)), m, p)
	b := Generate(rand.New(rand.NewPCG(1, 2)), m, p)
	if !bytes.Equal(a.Gray.Pix, b.Gray.Pix) || a.Text != b.Text {
		t.Fatal("Generate is not deterministic for a fixed seed")
	}
	if len(a.Digits) == 0 {
		t.Fatal("no digits")
	}
	lines := 0
	for _, d := range a.Digits {
		r := d.Rect()
		if !r.In(a.Gray.Rect) || r.Dx() < 2 || r.Dy() < 10 {
			t.Errorf("digit box %v out of the frame or too small", r)
		}
		if d.Digit != int(m.Labels[d.Index]) {
			t.Errorf("digit %d from image %d labelled %d", d.Digit, d.Index, m.Labels[d.Index])
		}
		lines = max(lines, d.Line+1)
	}
	if n := len(bytes.Split([]byte(a.Text), []byte("\n"))); n != lines {
		t.Errorf("text has %d lines, digits %d", n, lines)
	}
}
