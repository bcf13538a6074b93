package overlay

import (
	"image"
	"image/color"
	"testing"
)

// TestBox draws a 2-pixel outline that the image clips on one side and
// checks every pixel: inside the band, the colour; elsewhere, the copy of
// the source.
func TestBox(t *testing.T) {
	src := image.NewGray(image.Rect(10, 20, 30, 36))
	for i := range src.Pix {
		src.Pix[i] = uint8(i)
	}
	dst := RGBA(src)
	if dst.Rect != src.Rect {
		t.Fatalf("bounds %v, want %v", dst.Rect, src.Rect)
	}
	red := color.RGBA{255, 0, 0, 255}
	r := image.Rect(12, 22, 40, 30) // past the right edge
	Box(dst, r, 2, red)
	for y := src.Rect.Min.Y; y < src.Rect.Max.Y; y++ {
		for x := src.Rect.Min.X; x < src.Rect.Max.X; x++ {
			p := image.Pt(x, y)
			band := p.In(r) && !p.In(r.Inset(2))
			got := dst.RGBAAt(x, y)
			want := red
			if !band {
				g := src.GrayAt(x, y).Y
				want = color.RGBA{g, g, g, 255}
			}
			if got != want {
				t.Fatalf("(%d,%d) = %v, want %v (band %v)", x, y, got, want, band)
			}
		}
	}
}
