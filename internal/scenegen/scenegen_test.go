package scenegen

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
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

// TestConditions renders every condition twice from one seed: the same
// scene both times, digits inside the frame, the text in reading order
// matching the digits, and the YCbCr frame's Y plane equal to Gray.
func TestConditions(t *testing.T) {
	m := fakeMNIST(40)
	for _, c := range Conditions {
		for seed := uint64(1); seed <= 3; seed++ {
			a := c.Render(rand.New(rand.NewPCG(seed, 9)), m, 320, 240)
			b := c.Render(rand.New(rand.NewPCG(seed, 9)), m, 320, 240)
			if !bytes.Equal(a.YCbCr.Y, b.YCbCr.Y) || !bytes.Equal(a.YCbCr.Cr, b.YCbCr.Cr) || a.Text != b.Text {
				t.Fatalf("%s: not deterministic", c.Name)
			}
			if a.Info.Condition != c.Name || a.YCbCr.SubsampleRatio != image.YCbCrSubsampleRatio420 {
				t.Errorf("%s: info %+v, subsampling %v", c.Name, a.Info, a.YCbCr.SubsampleRatio)
			}
			if a.Want() != strings.ReplaceAll(a.Text, "\n", "") || len(a.Want()) != len(a.Digits) {
				t.Errorf("%s: text %q for %d digits", c.Name, a.Text, len(a.Digits))
			}
			for i, d := range a.Digits {
				if !d.Rect().In(a.Gray.Rect) || d.Rect().Empty() || a.Want()[i] != byte('0'+d.Digit) {
					t.Errorf("%s: digit %d (%d) at %v in a %v frame", c.Name, i, d.Digit, d.Rect(), a.Gray.Rect)
				}
			}
			r := a.Gray.Rect
			for y := 0; y < r.Dy(); y++ {
				if !bytes.Equal(a.Gray.Pix[y*a.Gray.Stride:y*a.Gray.Stride+r.Dx()], a.YCbCr.Y[y*a.YCbCr.YStride:y*a.YCbCr.YStride+r.Dx()]) {
					t.Fatalf("%s: Y plane and Gray differ in row %d", c.Name, y)
				}
			}
		}
		if c.Name == "crop" {
			sc := c.Render(rand.New(rand.NewPCG(5, 9)), m, 640, 480)
			if h := sc.Gray.Rect.Dy(); h < 40 || h > 80 || len(sc.Digits) != 1 {
				t.Errorf("crop: %v frame with %d digits", sc.Gray.Rect, len(sc.Digits))
			}
		}
	}
	if _, err := ConditionNamed("nope"); err == nil {
		t.Error("ConditionNamed(nope) succeeded")
	}
}

// TestToYCbCr converts pure colours: the chroma of red, blue and grey.
func TestToYCbCr(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 5, 3))
	cols := [][4]uint8{{255, 0, 0, 255}, {0, 0, 255, 255}, {128, 128, 128, 255}}
	for y := 0; y < 3; y++ {
		for x := 0; x < 5; x++ {
			copy(img.Pix[img.PixOffset(x, y):], cols[min(x/2, 2)][:])
		}
	}
	yc := ToYCbCr(img)
	want := [][3]uint8{{76, 85, 255}, {29, 255, 107}, {128, 128, 128}} // JFIF
	for cx := 0; cx < 3; cx++ {
		i := yc.COffset(2*cx, 0)
		got := [3]uint8{yc.Y[yc.YOffset(2*cx, 0)], yc.Cb[i], yc.Cr[i]}
		for k := range 3 {
			if d := int(got[k]) - int(want[cx][k]); d < -1 || d > 1 {
				t.Errorf("colour %v: YCbCr %v, want %v", cols[cx], got, want[cx])
			}
		}
	}
}

// TestRecord films a small sheet: the frames, their phases, colour in the
// chroma, the same frames from the same seed, and emit's error.
func TestRecord(t *testing.T) {
	sheet := image.NewRGBA(image.Rect(0, 0, 60, 80))
	for i := 0; i < len(sheet.Pix); i += 4 {
		copy(sheet.Pix[i:], []uint8{240, 240, 230, 255})
	}
	for y := 30; y < 50; y++ {
		for x := 20; x < 40; x++ {
			copy(sheet.Pix[sheet.PixOffset(x, y):], []uint8{220, 30, 30, 255}) // a red square
		}
	}
	p := RecordParams{Width: 64, Height: 48, Frames: 20}
	film := func(seed uint64) ([]*image.YCbCr, []FrameInfo) {
		var fs []*image.YCbCr
		var is []FrameInfo
		err := Record(rand.New(rand.NewPCG(seed, 1)), sheet, p, func(yc *image.YCbCr, fi FrameInfo) error {
			fs, is = append(fs, yc), append(is, fi)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return fs, is
	}
	a, info := film(1)
	b, _ := film(1)
	if len(a) != 20 || a[0].Rect != image.Rect(0, 0, 64, 48) {
		t.Fatalf("%d frames of %v", len(a), a[0].Rect)
	}
	for i := range a {
		if !bytes.Equal(a[i].Y, b[i].Y) || !bytes.Equal(a[i].Cr, b[i].Cr) {
			t.Fatalf("frame %d differs between two recordings from one seed", i)
		}
		if info[i] != Phase(i, 20) || info[i].Index != i {
			t.Errorf("frame %d: %+v", i, info[i])
		}
	}
	if !info[0].Entering || !info[19].Still || info[19].Moving || !Phase(10, 20).Occluded {
		t.Errorf("phases: %+v ... %+v", info[0], info[19])
	}
	// The last frame is still: the red square shows in Cr.
	maxCr := uint8(0)
	for _, v := range a[19].Cr {
		maxCr = max(maxCr, v)
	}
	if maxCr < 170 {
		t.Errorf("no red in the last frame's chroma (max Cr %d)", maxCr)
	}
	stop := errors.New("stop")
	n := 0
	if err := Record(rand.New(rand.NewPCG(1, 1)), sheet, p, func(*image.YCbCr, FrameInfo) error {
		n++
		return stop
	}); err != stop || n != 1 {
		t.Errorf("emit's error: %v after %d frames", err, n)
	}
}

// TestRecordStresses: a second sheet replaces the first (the last frames
// show the second's blue square, not the first's red one, and Phase says
// which sheet is in view), a finger rests for coverFrames while the camera
// is still, and a camera further away shows less paper.
func TestRecordStresses(t *testing.T) {
	square := func(c [3]uint8) *image.RGBA {
		sheet := image.NewRGBA(image.Rect(0, 0, 60, 80))
		for i := 0; i < len(sheet.Pix); i += 4 {
			copy(sheet.Pix[i:], []uint8{240, 240, 230, 255})
		}
		for y := 30; y < 50; y++ {
			for x := 20; x < 40; x++ {
				copy(sheet.Pix[sheet.PixOffset(x, y):], []uint8{c[0], c[1], c[2], 255})
			}
		}
		return sheet
	}
	red, blue := square([3]uint8{220, 30, 30}), square([3]uint8{30, 30, 220})
	last := func(p RecordParams) (*image.YCbCr, []FrameInfo) {
		var img *image.YCbCr
		var info []FrameInfo
		if err := Record(rand.New(rand.NewPCG(3, 1)), red, p, func(yc *image.YCbCr, fi FrameInfo) error {
			img, info = yc, append(info, fi)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return img, info
	}
	maxOf := func(b []uint8) uint8 { return slices.Max(b) }

	p := RecordParams{Width: 64, Height: 48, Frames: 120, Next: blue, Cover: true}
	img, info := last(p)
	if maxOf(img.Cr) > 160 || maxOf(img.Cb) < 170 {
		t.Errorf("last frame of a swap: max Cr %d, max Cb %d: want the blue sheet only", maxOf(img.Cr), maxOf(img.Cb))
	}
	covered, sheets := 0, [2]int{}
	for i, fi := range info {
		if fi != p.Phase(i) {
			t.Errorf("frame %d: %+v, Phase says %+v", i, fi, p.Phase(i))
		}
		if fi.Occluded {
			covered++
			if !fi.Still {
				t.Errorf("frame %d: covered while the camera moves", i)
			}
		}
		sheets[fi.Sheet]++
	}
	if covered != coverFrames || sheets[0] == 0 || sheets[1] == 0 || info[0].Sheet != 0 || info[119].Sheet != 1 {
		t.Errorf("%d frames covered, want %d; frames per sheet %v", covered, coverFrames, sheets)
	}

	paper := func(img *image.YCbCr) (n int) {
		for _, v := range img.Y {
			if v > 150 {
				n++
			}
		}
		return n
	}
	near, _ := last(RecordParams{Width: 64, Height: 48, Frames: 10})
	far, _ := last(RecordParams{Width: 64, Height: 48, Frames: 10, Zoom: 0.5})
	if 2*paper(far) > paper(near) {
		t.Errorf("zoom 0.5: %d bright pixels, zoom 1: %d", paper(far), paper(near))
	}

	// A grey desk instead of the dark table: the corners are the desk's,
	// and the sheet is filmed as before (the same camera path).
	corners := func(img *image.YCbCr) int {
		w, h := img.Rect.Dx(), img.Rect.Dy()
		return (int(img.Y[img.YOffset(1, 1)]) + int(img.Y[img.YOffset(w-2, 1)]) +
			int(img.Y[img.YOffset(1, h-2)]) + int(img.Y[img.YOffset(w-2, h-2)])) / 4
	}
	desk, _ := last(RecordParams{Width: 64, Height: 48, Frames: 10, Zoom: 0.5, Table: color.RGBA{170, 170, 165, 255}})
	if corners(far) > 90 || corners(desk) < 110 {
		t.Errorf("the corners of the frame: %d on the dark table, %d on a grey desk (170)", corners(far), corners(desk))
	}
	if c := far.YOffset(32, 24); desk.Y[c] != far.Y[c] {
		t.Errorf("the sheet's middle: %d on a grey desk, %d on the dark table", desk.Y[c], far.Y[c])
	}
}
