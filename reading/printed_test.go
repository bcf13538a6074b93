package reading_test

import (
	"fmt"
	"image"
	"image/draw"
	"testing"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"github.com/edgeconv/edgeconv/internal/score"
	"github.com/edgeconv/edgeconv/internal/testscenes"
)

// printedLabels are a form's printed lines.
var printedLabels = []string{
	"Customer account form, please write clearly",
	"Phone number and postcode below:",
	"Account holder:",
	"Office use only",
}

// TestPrintedLines reads forms: printed lines (Go Regular and Go Bold, 22
// and 30 pixels) above lines of five handwritten MNIST test digits at 56
// pixels, as a photo, straight and turned by 4°. A hand writes some
// letters as digits (o, s, l, b), and the model, not trained to reject
// those alone, reads them as 0, 5, 1 and 6 with confidence; a printed line
// is known by its baseline, level from mark to mark as no hand keeps it
// (Reader.dropPrinted), and its digits on the baseline are dropped.
// Spurious digits and handwritten digits right, of about 260 printed
// marks and 40 digits each way: with dropPrinted 0 and 39 straight, 0 and
// 39 turned; without it, 53 and 38 straight, 58 and 38 turned.
func TestPrintedLines(t *testing.T) {
	m := testscenes.MNIST(t)
	r := defaultReader(t)
	for _, turn := range []float64{0, 4} {
		var all score.Counts
		for k, ttf := range [][]byte{goregular.TTF, gobold.TTF} {
			for _, size := range []float64{22, 30} {
				f, err := opentype.Parse(ttf)
				if err != nil {
					t.Fatal(err)
				}
				face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
				if err != nil {
					t.Fatal(err)
				}
				page := image.NewGray(image.Rect(0, 0, 900, 560))
				draw.Draw(page, page.Rect, image.White, image.Point{}, draw.Src)
				d := &font.Drawer{Dst: page, Src: image.Black, Face: face}
				want := ""
				y := 20
				for li, label := range printedLabels[:2] {
					y += int(size * 1.6)
					d.Dot = fixed.P(30, y)
					d.DrawString(label)
					// Five handwritten digits below each printed line.
					y += 20
					x := 60
					for j := range 5 {
						i := 4000 + 40*k + 20*int(size) + 10*li + j
						g := descending(m, i, 2, 28, 1)
						x0, x1 := inkColumns(g)
						for gy := range g.Rect.Dy() {
							for gx := range g.Rect.Dx() {
								if px := x - x0 + gx; px >= 0 && px < page.Rect.Dx() {
									p := &page.Pix[(y+gy)*page.Stride+px]
									*p = min(*p, g.Pix[gy*g.Stride+gx])
								}
							}
						}
						want += fmt.Sprint(m.Labels[i])
						x += x1 - x0 + 18
					}
					y += 70
				}
				var img image.Image = page
				if turn != 0 {
					img = turnedBy(page, turn)
				}
				got := digitsOf(readPhoto(r, img))
				s := score.Reading(got, want)
				all.Add(s)
				if s.Spurious > 0 || s.Right < s.Labelled {
					t.Logf("turned %g°, font %d, %g px: read %q, want %q", turn, k, size, got, want)
				}
			}
		}
		t.Logf("turned %g°: %v", turn, all)
		if all.Spurious > 2 || all.Right < all.Labelled-2 {
			t.Errorf("turned %g°: %d spurious digits and %d of %d right, want 2 or fewer and %d or more", turn, all.Spurious, all.Right, all.Labelled, all.Labelled-2)
		}
	}
}
