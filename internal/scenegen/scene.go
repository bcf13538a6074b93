package scenegen

import (
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"strings"

	"golang.org/x/image/draw"
	"golang.org/x/image/math/f64"
)

// Params describes the family of scenes to draw from. Every random choice
// is made within these bounds. The zero value of each field added after
// Ruled leaves its feature off, and a feature that is off draws nothing
// from the random source, so that a family's scenes stay the same when
// features are added.
type Params struct {
	Width, Height int
	// MinDigitH and MaxDigitH bound the digits' ink height in pixels; one
	// height is drawn per scene and varied by ±15% per digit.
	MinDigitH, MaxDigitH int
	// MaxRotate is the largest rotation of the page in degrees.
	MaxRotate float64
	// Perspective is the largest foreshortening across the frame (0.1 is
	// 10%).
	Perspective float64
	// Colour draws coloured paper and ink instead of black on white.
	Colour bool
	// Shadows adds lighting gradients, vignetting and a soft shadow.
	Shadows bool
	// MaxNoise is the largest standard deviation of the sensor noise, in
	// grey levels per channel.
	MaxNoise float64
	// JPEG compresses most scenes with a quality between 40 and 92.
	JPEG bool
	// Table shows a dark table around a page smaller than the frame.
	Table bool
	// Ruled draws ruled lines (a notebook page) under a third of the
	// scenes.
	Ruled bool

	// MinRotate, when set, is the smallest rotation of the page in
	// degrees: the rotation's size is drawn between MinRotate and
	// MaxRotate, its sign at random.
	MinRotate float64
	// Slope, when set, bounds the rise of the lines of text in degrees
	// (one angle per scene, its sign at random) while the digits stay
	// upright, as people write on blank paper.
	Slope [2]float64
	// Inks and Papers, when set, replace the colours Colour draws from.
	Inks, Papers [][3]float64
	// Pen, when set, bounds the width of a round pen in pixels (one width
	// per scene): each digit is its MNIST image's skeleton stroked with
	// that pen, from a hairline to a marker, instead of the MNIST grey
	// levels scaled up. PenRel gives the widths as fractions of the digit
	// height instead.
	Pen    [2]float64
	PenRel bool
	// Grain, 0 to 1, breaks pen strokes up as graphite on paper does.
	Grain float64
	// AlwaysRuled draws ruled lines under every scene; Grid draws squared
	// paper; Margin adds a notebook's red margin line to half of those.
	AlwaysRuled, Grid, Margin bool
	// Light, when set, bounds the brightness of the light (default 0.8 to
	// 1).
	Light [2]float64
	// MinNoise, when set, is the smallest sensor noise.
	MinNoise float64
	// Vignette, when set, bounds the darkening of the corners (it
	// replaces Shadows' vignetting).
	Vignette [2]float64
	// WhiteBalance is the largest colour cast of the light, warm or cold
	// (0.2 is ±20% on red and blue).
	WhiteBalance float64
	// Blur, when set, bounds the standard deviation in pixels of a
	// Gaussian blur (focus), applied before compression.
	Blur [2]float64
	// Sharpen, when set, bounds the amount of an unsharp mask of 1 to 2
	// pixels (a camera's own sharpening, which lifts the paper beside
	// every stroke into a bright halo), applied after the blur and before
	// compression.
	Sharpen [2]float64
	// JPEGQuality, when set, compresses every scene with a quality drawn
	// in this range (instead of JPEG's choice).
	JPEGQuality [2]int
	// Sheet shows a sheet smaller than the frame, on a dark or textured
	// table, with its edge or a corner in view; Fingers is the largest
	// number of fingers holding the sheet, overlapping its edge (none on
	// a digit).
	Sheet   bool
	Fingers int
	// Letters, when set, is the share of the written marks that are
	// handwritten letters and maths symbols (in an embedded handwriting
	// font) rather than digits; they are not in the scene's text.
	Letters float64
	// Boxes writes each digit in a box of its own, as a form asks: per
	// line either separate boxes or a comb (one frame split by dividers),
	// drawn with the ink's colour by a 1 to 3 pixel pen; a digit may touch
	// its box.
	Boxes bool
}

// Hard is the family used to test the extractor: everything on.
func Hard(w, h int) Params {
	return Params{Width: w, Height: h, MinDigitH: 15, MaxDigitH: 60, MaxRotate: 10,
		Perspective: 0.12, Colour: true, Shadows: true, MaxNoise: 6, JPEG: true, Table: true,
		Ruled: true}
}

// Truth is one digit of a scene.
type Truth struct {
	Digit int    `json:"digit"`
	Line  int    `json:"line"`
	Box   [4]int `json:"box"` // x0, y0, x1, y1 (exclusive) in frame pixels
	Index int    `json:"mnist_index"`
}

// Rect returns the truth's box.
func (t Truth) Rect() image.Rectangle {
	return image.Rect(t.Box[0], t.Box[1], t.Box[2], t.Box[3])
}

// Mark is a letter or symbol written among a scene's digits: what a
// reader must not read as a digit.
type Mark struct {
	Rune string `json:"rune"`
	Line int    `json:"line"`
	Box  [4]int `json:"box"` // x0, y0, x1, y1 (exclusive) in frame pixels
}

// Rect returns the mark's box.
func (m Mark) Rect() image.Rectangle {
	return image.Rect(m.Box[0], m.Box[1], m.Box[2], m.Box[3])
}

// Scene is a rendered frame and its ground truth.
type Scene struct {
	Gray *image.Gray `json:"-"` // the camera's Y plane (BT.601 luma)
	// YCbCr is the frame as a camera or a JPEG file delivers it: 4:2:0,
	// full range (JFIF), its Y plane equal to Gray.
	YCbCr  *image.YCbCr `json:"-"`
	RGB    *image.RGBA  `json:"-"`    // the colour rendering (before JPEG)
	Text   string       `json:"text"` // lines joined by "\n"
	Digits []Truth      `json:"digits"`
	Marks  []Mark       `json:"marks,omitempty"` // letters and symbols among the digits
	Info   SceneSummary `json:"info"`
}

// Want returns the scene's digits in reading order, without line breaks.
func (sc *Scene) Want() string { return strings.ReplaceAll(sc.Text, "\n", "") }

// SceneSummary records the random choices of a scene.
type SceneSummary struct {
	Condition string  `json:"condition,omitempty"`
	DigitH    float64 `json:"digit_h"`
	Rotate    float64 `json:"rotate_deg"`
	Slope     float64 `json:"slope_deg,omitempty"`
	Noise     float64 `json:"noise"`
	JPEG      int     `json:"jpeg_quality"`
	Paper     [3]int  `json:"paper"`
	Ink       [3]int  `json:"ink"`
	InkShift  float64 `json:"ink_weight"`
	Pen       float64 `json:"pen_px,omitempty"`
	Blur      float64 `json:"blur,omitempty"`
	Sharpen   float64 `json:"sharpen,omitempty"`
	Ruled     bool    `json:"ruled,omitempty"`
	Grid      bool    `json:"grid,omitempty"`
	Fingers   int     `json:"fingers,omitempty"`
}

var papers = [][3]float64{
	{240, 240, 236}, {246, 238, 214}, {246, 236, 140}, {212, 222, 232}, {246, 218, 222}, {228, 228, 224},
}

var inks = [][3]float64{
	{25, 25, 30}, {30, 50, 160}, {20, 30, 90}, {160, 30, 35}, {20, 100, 45}, {95, 95, 100},
	{118, 118, 124}, // pencil
}

// Generate renders one scene of family p from the MNIST digits m (use the
// test set), drawing every choice from rng.
func Generate(rng *rand.Rand, m *MNIST, p Params) *Scene {
	W, H := p.Width, p.Height
	uni := func(a, b float64) float64 { return a + (b-a)*rng.Float64() }
	sc := &Scene{}
	dh := uni(float64(p.MinDigitH), float64(p.MaxDigitH))
	sc.Info.DigitH = dh
	theta := uni(-p.MaxRotate, p.MaxRotate) * math.Pi / 180
	if p.MinRotate > 0 {
		theta = uni(p.MinRotate, p.MaxRotate) * math.Pi / 180
		if rng.IntN(2) == 0 {
			theta = -theta
		}
	}
	sc.Info.Rotate = theta * 180 / math.Pi
	kx := uni(-p.Perspective, p.Perspective) / (float64(W) / 2)
	ky := uni(-p.Perspective, p.Perspective) / (float64(H) / 2)
	hm := pageToFrame(float64(W)/2, float64(H)/2, theta, kx, ky)
	inv := hm.inverse()

	// Ink weight: negative thins the strokes (a fine pen), positive
	// thickens them (a marker).
	weight := uni(-0.3, 0.5)
	sc.Info.InkShift = weight
	pen := newPen(rng, p, dh)
	sc.Info.Pen = pen.width

	// The sheet, when smaller than the frame, and the area to write on.
	area := [4]float64{0, 0, float64(W), float64(H)}
	var sheetR image.Rectangle
	if p.Sheet {
		sheetR = drawSheet(rng, W, H)
		area = [4]float64{math.Max(0, float64(sheetR.Min.X)), math.Max(0, float64(sheetR.Min.Y)),
			math.Min(float64(W), float64(sheetR.Max.X)), math.Min(float64(H), float64(sheetR.Max.Y))}
	}
	aw, ah := area[2]-area[0], area[3]-area[1]
	slope := 0.0
	if p.Slope[1] > 0 {
		a := uni(p.Slope[0], p.Slope[1])
		if rng.IntN(2) == 0 {
			a = -a
		}
		sc.Info.Slope = a
		slope = -math.Tan(a * math.Pi / 180) // rising lines go up the frame
	}

	// Layout in page coordinates, line by line.
	page := image.NewAlpha(image.Rect(0, 0, W, H))
	marginX := 0.06*aw + 0.3*dh
	marginY := 0.06*ah + 0.3*dh
	lineLen := aw - 2*marginX
	if slope != 0 {
		lineLen = math.Min(lineLen, 0.5*ah/math.Abs(slope))
	}
	rise := math.Abs(slope) * lineLen
	y := area[1] + marginY + uni(0, dh)
	if slope < 0 {
		y += rise
	}
	var lines []string
	var bases []float64 // each line's baseline, for ruled paper
	glyph := image.NewAlpha(image.Rect(0, 0, 28, 28))
	var letters *letterPen
	if p.Letters > 0 {
		letters = newLetterPen(rng, dh)
	}
	var boxes *formBoxes
	if p.Boxes {
		boxes = &formBoxes{pen: uni(1, 3)}
	}
	for ln := 0; ; ln++ {
		lh := dh * uni(0.9, 1.1)
		if y+lh+math.Max(0, slope*lineLen) > area[3]-marginY {
			break
		}
		x := area[0] + marginX + uni(0, 3*lh)
		x0 := x
		n := 3 + rng.IntN(max(2, int(aw*0.8/lh/1.1)-2))
		if boxes != nil {
			boxes.line(rng, y, lh)
		}
		var text strings.Builder
		for k := 0; k < n; k++ {
			if letters != nil && rng.Float64() < p.Letters {
				if x > area[2]-marginX-lh || slope != 0 && x > x0+lineLen-lh {
					break
				}
				wd, mark := letters.place(rng, page, x, y+slope*(x-x0), lh, hm, W, H)
				if wd > 0 {
					mark.Line = len(lines)
					sc.Marks = append(sc.Marks, mark)
				}
				x += wd + lh*uni(0.25, 0.6)
				continue
			}
			idx := rng.IntN(m.N)
			img := m.Image(idx)
			gx0, gy0, gx1, gy1 := inkBox(img)
			if gx1 <= gx0 {
				continue
			}
			h := lh * uni(0.87, 1.13)
			// Scale by the longer side, as MNIST was normalised: wide
			// digits come out a little shorter, as people write them.
			s := h / float64(max(gy1-gy0, gx1-gx0))
			wd := s * float64(gx1-gx0)
			// advance moves x to the next mark (drawing from rng as the
			// family without boxes always has, after the digit).
			advance := func() { x += wd + lh*uni(0.25, 0.6) }
			if boxes != nil {
				wd = boxes.cellW
				advance = func() { x += boxes.cellW + boxes.gap }
			}
			if x+wd > area[2]-marginX || slope != 0 && x+wd > x0+lineLen {
				break
			}
			phi := uni(-6, 6) * math.Pi / 180
			cx, cy := x+wd/2, y+lh/2+uni(-0.08, 0.08)*lh+slope*(x+wd/2-x0)
			if boxes != nil {
				// Anywhere in its box, touching a side at the most.
				cx += uni(-0.12, 0.12) * boxes.cellW
				cy += uni(-0.1, 0.1) * lh
			}
			gcx, gcy := float64(gx0+gx1)/2, float64(gy0+gy1)/2
			cs, sn := s*math.Cos(phi), s*math.Sin(phi)
			aff := f64.Aff3{cs, -sn, cx - (cs*gcx - sn*gcy), sn, cs, cy - (sn*gcx + cs*gcy)}
			var field *penField
			var fb [4]float64
			if pen.on() {
				field = newPenField(img)
				fb = pen.box(field, aff, s, hm)
			} else {
				fb = mnistBox(img, weight, aff, hm)
			}
			box := intBox(fb)
			if box[0] < 4 || box[1] < 4 || box[2] > W-4 || box[3] > H-4 || p.Sheet && !insideSheet(box, sheetR, inv) {
				advance()
				continue
			}
			if boxes != nil {
				boxes.cell(page, x)
			}
			if pen.on() {
				pen.draw(page, field, aff, s)
			} else {
				for i, v := range img {
					glyph.Pix[i] = adjust(v, weight)
				}
				draw.CatmullRom.Transform(page, aff, glyph, glyph.Rect, draw.Over, nil)
			}
			d := int(m.Labels[idx])
			sc.Digits = append(sc.Digits, Truth{Digit: d, Line: len(lines), Box: box, Index: idx})
			text.WriteByte(byte('0' + d))
			advance()
		}
		if boxes != nil {
			boxes.end(page)
		}
		if text.Len() > 0 {
			lines = append(lines, text.String())
			bases = append(bases, y+lh*1.12)
		}
		switch {
		case slope != 0:
			y += lh * uni(1.55, 2.2) / math.Sqrt(1/(1+slope*slope))
		case boxes != nil:
			// A form leaves room between its rows of boxes.
			y += lh * uni(1.55, 2.2) * 1.25
		default:
			y += lh * uni(1.55, 2.2)
		}
	}
	sc.Text = strings.Join(lines, "\n")

	// Colours and light.
	var lk look
	lk.paper, lk.ink = papers[0], inks[0]
	if p.Colour {
		ps, is := papers, inks
		if p.Papers != nil {
			ps = p.Papers
		}
		if p.Inks != nil {
			is = p.Inks
		}
		lk.paper, lk.ink = ps[rng.IntN(len(ps))], is[rng.IntN(len(is))]
	}
	for i := range 3 {
		sc.Info.Paper[i], sc.Info.Ink[i] = int(lk.paper[i]), int(lk.ink[i])
	}
	lk.table = [3]float64{uni(30, 90), uni(30, 80), uni(25, 70)}
	lk.pageR = image.Rect(-W, -H, 2*W, 2*H)
	if p.Table && rng.IntN(2) == 0 {
		mx, my := int(uni(-0.02, 0.05)*float64(W)), int(uni(-0.02, 0.05)*float64(H))
		lk.pageR = image.Rect(mx, my, W-mx, H-my)
	}
	if p.Light[1] > 0 {
		lk.base = uni(p.Light[0], p.Light[1])
	} else {
		lk.base = uni(0.8, 1.0)
	}
	if p.Shadows {
		lk.grad, lk.gdir, lk.vig = uni(0, 0.7), uni(0, 2*math.Pi), uni(0, 0.35)
		if rng.IntN(2) == 0 {
			lk.shDepth, lk.shSoft = uni(0.2, 0.55), uni(3, 60)
			a := uni(0, 2*math.Pi)
			lk.shA, lk.shB = math.Cos(a), math.Sin(a)
			lk.shC = -(lk.shA*uni(0.2, 0.8)*float64(W) + lk.shB*uni(0.2, 0.8)*float64(H))
		}
	}
	lk.noise = uni(math.Max(0.5, p.MinNoise), math.Max(p.MaxNoise, 0.5))
	sc.Info.Noise = lk.noise
	// Ruled paper: lines at the text's baselines and at the same pitch
	// above and below, across the page.
	if len(bases) >= 1 && (p.AlwaysRuled || p.Ruled && len(bases) >= 2 && rng.IntN(3) == 0) {
		pitch := dh * 1.9
		if len(bases) >= 2 {
			pitch = (bases[len(bases)-1] - bases[0]) / float64(len(bases)-1)
		}
		for y := bases[0]; y > 0; y -= pitch {
			lk.rules = append(lk.rules, y)
		}
		for y := bases[0] + pitch; y < float64(H); y += pitch {
			lk.rules = append(lk.rules, y)
		}
		lk.ruleCol = [3]float64{uni(120, 190), uni(150, 200), uni(200, 240)}
		lk.ruleW, lk.ruleA = uni(1, 2.5), uni(0.4, 0.9)
		sc.Info.Ruled = true
	}
	lk.drawFeatures(rng, p, dh, area)
	sc.Info.Grid = lk.gridPitch > 0
	if p.Sheet {
		lk.pageR = sheetR
		lk.tableTexture(rng)
		lk.fingers = drawFingers(rng, p.Fingers, sheetR, hm, sc.Digits, W, H)
		sc.Info.Fingers = len(lk.fingers)
	}
	rgb := lk.render(rng, page, inv, W, H, p.Shadows, pen)
	sc.finish(rng, rgb, p)
	return sc
}

// finish blurs, compresses and converts the colour rendering into the
// scene's frames, as p asks.
func (sc *Scene) finish(rng *rand.Rand, rgb *image.RGBA, p Params) {
	if p.Blur[1] > 0 {
		sc.Info.Blur = p.Blur[0] + (p.Blur[1]-p.Blur[0])*rng.Float64()
		gaussBlur(rgb, sc.Info.Blur)
	}
	if p.Sharpen[1] > 0 {
		sc.Info.Sharpen = p.Sharpen[0] + (p.Sharpen[1]-p.Sharpen[0])*rng.Float64()
		unsharp(rgb, 1+rng.Float64(), sc.Info.Sharpen)
	}
	sc.RGB = rgb
	q := 0
	switch {
	case p.JPEGQuality[1] > 0:
		q = p.JPEGQuality[0] + rng.IntN(p.JPEGQuality[1]-p.JPEGQuality[0]+1)
	case p.JPEG && rng.IntN(10) < 7:
		q = 40 + rng.IntN(53)
	}
	if q > 0 {
		if yc := jpegRoundTrip(rgb, q); yc != nil {
			sc.Info.JPEG = q
			sc.YCbCr = yc
			sc.Gray = yPlane(yc)
			return
		}
	}
	sc.YCbCr = ToYCbCr(rgb)
	sc.Gray = yPlane(sc.YCbCr)
}

// mnistBox returns the frame box of a glyph's clear ink, the glyph drawn
// by aff onto the page and hm into the frame.
func mnistBox(img []uint8, weight float64, aff f64.Aff3, hm homography) [4]float64 {
	fb := newFrameBox(aff, hm)
	for j := 0; j < 28; j++ {
		for i := 0; i < 28; i++ {
			if adjust(img[j*28+i], weight) < 100 {
				continue
			}
			for _, d := range [4][2]float64{{0.15, 0.15}, {0.85, 0.15}, {0.15, 0.85}, {0.85, 0.85}} {
				fb.add(float64(i)+d[0], float64(j)+d[1])
			}
		}
	}
	return fb.box
}

// frameBox gathers the box in the frame of points of a glyph drawn by aff
// onto the page and by hm into the frame.
type frameBox struct {
	aff f64.Aff3
	hm  homography
	box [4]float64 // x0, y0, x1, y1
}

func newFrameBox(aff f64.Aff3, hm homography) frameBox {
	return frameBox{aff: aff, hm: hm, box: [4]float64{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}}
}

// add grows the box to hold the glyph's point (gx, gy).
func (fb *frameBox) add(gx, gy float64) {
	a := &fb.aff
	px := a[0]*gx + a[1]*gy + a[2]
	py := a[3]*gx + a[4]*gy + a[5]
	fx, fy := fb.hm.apply(px, py)
	fb.box[0], fb.box[1] = math.Min(fb.box[0], fx), math.Min(fb.box[1], fy)
	fb.box[2], fb.box[3] = math.Max(fb.box[2], fx), math.Max(fb.box[3], fy)
}

// intBox returns the pixels that a box covers.
func intBox(b [4]float64) [4]int {
	return [4]int{int(math.Floor(b[0])), int(math.Floor(b[1])), int(math.Ceil(b[2])), int(math.Ceil(b[3]))}
}

// Luma converts an RGB image to grey with the BT.601 weights a camera's Y
// plane uses (full range, as JPEG/JFIF).
func Luma(img *image.RGBA) *image.Gray {
	b := img.Rect
	g := image.NewGray(b)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			o := img.PixOffset(x, y)
			g.SetGray(x, y, color.Gray{Y: luma(img.Pix[o], img.Pix[o+1], img.Pix[o+2])})
		}
	}
	return g
}

func luma(r, g, b uint8) uint8 {
	return uint8(math.Min(255, 0.299*float64(r)+0.587*float64(g)+0.114*float64(b)+0.5))
}

// adjust changes a glyph's stroke weight: w < 0 thins (only the stroke's
// core stays dark), w > 0 thickens.
func adjust(v uint8, w float64) uint8 {
	f := float64(v) / 255
	if w < 0 {
		f = (f + w) / (1 + w)
	} else {
		f = f * (1 + 2*w)
	}
	return uint8(math.Max(0, math.Min(1, f))*255 + 0.5)
}

// inkBox returns the box of a glyph's pixels above a third of full ink.
func inkBox(img []uint8) (x0, y0, x1, y1 int) {
	x0, y0 = 28, 28
	for j := 0; j < 28; j++ {
		for i := 0; i < 28; i++ {
			if img[j*28+i] > 85 {
				x0, y0 = min(x0, i), min(y0, j)
				x1, y1 = max(x1, i+1), max(y1, j+1)
			}
		}
	}
	return
}

// sample interpolates the alpha image bilinearly at (x, y) in pixel-index
// coordinates; 0 outside.
func sample(a *image.Alpha, x, y float64) float64 {
	x0, y0 := math.Floor(x), math.Floor(y)
	fx, fy := x-x0, y-y0
	ix, iy := int(x0), int(y0)
	at := func(i, j int) float64 {
		if i < 0 || j < 0 || i >= a.Rect.Dx() || j >= a.Rect.Dy() {
			return 0
		}
		return float64(a.Pix[j*a.Stride+i]) / 255
	}
	return (at(ix, iy)*(1-fx)+at(ix+1, iy)*fx)*(1-fy) + (at(ix, iy+1)*(1-fx)+at(ix+1, iy+1)*fx)*fy
}

// homography is a 3x3 projective map, row-major.
type homography [9]float64

func (h *homography) apply(x, y float64) (float64, float64) {
	w := h[6]*x + h[7]*y + h[8]
	return (h[0]*x + h[1]*y + h[2]) / w, (h[3]*x + h[4]*y + h[5]) / w
}

func mul(a, b homography) homography {
	var c homography
	for i := 0; i < 3; i++ {
		for j := 0; j < 3; j++ {
			for k := 0; k < 3; k++ {
				c[i*3+j] += a[i*3+k] * b[k*3+j]
			}
		}
	}
	return c
}

func (h homography) inverse() homography {
	a, b, c, d, e, f, g, k, l := h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], h[8]
	det := a*(e*l-f*k) - b*(d*l-f*g) + c*(d*k-e*g)
	return homography{
		(e*l - f*k) / det, (c*k - b*l) / det, (b*f - c*e) / det,
		(f*g - d*l) / det, (a*l - c*g) / det, (c*d - a*f) / det,
		(d*k - e*g) / det, (b*g - a*k) / det, (a*e - b*d) / det,
	}
}

// pageToFrame rotates by theta and foreshortens by (kx, ky) about (cx, cy).
func pageToFrame(cx, cy, theta, kx, ky float64) homography {
	t1 := homography{1, 0, -cx, 0, 1, -cy, 0, 0, 1}
	c, s := math.Cos(theta), math.Sin(theta)
	r := homography{c, -s, 0, s, c, 0, 0, 0, 1}
	p := homography{1, 0, 0, 0, 1, 0, kx, ky, 1}
	t2 := homography{1, 0, cx, 0, 1, cy, 0, 0, 1}
	return mul(t2, mul(r, mul(p, t1)))
}

// formBoxes draws a form's boxes, one a digit, line by line.
type formBoxes struct {
	pen        float64 // the pen's width in pixels
	cellW, gap float64 // a box's width, and the gap between boxes (0: a comb)
	y0, y1     float64 // the line's boxes' top and bottom
	x0, x1     float64 // the extent of the line's boxes drawn so far
}

// line starts the boxes of a line of digits lh high whose top is at y: a
// comb or separate boxes, as wide as lh.
func (b *formBoxes) line(rng *rand.Rand, y, lh float64) {
	uni := func(a, c float64) float64 { return a + (c-a)*rng.Float64() }
	b.cellW = lh * uni(1, 1.25)
	b.gap = 0
	if rng.IntN(2) == 0 {
		b.gap = lh * uni(0.1, 0.35)
	}
	pad := lh * uni(0.15, 0.3)
	b.y0, b.y1 = y-pad, y+lh+pad
	b.x0, b.x1 = math.NaN(), math.NaN()
}

// cell draws the box of the digit whose cell starts at x: its own
// outline, or in a comb the divider on its left. The page is drawn into
// the frame later, so the boxes turn and foreshorten with the digits.
func (b *formBoxes) cell(page *image.Alpha, x float64) {
	if math.IsNaN(b.x0) {
		b.x0 = x
	}
	b.x1 = x + b.cellW
	if b.gap > 0 {
		b.rect(page, x, b.y0, x+b.cellW, b.y1)
	} else if x > b.x0 {
		b.stroke(page, x, b.y0, x, b.y1)
	}
}

// end closes the line: a comb's frame round all its boxes.
func (b *formBoxes) end(page *image.Alpha) {
	if b.gap == 0 && !math.IsNaN(b.x0) {
		b.rect(page, b.x0, b.y0, b.x1, b.y1)
	}
}

// rect draws the outline of the page rectangle (x0, y0)-(x1, y1).
func (b *formBoxes) rect(page *image.Alpha, x0, y0, x1, y1 float64) {
	b.stroke(page, x0, y0, x1, y0)
	b.stroke(page, x0, y1, x1, y1)
	b.stroke(page, x0, y0, x0, y1)
	b.stroke(page, x1, y0, x1, y1)
}

// stroke draws a straight line from (x0, y0) to (x1, y1) on the page with
// the pen, in ink: every pixel whose centre is within half the pen of the
// segment (by a pixel's width, anti-aliased).
func (b *formBoxes) stroke(page *image.Alpha, x0, y0, x1, y1 float64) {
	r := b.pen / 2
	minX, maxX := int(math.Floor(math.Min(x0, x1)-r-1)), int(math.Ceil(math.Max(x0, x1)+r+1))
	minY, maxY := int(math.Floor(math.Min(y0, y1)-r-1)), int(math.Ceil(math.Max(y0, y1)+r+1))
	dx, dy := x1-x0, y1-y0
	l2 := dx*dx + dy*dy
	for py := max(minY, 0); py <= min(maxY, page.Rect.Max.Y-1); py++ {
		for px := max(minX, 0); px <= min(maxX, page.Rect.Max.X-1); px++ {
			cx, cy := float64(px)+0.5, float64(py)+0.5
			t := 0.0
			if l2 > 0 {
				t = math.Max(0, math.Min(1, ((cx-x0)*dx+(cy-y0)*dy)/l2))
			}
			d := math.Hypot(cx-(x0+t*dx), cy-(y0+t*dy))
			a := math.Max(0, math.Min(1, r+0.5-d))
			if a > 0 {
				i := page.PixOffset(px, py)
				page.Pix[i] = max(page.Pix[i], uint8(255*a))
			}
		}
	}
}
