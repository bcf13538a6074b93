package main

import (
	"context"
	"image"
	"image/color"
	"math"
	"path/filepath"
	"strings"
	"testing"

	xdraw "golang.org/x/image/draw"

	"github.com/edgeconv/edgeconv/model"
)

// TestPredictDrawings: a digit drawn in a paint program or a drawing demo
// and saved as a 280x280 PNG is read whichever way it was saved: white on
// black (as MNIST's digits are), black on white, and black strokes on a
// transparent canvas. The digit is scene00's second, a 7, as the extractor
// cut it out.
func TestPredictDrawings(t *testing.T) {
	crop := &image.Gray{Pix: crops(t, scenePaths(t)[0])[model.Size : 2*model.Size], Stride: 28,
		Rect: image.Rect(0, 0, 28, 28)}
	big := image.NewGray(image.Rect(0, 0, 280, 280))
	xdraw.BiLinear.Scale(big, big.Rect, crop, crop.Rect, xdraw.Src, nil) // white on black
	inverted := image.NewGray(big.Rect)
	canvas := image.NewNRGBA(big.Rect)
	for i, v := range big.Pix {
		inverted.Pix[i] = 255 - v
		canvas.SetNRGBA(i%280, i/280, color.NRGBA{A: v}) // black, as opaque as the ink
	}
	dir := t.TempDir()
	for name, img := range map[string]image.Image{"white-on-black": big, "black-on-white": inverted, "transparent": canvas} {
		path := filepath.Join(dir, name+".png")
		if err := savePNG(path, img); err != nil {
			t.Fatal(err)
		}
		pr := edgeconvJSON[predictReport](t, context.Background(), "predict", "--json", path)
		if pr.Digit != 7 || pr.Confidence < 0.9 || math.Abs(pr.Probabilities[7]-pr.Confidence) > 1e-6 {
			t.Errorf("predict %s: %+v, want a sure 7 whose probability is its confidence", name, pr)
		}
	}
	// A photo of many digits: the largest is used, and predict says so.
	scene := scenePaths(t)[0]
	code, _, stderr := edgeconv(t, context.Background(), "predict", scene)
	pr := edgeconvJSON[predictReport](t, context.Background(), "predict", "--json", scene)
	if code != 0 || !strings.Contains(stderr, "this is the largest") || pr.DigitsFound < 2 {
		t.Errorf("predict on a scene of digits: exit %d, stderr %q, %d digits found", code, stderr, pr.DigitsFound)
	}
}
