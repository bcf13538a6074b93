package train

import (
	"fmt"
	"image"
	"math"
	"math/rand/v2"
	"sync"

	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/gofont/goregular"

	"github.com/edgeconv/edgeconv/internal/glyphs"
	"github.com/edgeconv/edgeconv/internal/sysmem"
	"github.com/edgeconv/edgeconv/model"
)

// NotDigit is the class of an 11-class network that says "not a digit":
// letters, symbols, stroke fragments, paper edges, grid lines, fingers
// and smudges that the extractor hands over as candidates. It is the class
// that package model reads (model.NotDigit).
const NotDigit = model.NotDigit

// Synth describes the synthetic training samples mixed into MNIST: images
// rendered as the extractor presents its crops (MNIST-style 28x28 bytes,
// ink 255 on 0, longer side 20 pixels, centre of mass at the centre, strokes at
// least as wide as the extractor makes them), each a function of (seed,
// index) alone.
type Synth struct {
	Negatives int  // not-a-digit images (class NotDigit)
	Digits    int  // digits in the styles MNIST lacks, from fonts and drawn strokes
	Strokes   bool // augment every image toward marker and hairline strokes (StrokeAugment)
	// Prior, when positive, is the share of non-digits among the
	// candidates the model will meet; AdjustPrior moves the network's
	// NotDigit bias from the share it was trained at to it.
	Prior float64
}

// MaxSynth bounds each count of synthetic samples (Synth.Negatives,
// Synth.Digits, the held-out sets): 2^20, 820 MB of images.
const MaxSynth = 1 << 20

// Enabled reports whether s adds anything to a run.
func (s Synth) Enabled() bool { return s.Negatives > 0 || s.Digits > 0 || s.Strokes }

// Fonts are split in two: the training samples are drawn with one half,
// the held-out evaluation sets (HeldOutNegatives, HeldOutDigits) with the
// other, so that those measure fonts the network never saw.
var (
	trainOutlineFonts = []string{"Breip.ttf", "BecauseWeConnect-Regular.otf", "BecauseWeCreate-Regular.otf",
		"BecauseWeLearn-Regular.otf", "BecauseWeOrganize-Regular.otf", "ComicNeue-Regular.otf",
		"ComicNeue-Bold.otf", "DancingScript-Regular.otf", "KaushanScript-Regular.otf"}
	trainStrokeFonts = []string{"rowmans.jhf", "futural.jhf", "scripts.jhf", "cursive.jhf",
		"greeks.jhf", "mathlow.jhf", "timesr.jhf"}
	heldOutlineFonts = []string{"Kristi.ttf", "BecauseWeBuild-Regular.otf", "BecauseWeMentor-Regular.otf",
		"Humor-Sans.ttf"}
	heldStrokeFonts = []string{"scriptc.jhf", "futuram.jhf", "timesi.jhf"}
)

// The runes drawn as negatives. Left out, because a hand writes them like
// a digit (docs/DESIGN.md, "The not-a-digit class"): O o Q D ° (0), I l J
// | / \ ' " ` [ ] ι ↑ ↓ ⊥ ‖ (1), Z z ζ (2), ∃ (3), y Y (4), S s $ (5), b
// G ∂ δ σ (6), B β (8), g q (9), and θ Θ φ Φ (a slashed or barred 0).
const (
	negLetters = "acdefhijkmnprtuvwxACEFHKLMNPRTUVWX"
	negSymbols = "+-−×÷=()<>%?!#&*:;,.~^_√π∫±≠∞∑∏∈→←∴≦≧∝∇∪∩⊂⊃∠≡" +
		"αεηλμνπρτχψωΔΛΠΣΩΓ"
	// negPairs are letters that touch in maths and words: the pair is
	// one candidate when the extractor cannot split it.
	negPairs = "dxdtdydzaxexnxrtnmmnunrnetacea"
)

// synthFonts holds the fonts of one half (training or held out).
type synthFonts struct {
	outline, stroke, printed []*glyphs.Font
}

var (
	fontsOnce sync.Once
	fontsErr  error
	fontSets  [2]synthFonts // training, held out
)

func loadSynthFonts() ([2]synthFonts, error) {
	fontsOnce.Do(func() {
		load := func(names []string) []*glyphs.Font {
			var fs []*glyphs.Font
			for _, n := range names {
				f, err := glyphs.Embedded(n)
				if err != nil {
					fontsErr = err
					return nil
				}
				fs = append(fs, f)
			}
			return fs
		}
		var printed []*glyphs.Font
		for _, p := range []struct {
			name string
			data []byte
		}{{"goregular", goregular.TTF}, {"gobold", gobold.TTF}, {"goitalic", goitalic.TTF}, {"gomono", gomono.TTF}} {
			f, err := glyphs.ParseOutline(p.name, p.data)
			if err != nil {
				fontsErr = err
				return
			}
			printed = append(printed, f)
		}
		fontSets[0] = synthFonts{load(trainOutlineFonts), load(trainStrokeFonts), printed}
		fontSets[1] = synthFonts{load(heldOutlineFonts), load(heldStrokeFonts), printed}
	})
	return fontSets, fontsErr
}

// Seeds of the sample streams: each sample's generator is seeded by
// (seed ^ stream, index).
const (
	streamNegatives = 0x6e65670000000000
	streamDigits    = 0x6469670000000000
	streamHeldOut   = 0x00000000686c6400
)

// Synthesize renders s.Negatives negatives and s.Digits style digits into
// a dataset (negatives first) on the given number of goroutines. The
// result depends only on seed and the counts, not on workers.
func Synthesize(s Synth, seed uint64, workers int) (*Dataset, error) {
	return synthesize(s.Negatives, s.Digits, seed, false, workers)
}

// HeldOutNegatives renders n negatives from the fonts that training does
// not use and from a sample stream that training does not draw: the set
// that measures how often a network rejects what is not a digit.
func HeldOutNegatives(n int, seed uint64, workers int) (*Dataset, error) {
	return synthesize(n, 0, seed^streamHeldOut, true, workers)
}

// HeldOutDigits renders n digits from the fonts that training does not
// use: the set that measures the styles MNIST lacks.
func HeldOutDigits(n int, seed uint64, workers int) (*Dataset, error) {
	return synthesize(0, n, seed^streamHeldOut, true, workers)
}

func synthesize(negatives, digits int, seed uint64, heldOut bool, workers int) (*Dataset, error) {
	if negatives < 0 || digits < 0 || negatives > MaxSynth || digits > MaxSynth {
		return nil, fmt.Errorf("train: synthetic sample counts %d and %d must be between 0 and %d", negatives, digits, MaxSynth)
	}
	if err := sysmem.Check(fmt.Sprintf("train: %d synthetic samples", negatives+digits), 2*int64(negatives+digits)*model.Size); err != nil {
		return nil, err
	}
	if workers < 1 {
		workers = 1
	}
	sets, err := loadSynthFonts()
	if err != nil {
		return nil, err
	}
	fonts := &sets[0]
	if heldOut {
		fonts = &sets[1]
	}
	n := negatives + digits
	ds := &Dataset{Images: make([]uint8, n*784), Labels: make([]uint8, n), N: n, Rows: 28, Cols: 28}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := newRenderer()
			for i := w; i < n; i += workers {
				var rng *rand.Rand
				var label int
				if i < negatives {
					rng = rand.New(rand.NewPCG(seed^streamNegatives, uint64(i)))
					label = NotDigit
					r.negative(rng, fonts)
				} else {
					rng = rand.New(rand.NewPCG(seed^streamDigits, uint64(i-negatives)))
					label = r.digit(rng, fonts, heldOut)
				}
				ds.Labels[i] = uint8(label)
				for j, v := range r.out {
					ds.Images[i*784+j] = uint8(min(max(v, 0), 1)*255 + 0.5)
				}
			}
		}()
	}
	wg.Wait()
	return ds, nil
}

// Concat returns a dataset holding the samples of all the given ones in
// order (copied). They must have the same image size.
func Concat(sets ...*Dataset) (*Dataset, error) {
	out := &Dataset{}
	for i, d := range sets {
		if i == 0 {
			out.Rows, out.Cols = d.Rows, d.Cols
		} else if d.Rows != out.Rows || d.Cols != out.Cols {
			return nil, fmt.Errorf("train: cannot join %dx%d images to %dx%d ones", d.Rows, d.Cols, out.Rows, out.Cols)
		}
		out.Images = append(out.Images, d.Images[:d.N*d.Rows*d.Cols]...)
		out.Labels = append(out.Labels, d.Labels[:d.N]...)
		out.N += d.N
	}
	return out, nil
}

// renderer draws one sample at a time into out.
type renderer struct {
	img *image.Alpha
	out [784]float32
	tmp [784]float32
}

func newRenderer() *renderer { return &renderer{img: image.NewAlpha(image.Rect(0, 0, 28, 28))} }

func uni(rng *rand.Rand, a, b float64) float64 { return a + (b-a)*rng.Float64() }

// logUni draws from a log-uniform distribution on [a, b].
func logUni(rng *rand.Rand, a, b float64) float64 { return a * math.Exp(rng.Float64()*math.Log(b/a)) }

// penWidth draws a pen's width relative to the height of a digit: from a
// hairline ballpoint (1/60) to a broad marker (1/4).
func penWidth(rng *rand.Rand) float64 { return logUni(rng, 0.017, 0.24) }

// shape is what a sample generator produces: a glyph in page units (a
// digit is about 1 tall), how to draw it, and the ink's tone.
type shape struct {
	g *glyphs.Glyph
	// pen is the width of strokes, or for filled glyphs how much their
	// outline moves out (both in page units); either is raised where
	// the strokes would be thinner than the extractor makes them.
	pen float64
	// shade, when set, gives the ink's tone at a point of the 28x28 image
	// (fingers and smudges are not uniformly dark).
	shade func(x, y float64) float64
	// soft blurs the sample always (smudges have no edges).
	soft bool
}

// The extractor thickens strokes thinner than 2.3 pixels of the 28x28
// image with a square maximum filter (extract.Options.Stroke), so its
// crops have no thinner strokes: the floor is drawn around that.
const (
	minStrokeLo = 2.0
	minStrokeHi = 2.8
)

// render draws sh MNIST-style into r.out, distorted by a random affine
// map and blurred at random.
func (r *renderer) render(rng *rand.Rand, sh shape) {
	// A hand's slant, rotation and proportions.
	d := glyphs.Rotate(uni(rng, -12, 12) * math.Pi / 180).
		Then(glyphs.Shear(uni(rng, -0.25, 0.25))).
		Then(glyphs.Scale(uni(rng, 0.8, 1.2), 1))
	g := sh.g.Transform(d)
	pen := sh.pen
	floor := uni(rng, minStrokeLo, minStrokeHi)
	var m glyphs.Affine
	var pixPen float64
	// Fit the longer side to 20 pixels, then thicken to the floor (the
	// box grows with the pen), then place the centre of mass at the
	// centre: a few passes, since each changes the other.
	place := func(cx, cy float64) {
		b := g.Bounds(glyphs.Identity, pen)
		L := math.Max(b.Dx(), b.Dy())
		k := 20 / L
		pixPen = pen * k
		m = glyphs.Translate(-(b.Min.X+b.Max.X)/2, -(b.Min.Y+b.Max.Y)/2).
			Then(glyphs.Scale(k, k)).Then(glyphs.Translate(cx, cy))
	}
	place(14, 14)
	r.draw(g, m, pixPen)
	inked := func(x, y int) bool { return r.img.Pix[y*r.img.Stride+x] >= 128 }
	if sw := strokeWidth(28, 28, inked); sw < floor {
		pen += (floor - sw) / m[0] // m[0] is the scale: g is already distorted
		place(14, 14)
		r.draw(g, m, pixPen)
	}
	for range 2 {
		cx, cy, ok := centreOfMass(r.img)
		if !ok {
			break
		}
		m[2] += 14 - cx
		m[5] += 14 - cy
		r.draw(g, m, pixPen)
	}
	for i, v := range r.img.Pix {
		r.out[i] = float32(v) / 255
	}
	if sh.shade != nil {
		for i := range r.out {
			r.out[i] *= float32(sh.shade(float64(i%28)+0.5, float64(i/28)+0.5))
		}
	}
	u := rng.Float64()
	if sh.soft {
		u = 0.5
	}
	switch {
	case u < 0.45:
		blur3(r.out[:], r.tmp[:], 28, 28)
	case u < 0.55:
		blur3(r.out[:], r.tmp[:], 28, 28)
		blur3(r.out[:], r.tmp[:], 28, 28)
	}
	// The extractor stretches the brightest pixel to 1.
	var peak float32
	for _, v := range r.out {
		peak = max(peak, v)
	}
	if peak > 0 {
		for i := range r.out {
			r.out[i] = min(r.out[i]/peak, 1)
		}
	}
}

func (r *renderer) draw(g *glyphs.Glyph, m glyphs.Affine, pen float64) {
	clear(r.img.Pix)
	g.Draw(r.img, m, pen)
}

// strokeWidth estimates the width of the ink's strokes in pixels as the
// extractor does: 2·area/perimeter of the inked pixels of a w×h image
// (on says which are).
func strokeWidth(w, h int, on func(x, y int) bool) float64 {
	area, edges := 0, 0
	for y := range h {
		for x := range w {
			if !on(x, y) {
				continue
			}
			area++
			for _, d := range [4][2]int{{-1, 0}, {1, 0}, {0, -1}, {0, 1}} {
				if nx, ny := x+d[0], y+d[1]; nx < 0 || ny < 0 || nx >= w || ny >= h || !on(nx, ny) {
					edges++
				}
			}
		}
	}
	if edges == 0 {
		return 0
	}
	return 2 * float64(area) / float64(edges)
}

// centreOfMass returns the ink's centre of mass in continuous coordinates
// (pixel i covers [i, i+1)).
func centreOfMass(img *image.Alpha) (x, y float64, ok bool) {
	var s, sx, sy float64
	w := img.Rect.Dx()
	for i, v := range img.Pix {
		f := float64(v)
		s += f
		sx += f * (float64(i%w) + 0.5)
		sy += f * (float64(i/w) + 0.5)
	}
	if s == 0 {
		return 0, 0, false
	}
	return sx / s, sy / s, true
}

// AdjustPrior shifts the bias of the NotDigit output by
// ln(Prior/share) − ln((1−Prior)/(1−share)), where share is the fraction
// of negatives in the training set: Bayes' rule for a change of the
// class prior (the network's softmax estimates the posterior at the
// training prior). It does nothing when Synth.Prior is 0. Run calls it
// once, when the last step is done, before the final evaluation.
func (t *Trainer) AdjustPrior() {
	p := t.Synth.Prior
	if p <= 0 || t.Synth.Negatives == 0 {
		return
	}
	share := float64(t.Synth.Negatives) / float64(t.trainSet.N)
	shift := math.Log(p/share) - math.Log((1-p)/(1-share))
	ts := t.Net.Tensors()
	bias := ts[len(ts)-1]
	t.Net.Params[bias.Off+NotDigit] += float32(shift)
	t.Net.ParamsChanged()
}
