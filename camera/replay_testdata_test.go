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

// fixtureFrame returns frame i of the test recordings: light paper with a
// diagonal texture (so that a wrong stride shows), a dark ring that moves
// right with i (a stand-in for a digit), and i itself in the top-left pixel.
func fixtureFrame(i, w, h int) *image.Gray {
	g := image.NewGray(image.Rect(0, 0, w, h))
	cx, cy, r := w/4+i*w/10, h/2, h/4
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := 180 + (x*7+y*3)%50
			dx, dy := x-cx, y-cy
			if d := dx*dx + dy*dy; d <= r*r && d >= (r-3)*(r-3) {
				v = 20 + (x+y)%8
			}
			g.Pix[y*g.Stride+x] = uint8(v)
		}
	}
	g.Pix[0] = uint8(i)
	return g
}

func fixtureFrames(n, w, h int) []*image.Gray {
	f := make([]*image.Gray, n)
	for i := range f {
		f[i] = fixtureFrame(i, w, h)
	}
	return f
}

// rpicamBytes returns frames laid out as rpicam-vid writes them: Y rows of
// stride bytes, then U and V planes of stride/2 bytes per row; padding is 0xEE
// and chroma 128.
func rpicamBytes(frames []*image.Gray, stride int) []byte {
	var b bytes.Buffer
	for _, f := range frames {
		w, h := f.Rect.Dx(), f.Rect.Dy()
		row := make([]byte, stride)
		for y := 0; y < h; y++ {
			copy(row, f.Pix[y*f.Stride:y*f.Stride+w])
			for x := w; x < stride; x++ {
				row[x] = 0xEE
			}
			b.Write(row)
		}
		cs := (stride + 1) / 2
		crow := bytes.Repeat([]byte{128}, cs)
		for x := (w + 1) / 2; x < cs; x++ {
			crow[x] = 0xEE
		}
		for y := 0; y < 2*((h+1)/2); y++ {
			b.Write(crow)
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
		b.Write(f.Pix)
	}
	files["frames_mono.y4m"] = bytes.Clone(b.Bytes())

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

	for i, f := range []*image.Gray{frames[0], fixtureFrame(1, fixW/2, fixH/2)} {
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
