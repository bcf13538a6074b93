package camera

import (
	"bytes"
	"flag"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"periph.io/x/conn/v3/physic"
)

// The fixtures in testdata/ are made by this file:
//
//	go test ./camera -run TestTestdata -update
//
// They are small (80x60 frames) and deterministic; fixtureFrame says what
// each frame holds, so tests compare against it rather than against files.
var update = flag.Bool("update", false, "rewrite the files in testdata/")

const (
	fixW, fixH = 80, 60 // 80 is not a multiple of 64: rpicam pads it to 128
	fixN       = 5
	fixStride  = 128 // RPiCamStride(fixW)
)

// fixtureFrame returns frame i of the test recordings: light cream paper
// with a diagonal texture in luma and chroma (so that a wrong stride or a
// swapped plane shows), a dark red ring that moves right with i (a stand-in
// for a digit in red ink), and i itself in the top-left luma sample and in
// the Cb sample beside it (100+i, where the paper is light enough for the
// colour to stay within RGB). Its chroma is the mean of fixtureChroma over
// each 2x2 pixels.
func fixtureFrame(i, w, h int) *image.YCbCr {
	f := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := 180 + (x*7+y*3)%50
			if inRing(i, x, y, w, h) {
				v = 20 + (x+y)%8
			}
			f.Y[y*f.YStride+x] = uint8(v)
		}
	}
	cw, ch := (w+1)/2, (h+1)/2
	for q := 0; q < ch; q++ {
		for p := 0; p < cw; p++ {
			cb, cr := fixtureChroma420(i, p, q, w, h)
			f.Cb[q*f.CStride+p], f.Cr[q*f.CStride+p] = cb, cr
		}
	}
	f.Y[0] = uint8(i)
	if cw > 1 {
		f.Cb[1] = uint8(100 + i)
	}
	return f
}

// inRing reports whether pixel (x, y) is on the ring of frame i.
func inRing(i, x, y, w, h int) bool {
	cx, cy, r := w/4+i*w/10, h/2, h/4
	dx, dy := x-cx, y-cy
	d := dx*dx + dy*dy
	return d <= r*r && d >= (r-3)*(r-3)
}

// fixtureChroma420 returns the chroma sample (p, q) of frame i: paper
// (Cb 118-126, Cr 134-140), or red ink (Cb 122, Cr 140, within gamut at the
// ring's dark luma) where its top-left pixel is on the ring.
func fixtureChroma420(i, p, q, w, h int) (cb, cr uint8) {
	if inRing(i, 2*p, 2*q, w, h) {
		return 122, 140
	}
	return uint8(118 + (3*p+q)%9), uint8(134 + (p+2*q)%7)
}

// fixtureChroma returns the full-resolution chroma of pixel (x, y) of frame
// i, for recordings in 4:4:4 or 4:2:2: the 4:2:0 sample of its 2x2 pixels
// plus ±3 (Cb) and ±2 (Cr) that alternate along x and y, so that the mean
// of the 2x2 pixels, and of any two pixels on a row or a column, is the
// 4:2:0 sample, while any single pixel is off. The last column of an odd
// width and the last row of an odd height, which count twice in the mean,
// do not alternate.
func fixtureChroma(i, x, y, w, h int) (cb, cr uint8) {
	b, r := fixtureChroma420(i, x/2, y/2, w, h)
	sx, sy := 1-2*(x%2), 1-2*(y%2)
	if w%2 == 1 && x == w-1 {
		sx = 0
	}
	if h%2 == 1 && y == h-1 {
		sy = 0
	}
	if x/2 == 1 && y/2 == 0 {
		b = uint8(100 + i) // the frame number, as in fixtureFrame
	}
	return uint8(int(b) + 3*sx), uint8(int(r) + 2*sy)
}

func fixtureFrames(n, w, h int) []*image.YCbCr {
	f := make([]*image.YCbCr, n)
	for i := range f {
		f[i] = fixtureFrame(i, w, h)
	}
	return f
}

// y4mFull returns frames as a YUV4MPEG2 stream with chroma in 4:4:4 (with
// an alpha plane of 0xEE if alpha) or 4:2:2, from fixtureChroma.
func y4mFull(frames []*image.YCbCr, sub string, alpha bool) []byte {
	var b bytes.Buffer
	w, h := frames[0].Rect.Dx(), frames[0].Rect.Dy()
	c := sub
	if alpha {
		c += "alpha"
	}
	fmt.Fprintf(&b, "YUV4MPEG2 W%d H%d F10:1 Ip A1:1 C%s\n", w, h, c)
	for i, f := range frames {
		b.WriteString("FRAME\n")
		b.Write(f.Y[:w*h])
		step := 1
		if sub == "422" {
			step = 2
		}
		for plane := 0; plane < 2; plane++ {
			for y := 0; y < h; y++ {
				for x := 0; x < w; x += step {
					var cb, cr uint8
					if step == 2 {
						// A 4:2:2 sample is the mean of the pixel pair,
						// which fixtureChroma makes exact.
						cb, cr = fixtureChroma(i, x, y, w, h)
						cb2, cr2 := fixtureChroma(i, min(x+1, w-1), y, w, h)
						cb, cr = uint8((int(cb)+int(cb2))/2), uint8((int(cr)+int(cr2))/2)
					} else {
						cb, cr = fixtureChroma(i, x, y, w, h)
					}
					b.WriteByte([2]uint8{cb, cr}[plane])
				}
			}
		}
		if alpha {
			b.Write(bytes.Repeat([]byte{0xEE}, w*h))
		}
	}
	return b.Bytes()
}

// rpicamBytes returns frames laid out as rpicam-vid writes them: Y rows of
// stride bytes, then U and V planes of (stride+1)/2 bytes per row; padding
// is 0xEE.
func rpicamBytes(frames []*image.YCbCr, stride int) []byte {
	var b bytes.Buffer
	for _, f := range frames {
		w, h := f.Rect.Dx(), f.Rect.Dy()
		cw, ch := (w+1)/2, (h+1)/2
		pad := func(src []byte, n int) {
			b.Write(src)
			b.Write(bytes.Repeat([]byte{0xEE}, n-len(src)))
		}
		for y := 0; y < h; y++ {
			pad(f.Y[y*f.YStride:y*f.YStride+w], stride)
		}
		for _, p := range [][]byte{f.Cb, f.Cr} {
			for y := 0; y < ch; y++ {
				pad(p[y*f.CStride:y*f.CStride+cw], (stride+1)/2)
			}
		}
	}
	return b.Bytes()
}

func makeFixtures() (map[string][]byte, error) {
	frames := fixtureFrames(fixN, fixW, fixH)
	files := map[string][]byte{}
	var b bytes.Buffer
	if err := WriteY4M(&b, frames, 10*physic.Hertz); err != nil {
		return nil, err
	}
	files["frames.y4m"] = bytes.Clone(b.Bytes())
	files["truncated.y4m"] = bytes.Clone(b.Bytes()[:b.Len()-fixW*fixH])

	b.Reset()
	if err := WriteI420(&b, frames); err != nil {
		return nil, err
	}
	files["frames.i420"] = bytes.Clone(b.Bytes())
	files["frames_rpicam.i420"] = rpicamBytes(frames, fixStride)

	// Mono, with FRAME parameters and X tags, as other tools write them.
	b.Reset()
	fmt.Fprintf(&b, "YUV4MPEG2 W%d H%d F25:1 Ip A0:0 Cmono XYSCSS=MONO\n", fixW, fixH)
	for _, f := range frames {
		b.WriteString("FRAME Ip XCOMMENT=1\n")
		b.Write(f.Y[:fixW*fixH])
	}
	files["frames_mono.y4m"] = bytes.Clone(b.Bytes())
	files["frames_422.y4m"] = y4mFull(frames, "422", false)
	files["frames_444alpha.y4m"] = y4mFull(frames, "444", true)

	for i, f := range frames[:3] {
		b.Reset()
		name := fmt.Sprintf("images/%04d", i)
		if i == 2 {
			if err := jpeg.Encode(&b, f, &jpeg.Options{Quality: 95}); err != nil {
				return nil, err
			}
			name += ".jpg"
		} else {
			if err := png.Encode(&b, f); err != nil {
				return nil, err
			}
			name += ".png"
		}
		files[name] = bytes.Clone(b.Bytes())
	}
	files["images/notes.txt"] = []byte("Non-image files in a folder are ignored.\n")

	for i, f := range []*image.YCbCr{frames[0], fixtureFrame(1, fixW/2, fixH/2)} {
		b.Reset()
		if err := png.Encode(&b, f); err != nil {
			return nil, err
		}
		files[fmt.Sprintf("mixed/%04d.png", i)] = bytes.Clone(b.Bytes())
	}
	return files, nil
}

// TestTestdata checks that the fixtures exist and are what makeFixtures
// makes (or writes them with -update).
func TestTestdata(t *testing.T) {
	files, err := makeFixtures()
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range files {
		p := filepath.Join("testdata", filepath.FromSlash(name))
		if *update {
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(p)
		if err != nil {
			t.Fatalf("%v (run go test -run TestTestdata -update)", err)
		}
		if filepath.Ext(p) == ".jpg" {
			continue // The JPEG encoder may change between Go versions.
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from what makeFixtures makes (run go test -run TestTestdata -update)", p)
		}
	}
}
