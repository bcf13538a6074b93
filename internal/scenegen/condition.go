package scenegen

import (
	"fmt"
	"image"
	"math"
	"math/rand/v2"

	"golang.org/x/image/draw"
	"golang.org/x/image/math/f64"
)

// Condition is one cause of misreading that scenes can be rendered under,
// alone: everything else about its scenes is mild (black or blue ink on
// pale paper, a little rotation, light noise, good JPEG), so that a
// condition's accuracy measures its cause.
type Condition struct {
	// Name is short, for test names and flags: "colour", "pencil".
	Name string
	// Doc says what the scenes show.
	Doc    string
	render func(rng *rand.Rand, m *MNIST, w, h int) *Scene
}

// Render renders one scene of the condition at w×h (the tight crops and
// the webcam choose their own size) from the MNIST digits m.
func (c Condition) Render(rng *rand.Rand, m *MNIST, w, h int) *Scene {
	sc := c.render(rng, m, w, h)
	sc.Info.Condition = c.Name
	return sc
}

// Conditions are the causes of misreading seen in real photos and webcam
// frames, as scenes can render them. The first, plain, is the control.
var Conditions = []Condition{
	{"plain", "black or blue ink on white paper, MNIST strokes: the control", generateWith(plain)},
	{"colour", "red, orange, green, blue or violet pens, 1.5-3.5 px, on white, yellow, grey or pink paper", generateWith(colourInk)},
	{"pencil", "grey pencil, grainy and faint, in dim warm light", generateWith(pencil)},
	{"hairline", "a hairline pen, strokes 0.7 to 1.3 px wide", generateWith(hairline)},
	{"marker", "a thick marker, strokes 12% to 22% of the digit height", generateWith(marker)},
	{"grid", "squared paper, squares 0.55 to 1 digit high, sometimes a margin line", generateWith(grid)},
	{"ruled", "ruled paper, the digits on the lines, sometimes a margin line", generateWith(ruled)},
	{"crop", "one digit filling a 40-80 px image, touching or nearly touching its border, sometimes on squared paper", renderCrop},
	{"webcam", "640x480 webcam frames: vignetting, blur, noise, warm or cold white balance, strong JPEG", generateWith(webcam)},
	{"sheet", "the sheet's edge or corner on a dark or textured table, fingers holding it", generateWith(sheet)},
	{"tilted", "lines tilted 10 to 40 degrees, the page rotated or the lines rising with upright digits", renderTilted},
	{"letters", "handwritten letters and maths symbols among the digits, in handwriting fonts", generateWith(lettersAmong)},
	{"defocus", "a light ballpoint written small, out of focus or downscaled: strokes 1 to 2 px, blurred by 0.8 to 1.6 px", generateWith(defocus)},
	{"boxes", "a form: one digit a box, separate boxes or a comb, the digits up to touching their boxes", generateWith(formBoxed)},
	{"dim", "a dim room: sensor noise of 12 to 24 grey levels, the light at half to three quarters", generateWith(dim)},
	{"sharpened", "webcam frames that the camera sharpened (an unsharp mask of 1 to 2 px, amount 1 to 2) on paper at 45% to 70% light: a bright halo beside the strokes", generateWith(sharpened)},
}

// ConditionNamed returns the condition called name.
func ConditionNamed(name string) (Condition, error) {
	for _, c := range Conditions {
		if c.Name == name {
			return c, nil
		}
	}
	return Condition{}, fmt.Errorf("scenegen: no condition %q", name)
}

// generateWith renders with Generate, the family made by params.
func generateWith(params func(w, h int) Params) func(*rand.Rand, *MNIST, int, int) *Scene {
	return func(rng *rand.Rand, m *MNIST, w, h int) *Scene { return Generate(rng, m, params(w, h)) }
}

var (
	darkInks    = [][3]float64{{25, 25, 30}, {30, 50, 160}, {20, 30, 90}}
	whitePapers = [][3]float64{{240, 240, 236}, {246, 238, 214}, {228, 228, 224}}
	// Coloured pens as a camera sees them: saturated, and lighter than
	// black or dark blue; each a strong and a light (felt-tip) variant,
	// and the palest red and orange, which nearly vanish in luma.
	colourInks = [][3]float64{
		{215, 40, 45}, {235, 90, 85}, {240, 125, 130}, // red
		{245, 135, 30}, {252, 170, 60}, {250, 188, 105}, // orange
		{40, 160, 70}, {105, 195, 100}, // green
		{35, 75, 200}, {80, 130, 225}, // blue
		{130, 60, 190}, {175, 110, 215}, // violet
	}
	colourPapers = [][3]float64{
		{242, 242, 238}, // white
		{248, 238, 150}, // yellow
		{200, 200, 196}, // grey
		{246, 214, 222}, // pink
	}
	pencilInks = [][3]float64{{105, 105, 112}, {125, 125, 130}, {145, 145, 150}}
	// Ballpoints as a phone sees a thin line: lighter than the ink.
	ballpointInks = [][3]float64{{90, 100, 150}, {100, 100, 110}, {70, 85, 170}}
)

// plain is the control: everything mild.
func plain(w, h int) Params {
	return Params{Width: w, Height: h, MinDigitH: 20, MaxDigitH: 50, MaxRotate: 4, Perspective: 0.05,
		Colour: true, Inks: darkInks, Papers: whitePapers, Light: [2]float64{0.75, 1}, MaxNoise: 3,
		JPEGQuality: [2]int{70, 92}}
}

func colourInk(w, h int) Params {
	p := plain(w, h)
	p.Inks, p.Papers = colourInks, colourPapers
	p.Pen = [2]float64{1.5, 3.5} // ballpoints and felt-tips
	return p
}

func pencil(w, h int) Params {
	p := plain(w, h)
	p.Inks = pencilInks
	p.Pen, p.Grain = [2]float64{1.2, 2.6}, 0.6
	p.Light, p.WhiteBalance = [2]float64{0.5, 0.8}, 0.15
	p.MinNoise, p.MaxNoise = 2, 5
	return p
}

func hairline(w, h int) Params {
	p := plain(w, h)
	p.Pen = [2]float64{0.7, 1.3}
	p.MaxDigitH = 60
	return p
}

func marker(w, h int) Params {
	p := plain(w, h)
	p.Pen, p.PenRel = [2]float64{0.12, 0.22}, true
	p.MinDigitH, p.MaxDigitH = 25, 90
	return p
}

func grid(w, h int) Params {
	p := plain(w, h)
	p.Grid, p.Margin = true, true
	return p
}

func ruled(w, h int) Params {
	p := plain(w, h)
	p.AlwaysRuled, p.Margin = true, true
	return p
}

func webcam(_, _ int) Params {
	p := plain(640, 480)
	p.MinDigitH, p.MaxDigitH = 25, 70
	p.Shadows = true
	p.Vignette, p.Blur = [2]float64{0.3, 0.65}, [2]float64{0.6, 1.6}
	p.MinNoise, p.MaxNoise = 3, 8
	p.WhiteBalance, p.Light = 0.25, [2]float64{0.6, 0.95}
	p.JPEGQuality = [2]int{40, 80}
	return p
}

// sharpened is a webcam whose processing sharpens what it delivers, as
// cheap webcams, the Pi's camera and phones do, by more than the
// development photos show.
func sharpened(w, h int) Params {
	p := webcam(w, h)
	p.Sharpen = [2]float64{1, 2}
	p.Light = [2]float64{0.45, 0.7}
	return p
}

func sheet(w, h int) Params {
	p := plain(w, h)
	p.MinDigitH, p.MaxDigitH = 18, 45
	p.MaxRotate = 15
	p.Sheet, p.Fingers = true, 3
	return p
}

// defocus is a photo whose thin strokes the optics or a downscale have
// spread into faint grey: the thinner a stroke, the more contrast it loses,
// so that a 1 fades where a 4's crossing stays dark.
func defocus(w, h int) Params {
	p := plain(w, h)
	p.Inks, p.Pen = ballpointInks, [2]float64{1, 2}
	p.MinDigitH, p.MaxDigitH = 18, 40
	p.Blur = [2]float64{0.8, 1.6}
	return p
}

// dim is a webcam or a phone in a dim room: its gain raises the sensor's
// noise until the grain on the paper is as dark as faint ink.
func dim(w, h int) Params {
	p := plain(w, h)
	p.MinNoise, p.MaxNoise = 12, 24
	p.Light = [2]float64{0.5, 0.75}
	return p
}

func formBoxed(w, h int) Params {
	p := plain(w, h)
	p.Boxes = true
	return p
}

func lettersAmong(w, h int) Params {
	p := plain(w, h)
	p.Letters = 0.4
	return p
}

// renderTilted rotates the page by 10 to 40 degrees, or (half the
// scenes) makes the lines rise by as much with the digits upright.
func renderTilted(rng *rand.Rand, m *MNIST, w, h int) *Scene {
	p := plain(w, h)
	if rng.IntN(2) == 0 {
		p.MinRotate, p.MaxRotate = 10, 40
	} else {
		p.Slope = [2]float64{10, 40}
	}
	return Generate(rng, m, p)
}

// renderCrop renders a tight crop: one digit filling a small image, 40 to
// 80 pixels tall, its ink 0 to 3 pixels from the top and bottom edges (the
// sides have more room when the digit is narrow), on plain or squared
// paper, as a phone photo cropped around one digit.
func renderCrop(rng *rand.Rand, m *MNIST, _, _ int) *Scene {
	uni := func(a, b float64) float64 { return a + (b-a)*rng.Float64() }
	var idx int
	var img []uint8
	var gx0, gy0, gx1, gy1 int
	for {
		idx = rng.IntN(m.N)
		img = m.Image(idx)
		if gx0, gy0, gx1, gy1 = inkBox(img); gx1 > gx0 {
			break
		}
	}
	H := 40 + rng.IntN(41)
	mt, mb, ml, mr := rng.IntN(4), rng.IntN(4), rng.IntN(4), rng.IntN(4)
	phi := uni(-5, 5) * math.Pi / 180
	weight := uni(-0.3, 0.5)
	var pen penStyle
	var field *penField
	// The digit's height decides the scale, so that its ink spans the
	// crop's height less the margins.
	s := float64(H-mt-mb) / float64(gy1-gy0)
	if rng.IntN(2) == 0 {
		pen.width = uni(0.06, 0.14) * float64(H)
		field = newPenField(img)
	}
	cs, sn := s*math.Cos(phi), s*math.Sin(phi)
	aff := f64.Aff3{cs, -sn, 0, sn, cs, 0}
	var ident homography = [9]float64{1, 0, 0, 0, 1, 0, 0, 0, 1}
	fb := func() [4]float64 {
		if field != nil {
			return pen.box(field, aff, s, ident)
		}
		return mnistBox(img, weight, aff, ident)
	}
	b := fb()
	// Scale again so that the rotated ink is as tall as wanted, then
	// shift it into place.
	k := float64(H-mt-mb) / (b[3] - b[1])
	s *= k
	cs, sn = s*math.Cos(phi), s*math.Sin(phi)
	aff = f64.Aff3{cs, -sn, 0, sn, cs, 0}
	b = fb()
	inkW := b[2] - b[0]
	W := max(int(math.Ceil(inkW))+ml+mr, int(uni(0.55, 1.0)*float64(H)))
	left := float64(ml) + (float64(W-ml-mr)-inkW)*uni(0.3, 0.7)
	aff[2], aff[5] = left-b[0], float64(mt)-b[1]
	box := intBox(fb())
	for i, lim := range [4]int{0, 0, W, H} {
		if i < 2 {
			box[i] = max(box[i], lim)
		} else {
			box[i] = min(box[i], lim)
		}
	}
	page := image.NewAlpha(image.Rect(0, 0, W, H))
	if field != nil {
		pen.draw(page, field, aff, s)
	} else {
		glyph := image.NewAlpha(image.Rect(0, 0, 28, 28))
		for i, v := range img {
			glyph.Pix[i] = adjust(v, weight)
		}
		draw.CatmullRom.Transform(page, aff, glyph, glyph.Rect, draw.Over, nil)
	}
	d := int(m.Labels[idx])
	sc := &Scene{Text: string(rune('0' + d)), Digits: []Truth{{Digit: d, Box: box, Index: idx}}}
	sc.Info.DigitH, sc.Info.Rotate, sc.Info.InkShift, sc.Info.Pen = float64(H-mt-mb), phi*180/math.Pi, weight, pen.width

	lk := look{paper: whitePapers[rng.IntN(len(whitePapers))], ink: darkInks[rng.IntN(len(darkInks))],
		pageR: image.Rect(-W, -H, 2*W, 2*H)}
	lk.base = uni(0.7, 1)
	lk.grad, lk.gdir = uni(0, 0.4), uni(0, 2*math.Pi)
	lk.noise = uni(0.5, 4)
	if rng.IntN(3) == 0 {
		lk.gridPitch = float64(H) * uni(0.3, 0.6)
		lk.gridOX, lk.gridOY = uni(0, lk.gridPitch), uni(0, lk.gridPitch)
		lk.gridCol = [3]float64{uni(140, 190), uni(175, 210), uni(215, 245)}
		lk.gridW, lk.gridA = uni(0.8, 1.6), uni(0.35, 0.75)
		sc.Info.Grid = true
	}
	for i := range 3 {
		sc.Info.Paper[i], sc.Info.Ink[i] = int(lk.paper[i]), int(lk.ink[i])
	}
	sc.Info.Noise = lk.noise
	rgb := lk.render(rng, page, ident, W, H, true, pen)
	sc.finish(rng, rgb, Params{Blur: [2]float64{0, 0.8}, JPEGQuality: [2]int{50, 95}})
	return sc
}

// CleanSheet is a family of clean sheets of paper to film with Record:
// the control condition, without rotation, perspective or compression.
func CleanSheet(w, h int) Params {
	p := plain(w, h)
	p.MinDigitH, p.MaxDigitH = 28, 45
	p.MaxRotate, p.Perspective, p.MaxNoise = 0, 0, 0.5
	p.JPEGQuality = [2]int{}
	return p
}
