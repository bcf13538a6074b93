package train

import (
	"math"
	"math/rand/v2"

	"github.com/edgeconv/edgeconv/internal/glyphs"
)

// The kinds of negative, with the share of the negatives each gets.
var negativeKinds = []struct {
	share float64
	draw  func(rng *rand.Rand, f *synthFonts) shape
}{
	{0.17, func(rng *rand.Rand, f *synthFonts) shape { return fontShape(rng, f.outline, negLetters) }},
	{0.11, func(rng *rand.Rand, f *synthFonts) shape { return fontShape(rng, f.stroke, negLetters) }},
	{0.10, func(rng *rand.Rand, f *synthFonts) shape { return fontShape(rng, f.outline, negSymbols) }},
	{0.10, func(rng *rand.Rand, f *synthFonts) shape { return fontShape(rng, f.stroke, negSymbols) }},
	{0.05, pairShape},
	{0.08, printedShape},
	{0.12, fragmentShape},
	{0.05, edgeShape},
	{0.08, gridShape},
	{0.05, fingerShape},
	{0.09, smudgeShape},
}

// negative draws a random not-a-digit sample into r.out. A sample that
// came out as a straight stroke near the vertical (a parenthesis that a
// font draws straight, a dash slanted by the distortion, a shadow strip)
// is drawn again: that is a 1.
func (r *renderer) negative(rng *rand.Rand, f *synthFonts) {
	for try := 0; ; try++ {
		u := rng.Float64()
		k := len(negativeKinds) - 1
		for i, kind := range negativeKinds {
			if u < kind.share {
				k = i
				break
			}
			u -= kind.share
		}
		r.render(rng, negativeKinds[k].draw(rng, f))
		if try == 20 || !looksLikeOne(&r.out) {
			return
		}
	}
}

// looksLikeOne reports whether a 28x28 image is one straight, elongated
// stroke within 40° of the vertical: the ink's principal axis is that
// steep, the ink is at least four times as long as wide along it, no
// inked pixel is further from the axis than half the stroke's width and
// a pixel and a half, and the ink runs along the axis without a gap.
func looksLikeOne(img *[784]float32) bool {
	var s, sx, sy float64
	for i, v := range img {
		f := float64(v)
		s += f
		sx += f * float64(i%28)
		sy += f * float64(i/28)
	}
	if s == 0 {
		return false
	}
	cx, cy := sx/s, sy/s
	var cxx, cyy, cxy float64
	for i, v := range img {
		f := float64(v)
		dx, dy := float64(i%28)-cx, float64(i/28)-cy
		cxx += f * dx * dx
		cyy += f * dy * dy
		cxy += f * dx * dy
	}
	// The principal axis (ex, ey) and the variances along and across it.
	theta := 0.5 * math.Atan2(2*cxy, cxx-cyy)
	ex, ey := math.Cos(theta), math.Sin(theta)
	along := (cxx*ex*ex + 2*cxy*ex*ey + cyy*ey*ey) / s
	across := (cxx*ey*ey - 2*cxy*ex*ey + cyy*ex*ex) / s
	if math.Abs(ex) > math.Sin(40*math.Pi/180) || along < 16*across {
		return false
	}
	// The furthest ink from the axis, against the stroke's width.
	on := func(x, y int) bool { return img[y*28+x] >= 0.5 }
	far := 0.0
	for y := range 28 {
		for x := range 28 {
			if on(x, y) {
				far = math.Max(far, math.Abs((float64(x)-cx)*ey-(float64(y)-cy)*ex))
			}
		}
	}
	if far > strokeWidth(28, 28, on)/2+1.5 {
		return false
	}
	// One stroke, not dots in a row (: ! ;): the ink's projection on the
	// axis has no gap.
	var bins [64]bool
	for y := range 28 {
		for x := range 28 {
			if on(x, y) {
				bins[32+int(math.Round((float64(x)-cx)*ex+(float64(y)-cy)*ey))] = true
			}
		}
	}
	lo, hi := 0, len(bins)-1
	for lo < hi && !bins[lo] {
		lo++
	}
	for hi > lo && !bins[hi] {
		hi--
	}
	for i := lo; i <= hi; i++ {
		if !bins[i] {
			return false
		}
	}
	return true
}

// digit draws a random digit in a style MNIST lacks into r.out and
// returns it: from a handwriting, stroke or printed font, or (training
// only) one of the drawn styles of styleDigits. held-out draws digits from
// the held-out fonts alone.
func (r *renderer) digit(rng *rand.Rand, f *synthFonts, heldOut bool) int {
	d := rng.IntN(10)
	var sh shape
	switch u := rng.Float64(); {
	case heldOut && u < 0.6, !heldOut && u < 0.4:
		sh = fontShape(rng, f.outline, string(rune('0'+d)))
	case heldOut, u < 0.62:
		sh = fontShape(rng, f.stroke, string(rune('0'+d)))
	case u < 0.7:
		sh = fontShape(rng, f.printed, string(rune('0'+d)))
	default:
		st := styleDigits[rng.IntN(len(styleDigits))]
		d = st.digit
		sh = shape{g: wobble(rng, &glyphs.Glyph{Strokes: st.draw(rng)}, uni(rng, 0.005, 0.03)), pen: penWidth(rng)}
	}
	r.render(rng, sh)
	return d
}

// fontShape draws one of the runes of set from a random font that has it,
// scaled so that the font's capitals are 1 tall. Stroke fonts are drawn
// with a random pen and a hand's wobble; outline fonts keep their weight,
// a little bolder or thinner.
func fontShape(rng *rand.Rand, fonts []*glyphs.Font, set string) shape {
	rs := []rune(set)
	for {
		f := fonts[rng.IntN(len(fonts))]
		r := rs[rng.IntN(len(rs))]
		g, ok := f.Glyph(r)
		if !ok {
			continue
		}
		s := 1 / f.CapHeight()
		g = g.Transform(glyphs.Scale(s, s))
		if f.Kind() == glyphs.Stroke {
			return shape{g: wobble(rng, g, uni(rng, 0, 0.025)), pen: penWidth(rng)}
		}
		return shape{g: g, pen: uni(rng, -0.015, 0.07)}
	}
}

// pairShape draws two letters that touch (dx, nm, …) as one candidate.
func pairShape(rng *rand.Rand, f *synthFonts) shape {
	fonts := append(append([]*glyphs.Font(nil), f.outline...), f.stroke...)
	pairs := []rune(negPairs)
	for {
		fn := fonts[rng.IntN(len(fonts))]
		i := 2 * rng.IntN(len(pairs)/2)
		a, ok1 := fn.Glyph(pairs[i])
		b, ok2 := fn.Glyph(pairs[i+1])
		if !ok1 || !ok2 {
			continue
		}
		s := 1 / fn.CapHeight()
		g := join(a.Transform(glyphs.Scale(s, s)),
			b.Transform(glyphs.Scale(s, s).Then(glyphs.Translate(a.Advance*s*uni(rng, 0.75, 0.95), 0))))
		if fn.Kind() == glyphs.Stroke {
			return shape{g: wobble(rng, g, uni(rng, 0, 0.02)), pen: penWidth(rng)}
		}
		return shape{g: g, pen: uni(rng, -0.015, 0.05)}
	}
}

// printedShape draws one to four printed characters (a fragment of a
// word, a page number's neighbour, a form's label) in a Go font: thin
// strokes, tight spacing.
func printedShape(rng *rand.Rand, f *synthFonts) shape {
	set := []rune(negLetters + negSymbols)
	fn := f.printed[rng.IntN(len(f.printed))]
	s := 1 / fn.CapHeight()
	n := 1 + rng.IntN(4)
	g := &glyphs.Glyph{}
	x := 0.0
	for len(g.Fill) == 0 || n > 0 {
		c, ok := fn.Glyph(set[rng.IntN(len(set))])
		if !ok {
			continue
		}
		g = join(g, c.Transform(glyphs.Scale(s, s).Then(glyphs.Translate(x, 0))))
		x += c.Advance * s * uni(rng, 0.9, 1.05)
		n--
	}
	return shape{g: g, pen: uni(rng, -0.01, 0.03)}
}

// fragmentShape draws a piece of a stroke: an arc, a hook, a dash or a
// few dots. Dashes are drawn within 40° of the horizontal: steeper ones
// are 1s.
func fragmentShape(rng *rand.Rand, _ *synthFonts) shape {
	pen := penWidth(rng)
	var strokes [][]glyphs.Point
	switch rng.IntN(4) {
	case 0: // an arc of 70° to 240°: a 0 needs more, a 1 is straighter
		strokes = [][]glyphs.Point{arc(glyphs.Point{}, uni(rng, 0.2, 0.8), uni(rng, 0, 2*math.Pi), uni(rng, 70, 240)*math.Pi/180)}
	case 1: // a hook: a straight stroke ending in a tight curl
		L, rad := uni(rng, 0.3, 0.9), uni(rng, 0.08, 0.25)
		c := arc(glyphs.Point{X: rad, Y: L}, rad, math.Pi, -uni(rng, 120, 220)*math.Pi/180)
		s := append([]glyphs.Point{{X: 0, Y: 0}}, c...)
		// Turned so that the straight part is at least 30° from the
		// vertical.
		a := uni(rng, 30, 150) * math.Pi / 180
		if rng.IntN(2) == 0 {
			a += math.Pi
		}
		strokes = [][]glyphs.Point{transform(s, glyphs.Rotate(a))}
	case 2: // a dash, at least 40° from the vertical
		a := uni(rng, -40, 40) * math.Pi / 180
		L := uni(rng, 0.2, 1)
		strokes = [][]glyphs.Point{{{X: 0, Y: 0}, {X: L * math.Cos(a), Y: L * math.Sin(a)}}}
	default: // one to four dots
		pen = uni(rng, 0.05, 0.2)
		for range 1 + rng.IntN(4) {
			strokes = append(strokes, []glyphs.Point{{X: uni(rng, 0, 0.6), Y: uni(rng, 0, 0.6)}})
		}
	}
	return shape{g: wobble(rng, &glyphs.Glyph{Strokes: strokes}, uni(rng, 0, 0.02)), pen: pen}
}

// edgeShape draws the edge or corner of the sheet against a darker table,
// or the shadow along an edge: large filled areas bounded by straight
// lines, shaded.
func edgeShape(rng *rand.Rand, _ *synthFonts) shape {
	var poly []glyphs.Point
	switch rng.IntN(3) {
	case 0: // a straight edge across the box: what is beyond it is dark
		for {
			a := uni(rng, 0, 2*math.Pi)
			n := glyphs.Point{X: math.Cos(a), Y: math.Sin(a)}
			c := uni(rng, -0.3, 0.4)
			poly = clipHalf([]glyphs.Point{{X: -0.5, Y: -0.5}, {X: 0.5, Y: -0.5}, {X: 0.5, Y: 0.5}, {X: -0.5, Y: 0.5}}, n, c)
			if area(poly) > 0.25 {
				break
			}
		}
	case 1: // a corner: the table on two sides of the sheet, thick arms
		x0, y0 := uni(rng, 0.3, 0.7), uni(rng, 0.3, 0.7)
		poly = []glyphs.Point{{X: 0, Y: 0}, {X: 1, Y: 0}, {X: 1, Y: y0}, {X: x0, Y: y0 + uni(rng, -0.1, 0.1)}, {X: x0 + uni(rng, -0.1, 0.1), Y: 1}, {X: 0, Y: 1}}
	default: // a shadow strip along an edge, at least 50° from the vertical
		L, w := 1.0, uni(rng, 0.12, 0.35)
		poly = []glyphs.Point{{X: 0, Y: 0}, {X: L, Y: 0}, {X: L, Y: w}, {X: 0, Y: w * uni(rng, 0.6, 1.4)}}
		a := uni(rng, -40, 40) * math.Pi / 180
		poly = transform(poly, glyphs.Rotate(a))
		return shape{g: &glyphs.Glyph{Fill: [][]glyphs.Point{poly}}, shade: gradient(rng, uni(rng, 0.45, 1))}
	}
	poly = transform(poly, glyphs.Rotate(float64(rng.IntN(4))*math.Pi/2).Then(glyphs.Scale(uni(rng, 0.6, 1.6), 1)))
	return shape{g: &glyphs.Glyph{Fill: [][]glyphs.Point{poly}}, shade: gradient(rng, uni(rng, 0.45, 1))}
}

// gridShape draws what line removal leaves of squared or ruled paper:
// crossings, parallel lines, a corner of the grid.
func gridShape(rng *rand.Rand, _ *synthFonts) shape {
	pen := uni(rng, 0.01, 0.06)
	var strokes [][]glyphs.Point
	skew := uni(rng, -10, 10) * math.Pi / 180
	switch rng.IntN(3) {
	case 0: // a crossing or a T: three or four arms, none much shorter
		var arms [4]float64
		for {
			longest, long := 0.0, 0
			for i := range arms {
				arms[i] = uni(rng, 0.05, 0.6)
				longest = math.Max(longest, arms[i])
			}
			for _, a := range arms {
				if a >= 0.3*longest {
					long++
				}
			}
			if long >= 3 {
				break
			}
		}
		j := uni(rng, -8, 8) * math.Pi / 180
		strokes = [][]glyphs.Point{
			{{X: -arms[0], Y: 0}, {X: arms[1], Y: 0}},
			{{X: -arms[2] * math.Sin(j), Y: -arms[2]}, {X: arms[3] * math.Sin(j), Y: arms[3]}},
		}
	case 1: // two to four ruled lines
		gap := uni(rng, 0.15, 0.5)
		for i := range 2 + rng.IntN(3) {
			x0 := uni(rng, 0, 0.3)
			strokes = append(strokes, []glyphs.Point{{X: x0, Y: float64(i) * gap}, {X: x0 + uni(rng, 0.6, 1), Y: float64(i) * gap}})
		}
	default: // a piece of the grid: two lines each way
		gap := uni(rng, 0.3, 0.5)
		over := func() float64 { return uni(rng, 0.05, 0.3) }
		for i := range 2 {
			c := float64(i) * gap
			strokes = append(strokes,
				[]glyphs.Point{{X: -over(), Y: c}, {X: gap + over(), Y: c}},
				[]glyphs.Point{{X: c, Y: -over()}, {X: c, Y: gap + over()}})
		}
	}
	for i, s := range strokes {
		strokes[i] = transform(s, glyphs.Rotate(skew))
	}
	return shape{g: &glyphs.Glyph{Strokes: strokes}, pen: pen}
}

// fingerShape draws a finger that holds the sheet: a filled, elongated
// shape with a rounded tip, cut straight where it leaves the frame.
func fingerShape(rng *rand.Rand, _ *synthFonts) shape {
	w := uni(rng, 0.45, 0.9)
	L := 1.4
	tip := arc(glyphs.Point{X: 0, Y: L}, w/2, 0, math.Pi)
	poly := append([]glyphs.Point{{X: -w / 2 * uni(rng, 1, 1.2), Y: -1}, {X: w / 2 * uni(rng, 1, 1.2), Y: -1}}, tip...)
	// It enters from the frame's top edge (y = 0) at up to 45° from its
	// normal; the part above is outside the frame.
	poly = transform(poly, glyphs.Rotate(uni(rng, -45, 45)*math.Pi/180))
	poly = clipHalf(poly, glyphs.Point{X: 0, Y: 1}, 0)
	poly = transform(poly, glyphs.Rotate(float64(rng.IntN(4))*math.Pi/2))
	return shape{g: &glyphs.Glyph{Fill: [][]glyphs.Point{poly}}, shade: gradient(rng, uni(rng, 0.5, 0.95))}
}

// smudgeShape draws a smudge, a stain or show-through from the back of
// the sheet: an irregular blob no more than twice as long as wide (a
// longer one is a 1 written with a marker), or a dense scribble.
func smudgeShape(rng *rand.Rand, _ *synthFonts) shape {
	if rng.IntN(3) == 0 {
		var pts []glyphs.Point
		for range 6 + rng.IntN(12) {
			pts = append(pts, glyphs.Point{X: uni(rng, 0, 0.5), Y: uni(rng, 0, 0.5)})
		}
		return shape{g: &glyphs.Glyph{Strokes: [][]glyphs.Point{pts}}, pen: uni(rng, 0.1, 0.25),
			shade: gradient(rng, uni(rng, 0.4, 1)), soft: true}
	}
	var amp, phase [6]float64
	for k := 2; k < 6; k++ {
		amp[k], phase[k] = uni(rng, 0, 0.3)/float64(k-1), uni(rng, 0, 2*math.Pi)
	}
	aspect := uni(rng, 0.5, 1)
	poly := make([]glyphs.Point, 48)
	for i := range poly {
		t := 2 * math.Pi * float64(i) / float64(len(poly))
		r := 1.0
		for k := 2; k < 6; k++ {
			r += amp[k] * math.Sin(float64(k)*t+phase[k])
		}
		poly[i] = glyphs.Point{X: r * math.Cos(t), Y: aspect * r * math.Sin(t)}
	}
	poly = transform(poly, glyphs.Rotate(uni(rng, 0, math.Pi)))
	return shape{g: &glyphs.Glyph{Fill: [][]glyphs.Point{poly}}, shade: gradient(rng, uni(rng, 0.3, 1)), soft: true}
}

// styleDigits are digits drawn in the styles MNIST under-represents, as
// strokes in a box 1 tall (y down), with random proportions.
var styleDigits = []struct {
	digit int
	draw  func(rng *rand.Rand) [][]glyphs.Point
}{
	{1, func(rng *rand.Rand) [][]glyphs.Point { // a flag and a base
		x, fl, b := uni(rng, 0.45, 0.55), uni(rng, 0.15, 0.35), uni(rng, 0.15, 0.3)
		return [][]glyphs.Point{
			{{X: x - fl, Y: uni(rng, 0.15, 0.35)}, {X: x, Y: 0}, {X: x, Y: 1}},
			{{X: x - b, Y: 1}, {X: x + b*uni(rng, 0.8, 1.2), Y: 1}},
		}
	}},
	{1, func(rng *rand.Rand) [][]glyphs.Point { // a long flag
		fl := uni(rng, 0.25, 0.45)
		return [][]glyphs.Point{{{X: 0.5 - fl, Y: uni(rng, 0.2, 0.45)}, {X: 0.5, Y: 0}, {X: 0.5 + uni(rng, -0.05, 0.05), Y: 1}}}
	}},
	{7, func(rng *rand.Rand) [][]glyphs.Point { // a crossbar
		x1 := uni(rng, 0.25, 0.5)
		ym := uni(rng, 0.4, 0.6)
		xm := 0.9 + (x1-0.9)*ym // the stem's x at ym
		c := uni(rng, 0.15, 0.3)
		return [][]glyphs.Point{
			{{X: 0.1, Y: uni(rng, -0.05, 0.08)}, {X: 0.9, Y: 0}, {X: x1, Y: 1}},
			{{X: xm - c, Y: ym}, {X: xm + c*uni(rng, 0.6, 1.1), Y: ym}},
		}
	}},
	{7, func(rng *rand.Rand) [][]glyphs.Point { // a crossbar and a serif on the bar
		x1 := uni(rng, 0.3, 0.5)
		xm := 0.9 + (x1-0.9)*0.5
		return [][]glyphs.Point{
			{{X: 0.1, Y: uni(rng, 0.1, 0.2)}, {X: 0.12, Y: 0}, {X: 0.9, Y: 0}, {X: x1, Y: 1}},
			{{X: xm - 0.2, Y: 0.5}, {X: xm + 0.2, Y: 0.5}},
		}
	}},
	{4, func(rng *rand.Rand) [][]glyphs.Point { // open top: a slanted arm
		xs := uni(rng, 0.6, 0.75)
		ya := uni(rng, 0.55, 0.7)
		return [][]glyphs.Point{
			{{X: uni(rng, 0.35, 0.55), Y: 0}, {X: 0.05, Y: ya}, {X: 0.95, Y: ya}},
			{{X: xs, Y: uni(rng, 0.15, 0.4)}, {X: xs + uni(rng, -0.05, 0.05), Y: 1}},
		}
	}},
	{4, func(rng *rand.Rand) [][]glyphs.Point { // open top: an upright arm, like Ч
		xs := uni(rng, 0.6, 0.8)
		ya := uni(rng, 0.5, 0.65)
		return [][]glyphs.Point{
			{{X: 0.15, Y: 0}, {X: 0.12, Y: ya}, {X: 0.95, Y: ya}},
			{{X: xs, Y: uni(rng, 0, 0.25)}, {X: xs, Y: 1}},
		}
	}},
	{9, func(rng *rand.Rand) [][]glyphs.Point { // a round head and a straight stem
		r := uni(rng, 0.22, 0.3)
		c := glyphs.Point{X: 0.45, Y: r + 0.02}
		x := c.X + r
		return [][]glyphs.Point{arc(c, r, 0, 2*math.Pi), {{X: x, Y: c.Y}, {X: x - uni(rng, 0, 0.15), Y: 1}}}
	}},
	{2, func(rng *rand.Rand) [][]glyphs.Point { // a Z-like 2 with a flat base
		return [][]glyphs.Point{append(arc(glyphs.Point{X: 0.5, Y: 0.3}, 0.3, math.Pi, math.Pi*uni(rng, 1, 1.25)),
			glyphs.Point{X: 0.1, Y: 1}, glyphs.Point{X: 0.95, Y: 1 + uni(rng, -0.05, 0.05)})}
	}},
}

// arc returns the points of a circular arc from angle a0 sweeping by
// sweep radians (positive: clockwise on screen), one every 10°.
func arc(c glyphs.Point, r, a0, sweep float64) []glyphs.Point {
	n := max(2, int(math.Abs(sweep)/(math.Pi/18))+1)
	pts := make([]glyphs.Point, n)
	for i := range pts {
		a := a0 + sweep*float64(i)/float64(n-1)
		pts[i] = glyphs.Point{X: c.X + r*math.Cos(a), Y: c.Y + r*math.Sin(a)}
	}
	return pts
}

func transform(pts []glyphs.Point, m glyphs.Affine) []glyphs.Point {
	out := make([]glyphs.Point, len(pts))
	for i, p := range pts {
		out[i] = m.Apply(p)
	}
	return out
}

// join returns a glyph with the contours and strokes of both.
func join(a, b *glyphs.Glyph) *glyphs.Glyph {
	return &glyphs.Glyph{
		Fill:    append(append([][]glyphs.Point(nil), a.Fill...), b.Fill...),
		Strokes: append(append([][]glyphs.Point(nil), a.Strokes...), b.Strokes...),
		Advance: a.Advance + b.Advance,
	}
}

// wobble moves the points of g by a smooth random displacement of about
// amp and each stroke by a little more, as a hand does.
func wobble(rng *rand.Rand, g *glyphs.Glyph, amp float64) *glyphs.Glyph {
	var f [4]float64
	var ph [4]float64
	for i := range f {
		f[i], ph[i] = uni(rng, 3, 9), uni(rng, 0, 2*math.Pi)
	}
	out := g.Map(func(p glyphs.Point) glyphs.Point {
		return glyphs.Point{
			X: p.X + amp*(math.Sin(f[0]*p.Y+ph[0])+0.5*math.Sin(f[1]*p.X+ph[1])),
			Y: p.Y + amp*(math.Sin(f[2]*p.X+ph[2])+0.5*math.Sin(f[3]*p.Y+ph[3])),
		}
	})
	for _, s := range out.Strokes {
		dx, dy := uni(rng, -amp, amp), uni(rng, -amp, amp)
		for i := range s {
			s[i].X += dx
			s[i].Y += dy
		}
	}
	return out
}

// gradient returns a shade that falls linearly from 1 to lo across the
// 28x28 image in a random direction.
func gradient(rng *rand.Rand, lo float64) func(x, y float64) float64 {
	a := uni(rng, 0, 2*math.Pi)
	c, s := math.Cos(a), math.Sin(a)
	return func(x, y float64) float64 {
		t := ((x-14)*c + (y-14)*s) / 28 // -0.5..0.5 across the image
		return 1 - (1-lo)*math.Min(math.Max(t+0.5, 0), 1)
	}
}

// clipHalf returns the part of the polygon where p·n ≥ c
// (Sutherland-Hodgman against one line).
func clipHalf(poly []glyphs.Point, n glyphs.Point, c float64) []glyphs.Point {
	var out []glyphs.Point
	side := func(p glyphs.Point) float64 { return p.X*n.X + p.Y*n.Y - c }
	for i := range poly {
		a, b := poly[i], poly[(i+1)%len(poly)]
		sa, sb := side(a), side(b)
		if sa >= 0 {
			out = append(out, a)
		}
		if (sa >= 0) != (sb >= 0) {
			t := sa / (sa - sb)
			out = append(out, glyphs.Point{X: a.X + t*(b.X-a.X), Y: a.Y + t*(b.Y-a.Y)})
		}
	}
	return out
}

// area returns the polygon's unsigned area.
func area(poly []glyphs.Point) float64 {
	s := 0.0
	for i := range poly {
		a, b := poly[i], poly[(i+1)%len(poly)]
		s += a.X*b.Y - b.X*a.Y
	}
	return math.Abs(s) / 2
}
