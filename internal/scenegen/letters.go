package scenegen

import (
	"image"
	"math"
	"math/rand/v2"

	"github.com/edgeconv/edgeconv/internal/glyphs"
)

// handFonts are the embedded fonts that letters among digits are written
// in: handwriting outline fonts and Hershey stroke fonts (drawn with a
// round pen).
var handFonts = []string{
	"BecauseWeBuild-Regular.otf", "BecauseWeConnect-Regular.otf", "BecauseWeCreate-Regular.otf",
	"BecauseWeLearn-Regular.otf", "BecauseWeMentor-Regular.otf", "BecauseWeOrganize-Regular.otf",
	"Breip.ttf", "ComicNeue-Regular.otf", "Humor-Sans.ttf", "KaushanScript-Regular.otf", "Kristi.ttf",
	"cursive.jhf", "futural.jhf", "rowmans.jhf", "scripts.jhf", "timesi.jhf",
}

// letterRunes are the letters written among digits: those that do not
// pass for a digit in handwriting (no O, l, I, S, Z, B, b, g, q, G).
var letterRunes = []rune("acdefhkmnprtuvwxyACDEFHKMNPRTUVWXY")

// symbolRunes are maths symbols written among digits; symbolFont draws
// those the handwriting font lacks.
var symbolRunes = []rune("+−=×÷()∫√<>%")

const symbolFont = "mathlow.jhf"

// letterPen is how a scene's letters are written.
type letterPen struct {
	font, symbols *glyphs.Font
	pen           float64 // stroke width for stroke fonts; outline growth for outline fonts
	symPen        float64
}

// newLetterPen chooses the font and pen of a scene whose digits are dh
// pixels tall. An embedded font that does not parse is a broken build:
// it panics.
func newLetterPen(rng *rand.Rand, dh float64) *letterPen {
	f, err := glyphs.Embedded(handFonts[rng.IntN(len(handFonts))])
	if err != nil {
		panic("scenegen: " + err.Error())
	}
	s, err := glyphs.Embedded(symbolFont)
	if err != nil {
		panic("scenegen: " + err.Error())
	}
	lp := &letterPen{font: f, symbols: s, symPen: dh * (0.07 + 0.05*rng.Float64())}
	if f.Kind() == glyphs.Stroke {
		lp.pen = lp.symPen
	} else {
		lp.pen = dh * (-0.01 + 0.05*rng.Float64())
	}
	return lp
}

// place writes a letter or symbol with its left edge at page x on the
// line whose digits span lh pixels from y, if it falls inside the frame
// (hm maps page to frame); it returns the page width it took, 0 if none,
// and the mark with its box in the frame.
func (lp *letterPen) place(rng *rand.Rand, page *image.Alpha, x, y, lh float64, hm homography, W, H int) (float64, Mark) {
	var r rune
	font, pen := lp.font, lp.pen
	if rng.IntN(10) < 7 {
		r = letterRunes[rng.IntN(len(letterRunes))]
	} else {
		r = symbolRunes[rng.IntN(len(symbolRunes))]
	}
	if !font.Has(r) {
		font, pen = lp.symbols, lp.symPen
	}
	g, ok := font.Glyph(r)
	if !ok || g.Empty() {
		return 0, Mark{}
	}
	// Capitals as tall as the digits (±10%); the rest in proportion.
	s := lh * (0.85 + 0.2*rng.Float64()) / math.Max(font.CapHeight(), 0.3)
	phi := (rng.Float64()*10 - 5) * math.Pi / 180
	m := glyphs.Scale(s, s).Then(glyphs.Rotate(phi))
	b := g.Bounds(m, pen)
	if b.Empty() {
		return 0, Mark{}
	}
	base := y + lh*(0.92+0.1*rng.Float64()) // the line's baseline, near the digits' bottom
	m = m.Then(glyphs.Translate(x-b.Min.X, base))
	b = g.Bounds(m, pen)
	fb := [4]float64{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
	for _, c := range [4][2]float64{{b.Min.X, b.Min.Y}, {b.Max.X, b.Min.Y}, {b.Min.X, b.Max.Y}, {b.Max.X, b.Max.Y}} {
		fx, fy := hm.apply(c[0], c[1])
		if fx < 4 || fy < 4 || fx > float64(W-4) || fy > float64(H-4) {
			return 0, Mark{}
		}
		fb = [4]float64{math.Min(fb[0], fx), math.Min(fb[1], fy), math.Max(fb[2], fx), math.Max(fb[3], fy)}
	}
	g.Draw(page, m, pen)
	return b.Dx(), Mark{Rune: string(r), Box: intBox(fb)}
}
