package extract

import (
	"image"
	"math"
	"slices"
)

// cand is a digit candidate: the ink of one comp group inside box.
type cand struct {
	box   image.Rectangle
	group int32
	// also, when not 0, is 1 + a second group whose ink the candidate
	// holds too (Join).
	also int32
	line int32
	// cutL and cutR, when not 0, are 1 + the index in Extractor.paths
	// of the cut that bounds the candidate on the left or right: a
	// touching pair is cut along a path, not a straight column.
	cutL, cutR int32
	// whole, when not 0, is 1 + the index in groupStage.wholes of the
	// candidate that splitWide cut this one from.
	whole int32
	space bool
	piece bool // made of pieces only (no main comp)
	dead  bool
	// side, when not 0, keeps only the ink of the group's comps of that
	// side (Apart).
	side uint8
}

// path is a cut through a touching pair: row y0+i is cut at column
// Extractor.pathX[off+i]; the left digit keeps the columns before it.
type path struct {
	off, y0, n int32
}

// partRange returns the columns [x0, x1) of row y that belong to c: its
// box, narrowed by its cuts.
func (e *Extractor) partRange(c *cand, y int) (x0, x1 int) {
	x0, x1 = c.box.Min.X, c.box.Max.X
	if c.cutL > 0 {
		x0 = max(x0, e.pathAt(c.cutL-1, y))
	}
	if c.cutR > 0 {
		x1 = min(x1, e.pathAt(c.cutR-1, y))
	}
	return
}

// pathAt returns the column where path i cuts row y (rows beyond the path
// take its ends).
func (e *Extractor) pathAt(i int32, y int) int {
	p := &e.group.paths[i]
	k := min(max(int32(y)-p.y0, 0), p.n-1)
	return int(e.group.pathX[p.off+k])
}

// Tuning constants of the grouping, as fractions of a line's digit height
// unless stated.
const (
	mainFrac     = 0.45 // comps at least this fraction of the median height seed lines
	lineOverlap  = 0.5  // vertical overlap (of the smaller height) to join a line
	mergeOverlap = 0.5  // horizontal overlap (of the narrower) to merge two blobs
	mergeMaxW    = 1.15 // merged width limit
	splitW       = 1.15 // boxes wider than this are split
	splitTyp     = 1.7  // … or wider than this many typical widths
	splitOwn     = 1.4  // … or wider than this many times their own height
	minDigitH    = 0.3  // shorter candidates are dropped
	spaceGap     = 2.5  // a gap this many times the line's median gap is a space
)

// Thresholds of offPaper.
const (
	cutFrac    = 3 // a comp on the edge under 1/cutFrac of the frame's height and width is a cut digit
	solidFill  = 6 // tenths: a solid area covers this much of its box (strokes: a third)
	sparseFill = 4 // hundredths: ruled lines joined into a net cover less than this of their box
	bandAspect = 5 // a solid band this many times longer than wide runs along an edge or a shadow
	rimFollow  = 8 // tenths: the sheet's edge lies along the rim for this much of its length
)

// groupDigits turns the components into digit candidates in reading order
// (e.group.cands, sorted by line then x), step by step: the components
// that may be writing, lines of text, the small pieces given to lines, the
// pieces of each digit merged, tails cut where they reach into the next
// line, touching digits split, and the lines ordered; plane is what the
// components were labelled in.
func (e *Extractor) groupDigits(plane *image.Gray, t0 float32) {
	e.group.cands, e.group.wholes = e.group.cands[:0], e.group.wholes[:0]
	e.group.paths, e.group.pathX = e.group.paths[:0], e.group.pathX[:0]
	e.group.lines = e.group.lines[:0]
	hG, ok := e.validComps()
	if !ok {
		return
	}
	t := e.findLines(t0)
	e.attachPieces(t, hG)
	e.lineHeights()
	e.mergePieces()
	e.joinFragments()
	e.makeCands()
	e.cutTails(t)
	e.splitWide()
	e.finishLines(plane, t)
}

// validComps marks the components that may be writing (strong, digit-sized
// or a piece of one, on the paper: offPaper) and, among them, the main
// ones, tall enough to seed lines; it leaves the valid ones in
// e.group.order, left to right, and returns the median height of the
// digit-sized ones, or false when there are none.
func (e *Extractor) validComps() (hG float32, ok bool) {
	comps := e.lab.comps
	pieceMin := int32(max(2, e.minH/4))
	maxH := int32(e.maxH)
	hs := e.tmpF[:0]
	for i := range comps {
		c := &comps[i]
		cw, ch := c.w(), c.h()
		ok := c.strong && c.area >= 3 && max(cw, ch) >= pieceMin &&
			ch <= maxH*3/2 && cw <= maxH*3 && !e.offPaper(c)
		if !ok {
			c.line = -2 // invalid
			continue
		}
		if ch >= int32(e.minH) && ch <= maxH {
			hs = append(hs, float32(ch))
		}
	}
	e.tmpF = hs
	if len(hs) == 0 {
		return 0, false
	}
	hG = median(hs)
	mainH := max(float32(e.minH), mainFrac*hG)
	e.dropEnclosures(hG, mainH)
	order := e.group.order[:0]
	for i := range comps {
		c := &comps[i]
		if c.line == -2 {
			continue
		}
		c.main = float32(c.h()) >= mainH
		order = append(order, int32(i))
	}
	slices.SortFunc(order, func(a, b int32) int { return int(comps[a].x0 - comps[b].x0) })
	e.group.order = order
	return hG, true
}

// enclosureH is how many times the median digit's height a component
// must be before dropEnclosures asks what lies inside it; enclosureHolds
// is how many line-seeding components inside its box make it an
// enclosure. enclosureNear is how close, in heights of a component inside,
// the enclosing ink may come to its ink for it to count as held: nearer,
// it is a piece of the same strokes.
const (
	enclosureH     = 2.5
	enclosureHolds = 2
	enclosureNear  = 0.25
)

// A ring drawn round one digit or two (an answer circled, "circle one" on
// a form), which dropEnclosures takes for no writing too. ringH is how
// many times the median digit's height it is at least (a ring clear of a
// digit's corners is 1.4 times its height or more); it holds a component
// of at least mainH and ringInner of its own height whole inside its box
// (a speck inside a 3's or a 6's loop is a fifth of it or less), its ink
// lies on all four sides of that component's centre (ringAround), and
// less than ringNearShare of that component's ink lies within a stroke's
// width (the frame's median run of ink) of the ring's ink. A digit holds
// no digit so: a 7 whose bar reaches over the 1 after it has ink above
// and beside the 1, not below it nor on its other side; a sketched
// digit's loose strokes lie along its own strokes, half a stroke from
// them, all their length, while a hand's ring comes that near a circled
// digit at its corners only.
const (
	ringH         = 1.1
	ringInner     = 0.4
	ringNearShare = 0.5
)

// dropEnclosures marks invalid the valid components that enclose
// writing: taller than enclosureH digits and holding enclosureHolds or
// more components of at least mainH, whole, inside their box, and apart
// from its ink (enclosureNear); or taller than ringH digits and closed
// round one such component, most of it clear of the ring's ink (ringH,
// ringNearShare). The outline
// of a sheet lying on a table (its shadowed edge, a step the paper
// estimate lags behind), a circle around a number, a frame drawn round a
// sum: long thin ink that would be read as a giant 7 or 1 and join the
// lines it crosses. A digit holds no digits; a big one's specks are
// shorter than mainH, and the loose strokes of a big digit sketched in
// pencil lie along its own: a 4 drawn 240 pixels tall in a photo cut
// around it, with two stray strokes of 15 and 21 pixels 2 and 3 pixels
// beside its diagonal and its bar, is a digit, not a frame round them.
func (e *Extractor) dropEnclosures(hG, mainH float32) {
	comps := e.lab.comps
	for i := range comps {
		c := &comps[i]
		if c.line == -2 || float32(c.h()) <= enclosureH*hG {
			continue
		}
		held := 0
		for j := range comps {
			o := &comps[j]
			if j == i || o.line == -2 || float32(o.h()) < mainH {
				continue
			}
			if o.x0 > c.x0 && o.x1 < c.x1 && o.y0 > c.y0 && o.y1 < c.y1 &&
				!e.inkWithin(int32(i), int32(j), int32(enclosureNear*float32(o.h()))) {
				if held++; held >= enclosureHolds {
					break
				}
			}
		}
		if held >= enclosureHolds {
			c.line = -2
		}
	}
	stroke := int32(-1) // the frame's stroke width, measured when first asked
	for i := range comps {
		c := &comps[i]
		if c.line == -2 || float32(c.h()) <= ringH*hG {
			continue
		}
		for j := range comps {
			o := &comps[j]
			if j == i || o.line == -2 || float32(o.h()) < max(mainH, ringInner*float32(c.h())) ||
				o.x0 <= c.x0 || o.x1 >= c.x1 || o.y0 <= c.y0 || o.y1 >= c.y1 || !e.ringAround(int32(i), o) {
				continue
			}
			if stroke < 0 {
				stroke = max(int32(e.strokeWidth()+0.5), 1)
			}
			if e.inkNear(int32(i), int32(j), stroke) < ringNearShare {
				c.line = -2
				break
			}
		}
	}
}

// ringAround reports whether the ink of component ci lies on all four
// sides of component o's centre: left and right of o on the centre's
// row, above and below o in its column.
func (e *Extractor) ringAround(ci int32, o *comp) bool {
	runs, rowStart, compOf := e.lab.runs, e.lab.rowStart, e.lab.compOf
	cx, cy := (o.x0+o.x1)/2, (o.y0+o.y1)/2
	c := &e.lab.comps[ci]
	left, right := false, false
	for k := rowStart[cy]; k < rowStart[cy+1]; k++ {
		if compOf[k] == ci {
			left = left || runs[k].x1 <= o.x0
			right = right || runs[k].x0 >= o.x1
		}
	}
	if !left || !right {
		return false
	}
	// across reports whether a run of ci on row y covers column cx.
	across := func(y int32) bool {
		for k := rowStart[y]; k < rowStart[y+1]; k++ {
			if compOf[k] == ci && runs[k].x0 <= cx && runs[k].x1 > cx {
				return true
			}
		}
		return false
	}
	up, down := false, false
	for y := c.y0; y < o.y0 && !up; y++ {
		up = across(y)
	}
	for y := o.y1; y < c.y1 && !down; y++ {
		down = across(y)
	}
	return up && down
}

// inkNear returns the share of component oi's ink, counted by runs, that
// lies within d pixels (across or down, whichever is more) of the ink of
// component ci.
func (e *Extractor) inkNear(ci, oi, d int32) float32 {
	o := &e.lab.comps[oi]
	runs, rowStart, compOf := e.lab.runs, e.lab.rowStart, e.lab.compOf
	var near, all int32
	for y := o.y0; y < o.y1; y++ {
		for k := rowStart[y]; k < rowStart[y+1]; k++ {
			if compOf[k] != oi {
				continue
			}
			n := runs[k].x1 - runs[k].x0
			all += n
			x0, x1 := runs[k].x0-d, runs[k].x1+d
		rows:
			for yy := max(0, y-d); yy <= min(int32(e.h)-1, y+d); yy++ {
				for q := rowStart[yy]; q < rowStart[yy+1]; q++ {
					if compOf[q] == ci && runs[q].x0 < x1 && runs[q].x1 > x0 {
						near += n
						break rows
					}
				}
			}
		}
	}
	return float32(near) / float32(max(all, 1))
}

// inkWithin reports whether the ink of component ci comes within d
// pixels (across or down, whichever is more) of the ink of component oi.
func (e *Extractor) inkWithin(ci, oi, d int32) bool { return e.inkNear(ci, oi, d) > 0 }

// findLines forms the lines of text from the main components: a first
// pass on coordinates sheared by the text's slope t0 (from textAngle),
// lines following their own drift; the page's skew from the lines found,
// and a second pass sheared by it; then lines that overlap are merged. It
// returns the slope the lines were formed on.
func (e *Extractor) findLines(t0 float32) float32 {
	e.formLines(t0)
	t := t0
	if s, ok := e.lineSkew(); ok && s != t0 {
		t = s
		e.formLines(t)
	}
	e.mergeLines()
	return t
}

// Attaching pieces to lines, in heights of a digit (hG, the median).
const (
	pieceBack    = 3.0  // how far left of a piece its line's digits are looked for
	pieceReach   = 1.5  // and how far right, and the widest gap to one
	pieceMargin  = 0.25 // of a digit's height, added above and below it
	pieceOverlap = 0.5  // of the piece's height that must lie in that span
)

// attachPieces gives each piece (a component too short to seed a line) the
// line of the nearby main component whose vertical extent, on coordinates
// sheared by t and widened by pieceMargin, holds most of it.
func (e *Extractor) attachPieces(t, hG float32) {
	comps, order := e.lab.comps, e.group.order
	st := func(c *comp) (top, bot float32) {
		s := t * float32(c.x0+c.x1) / 2
		return float32(c.y0) - s, float32(c.y1) - s
	}
	for pi, i := range order {
		c := &comps[i]
		if c.main {
			continue
		}
		top, bot := st(c)
		best, bestR, bestD := int32(-1), float32(pieceOverlap), float32(0)
		// order is sorted by x0: walk both ways while comps are near.
		for dir := -1; dir <= 1; dir += 2 {
			for k := pi + dir; k >= 0 && k < len(order); k += dir {
				m := &comps[order[k]]
				if dir < 0 && float32(c.x0-m.x0) > pieceBack*hG || dir > 0 && float32(m.x0-c.x1) > pieceReach*hG {
					break
				}
				if !m.main {
					continue
				}
				d := float32(max(m.x0-c.x1, c.x0-m.x1, 0))
				if d > pieceReach*hG {
					continue
				}
				mt, mb := st(m)
				mg := pieceMargin * (mb - mt)
				r := (min(bot, mb+mg) - max(top, mt-mg)) / max(bot-top, 1)
				if r > bestR || r == bestR && best >= 0 && d < bestD {
					best, bestR, bestD = m.line, r, d
				}
			}
		}
		c.line = best
	}
}

// lineHeights sets each line's digit height: the median height of its main
// components.
func (e *Extractor) lineHeights() {
	hs := e.tmpF[:0]
	for li := range e.group.lines {
		hs = hs[:0]
		for _, i := range e.group.order {
			if c := &e.lab.comps[i]; c.main && c.line == int32(li) {
				hs = append(hs, float32(c.h()))
			}
		}
		e.group.lines[li].h = median(hs)
	}
	e.tmpF = hs
}

// Merging the pieces of a digit, in line heights unless stated.
const (
	mergeLoose      = 0.3  // of the narrower: a looser overlap that merges ...
	mergeLooseW     = 0.9  // ... when the union is no wider than this
	pieceDigitH     = 0.3  // a piece this tall ...
	pieceDigitW     = 0.25 // ... and this wide could be a digit (a small 0)
	pieceDigitOv    = 0.3  // of the narrower: it must overlap this much to merge
	pieceTouchUnion = 0.85 // a piece touching its neighbour's box merges up to this width
)

// mergePieces merges the pieces of each digit: blobs of a line that
// overlap horizontally (a 5 whose bar is detached, a stroke broken by a
// faint pen), as long as the union stays as narrow as a digit.
func (e *Extractor) mergePieces() {
	comps, order := e.lab.comps, e.group.order
	for li := range e.group.lines {
		lh := e.group.lines[li].h
		prev := int32(-1)
		// order is sorted by x0, so a line's members come left to right.
		for _, i := range order {
			c := &comps[i]
			if c.line != int32(li) {
				continue
			}
			if prev < 0 {
				prev = i
				continue
			}
			p := &comps[e.groupRoot(prev)]
			// Along the lines: a turned digit's box overlaps its
			// neighbour's where its ink does not.
			gu0, gu1 := e.groupU(prev)
			ov := min(gu1, c.u1) - max(gu0, c.u0)
			narrow := min(gu1-gu0, c.u1-c.u0)
			uw := max(gu1, c.u1) - min(gu0, c.u0)
			merge := ov >= mergeOverlap*narrow && uw <= mergeMaxW*lh ||
				ov >= mergeLoose*narrow && uw <= mergeLooseW*lh
			if !merge && (!c.main || !p.main) {
				// A small piece touching its neighbour's box; a piece big
				// enough to be a digit must overlap more.
				sp := c
				if p.h() < c.h() {
					sp = p
				}
				need := float32(0)
				if float32(sp.h()) >= pieceDigitH*lh && float32(sp.w()) >= pieceDigitW*lh {
					need = pieceDigitOv * narrow
				}
				merge = ov >= need && uw <= pieceTouchUnion*lh
			}
			if merge {
				e.joinGroups(prev, i)
				if c.u1 > gu1 {
					prev = i
				}
				continue
			}
			prev = i
		}
	}
}

// Joining fragments, in line heights.
const (
	fragGap   = 0.12 // the widest gap between a fragment and its digit
	fragUnion = 1.3  // the widest the two may be together
	// A bar (a fragment at least barLong times wider than tall) beside the
	// top of a digit (its lowest ink in the digit's top barHigh), reaching
	// out on one side only, may be barGap away: a writer lifts the pen
	// between a 5's body and its bar, and a 7's bar, further than a
	// stroke breaks. A bar across a stem's top (a t, a +) is no digit's.
	barLong  = 2
	barHigh  = 0.4
	barGap   = 0.45
	barUnion = 1.5
)

// joinFragments joins small fragments (the detached bar of a 5, a broken
// stroke's end), too small to be digits, to the nearest group of their
// line when they nearly touch it, or, for a bar beside a digit's top, when
// they are a pen lift apart (barGap).
func (e *Extractor) joinFragments() {
	comps, order := e.lab.comps, e.group.order
	for _, i := range order {
		c := &comps[i]
		if c.line < 0 || c.main || e.groupRoot(i) != i || c.merged {
			continue
		}
		lh := e.group.lines[c.line].h
		if float32(c.h()) >= minDigitH*lh && float32(c.w()) >= pieceDigitW*lh {
			continue // big enough to stand alone
		}
		maxGap := fragGap * lh
		bar := c.w() >= barLong*c.h()
		best, bestGap := int32(-1), float32(math.MaxFloat32)
		for _, j := range order {
			if j == i || comps[j].line != c.line || e.groupRoot(j) != j {
				continue
			}
			g := &comps[j]
			gap := float32(max(g.x0-c.x1, c.x0-g.x1, 0))
			vgap := float32(max(g.y0-c.y1, c.y0-g.y1, 0))
			uw := float32(max(g.x1, c.x1) - min(g.x0, c.x0))
			limit, wide := maxGap, lh
			if bar && g.main && float32(c.y1-g.y0) <= barHigh*float32(g.h()) && (c.x0 >= g.x0 || c.x1 <= g.x1) {
				// A digit's bar: as far as a pen lift, the two up to
				// barUnion times as wide as they are tall (a 5's bar
				// reaches past its bowl), if that is taller than the
				// line.
				limit = barGap * lh
				wide = barUnion / fragUnion * max(lh, float32(max(g.y1, c.y1)-min(g.y0, c.y0)))
			}
			if gap <= limit && gap <= bestGap && vgap <= 2*maxGap && uw <= fragUnion*wide {
				best, bestGap = j, gap
			}
		}
		if best >= 0 {
			e.joinGroups(best, i)
		}
	}
}

// makeCands makes one candidate per group of components on a line, its
// box the union of theirs.
func (e *Extractor) makeCands() {
	comps := e.lab.comps
	for _, i := range e.group.order {
		c := &comps[i]
		if c.line < 0 {
			continue
		}
		g := e.groupRoot(i)
		if k := e.findCand(g); k >= 0 {
			b := &e.group.cands[k].box
			*b = b.Union(image.Rect(int(c.x0), int(c.y0), int(c.x1), int(c.y1)))
			e.group.cands[k].piece = e.group.cands[k].piece && !c.main
			continue
		}
		e.group.cands = append(e.group.cands, cand{
			box:   image.Rect(int(c.x0), int(c.y0), int(c.x1), int(c.y1)),
			group: g, line: c.line, piece: !c.main,
		})
	}
}

// Tails, in line heights.
const (
	tailTall   = 1.7 // a candidate taller than this may reach into the next line
	tailInto   = 0.3 // it reaches into a line by this much or more
	tailLines  = 0.8 // the two lines it spans are this far apart at least
	tailAbove  = 0.1 // the cut lies this far above the lower line's top
	tailDigitH = 0.5 // what is cut off is a digit of the lower line if this tall
	tailDigitW = 0.3 // and this wide
)

// cutTails cuts candidates that reach from one line down into the next (a
// long tail of a 7 or a 9, touching a digit below or not) at the top of
// the lower line: the upper part, the digit and the start of its tail,
// goes to the upper line; the lower part becomes a digit of the lower line
// if it is one (a digit the tail touched), else is dropped.
func (e *Extractor) cutTails(t float32) {
	n := len(e.group.cands)
	for k := 0; k < n; k++ {
		c := e.group.cands[k]
		l := &e.group.lines[c.line]
		if l.n == 0 || float32(c.box.Dy()) <= tailTall*l.h {
			continue
		}
		// The two topmost lines the candidate reaches well into.
		cx := float32(c.box.Min.X+c.box.Max.X) / 2
		up, down := -1, -1
		var upTop, downTop float32
		for li := range e.group.lines {
			m := &e.group.lines[li]
			if m.n == 0 {
				continue
			}
			top, bot := m.sumTop/float32(m.n)+t*cx, m.sumBot/float32(m.n)+t*cx
			if bot < float32(c.box.Min.Y)+tailInto*m.h || top > float32(c.box.Max.Y)-tailInto*m.h {
				continue
			}
			switch {
			case up < 0 || top < upTop:
				down, downTop = up, upTop
				up, upTop = li, top
			case down < 0 || top < downTop:
				down, downTop = li, top
			}
		}
		if down < 0 || downTop-upTop < tailLines*l.h {
			continue
		}
		m := &e.group.lines[down]
		cut := int(downTop - tailAbove*m.h)
		hi, lo := c, c
		hi.box.Max.Y, lo.box.Min.Y = cut, cut
		if !e.shrink(&hi) {
			continue
		}
		hi.line = int32(up)
		e.group.cands[k] = hi
		if e.shrink(&lo) && float32(lo.box.Dy()) >= tailDigitH*m.h && float32(lo.box.Dx()) >= tailDigitW*m.h {
			lo.line = int32(down)
			e.group.cands = append(e.group.cands, lo)
		}
	}
}

// groupRoot returns the root comp of comp i's group.
func (e *Extractor) groupRoot(i int32) int32 {
	comps := e.lab.comps
	for comps[i].group != i {
		p := comps[i].group
		comps[i].group = comps[p].group
		i = p
	}
	return i
}

func (e *Extractor) joinGroups(a, b int32) {
	ra, rb := e.groupRoot(a), e.groupRoot(b)
	if ra == rb {
		return
	}
	if rb < ra {
		ra, rb = rb, ra
	}
	e.lab.comps[rb].group = ra
	c, d := &e.lab.comps[ra], &e.lab.comps[rb]
	c.merged, d.merged = true, true
	// Keep the group's horizontal extent on the root in gx fields of the
	// box: the root comp's own box is not used after grouping.
	c.x0, c.x1 = min(c.x0, d.x0), max(c.x1, d.x1)
	c.y0, c.y1 = min(c.y0, d.y0), max(c.y1, d.y1)
	c.u0, c.u1 = min(c.u0, d.u0), max(c.u1, d.u1)
	c.main = c.main || d.main
}

// groupU returns the extent along the lines of comp i's group.
func (e *Extractor) groupU(i int32) (u0, u1 float32) {
	r := &e.lab.comps[e.groupRoot(i)]
	return r.u0, r.u1
}

// projectComps sets each component's extent along the lines (comp.u0,
// comp.u1): the lines' direction is deg degrees off the horizontal for a
// sheet held at an angle, whose digits lean with the lines, and level
// otherwise (deg 0: u is x).
func (e *Extractor) projectComps(deg float64) {
	comps := e.lab.comps
	if deg == 0 {
		for i := range comps {
			comps[i].u0, comps[i].u1 = float32(comps[i].x0), float32(comps[i].x1)
		}
		return
	}
	for i := range comps {
		comps[i].u0, comps[i].u1 = math.MaxFloat32, -math.MaxFloat32
	}
	cs, sn := float32(math.Cos(deg*math.Pi/180)), float32(math.Sin(deg*math.Pi/180))
	for r := range e.lab.runs {
		ru := &e.lab.runs[r]
		c := &comps[e.lab.compOf[r]]
		v := float32(ru.y) * sn
		c.u0 = min(c.u0, float32(ru.x0)*cs+v)
		c.u1 = max(c.u1, float32(ru.x1)*cs+v)
	}
}

// findCand returns the index of the candidate of group g, or -1.
func (e *Extractor) findCand(g int32) int {
	for k := len(e.group.cands) - 1; k >= 0; k-- {
		if e.group.cands[k].group == g {
			return k
		}
	}
	return -1
}

// Splitting touching digits, in line heights unless stated.
const (
	typMin, typMax = 0.4, 1.0  // widths that count toward a line's typical digit width
	typLo, typHi   = 0.5, 0.85 // the bounds of that typical width
	splitTypMin    = 0.8       // a candidate wider than splitTyp typical widths is split from this width on
	splitOwnMin    = 0.5       // and one wider than splitOwn times its height from this width on
	cutStrokes     = 1.7       // a cut crosses ink no thicker than this many strokes (one stroke, not two)
	cutSearch      = 0.35      // of a part's width: a cut is looked for this far from where it is expected
	cutMargin      = 0.3       // no cut nearer than this to either side of the candidate
	cutWander      = 0.3       // of a part's width: the cut's path may wander this far from its column
)

// splitWide cuts the candidates that are too wide for one digit at the
// minima of their ink's vertical projection.
func (e *Extractor) splitWide() {
	// Typical digit width per line, leaving out the narrow ones (1, 7).
	for li := range e.group.lines {
		l := &e.group.lines[li]
		ws := e.tmpF[:0]
		for k := range e.group.cands {
			c := &e.group.cands[k]
			w := float32(c.box.Dx())
			if c.line == int32(li) && w >= typMin*l.h && w <= typMax*l.h && !c.piece {
				ws = append(ws, w)
			}
		}
		e.tmpF = ws
		l.wTyp = 0.65 * l.h
		if len(ws) >= 3 {
			l.wTyp = max(typLo*l.h, min(typHi*l.h, median(ws)))
		}
	}
	n := len(e.group.cands)
	for k := 0; k < n; k++ {
		c := e.group.cands[k]
		l := &e.group.lines[c.line]
		bw := float32(c.box.Dx())
		// Too wide for one digit: against the line's height, against
		// the line's typical width (for narrow writing), or against its
		// own height (two small digits touching).
		wide := bw > splitW*l.h ||
			bw > splitTyp*l.wTyp && bw > splitTypMin*l.h ||
			bw > splitOwn*float32(c.box.Dy()) && bw > splitOwnMin*l.h
		if !wide {
			continue
		}
		parts := max(2, int(bw/l.wTyp+0.5))
		if !e.cutParts(c, parts, l.h, false) {
			continue
		}
		e.group.wholes = append(e.group.wholes, c)
		for i := range e.group.parts {
			e.group.parts[i].whole = int32(len(e.group.wholes))
		}
		e.group.cands[k] = e.group.parts[0]
		e.group.cands = append(e.group.cands, e.group.parts[1:]...)
	}
}

// cutParts cuts candidate c (on a line of digit height lh) into up to
// parts pieces side by side, into e.group.parts, and reports whether it
// made two or more. Each cut is looked for near where it would fall for
// pieces of equal width, at the column with the least ink, and follows a
// path through the least ink from top to bottom. Strict cuts, the
// extractor's own, cross one thin stroke only (a touching point, not two
// strokes nor a thick one) and leave something taller than the joint on
// both sides; relaxed ones, which a model will judge, only leave ink on
// both sides.
func (e *Extractor) cutParts(c cand, parts int, lh float32, relaxed bool) bool {
	e.group.parts = e.group.parts[:0]
	bw := float32(c.box.Dx())
	sw := e.projection(&c)
	maxCut := int32(cutStrokes*sw + 1)
	proj := e.group.proj
	x0 := c.box.Min.X
	step := bw / float32(parts)
	left, leftCut := x0, int32(0)
	for p := 1; p < parts; p++ {
		exp := float32(x0) + float32(p)*step
		lo, hi := int(exp-cutSearch*step), int(exp+cutSearch*step)
		lo, hi = max(lo, left+int(cutMargin*lh)), min(hi, c.box.Max.X-int(cutMargin*lh))
		best, bestV := -1, float32(1e30)
		for x := lo; x <= hi; x++ {
			d := (float32(x) - exp) / step
			v := float32(proj[x-x0]) + d*d*sw
			if v < bestV {
				best, bestV = x, v
			}
		}
		if best < 0 || !relaxed && (proj[best-x0] > maxCut || e.group.crossings[best-x0] != 1) {
			continue
		}
		// Both sides must hold something taller than the joint (a long
		// slanted stroke projects the same everywhere).
		var ml, mr int32
		for x := left; x < best; x++ {
			ml = max(ml, proj[x-x0])
		}
		for x := best + 1; x < c.box.Max.X; x++ {
			mr = max(mr, proj[x-x0])
		}
		if !relaxed && 2*proj[best-x0] > min(ml, mr) || ml == 0 || mr == 0 {
			continue
		}
		pi, pmin, pmax := e.cutPath(&c, best, max(left+1, best-int(cutWander*step)), min(c.box.Max.X-1, best+int(cutWander*step)))
		part := c
		part.cutL, part.cutR = leftCut, pi+1
		part.box.Min.X, part.box.Max.X = left, pmax+1
		if !e.shrink(&part) {
			continue
		}
		e.group.parts = append(e.group.parts, part)
		left, leftCut = pmin, pi+1
	}
	if len(e.group.parts) == 0 {
		return false
	}
	part := c
	part.cutL = leftCut
	part.box.Min.X = left
	if e.shrink(&part) {
		e.group.parts = append(e.group.parts, part)
	}
	return len(e.group.parts) >= 2
}

// Split cuts d, a digit of the last Extract, into up to parts digits side
// by side at the cuts through the least ink (cutParts, relaxed), and
// appends them to dst, normalised as Extract's, in order; it appends
// nothing when d cannot be cut in two. It is for a reader that asks a
// model: a candidate the model doubts may be digits that touch, which the
// extractor's own rules (one thin stroke at the joint) did not dare cut.
func (e *Extractor) Split(d *Digit, parts int, dst []Digit) []Digit {
	if d.cand < 0 || int(d.cand) >= len(e.group.cands) || parts < 2 {
		return dst
	}
	c := e.group.cands[d.cand]
	if !e.cutParts(c, parts, float32(c.box.Dy()), true) {
		return dst
	}
	// The parts go after the candidates, so that the digits keep pointing
	// at theirs.
	first := len(e.group.cands)
	e.group.cands = append(e.group.cands, e.group.parts...)
	n := len(dst)
	for i := first; i < len(e.group.cands); i++ {
		dst = e.emit(int32(i), dst)
	}
	for i := n; i < len(dst); i++ {
		dst[i].Space = false
	}
	return dst
}

// CutFrom reports whether d, a digit of the last Extract, is a piece of a
// candidate that the extractor cut because it was too wide for one digit
// (digits that touch): it returns 0 if not, and otherwise a number that
// the other pieces of the same cut share.
func (e *Extractor) CutFrom(d *Digit) int {
	if d.cand < 0 || int(d.cand) >= len(e.group.cands) {
		return 0
	}
	return int(e.group.cands[d.cand].whole)
}

// Uncut appends to dst, normalised as Extract's, the candidate that d, a
// digit of the last Extract, was cut from (CutFrom), whole; it appends
// nothing if d was not cut. It is for a reader whose model doubts the
// pieces: a wide 0 or a 6 lying on its side, open where its stroke is
// faint, meets the extractor's rule for digits that touch, and the model
// says which reading holds.
func (e *Extractor) Uncut(d *Digit, dst []Digit) []Digit {
	w := e.CutFrom(d)
	if w == 0 {
		return dst
	}
	c := e.group.wholes[w-1]
	c.space = e.group.cands[d.cand].space
	e.group.cands = append(e.group.cands, c)
	dst = e.emit(int32(len(e.group.cands)-1), dst)
	return dst
}

// Join appends to dst, normalised as Extract's, one digit of the ink of
// a and b, digits of the last Extract, in the box of both and on a's line;
// it appends nothing when either is a piece of a cut or a part of a Split.
// It is for a reader whose model reads neither as a digit, or that sees
// them stand one above the other: a digit whose faint stroke broke in two
// (a 5 and its bar, a 9's loop and its stem) is two marks that the
// extractor's rules kept apart, and the model says whether they are one.
func (e *Extractor) Join(a, b *Digit, dst []Digit) []Digit {
	n := int32(len(e.group.cands))
	if a.cand < 0 || a.cand >= n || b.cand < 0 || b.cand >= n {
		return dst
	}
	ca, cb := e.group.cands[a.cand], e.group.cands[b.cand]
	if ca.cutL != 0 || ca.cutR != 0 || cb.cutL != 0 || cb.cutR != 0 || ca.group == cb.group {
		return dst
	}
	c := cand{box: ca.box.Union(cb.box), group: ca.group, also: cb.group + 1, line: ca.line, space: ca.space}
	e.group.cands = append(e.group.cands, c)
	dst = e.emit(int32(len(e.group.cands)-1), dst)
	return dst
}

// Apart appends to dst, normalised as Extract's, the two digit-sized
// marks that d, a digit of the last Extract, was made of, each with the
// small marks nearest it, left to right; it appends nothing unless d holds
// exactly two marks tall enough to be digits and is neither a piece of a
// cut nor two candidates joined. It is for a reader whose model reads d as
// no digit: two digits whose columns overlap (the bar of a 7 over the 1
// after it, the digits of a turned sheet or of a hand that slants them)
// were taken for the pieces of one (mergePieces), and the model says
// whether they are two.
func (e *Extractor) Apart(d *Digit, dst []Digit) []Digit {
	if d.cand < 0 || int(d.cand) >= len(e.group.cands) {
		return dst
	}
	c := e.group.cands[d.cand]
	if c.cutL != 0 || c.cutR != 0 || c.also != 0 || c.side != 0 || c.whole != 0 {
		return dst
	}
	comps := e.lab.comps
	a, b := int32(-1), int32(-1)
	for i := range comps {
		if !comps[i].main || e.groupRoot(int32(i)) != c.group {
			continue
		}
		switch {
		case a < 0:
			a = int32(i)
		case b < 0:
			b = int32(i)
		default:
			return dst // three or more: no two sides
		}
	}
	if b < 0 {
		return dst
	}
	ca, cb := &comps[a], &comps[b]
	if ca.x0+ca.x1 > cb.x0+cb.x1 {
		a, b, ca, cb = b, a, cb, ca
	}
	parts := [2]cand{
		{group: c.group, line: c.line, space: c.space, side: 1},
		{group: c.group, line: c.line, side: 2},
	}
	for i := range comps {
		k := &comps[i]
		if e.groupRoot(int32(i)) != c.group {
			continue
		}
		k.side = 1
		if int32(i) == b || int32(i) != a && boxGap(k, cb) < boxGap(k, ca) {
			k.side = 2
		}
		p := &parts[k.side-1]
		p.box = p.box.Union(image.Rect(int(k.x0), int(k.y0), int(k.x1), int(k.y1)))
	}
	for _, p := range parts {
		p.box = p.box.Intersect(c.box)
		e.group.cands = append(e.group.cands, p)
		dst = e.emit(int32(len(e.group.cands)-1), dst)
	}
	return dst
}

// boxGap returns the distance between the boxes of comps a and b, the
// larger of the gaps across and up and down (0 where they overlap).
func boxGap(a, b *comp) int32 {
	return max(a.x0-b.x1, b.x0-a.x1, a.y0-b.y1, b.y0-a.y1, 0)
}

// Top appends to dst, normalised as Extract's, the top of d, a digit of
// the last Extract: the ink of its candidate in the first height rows of
// its box, in the box of that ink. It appends nothing when d is a piece
// of a cut or holds two marks (Join), or when the top has no ink. It is for
// a reader that sees a digit reaching far below its line: a 9 or a 7 whose
// stem descends is, scaled whole to MNIST's 20 pixels, as thin as a 1, and
// its top, the size of its line's digits, shows its loop or its bar.
func (e *Extractor) Top(d *Digit, height int, dst []Digit) []Digit {
	if d.cand < 0 || int(d.cand) >= len(e.group.cands) || height <= 0 {
		return dst
	}
	c := e.group.cands[d.cand]
	if c.cutL != 0 || c.cutR != 0 || c.also != 0 || height >= c.box.Dy() {
		return dst
	}
	ink := image.Rectangle{}
	for y := c.box.Min.Y; y < c.box.Min.Y+height; y++ {
		for r := e.lab.rowStart[y]; r < e.lab.rowStart[y+1]; r++ {
			ru := &e.lab.runs[r]
			if e.groupRoot(e.lab.compOf[r]) != c.group {
				continue
			}
			x0, x1 := max(int(ru.x0), c.box.Min.X), min(int(ru.x1), c.box.Max.X)
			if x0 < x1 {
				ink = ink.Union(image.Rect(x0, y, x1, y+1))
			}
		}
	}
	if ink.Empty() {
		return dst
	}
	c.box = ink
	c.whole = 0
	e.group.cands = append(e.group.cands, c)
	dst = e.emit(int32(len(e.group.cands)-1), dst)
	return dst
}

// cutPath finds the cut through candidate c near column best: a path from
// the top of its box to the bottom, one column step at most per row, within
// columns [lo, hi], crossing as little of c's ink as it can and staying
// near best. It stores the path and returns its index and its column range.
func (e *Extractor) cutPath(c *cand, best, lo, hi int) (idx int32, xmin, xmax int) {
	b := c.box
	lo, hi = min(lo, best), max(hi, best)
	w, h := hi-lo+1, b.Dy()
	// Ink of c's group in the window, one byte per pixel.
	e.norm.mask = grow(e.norm.mask, w*h)
	ink := e.norm.mask[:w*h]
	clear(ink)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		row := ink[(y-b.Min.Y)*w : (y-b.Min.Y+1)*w]
		for r := e.lab.rowStart[y]; r < e.lab.rowStart[y+1]; r++ {
			ru := &e.lab.runs[r]
			if e.groupRoot(e.lab.compOf[r]) != c.group {
				continue
			}
			for x := max(int(ru.x0), lo); x < min(int(ru.x1), hi+1); x++ {
				row[x-lo] = 1
			}
		}
	}
	// Dynamic programming, row by row: cost of the best path reaching
	// each column, and where it came from.
	e.group.dpCost = grow(e.group.dpCost, 2*w)
	e.group.dpFrom = grow(e.group.dpFrom, w*h)
	prev, cur := e.group.dpCost[:w], e.group.dpCost[w:2*w]
	pull := func(x int) float32 { return 0.02 * float32(abs(x+lo-best)) }
	for x := range prev {
		prev[x] = float32(ink[x]) + pull(x)
	}
	for y := 1; y < h; y++ {
		row := ink[y*w : y*w+w]
		from := e.group.dpFrom[y*w : y*w+w]
		for x := range cur {
			bx, bc := x, prev[x]
			if x > 0 && prev[x-1]+0.05 < bc {
				bx, bc = x-1, prev[x-1]+0.05
			}
			if x+1 < w && prev[x+1]+0.05 < bc {
				bx, bc = x+1, prev[x+1]+0.05
			}
			cur[x] = bc + float32(row[x]) + pull(x)
			from[x] = int8(bx - x)
		}
		prev, cur = cur, prev
	}
	end := 0
	for x := range prev {
		if prev[x] < prev[end] {
			end = x
		}
	}
	// Walk back, storing the columns bottom-up, then reverse them.
	off := int32(len(e.group.pathX))
	x := end
	xmin, xmax = hi, lo
	for y := h - 1; y >= 0; y-- {
		e.group.pathX = append(e.group.pathX, int16(x+lo))
		xmin, xmax = min(xmin, x+lo), max(xmax, x+lo)
		if y > 0 {
			x += int(e.group.dpFrom[y*w+x])
		}
	}
	px := e.group.pathX[off:]
	for i, j := 0, len(px)-1; i < j; i, j = i+1, j-1 {
		px[i], px[j] = px[j], px[i]
	}
	e.group.paths = append(e.group.paths, path{off: off, y0: int32(b.Min.Y), n: int32(h)})
	return int32(len(e.group.paths) - 1), xmin, xmax
}

// projection fills e.group.proj[0:box.Dx()] with the ink count of c's group per
// column of its box and e.group.crossings with the number of separate strokes
// each column crosses, and returns the group's stroke width there (the
// median length of its horizontal runs).
func (e *Extractor) projection(c *cand) float32 {
	b := c.box
	n := b.Dx()
	e.group.crossings = grow(e.group.crossings, n)
	e.group.rowMask = grow(e.group.rowMask, 2*n)
	proj, cross := e.group.proj[:n], e.group.crossings[:n]
	clear(proj)
	clear(cross)
	prev, cur := e.group.rowMask[:n], e.group.rowMask[n:2*n]
	clear(prev)
	lens := e.tmpF[:0]
	for y := b.Min.Y; y < b.Max.Y; y++ {
		clear(cur)
		for r := e.lab.rowStart[y]; r < e.lab.rowStart[y+1]; r++ {
			ru := &e.lab.runs[r]
			if e.groupRoot(e.lab.compOf[r]) != c.group {
				continue
			}
			x0, x1 := max(int(ru.x0), b.Min.X), min(int(ru.x1), b.Max.X)
			if x0 >= x1 {
				continue
			}
			lens = append(lens, float32(x1-x0))
			for x := x0; x < x1; x++ {
				cur[x-b.Min.X] = 1
			}
		}
		for x, v := range cur {
			proj[x] += int32(v)
			if v == 1 && prev[x] == 0 {
				cross[x]++
			}
		}
		prev, cur = cur, prev
	}
	e.tmpF = lens
	return max(median(lens), 1)
}

// shrink fits c's box to its group's ink inside it; it reports false when
// there is no ink.
func (e *Extractor) shrink(c *cand) bool {
	b := c.box
	nb := image.Rectangle{Min: image.Pt(b.Max.X, b.Max.Y), Max: image.Pt(b.Min.X, b.Min.Y)}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for r := e.lab.rowStart[y]; r < e.lab.rowStart[y+1]; r++ {
			ru := &e.lab.runs[r]
			if e.groupRoot(e.lab.compOf[r]) != c.group {
				continue
			}
			px0, px1 := e.partRange(c, y)
			x0, x1 := max(int(ru.x0), px0), min(int(ru.x1), px1)
			if x0 >= x1 {
				continue
			}
			nb.Min.X, nb.Max.X = min(nb.Min.X, x0), max(nb.Max.X, x1)
			nb.Min.Y, nb.Max.Y = min(nb.Min.Y, y), max(nb.Max.Y, y+1)
		}
	}
	if nb.Empty() {
		return false
	}
	c.box = nb
	return true
}

// Finishing lines.
const (
	edgeStep = 0.6  // a thin stroke with paper this much darker on one side is the sheet's edge against a table
	edgeDeep = 0.35 // unless its ink is this much darker than the dark side (shadowCrossed)
	spaceMin = 0.5  // of a digit's height: the narrowest gap that can be a space
)

// finishLines drops the candidates too small for their line and the
// edges of the sheet in plane, orders the lines top to bottom and the
// candidates left to right, and marks spaces.
func (e *Extractor) finishLines(plane *image.Gray, t float32) {
	for k := range e.group.cands {
		c := &e.group.cands[k]
		l := &e.group.lines[c.line]
		if float32(c.box.Dy()) < minDigitH*l.h || max(c.box.Dx(), c.box.Dy()) < e.minH*3/4 {
			c.dead = true
		}
		// The edge of the sheet against a darker table: a thin stroke with
		// paper much darker on one side than on the other, unless it is
		// writing that a shadow's edge crosses.
		if my, d := (c.box.Min.Y+c.box.Max.Y)/2, e.paper.blk; !c.dead && c.box.Dx()*3 < c.box.Dy() {
			xl, xr := max(c.box.Min.X-d, 0), min(c.box.Max.X+d, e.w-1)
			pl, pr := e.paperAt(xl, my), e.paperAt(xr, my)
			if min(pl, pr) < edgeStep*max(pl, pr) && !e.shadowCrossed(plane, c.group, int32(c.box.Min.Y), int32(c.box.Max.Y), min(pl, pr), max(pl, pr), l.h) {
				c.dead = true
			}
		}
	}
	// Line keys: mean straightened centre of their live candidates.
	for li := range e.group.lines {
		l := &e.group.lines[li]
		var s float32
		var n int
		for k := range e.group.cands {
			c := &e.group.cands[k]
			if c.line == int32(li) && !c.dead {
				cx := float32(c.box.Min.X+c.box.Max.X) / 2
				s += float32(c.box.Min.Y+c.box.Max.Y)/2 - t*cx
				n++
			}
		}
		l.key = 1e30
		if n > 0 {
			l.key = s / float32(n)
		}
	}
	// Rank lines by key (few lines: selection by counting).
	live := int32(0)
	for li := range e.group.lines {
		l := &e.group.lines[li]
		if l.key == 1e30 {
			l.rank = -1
			continue
		}
		r := int32(0)
		for lj := range e.group.lines {
			o := &e.group.lines[lj]
			if o.key != 1e30 && (o.key < l.key || (o.key == l.key && lj < li)) {
				r++
			}
		}
		l.rank = r
		live++
	}
	for k := range e.group.cands {
		c := &e.group.cands[k]
		c.line = e.group.lines[c.line].rank
	}
	// The wholes of cuts too: Uncut hands them out on their pieces' line.
	for k := range e.group.wholes {
		c := &e.group.wholes[k]
		c.line = e.group.lines[c.line].rank
	}
	cands := e.group.cands
	slices.SortFunc(cands, func(a, b cand) int {
		if a.dead != b.dead {
			if a.dead {
				return 1
			}
			return -1
		}
		if a.line != b.line {
			return int(a.line - b.line)
		}
		return a.box.Min.X - b.box.Min.X
	})
	// Drop the dead tail.
	n := len(cands)
	for n > 0 && cands[n-1].dead {
		n--
	}
	e.group.cands = cands[:n]
	// Spaces: gaps much wider than the line's median gap.
	gaps := e.tmpF[:0]
	for k := 0; k < n; {
		j := k
		for j < n && cands[j].line == cands[k].line {
			j++
		}
		gaps = gaps[:0]
		for i := k + 1; i < j; i++ {
			gaps = append(gaps, float32(cands[i].box.Min.X-cands[i-1].box.Max.X))
		}
		if len(gaps) > 0 {
			g := max(median(gaps), 1)
			hl := float32(cands[k].box.Dy())
			for i := k + 1; i < j; i++ {
				d := float32(cands[i].box.Min.X - cands[i-1].box.Max.X)
				cands[i].space = d > spaceGap*g && d > spaceMin*hl
			}
		}
		k = j
	}
	e.tmpF = gaps
}

// wholeCrop makes one candidate of all the strong ink of a tight crop in
// which grouping found no digit (its strokes broken into pieces each too
// small, a digit cut by the crop): a photo cut around one digit holds one
// digit, and the model, not the extractor, says whether it is one.
func (e *Extractor) wholeCrop() {
	root := int32(-1)
	var box image.Rectangle
	for i := range e.lab.comps {
		c := &e.lab.comps[i]
		if !c.strong || c.area < 3 || e.offPaper(c) {
			continue
		}
		r := image.Rect(int(c.x0), int(c.y0), int(c.x1), int(c.y1))
		if root < 0 {
			root, box = int32(i), r
			continue
		}
		e.joinGroups(root, int32(i))
		box = box.Union(r)
	}
	if root < 0 {
		return
	}
	if len(e.group.lines) == 0 {
		e.group.lines = append(e.group.lines, line{h: float32(box.Dy())})
	}
	e.group.cands = append(e.group.cands, cand{box: box, group: e.groupRoot(root), line: 0})
}

// Whole appends to dst, normalised as Extract's, one digit of all the
// strong ink of the last Extract's frame when that frame is a tight crop
// (200 pixels or less on its longer side), and nothing otherwise. It is for
// a reader whose model reads no digit in the candidates of a photo cut
// around one digit: the extractor may have cut a wide 0 in two or kept a
// stroke apart, and the photo holds one digit.
func (e *Extractor) Whole(dst []Digit) []Digit {
	if !e.small() {
		return dst
	}
	return e.AllInk(dst)
}

// AllInk appends to dst, normalised as Extract's, one digit of all the
// strong ink on the paper of the last Extract's frame, whatever the
// frame's size, or nothing when it has none. It is for a reader that
// knows the frame holds one digit and nothing else (a close-up photo of a
// digit, blurred or written faint, whose strokes broke into pieces none of
// which is a digit).
func (e *Extractor) AllInk(dst []Digit) []Digit {
	if len(e.lab.comps) == 0 {
		return dst
	}
	first := len(e.group.cands)
	e.wholeCrop()
	if len(e.group.cands) == first {
		return dst
	}
	dst = e.emit(int32(first), dst)
	return dst
}

// dropFaint drops the digits whose ink is much fainter than the page's
// writing: handwriting showing through from the back of the sheet (which
// the paper blurs and dims to a third or a half of the writing's contrast)
// and smudges. The writing's contrast is taken as the third darkest of the
// digits (the darkest when there are fewer than five), so that one black
// blot does not set it. Under a photo's glare (fadeInk) a digit needs as
// much less contrast as the writing around it has. On a blank grid
// (remeasureInk) a digit needs the contrast of e.paper.linesFloor: the
// grid's pieces have nothing to be compared with.
func (e *Extractor) dropFaint(ds []Digit) []Digit {
	if f := e.paper.linesFloor; f > 0 {
		ds = slices.DeleteFunc(ds, func(d Digit) bool { return d.Contrast < f })
	}
	if len(ds) < 2 {
		return ds
	}
	cs := e.tmpF[:0]
	for i := range ds {
		cs = append(cs, ds[i].Contrast)
	}
	e.tmpF = cs
	slices.Sort(cs)
	ref := cs[len(cs)-1]
	if len(cs) >= 5 {
		ref = cs[len(cs)-3]
	}
	n := 0
	for i := range ds {
		fade := float32(1)
		if c := ds[i].cand; c >= 0 && int(c) < len(e.group.cands) {
			b := e.group.cands[c].box
			fade = e.fadeAt((b.Min.X+b.Max.X)/2, (b.Min.Y+b.Max.Y)/2)
		}
		if ds[i].Contrast >= faintShare*ref*fade {
			ds[n] = ds[i]
			n++
		}
	}
	return ds[:n]
}

// faintShare is the least contrast a digit's ink has, as a share of the
// page's writing: coloured ink beside black has half of it or more,
// writing showing through from the back a third to a half.
const faintShare = 0.45

// groupStage holds the lines and the digit candidates.
type groupStage struct {
	order           []int32 // the valid components, left to right
	lines           []line
	cands           []cand
	paths           []path // cuts through touching digits
	pathX           []int16
	dpCost          []float32
	dpFrom          []int8
	proj, crossings []int32
	rowMask         []uint8
	parts           []cand   // cutParts's pieces
	wholes          []cand   // the candidates splitWide cut
	segFor          int32    // the candidate of the last CutAt
	segCuts         []segCut // and its cuts
}
