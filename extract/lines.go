package extract

// line is one line of text: its span in straightened coordinates
// (y - skew·x) and its typical digit size.
type line struct {
	top, bot         float32 // current span, following the line's drift
	sumTop, sumBot   float32 // sums of the members' straightened spans
	xLast            float32 // centre x of the latest member
	n                int32
	sx, sy, sxx, sxy float32 // sums over members' centres, for the slope
	h, wTyp          float32 // digit height, typical single-digit width
	key              float32 // vertical position for ordering
	rank             int32
}

// A line's span follows its latest member by lineFollow of the way, and
// a member moves it by at most lineClamp of the line's height: lines drift
// and curve slowly, and a tall 7 must not drag the line with it.
const (
	lineFollow = 0.4
	lineClamp  = 0.5
)

// formLines assigns the main comps, left to right, to lines in
// coordinates straightened by the slope t (y - t·x): a comp joins the line
// whose current span it overlaps most (by at least lineOverlap of the
// smaller height), else starts a line. A line's span follows its latest
// members, so slow drift and curved lines are followed too.
func (e *Extractor) formLines(t float32) {
	comps := e.lab.comps
	e.group.lines = e.group.lines[:0]
	for _, i := range e.group.order {
		c := &comps[i]
		if !c.main {
			continue
		}
		cx := float32(c.x0+c.x1) / 2
		top, bot := float32(c.y0)-t*cx, float32(c.y1)-t*cx
		best, bestR, bestOff := -1, float32(lineOverlap), float32(0)
		for li := range e.group.lines {
			l := &e.group.lines[li]
			// The line's span where it was last seen, carried to this
			// comp along the line's own residual slope.
			var off float32
			if b, ok := l.slope(); ok {
				off = (b - t) * (cx - l.xLast)
			}
			ov := min(bot, l.bot+off) - max(top, l.top+off)
			r := ov / min(bot-top, l.bot-l.top)
			if r >= bestR {
				best, bestR, bestOff = li, r, off
			}
		}
		cy := float32(c.y0+c.y1) / 2
		if best < 0 {
			e.group.lines = append(e.group.lines, line{top: top, bot: bot})
			best = len(e.group.lines) - 1
		} else {
			l := &e.group.lines[best]
			l.top += bestOff
			l.bot += bestOff
			lh := l.bot - l.top
			ct, cb := max(top, l.top-lineClamp*lh), min(bot, l.bot+lineClamp*lh)
			l.top = (1-lineFollow)*l.top + lineFollow*ct
			l.bot = (1-lineFollow)*l.bot + lineFollow*cb
			// The slope too goes by the clamped span: the centre of a 9
			// whose stem descends far below the line is not the line's.
			cy = (ct+cb)/2 + t*cx
		}
		l := &e.group.lines[best]
		l.xLast = cx
		l.sumTop += top
		l.sumBot += bot
		l.n++
		l.sx += cx
		l.sy += cy
		l.sxx += cx * cx
		l.sxy += cx * cy
		c.line = int32(best)
	}
}

// mergeLines joins lines whose mean straightened spans overlap by half
// the smaller height: one line of text broken in two where the chaining
// lost it (a gap, a tilt the first pass lagged behind).
func (e *Extractor) mergeLines() {
	for a := range e.group.lines {
		la := &e.group.lines[a]
		if la.n == 0 {
			continue
		}
		for b := a + 1; b < len(e.group.lines); b++ {
			lb := &e.group.lines[b]
			if lb.n == 0 {
				continue
			}
			at, ab := la.sumTop/float32(la.n), la.sumBot/float32(la.n)
			bt, bb := lb.sumTop/float32(lb.n), lb.sumBot/float32(lb.n)
			if min(ab, bb)-max(at, bt) < lineOverlap*min(ab-at, bb-bt) {
				continue
			}
			for i := range e.lab.comps {
				if c := &e.lab.comps[i]; c.main && c.line == int32(b) {
					c.line = int32(a)
				}
			}
			la.sumTop += lb.sumTop
			la.sumBot += lb.sumBot
			la.n += lb.n
			la.sx += lb.sx
			la.sy += lb.sy
			la.sxx += lb.sxx
			la.sxy += lb.sxy
			*lb = line{}
		}
	}
}

// slope returns the least-squares slope dy/dx of the line's members'
// centres (frame coordinates), clamped to ±0.3; ok is false while the line
// has fewer than three members spread along x.
func (l *line) slope() (b float32, ok bool) {
	if l.n < 3 {
		return 0, false
	}
	n := float32(l.n)
	mx, my := l.sx/n, l.sy/n
	vx := l.sxx/n - mx*mx
	if vx < 1 {
		return 0, false
	}
	return max(-0.3, min(0.3, (l.sxy/n-mx*my)/vx)), true
}

// lineSkew returns the page's slope dy/dx: the mean of the least-squares
// slopes of the lines with at least three members, weighted by their size.
func (e *Extractor) lineSkew() (float32, bool) {
	var sw, s float32
	for li := range e.group.lines {
		l := &e.group.lines[li]
		if b, ok := l.slope(); ok {
			s += b * float32(l.n-1)
			sw += float32(l.n - 1)
		}
	}
	if sw == 0 {
		return 0, false
	}
	return s / sw, true
}
