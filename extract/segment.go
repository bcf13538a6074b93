package extract

// Cutting a candidate where a reader asks. Digits written into each
// other (the bar of a 4 through the next digit, two 0s side by side, a 6
// whose tail runs into a 2) are one component whose joint is no thin
// stroke: the extractor's own cuts (splitWide) do not dare them, and a
// cut at equal widths (Split) falls where the digits are not. A reader can
// try the columns where the ink is least (CutColumns), cut there once
// (CutAt), and let its model judge each stretch between two cuts (Piece):
// segmentation by recognition.

// Where a cut may fall, in heights of the candidate.
const (
	cutEdge = 0.12 // no cut nearer than this to either side: a piece is at least a 1's width
	cutSep  = 0.1  // two cut columns are at least this far apart
	cutRoom = 0.15 // a cut's path may wander this far from its column, either way
)

// MaxCuts bounds the columns CutColumns returns and CutAt takes.
const MaxCuts = 8

// CutColumns appends to dst, left to right, the columns of d, a digit of
// the last Extract, where a cut through digits that touch may fall: the
// middles of the runs of columns whose ink (its vertical projection) is a
// local minimum, at least cutEdge of its height from either side and
// cutSep apart (the least ink kept where two are closer), at most
// MaxCuts of them (those with the least ink). It appends nothing for a
// candidate that holds two marks (Join) or none.
func (e *Extractor) CutColumns(d *Digit, dst []int) []int {
	c, ok := e.cuttable(d)
	if !ok {
		return dst
	}
	b := c.box
	n := b.Dx()
	e.group.proj = grow(e.group.proj, n)
	e.projection(&c)
	proj := e.group.proj[:n]
	h := float32(b.Dy())
	edge, sep := int(cutEdge*h+0.5), max(int(cutSep*h+0.5), 1)
	first := len(dst)
	for x := max(edge, 1); x < n-max(edge, 1); {
		// A run of equal ink, lower than the columns on both sides.
		end := x + 1
		for end < n && proj[end] == proj[x] {
			end++
		}
		if proj[x-1] > proj[x] && end < n && proj[end] > proj[x] {
			mid := (x + end - 1) / 2
			if mid >= edge && mid < n-edge {
				dst = keepCut(dst, first, b.Min.X+mid, sep, proj, b.Min.X)
			}
		}
		x = end
	}
	return dst
}

// keepCut adds column x to the cut columns dst[first:], in order, unless
// one within sep has less ink (then x is dropped) and dropping those with
// more; past MaxCuts, the column with the most ink goes.
func keepCut(dst []int, first, x, sep int, proj []int32, x0 int) []int {
	ink := func(x int) int32 { return proj[x-x0] }
	for i := first; i < len(dst); i++ {
		if abs(dst[i]-x) < sep {
			if ink(dst[i]) <= ink(x) {
				return dst
			}
			dst = append(dst[:i], dst[i+1:]...)
			i--
		}
	}
	dst = append(dst, x)
	for i := len(dst) - 1; i > first && dst[i-1] > dst[i]; i-- {
		dst[i-1], dst[i] = dst[i], dst[i-1]
	}
	if len(dst)-first > MaxCuts {
		worst := first
		for i := first; i < len(dst); i++ {
			if ink(dst[i]) > ink(dst[worst]) {
				worst = i
			}
		}
		dst = append(dst[:worst], dst[worst+1:]...)
	}
	return dst
}

// cuttable returns d's candidate if d is a digit of the last Extract made
// of one group's ink.
func (e *Extractor) cuttable(d *Digit) (cand, bool) {
	if d.cand < 0 || int(d.cand) >= len(e.group.cands) {
		return cand{}, false
	}
	c := e.group.cands[d.cand]
	return c, c.also == 0 && !c.box.Empty()
}

// segCut is a cut CutAt made: its path and the columns the path spans.
type segCut struct {
	path       int32
	xmin, xmax int
}

// CutAt cuts d, a digit of the last Extract, at each of the columns xs
// (in order, inside its box, at most MaxCuts: CutColumns) along a path
// through its least ink from top to bottom, within cutRoom of the column,
// for Piece; it reports false when d cannot be cut.
func (e *Extractor) CutAt(d *Digit, xs []int) bool {
	c, ok := e.cuttable(d)
	if !ok || len(xs) > MaxCuts {
		return false
	}
	// Piece serves only a candidate whose every cut was made.
	e.group.segFor = -1
	e.group.segCuts = e.group.segCuts[:0]
	room := max(int(cutRoom*float32(c.box.Dy())+0.5), 1)
	for _, x := range xs {
		if x <= c.box.Min.X || x >= c.box.Max.X-1 {
			return false
		}
		p, lo, hi := e.cutPath(&c, x, max(c.box.Min.X+1, x-room), min(c.box.Max.X-2, x+room))
		e.group.segCuts = append(e.group.segCuts, segCut{path: p, xmin: lo, xmax: hi})
	}
	e.group.segFor = d.cand
	return true
}

// Piece appends to dst, normalised as Extract's, the ink of d between the
// cuts i and j of the last CutAt on d (0 is d's left side, len(xs)+1 its
// right side: no cut there), i < j; it appends nothing when there is no
// ink between them or d was not the last cut.
func (e *Extractor) Piece(d *Digit, i, j int, dst []Digit) []Digit {
	cuts := e.group.segCuts
	if d.cand != e.group.segFor || i < 0 || j <= i || j > len(cuts)+1 {
		return dst
	}
	part := e.group.cands[d.cand]
	if i > 0 {
		part.cutL, part.box.Min.X = cuts[i-1].path+1, cuts[i-1].xmin
	}
	if j <= len(cuts) {
		part.cutR, part.box.Max.X = cuts[j-1].path+1, cuts[j-1].xmax+1
	}
	if part.box.Empty() || !e.shrink(&part) {
		return dst
	}
	e.group.cands = append(e.group.cands, part)
	return e.emit(int32(len(e.group.cands)-1), dst)
}
