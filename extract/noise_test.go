package extract

import (
	"bytes"
	"image"
	"image/jpeg"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/edgeconv/edgeconv/internal/testscenes"
)

// noisy returns a copy of g with Gaussian noise of deviation sigma added.
func noisy(g *image.Gray, sigma float64, seed uint64) *image.Gray {
	rng := rand.New(rand.NewPCG(seed, 1))
	out := image.NewGray(g.Rect)
	for y := g.Rect.Min.Y; y < g.Rect.Max.Y; y++ {
		for x := g.Rect.Min.X; x < g.Rect.Max.X; x++ {
			v := float64(g.GrayAt(x, y).Y) + sigma*rng.NormFloat64()
			out.Pix[out.PixOffset(x, y)] = uint8(min(max(math.Round(v), 0), 255))
		}
	}
	return out
}

// TestNoiseSigma: the estimate follows the noise added to a page of
// digits under a gradient of light, within a tenth and the histogram's
// step; the digits' edges and the shading do not count.
func TestNoiseSigma(t *testing.T) {
	g := page(640, 480, 0)
	for y := range 480 {
		for x := range 640 {
			g.Pix[y*640+x] = uint8(120 + 100*x/640)
		}
	}
	for i := range 8 {
		strokeDigit(g, 40+70*i, 100+30*(i%3), 50, i%2 == 0, 30)
	}
	var s noiseStage
	for _, sigma := range []float64{0, 3, 6, 10, 20, 30} {
		got := float64(s.noiseSigma(noisy(g, sigma, 1)))
		if math.Abs(got-sigma) > 0.1*sigma+0.5 {
			t.Errorf("noise %.0f: estimated %.2f", sigma, got)
		}
	}
}

// TestNoiseSigmaJPEG: a JPEG encoder takes out the finest part of the
// grain, and the single pixels' estimate falls under noiseSmooth; the
// blocks' estimate still sees the noise. A clean page stays clean through
// the encoder.
func TestNoiseSigmaJPEG(t *testing.T) {
	g := page(640, 480, 190)
	for i := range 8 {
		strokeDigit(g, 40+70*i, 100+30*(i%3), 50, i%2 == 0, 30)
	}
	var s noiseStage
	for _, tc := range []struct {
		sigma    float64
		min, max float32
	}{{0, 0, 2}, {20, 14, 24}} {
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, noisy(g, tc.sigma, 5), &jpeg.Options{Quality: 40}); err != nil {
			t.Fatal(err)
		}
		img, err := jpeg.Decode(&buf)
		if err != nil {
			t.Fatal(err)
		}
		got := s.noiseSigma(img.(*image.Gray))
		if got < tc.min || got > tc.max {
			t.Errorf("noise %.0f through JPEG: estimated %.1f (pixels alone %.1f), want %.0f to %.0f",
				tc.sigma, got, s.sigmaAt(img.(*image.Gray), 1), tc.min, tc.max)
		}
	}
}

// TestSmoothNoisy: a frame under noiseSmooth is read as it is; a noisy
// one is smoothed, its noise more than halved.
func TestSmoothNoisy(t *testing.T) {
	g := page(320, 240, 200)
	var s noiseStage
	if quiet := noisy(g, 4, 2); s.smooth(quiet) != quiet {
		t.Errorf("a frame with noise 4 (estimated %.1f) was smoothed", s.sigma)
	}
	loud := noisy(g, 20, 3)
	sm := s.smooth(loud)
	if sm == loud {
		t.Fatalf("a frame with noise 20 (estimated %.1f) was not smoothed", s.sigma)
	}
	var sum, sum2 float64
	for _, v := range sm.Pix {
		sum += float64(v)
		sum2 += float64(v) * float64(v)
	}
	n := float64(len(sm.Pix))
	if sd := math.Sqrt(sum2/n - sum*sum/n/n); sd > 10 {
		t.Errorf("smoothed, the noise is %.1f, want under 10", sd)
	}
}

// TestNoisyScene: scene03 with the grain of a dim webcam (noise 20) gives
// the candidates it gives clean, give or take two: unsmoothed, the specks
// join the digits and fill the page.
func TestNoisyScene(t *testing.T) {
	sc := testscenes.Load(t)[1]
	e := NewExtractor(Options{})
	clean := len(e.Extract(sc.Gray, nil))
	got := len(e.Extract(noisy(sc.Gray, 20, 4), nil))
	if got < clean-2 || got > clean+2 {
		t.Errorf("%s with noise 20: %d candidates, %d without the noise", sc.Name, got, clean)
	}
}

func BenchmarkNoiseSigma(b *testing.B) {
	sc := testscenes.Load(b)[0]
	var s noiseStage
	for b.Loop() {
		s.noiseSigma(sc.Gray)
	}
}
