package reading_test

import (
	"fmt"
	"image"
	"strings"
	"testing"

	xdraw "golang.org/x/image/draw"

	"github.com/edgeconv/edgeconv/camera"
	"github.com/edgeconv/edgeconv/internal/testscenes"
	"github.com/edgeconv/edgeconv/model/modeltest"
	"github.com/edgeconv/edgeconv/reading"
)

// invertedLuma returns a copy of f with its luma inverted: light marks on
// a dark ground.
func invertedLuma(f *image.YCbCr) *image.YCbCr {
	g := image.NewYCbCr(f.Rect, f.SubsampleRatio)
	for i, v := range f.Y {
		g.Y[i] = 255 - v
	}
	copy(g.Cb, f.Cb)
	copy(g.Cr, f.Cr)
	return g
}

// TestReadPhotoLightOnDark reads the test scenes, and MNIST digits alone,
// white on black: ReadPhoto reads them as it reads them dark on light,
// and the same frames dark on light are read as Read reads them.
func TestReadPhotoLightOnDark(t *testing.T) {
	r := newReader(t, modeltest.Default(t), reading.Options{})
	for _, sc := range testscenes.Load(t) {
		if got := string(r.ReadPhoto(sc.Frame).Text); got != sc.Text {
			t.Errorf("%s: ReadPhoto read %q, want %q", sc.Name, got, sc.Text)
		}
		if sc.Name == "scene03" {
			// Half of it is paper in shadow, which inverted is lighter
			// than mid-grey: not a dark ground.
			continue
		}
		inv := invertedLuma(sc.Frame)
		if got := string(r.ReadPhoto(inv).Text); got != sc.Text {
			t.Errorf("%s white on black: read %q, want %q", sc.Name, got, sc.Text)
		}
	}
	// One MNIST digit as a drawing demo saves it: white on black, 280x280.
	m := testscenes.MNIST(t)
	wrong := 0
	const n = 50
	for i := range n {
		digit := &image.Gray{Pix: m.Image(i), Stride: 28, Rect: image.Rect(0, 0, 28, 28)}
		big := image.NewGray(image.Rect(0, 0, 280, 280))
		xdraw.BiLinear.Scale(big, big.Rect, digit, digit.Rect, xdraw.Src, nil)
		frame := camera.ToFrame(big)
		want := fmt.Sprint(m.Labels[i])
		if got := string(r.ReadPhoto(frame).Text); got != want {
			wrong++
			t.Logf("MNIST test digit %d, 280x280 white on black: read %q, want %q", i, got, want)
		}
	}
	// MNIST's test digits, read as 28x28, are 99.4% right: a few
	// misreadings at 280x280 are the classifier's, many the polarity's.
	if wrong > 2 {
		t.Errorf("%d of %d MNIST digits drawn white on black misread", wrong, n)
	}
}

// TestReadPhotoDarkOnLight: photos of paper are read once, as Read reads
// them, however dim: the scenes darkened to a third of their light, and a
// white sheet on a black table.
func TestReadPhotoDarkOnLight(t *testing.T) {
	r := newReader(t, modeltest.Default(t), reading.Options{})
	for _, sc := range testscenes.Load(t) {
		dim := image.NewGray(sc.Gray.Rect)
		for i, v := range sc.Gray.Pix {
			dim.Pix[i] = v / 3
		}
		if got := string(r.ReadPhoto(camera.ToFrame(dim)).Text); got != sc.Text {
			t.Errorf("%s at a third of its light: read %q, want %q", sc.Name, got, sc.Text)
		}
		b := sc.Gray.Rect
		table := image.NewGray(image.Rect(0, 0, 2*b.Dx(), 2*b.Dy()))
		at := image.Pt(b.Dx()/2, b.Dy()/2)
		xdraw.Copy(table, at, sc.Gray, b, xdraw.Src, nil)
		rd := r.ReadPhoto(camera.ToFrame(table))
		if got := strings.TrimSpace(string(rd.Text)); got != sc.Text {
			t.Errorf("%s on a black table: read %q, want %q", sc.Name, got, sc.Text)
		}
	}
}
