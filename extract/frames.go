package extract

import (
	"math"
	"slices"
)

// Frames: the boxes a form draws for its digits, one a digit.

// A box drawn round a digit (a form's fields, a grid of answer boxes) is,
// with the digit when the digit touches it, one component, which no digit
// is; and its sides are too short to be ruled lines (ruleLen). A frame is
// a component at least frameMinSize·MinHeight each way whose outermost ink
// on each side (for each column the first and last inked rows, for each
// row the first and last inked columns) lies along a straight line no
// steeper than frameTurn: within depth (frameDepth of its shorter side) of
// the line in frameCover of the positions between the corners where the
// lines meet, the corners inked, the side bowing by no more than frameBow
// (a round 0's outermost ink is straight enough near the middle of each
// side, but curves away before the fitted corners, which are paper), drawn
// with a pen no thicker than frameThick of its shorter side (a filled
// block is no frame). A frame combWide times wider than high may be a comb,
// split by dividers. Its sides and dividers are erased as bands, as ruled
// lines are, marked frame so that the ink on their two sides is not joined
// again.
const (
	frameMinSize = 2
	frameCover   = 0.9
	frameDepth   = 0.12 // of the box's shorter side, and at least 3 pixels
	frameThick   = 0.15
	frameTurn    = 0.15 // the steepest side, about 8.5°: a form turned more is read turned level first
	combWide     = 1.2  // a frame this many times wider than high may be a comb, split by dividers: two boxes are wider, one box about as wide as high or narrower
	dividerGaps  = 0.1  // the share of a divider's rows that may be blank
	thinDivider  = 2    // pixels: the widest pen whose dividers are looked for a pixel either side of the frame's slope
	frameBow     = 1.0  // pixels, and
	frameBowRel  = 0.03 // of a side's length: the most a side may bow
)

// findFrames records the bands of the frames among the components.
func (e *Extractor) findFrames() {
	minSide := int32(frameMinSize * e.minH)
	for ci := range e.lab.comps {
		c := &e.lab.comps[ci]
		if c.w() < minSide || c.h() < minSide {
			continue
		}
		e.findFrame(ci)
	}
}

// findFrame records the four bands of comp ci if it is a frame.
func (e *Extractor) findFrame(ci int) {
	c := &e.lab.comps[ci]
	w, h := int(c.w()), int(c.h())
	depth := float32(max(3, frameDepth*float32(min(w, h))))
	// A side's ink lies within its first rows: the turn's rise, twice the
	// depth and a pen. The top and bottom ink of each column are looked
	// for there only, and a component whose columns mostly have none
	// there (a digit's round top) is no frame: most components are
	// digits, and this is where findFrames spends its time.
	reach := int32(frameTurn*float32(w)+2*depth) + int32(max(5, e.minH/2))
	// First a sample: eight columns across, all but one inked near the
	// top. A digit's top is round or a point, and most components are
	// digits.
	found := 0
	for k := range int32(8) {
		x := c.x0 + (2*k+1)*int32(w)/16
		for y := c.y0; y < min(c.y0+reach, c.y1); y++ {
			if r := e.runAt(x, y); r >= 0 && e.lab.compOf[r] == int32(ci) {
				found++
				break
			}
		}
	}
	if found < 7 {
		return
	}
	// For each column the first and last inked rows, for each row the
	// first and last inked columns and the widths of those two runs.
	e.rules.colCnt = grow(e.rules.colCnt, 2*w+4*h)
	buf := e.rules.colCnt[:2*w+4*h]
	top, bot := buf[:w], buf[w:2*w]
	left, right := buf[2*w:2*w+h], buf[2*w+h:2*w+2*h]
	leftW, rightW := buf[2*w+2*h:2*w+3*h], buf[2*w+3*h:]
	for i := range top {
		top[i], bot[i] = c.y1, c.y0-1
	}
	for i := range left {
		left[i], right[i], leftW[i], rightW[i] = c.x1, c.x0-1, 0, 0
	}
	for y := c.y0; y < c.y1; y++ {
		// From the first run that ends inside the box to the last that
		// starts inside it.
		end := e.lab.rowStart[y+1]
		r0 := e.runFrom(c.x0, y)
		edgeRow := y < c.y0+reach || y >= c.y1-reach
		for r := r0; r < end && e.lab.runs[r].x0 < c.x1; r++ {
			if e.lab.compOf[r] != int32(ci) {
				continue
			}
			ru := &e.lab.runs[r]
			j := y - c.y0
			if ru.x0 < left[j] {
				left[j], leftW[j] = ru.x0, ru.x1-ru.x0
			}
			if ru.x1-1 > right[j] {
				right[j], rightW[j] = ru.x1-1, ru.x1-ru.x0
			}
			if edgeRow {
				for x := ru.x0; x < ru.x1; x++ {
					i := x - c.x0
					top[i] = min(top[i], y)
					bot[i] = max(bot[i], y)
				}
			}
		}
		if y == c.y0+reach-1 && !mostFound(top, c.y1) {
			return
		}
	}
	// The sides' lines: top, bottom, left, right. The outer quarter of
	// a side's ink is its smaller values on top and left.
	var lines [4]sideLine
	for k, vs := range [4][]int32{top, bot, left, right} {
		u0, q := c.x0, float32(0.25)
		if k >= 2 {
			u0 = c.y0
		}
		if k%2 == 1 {
			q = 0.75
		}
		l, ok := e.frameSide(vs, u0, depth, q)
		if !ok {
			return
		}
		lines[k] = l
	}
	top0, bot0, left0, right0 := lines[0], lines[1], lines[2], lines[3]
	// A side is the frame's between the two sides across it: turned, the
	// outermost ink beyond them, near a side's ends, is another side's (a
	// wide comb turned by 5° rises by a third of its height).
	corner := func(l, m sideLine) float32 { // where l meets m, along m
		// l: v = a + b·u across m's direction; solve for m's position.
		return (l.a + l.b*m.a) / (1 - l.b*m.b)
	}
	tl, tr := corner(left0, top0), corner(right0, top0)  // x along the top
	bl, br := corner(left0, bot0), corner(right0, bot0)  // x along the bottom
	lt, lb := corner(top0, left0), corner(bot0, left0)   // y along the left
	rt, rb := corner(top0, right0), corner(bot0, right0) // y along the right
	if !frameCovers(top, c.x0, top0, depth, tl, tr) || !frameCovers(bot, c.x0, bot0, depth, bl, br) ||
		!frameCovers(left, c.y0, left0, depth, lt, lb) || !frameCovers(right, c.y0, right0, depth, rt, rb) {
		return
	}
	// The pen: the width of the side runs, their lower quartile (a digit
	// touching a side from inside widens its runs, in many rows of a
	// comb whose digits fill their boxes).
	ws := e.tmpF[:0]
	for j := range left {
		ws = append(ws, float32(leftW[j]), float32(rightW[j]))
	}
	e.tmpF = ws
	t := quantile(ws, 0.25)
	if t > frameThick*float32(min(w, h)) || t > float32(max(5, e.minH/2)) {
		return
	}
	// Its four corners are inked: where a ring's fitted sides meet is
	// paper outside its curve.
	inked := func(x, y float32) bool {
		// The corner's pixel (the lines are of the outermost pixels'
		// indices), or one beside it.
		cx, cy := int32(math.Round(float64(x))), int32(math.Round(float64(y)))
		for py := cy - 1; py <= cy+1; py++ {
			for px := cx - 1; px <= cx+1; px++ {
				if k := e.runAt(px, py); k >= 0 && e.lab.compOf[k] == int32(ci) {
					return true
				}
			}
		}
		return false
	}
	if !inked(tl, lt) || !inked(tr, rt) || !inked(bl, lb) || !inked(br, rb) {
		return
	}
	half := t/2 + 1.5
	// Each side's centre line: its outermost ink's line moved inward by
	// half the pen (a pixel row v covers [v, v+1)).
	e.frameBand(top0, t/2, half, c.x0, c.x1, false)
	e.frameBand(bot0, 1-t/2, half, c.x0, c.x1, false)
	e.frameBand(left0, t/2, half, c.y0, c.y1, true)
	e.frameBand(right0, 1-t/2, half, c.y0, c.y1, true)
	if float32(w) >= combWide*float32(h) {
		xLeft := int32(left0.a + left0.b*float32(c.y0+c.y1)/2)
		xRight := int32(right0.a + right0.b*float32(c.y0+c.y1)/2)
		e.findDividers(ci, top0, bot0, xLeft, xRight, (left0.b+right0.b)/2, t, half)
	}
}

// mostFound reports whether at least frameCover of vs are not none.
func mostFound(vs []int32, none int32) bool {
	n := 0
	for _, v := range vs {
		if v != none {
			n++
		}
	}
	return float32(n) >= frameCover*float32(len(vs))
}

// sideLine is a straight line v = a + b·u along a side of a frame, u the
// position along it (a pixel's centre), v the row (column) across.
type sideLine struct{ a, b float32 }

// frameSide fits the line of a frame's side to vs, the side's outermost
// ink at positions u0, u0+1… along it, and reports whether the line is no
// steeper than a frame a camera sees turned (frameTurn). The fit starts
// level at the quantile q of vs (the outer quarter: near a turned side's
// ends the outermost ink is the next side's, further in) and is made
// again, twice, from the positions near the last: a digit that pokes out
// of its box is left out.
func (e *Extractor) frameSide(vs []int32, u0 int32, depth, q float32) (sideLine, bool) {
	ws := e.tmpF[:0]
	for _, v := range vs {
		ws = append(ws, float32(v))
	}
	e.tmpF = ws
	l := sideLine{a: quantile(ws, q)}
	near := 2 * depth
	for range 2 {
		var n, su, sv, suu, suv float32
		for i, v := range vs {
			u := float32(u0+int32(i)) + 0.5
			if d := float32(v) - (l.a + l.b*u); d > near || d < -near {
				continue
			}
			n++
			su += u
			sv += float32(v)
			suu += u * u
			suv += u * float32(v)
		}
		den := n*suu - su*su
		if n < 2 || den == 0 {
			return l, false
		}
		l.b = (n*suv - su*sv) / den
		l.a = (sv - l.b*su) / n
		near = depth
	}
	return l, l.b <= frameTurn && l.b >= -frameTurn
}

// frameCovers reports whether the outermost ink vs of a side (at
// positions u0, u0+1…) lies within depth of its line l in frameCover of
// the positions from lo to hi (the corners with the sides across it, a
// pixel and a half in). A frame's sides run straight into its corners; a
// ring's outermost ink, straight enough near the middle of each side,
// curves away before the corners of the lines fitted there: the side's
// bow, its ends' mean distance from the line against its middle's, is at
// most frameBow pixels and frameBowRel of its length.
func frameCovers(vs []int32, u0 int32, l sideLine, depth, lo, hi float32) bool {
	i0 := max(int(lo+1.5)-int(u0), 0)
	i1 := min(int(hi-1.5)-int(u0), len(vs))
	if i1-i0 < 4 {
		return false
	}
	n := 0
	// The bow: the mean distance from the line at the side's two outer
	// quarters less that at its middle half.
	var ends, mid float32
	q := (i1 - i0) / 4
	for i := i0; i < i1; i++ {
		u := float32(u0+int32(i)) + 0.5
		d := float32(vs[i]) - (l.a + l.b*u)
		if d <= depth && d >= -depth {
			n++
		}
		if i < i0+q || i >= i1-q {
			ends += d
		} else {
			mid += d
		}
	}
	bow := ends/float32(2*q) - mid/float32(i1-i0-2*q)
	return float32(n) >= frameCover*float32(i1-i0) && abs32(bow) <= frameBow+frameBowRel*float32(i1-i0)
}

func abs32(v float32) float32 { return max(v, -v) }

// frameBand records the band of a frame's side: the line l moved across
// by in, from lo to hi along it.
func (e *Extractor) frameBand(l sideLine, in, half float32, lo, hi int32, vertical bool) {
	e.rules.bands = append(e.rules.bands, band{a: l.a + in, b: l.b, half: half, lo: lo - 1, hi: hi + 1, vertical: vertical, frame: true})
}

// findDividers records the bands of a comb's dividers: the upright lines
// that split a frame (wider than combWide heights) into one box a digit,
// each inked from the top side to the bottom side (top and bot, the sides'
// outermost ink), no wider than four times the frame's pen: a divider, or
// the walls of two separate boxes drawn side by side, which blur joins
// into one bar. A 1 in its box stops short of a side, and of the other by
// more than dividerGaps.
func (e *Extractor) findDividers(ci int, top, bot sideLine, xLeft, xRight int32, slope, t, half float32) {
	x0, x1 := xLeft+int32(2*t+1), xRight-int32(2*t)
	if x1 <= x0 {
		return
	}
	// Rows are shifted along the slope from row ym (any row would do: the
	// band's line is made with the same).
	ym := (top.a + bot.a) / 2
	// A thin divider, a pixel or two, leaves the column of the frame's
	// slope when it leans a little against it (a camera's perspective, a
	// hand-ruled line): a pixel either side counts for it.
	drift := int32(0)
	if t <= thinDivider {
		drift = 1
	}
	// full reports whether column x (at row ym; along the slope in other
	// rows) is inked by comp ci from the top side's middle to the bottom
	// side's: at both ends, and in all rows but dividerGaps of them (a
	// thin line, thresholded, breaks here and there).
	full := func(x int32) bool {
		xc := float32(x) + 0.5
		ya := max(int32(top.a+top.b*xc+t/2), 0)
		yb := min(int32(bot.a+bot.b*xc+1-t/2), int32(e.h))
		if yb-ya < 8 {
			return false
		}
		inked := func(y int32) bool {
			sx := x + int32(math.Round(float64(slope*(float32(y)+0.5-ym))))
			for d := -drift; d <= drift; d++ {
				if r := e.runAt(sx+d, y); r >= 0 && e.lab.compOf[r] == int32(ci) {
					return true
				}
			}
			return false
		}
		if !(inked(ya) || inked(ya+1) || inked(ya+2)) || !(inked(yb-1) || inked(yb-2) || inked(yb-3)) {
			return false
		}
		missing, most := 0, int(dividerGaps*float32(yb-ya))+1
		for y := ya; y < yb; y++ {
			if !inked(y) {
				if missing++; missing > most {
					return false
				}
			}
		}
		return true
	}
	// The candidates: runs of full columns no wider than four pens, as
	// the centre of each; the frame's sides bound the first box and the
	// last.
	ds := append(e.rules.divs[:0], float32(xLeft)+t/2)
	for x := x0; x < x1; {
		if !full(x) {
			x++
			continue
		}
		end := x
		for end < x1 && full(end) {
			end++
		}
		if float32(end-x) <= 4*t {
			ds = append(ds, float32(x+end)/2)
		}
		x = end
	}
	ds = append(ds, float32(xRight)-t/2)
	ds = evenBoxes(ds, 2*t)
	e.rules.divs = ds
	fx0, fx1 := float32(xLeft), float32(xRight)
	lo := int32(min(top.a+top.b*fx0, top.a+top.b*fx1) - t)
	hi := int32(max(bot.a+bot.b*fx0, bot.a+bot.b*fx1) + t + 2)
	for _, mid := range ds[1 : len(ds)-1] {
		// A straight line through the divider's centre at row ym, along
		// the slope: x = a + slope·y.
		e.rules.bands = append(e.rules.bands, band{a: mid - slope*ym, b: slope, half: half, lo: lo, hi: hi, vertical: true, frame: true})
	}
}

// A form's boxes along one line are drawn alike, one as wide as the next
// (a comb's teeth at one pitch; separate boxes side by side, whose walls
// blur into one bar, at the pitch of a box and its gap). A digit's stem
// that runs from its box's top side to its bottom one (a tall 1, the
// stem of a 4 or a 9, the side of a narrow 8) passes for a divider, but
// it splits its box into two narrower than the boxes beside, which
// together make one box as wide as they: such a divider is no divider.
// narrowBox is how much narrower than the box beside (the narrower of
// the two beside, where there are two: the other may hold a divider
// missed) both parts must be, and wholeBox how much wider than it the two
// together may be. In the boxes condition the stems cut their box at 0.3
// to 0.7 of its width.
const (
	narrowBox = 0.8
	wholeBox  = 1.25
)

// evenBoxes drops from ds, the positions of a frame's sides (first and
// last) and dividers, in order, the dividers that split a box in two
// narrower than the box beside (narrowBox, wholeBox), the one that leaves
// the box nearest that width first, and returns what is left. Dividers
// closer than pair are one wall: the walls of two separate boxes side by
// side, with the gap between them, which is no box.
func evenBoxes(ds []float32, pair float32) []float32 {
	// wall returns the first and last of the dividers of the wall that
	// holds ds[i], and its centre.
	wall := func(i int) (int, int, float32) {
		lo, hi := i, i
		for lo > 0 && ds[lo]-ds[lo-1] < pair {
			lo--
		}
		for hi < len(ds)-1 && ds[hi+1]-ds[hi] < pair {
			hi++
		}
		return lo, hi, (ds[lo] + ds[hi]) / 2
	}
	for {
		best, bestD := -1, float32(0)
		for i := 1; i < len(ds)-1; i++ {
			if ds[i]-ds[i-1] < pair || ds[i+1]-ds[i] < pair {
				continue // one of a pair of walls
			}
			// The two parts, between the walls on either side, and the
			// boxes beyond those walls: the narrower of the two, or the one.
			pl, _, pc := wall(i - 1)
			_, nh, nc := wall(i + 1)
			a, b := ds[i]-pc, nc-ds[i]
			ref := float32(-1)
			if pl > 0 {
				_, _, c := wall(pl - 1)
				ref = pc - c
			}
			if nh < len(ds)-1 {
				_, _, c := wall(nh + 1)
				if ref < 0 || c-nc < ref {
					ref = c - nc
				}
			}
			if ref < 0 || a >= narrowBox*ref || b >= narrowBox*ref || a+b > wholeBox*ref {
				continue
			}
			if d := abs32(a+b-ref) / ref; best < 0 || d < bestD {
				best, bestD = i, d
			}
		}
		if best < 0 {
			return ds
		}
		ds = slices.Delete(ds, best, best+1)
	}
}
