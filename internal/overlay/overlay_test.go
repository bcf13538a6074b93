package overlay

import (
	"image"
	"image/color"
	"image/draw"
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

// TestText writes "7" twice as large on a black box, then "1" on a
// transparent one: the box holds only the two colours, the 7 some of each,
// and nothing outside a box changes.
func TestText(t *testing.T) {
	grey, white, black := color.RGBA{90, 90, 90, 255}, color.RGBA{255, 255, 255, 255}, color.RGBA{0, 0, 0, 255}
	dst := image.NewRGBA(image.Rect(0, 0, 40, 40))
	draw.Draw(dst, dst.Rect, image.NewUniform(grey), image.Point{}, draw.Src)
	Text(dst, 5, 5, "7", 2, white, black)
	Text(dst, 25, 5, "1", 1, white, color.RGBA{})
	seven, one := image.Rect(4, 4, 5+14+1, 5+26+1), image.Rect(24, 4, 25+7+1, 5+13+1)
	count, ones := map[color.RGBA]int{}, 0
	for y := range 40 {
		for x := range 40 {
			p, c := image.Pt(x, y), dst.RGBAAt(x, y)
			switch {
			case p.In(seven):
				count[c]++
			case p.In(one) && c == white:
				ones++
			case p.In(one) && c == grey:
			case c != grey:
				t.Fatalf("(%d,%d) = %v outside the text", x, y, c)
			}
		}
	}
	if len(count) != 2 || count[white] == 0 || count[black] == 0 {
		t.Errorf("the 7's box holds %v, want white on black", count)
	}
	if ones == 0 {
		t.Error("no 1 written")
	}
}
