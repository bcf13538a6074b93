package reading

import (
	"image"
	"testing"

	xdraw "golang.org/x/image/draw"

	"github.com/edgeconv/edgeconv/camera"
	"github.com/edgeconv/edgeconv/internal/testscenes"
)

// TestLightOnDark checks the polarity test on pictures whose polarity is
// known: the scenes (dark writing on paper) lit evenly, dimmed from side
// to side to a fifth of the light and to a third of it all over, are
// dark on light; the same inverted (scene03 aside: half of it is paper in
// shadow, which inverted is lighter than mid-grey), and MNIST's first
// digits drawn white on black at 56, 140 and 280 pixels, are light on
// dark. Dimmed across, a scene's ground (the most common luma) falls under
// mid-grey and its lit side is much lighter than that ground: against one
// ground for the whole picture it passed for light marks on a dark ground.
func TestLightOnDark(t *testing.T) {
	for _, sc := range testscenes.Load(t) {
		for _, c := range []struct {
			how  string
			gray *image.Gray
			want bool
		}{
			{"as it is", sc.Gray, false},
			{"dimmed across to a fifth", litAcross(sc.Gray, 1, 0.2), false},
			{"at a third of its light", litAcross(sc.Gray, 1.0/3, 1.0/3), false},
			{"inverted", inverted(sc.Gray), sc.Name != "scene03"},
		} {
			if got := lightOnDark(camera.ToFrame(c.gray)); got != c.want {
				t.Errorf("%s %s: lightOnDark %v, want %v", sc.Name, c.how, got, c.want)
			}
		}
	}
	m := testscenes.MNIST(t)
	for i := range 20 {
		digit := &image.Gray{Pix: m.Image(i), Stride: 28, Rect: image.Rect(0, 0, 28, 28)}
		for _, size := range []int{56, 140, 280} {
			big := image.NewGray(image.Rect(0, 0, size, size))
			xdraw.BiLinear.Scale(big, big.Rect, digit, digit.Rect, xdraw.Src, nil)
			if !lightOnDark(camera.ToFrame(big)) {
				t.Errorf("MNIST test digit %d, %dx%d white on black: lightOnDark false", i, size, size)
			}
			if lightOnDark(camera.ToFrame(inverted(big))) {
				t.Errorf("MNIST test digit %d, %dx%d black on white: lightOnDark true", i, size, size)
			}
		}
	}
}

// litAcross returns g lit by from of the light at its left edge to to
// of it at its right, linearly.
func litAcross(g *image.Gray, from, to float64) *image.Gray {
	out := image.NewGray(g.Rect)
	w := g.Rect.Dx()
	for y := range g.Rect.Dy() {
		for x := range w {
			l := from + (to-from)*float64(x)/float64(max(1, w-1))
			out.Pix[y*out.Stride+x] = uint8(float64(g.Pix[y*g.Stride+x])*l + 0.5)
		}
	}
	return out
}

// inverted returns g with its grey levels inverted.
func inverted(g *image.Gray) *image.Gray {
	out := image.NewGray(g.Rect)
	for y := range g.Rect.Dy() {
		for x := range g.Rect.Dx() {
			out.Pix[y*out.Stride+x] = 255 - g.Pix[y*g.Stride+x]
		}
	}
	return out
}
