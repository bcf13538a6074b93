package firmware

import (
	"image"
	"image/color"
	"testing"

	"github.com/edgeconv/edgeconv/camera"
	"github.com/edgeconv/edgeconv/extract"
	"github.com/edgeconv/edgeconv/model"
	"github.com/edgeconv/edgeconv/reading"
)

// countColour counts the pixels of img that are exactly c.
func countColour(img *image.RGBA, c color.RGBA) int {
	n := 0
	for i := 0; i+3 < len(img.Pix); i += 4 {
		if img.Pix[i] == c.R && img.Pix[i+1] == c.G && img.Pix[i+2] == c.B {
			n++
		}
	}
	return n
}

// TestDrawFollowsTheReading: the preview colours a box by the reader's Low
// mark (so by --min-confidence), not by a fixed threshold, and draws a
// candidate the model called not a digit grey.
func TestDrawFollowsTheReading(t *testing.T) {
	img := camera.ToFrame(image.NewGray(image.Rect(0, 0, 200, 100)))
	cands := []extract.Digit{
		{Box: image.Rect(20, 40, 40, 70)},
		{Box: image.Rect(80, 40, 100, 70)},
		{Box: image.Rect(140, 40, 160, 70)},
	}
	for _, c := range []struct {
		name              string
		results           []model.Result
		digits            []reading.Digit
		ok, low, notDigit bool
	}{
		// Confidence 0.5 above a minimum of 0.3: green, though under 0.8.
		{"confident", []model.Result{{Class: 1, Confidence: 0.5}, {Class: 2, Confidence: 0.5}, {Class: 3, Confidence: 0.5}},
			[]reading.Digit{{Digit: 1, Confidence: 0.5}, {Digit: 2, Confidence: 0.5}, {Digit: 3, Confidence: 0.5}}, true, false, false},
		// Confidence 0.95 under a minimum of 0.99: orange.
		{"low", []model.Result{{Class: 1, Confidence: 0.95}, {Class: 2, Confidence: 0.95}, {Class: 3, Confidence: 0.95}},
			[]reading.Digit{{Digit: 1, Confidence: 0.95, Low: true}, {Digit: 2, Confidence: 0.95, Low: true}, {Digit: 3, Confidence: 0.95, Low: true}}, false, true, false},
		{"not a digit", []model.Result{{Class: 1, Confidence: 0.99}, {Class: model.NotDigit, Confidence: 0.99}, {Class: 3, Confidence: 0.99}},
			[]reading.Digit{{Digit: 1, Confidence: 0.99}, {Digit: 3, Confidence: 0.99, Low: true}}, true, true, true},
	} {
		for _, sheet := range []*image.RGBA{annotate(nil, img, cands, c.results, c.digits), cropSheet(nil, cands, c.results, c.digits)} {
			ok, low, other := countColour(sheet, colOK) > 0, countColour(sheet, colLow) > 0, countColour(sheet, colOther) > 0
			if ok != c.ok || low != c.low || other != c.notDigit {
				t.Errorf("%s (%v): green %v, orange %v, grey %v; want %v, %v, %v", c.name, sheet.Rect, ok, low, other, c.ok, c.low, c.notDigit)
			}
		}
	}
}
