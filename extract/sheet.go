package extract

import (
	"image"
	"math"
	"slices"
)

// The sheet. A webcam sees the sheet and what is around it: the table, a
// sweater, the hand holding it. The paper grid tells them apart: paper is
// bright, even in a shadow or a vignetted corner (half as bright as the
// rest, and its brightness changes by at most that much from block to
// block), while what lies around a sheet is much darker, or steps down at
// the sheet's edge. The sheet is the largest region of bright blocks joined
// by such changes; digits are looked for on it only.

// Thresholds of the sheet, as fractions of the paper's brightness.
const (
	sheetStep  = 0.45 // neighbouring blocks of one sheet differ by less than this factor (a shadow's edge)
	sheetFloor = 0.3  // of the brightest paper: darker blocks are not paper
	sheetMin   = 0.15 // of the frame: a smaller region is no sheet (all of the frame is kept)
	sheetOut   = 0.3  // of a component's blocks: more of them off the sheet and it is not on it
	// Light falling off toward the frame's corners (a webcam's vignetting,
	// a desk lamp's pool of light in a dim room) takes the paper there
	// under sheetFloor, but gradually: the sheet reaches on into blocks
	// down to fadeFloor of the brightest paper, each at least fadeStep as
	// bright as the block before it and darker still (followFade). What
	// lies around a sheet steps down at its edge, or is flat beyond it,
	// and is not reached.
	fadeFloor = 0.08
	fadeStep  = 0.8
)

// A table of another colour. A step to a surface half as bright as the
// paper passes for a shadow's edge (sheetStep), and a wooden desk or a
// brown table beside a sheet is often no darker than that, nor than the
// paper in a vignetted corner beside it; but a shadow keeps the colour of
// the paper it falls on, and a table has its own. In a colour frame, a
// block darker than tableLuma of the brightest paper whose paper's colour
// (its brightest pixels' chroma) lies more than tableChroma (|ΔCb| +
// |ΔCr|) from the brightest paper's, and more than tableLitChroma once
// scaled to the brightest paper's light, is not paper. The dim blocks of the
// development photos (vignetted corners, shadows, a webcam's drifting
// white balance) lie within 32 of their brightest paper, but for the
// darkest corners of two webcam frames (38 and 52); a wooden desk lies 50
// to 60 from white paper. A pale coloured note on a white sheet is nearly
// as bright as the sheet, and stays part of it.
const (
	tableLuma   = 0.8
	tableChroma = 40
	// tableLitChroma is the least distance of the same colours with the
	// block's chroma scaled to the paper's brightness: chroma shrinks
	// with the light, and yellow paper dimmed to a third by a lamp falling
	// off across it lies as far from its lit paper as a table does, but
	// not once lit as brightly. A wooden desk at 110 lies about 120 from
	// white paper so.
	tableLitChroma = 60
)

// findSheet marks in e.sheet.on the blocks of the paper grid that belong to
// the sheet: the largest region of blocks at least sheetFloor of the
// brightest paper, joined to their neighbours where the brightness changes
// by a factor above sheetStep. When no region covers sheetMin of the frame,
// and in a tight crop (small), the whole frame counts as sheet.
func (e *Extractor) findSheet() {
	bw, bh := e.paper.bgw, e.paper.bgh
	n := bw * bh
	e.sheet.on = grow(e.sheet.on, n)
	e.sheet.uf = grow(e.sheet.uf, n)
	bg, uf := e.paper.bg[:n], e.sheet.uf[:n]
	floor := sheetFloor * e.brightPaper()
	// Most frames are all paper: every block bright and every step
	// between neighbours small. Then there is nothing to join.
	split := false
	e.markForeign(n, floor)
	for j := 0; j < bh && !split; j++ {
		for i := 0; i < bw; i++ {
			k := j*bw + i
			if bg[k] < floor || i+1 < bw && !e.joinBlocks(k, k+1, floor) || j+1 < bh && !e.joinBlocks(k, k+bw, floor) {
				split = true
				break
			}
		}
	}
	// A tight crop is all writing and paper: the blocks a thick stroke
	// covers are dark, but they are the digit, not a table beside it.
	e.sheet.all = !split || e.small()
	if e.sheet.all {
		return
	}
	for i := range uf {
		uf[i] = int32(i)
	}
	for j := 0; j < bh; j++ {
		for i := 0; i < bw; i++ {
			k := j*bw + i
			if i+1 < bw && e.joinBlocks(k, k+1, floor) {
				unionBlocks(uf, int32(k), int32(k+1))
			}
			if j+1 < bh && e.joinBlocks(k, k+bw, floor) {
				unionBlocks(uf, int32(k), int32(k+bw))
			}
		}
	}
	// The largest region: count blocks per root, in the scratch tmpF.
	e.tmpF = grow(e.tmpF, n)
	size := e.tmpF[:n]
	clear(size)
	best, bestN := int32(-1), float32(0)
	for k := range uf {
		r := findBlock(uf, int32(k))
		uf[k] = r
		size[r]++
		if size[r] > bestN {
			best, bestN = r, size[r]
		}
	}
	whole := bestN < sheetMin*float32(n)
	for k, r := range uf {
		e.sheet.on[k] = whole || r == best
	}
	if !whole {
		e.followFade(floor)
	}
	e.fillSheetHoles()
	e.sheet.all = !slices.Contains(e.sheet.on[:n], false)
	e.markRim()
}

// markRim marks the rim of the sheet: its blocks beside a block off it.
func (e *Extractor) markRim() {
	bw, bh := e.paper.bgw, e.paper.bgh
	n := bw * bh
	e.sheet.rim = grow(e.sheet.rim, n)
	clear(e.sheet.rim)
	for j := 0; j < bh; j++ {
		for i := 0; i < bw; i++ {
			if e.sheet.on[j*bw+i] {
				continue
			}
			for y := max(j-1, 0); y <= min(j+1, bh-1); y++ {
				for x := max(i-1, 0); x <= min(i+1, bw-1); x++ {
					e.sheet.rim[y*bw+x] = e.sheet.on[y*bw+x]
				}
			}
		}
	}
}

// brightPaper returns the brightest paper of the frame, leaving out the
// brightest 5% of the blocks (a lamp or a window in view), from a
// histogram of grey levels.
func (e *Extractor) brightPaper() float32 {
	bg := e.paper.bg[:e.paper.bgw*e.paper.bgh]
	var hist [256]int32
	for _, v := range bg {
		hist[min(max(int(v), 0), 255)]++
	}
	return float32(topLevel(&hist, int32(len(bg))))
}

// medianLevel returns the median level of histogram hist, of n counts,
// or 0 when it is empty.
func medianLevel(hist *[256]int32, n int32) float32 {
	for v, c := range hist {
		if n -= 2 * c; n < 0 {
			return float32(v)
		}
	}
	return 0
}

// topLevel returns the level of histogram hist, of n counts, that a
// twentieth of them reach or pass: the brightest but for outliers.
func topLevel(hist *[256]int32, n int32) int {
	top, above := 255, int32(0)
	for ; top > 0 && (above+hist[top])*20 <= n; top-- {
		above += hist[top]
	}
	return top
}

// followFade puts on the sheet the blocks under floor that light falling
// off gradually from it reaches: down to fadeFloor of the brightest paper
// through neighbours each at least fadeStep of the last, and of the
// paper's colour once lit as brightly (tableLitChroma). It floods from the
// sheet's blocks.
func (e *Extractor) followFade(floor float32) {
	bw, bh := e.paper.bgw, e.paper.bgh
	n := bw * bh
	on, bg := e.sheet.on[:n], e.paper.bg[:n]
	deep := fadeFloor / sheetFloor * floor
	// In a colour frame each block is asked: the colour of a dark
	// finger or table is too faint for paperColour's gate, and for
	// tableChroma.
	pcb, pcr, py, _ := e.ink.paperColour(tableChroma)
	coloured := e.ink.hasChroma()
	// from[k] is the brightness of the block the flood reached k from:
	// light falling off gets darker at every step but for the grid's
	// rounding, which may repeat a level once; a flat table does not,
	// and the flood stops a block or two into it.
	e.tmpF = grow(e.tmpF, n)
	from := e.tmpF[:n]
	q := e.sheet.queue[:0]
	for k := range on {
		if on[k] {
			q = append(q, int32(k))
			from[k] = math.MaxFloat32
		}
	}
	for h := 0; h < len(q); h++ {
		k := int(q[h])
		i := k % bw
		for _, l := range [4]int{k - 1, k + 1, k - bw, k + bw} {
			switch {
			case l == k-1 && i == 0, l == k+1 && i+1 == bw, l < 0, l >= n:
				continue
			}
			if on[l] || bg[l] >= floor || bg[l] < deep || bg[l] < fadeStep*bg[k] || bg[l] > bg[k] || bg[l] >= from[k] {
				continue
			}
			if coloured {
				if _, lit := e.colourDistance(l, pcb, pcr, py); lit > tableLitChroma {
					continue
				}
			}
			on[l], from[l] = true, bg[k]
			q = append(q, int32(l))
		}
	}
	e.sheet.queue = q
}

// fillSheetHoles puts on the sheet the blocks off it that the sheet
// surrounds: what lies around a sheet (a table, a sweater, the hand
// holding it) reaches the frame's border, while dark blocks inside it are
// on it, the strokes of a marker broader than the paper grid's blocks (a
// bold digit photographed close). It floods the blocks off the sheet from
// the border; those it does not reach are holes.
func (e *Extractor) fillSheetHoles() {
	bw, bh := e.paper.bgw, e.paper.bgh
	on := e.sheet.on[:bw*bh]
	e.sheet.seen = grow(e.sheet.seen, len(on))
	seen := e.sheet.seen
	clear(seen)
	q := e.sheet.queue[:0]
	push := func(k int) {
		if !on[k] && !seen[k] {
			seen[k] = true
			q = append(q, int32(k))
		}
	}
	for i := range bw {
		push(i)
		push((bh-1)*bw + i)
	}
	for j := range bh {
		push(j * bw)
		push(j*bw + bw - 1)
	}
	for h := 0; h < len(q); h++ {
		k := int(q[h])
		i, j := k%bw, k/bw
		if i > 0 {
			push(k - 1)
		}
		if i+1 < bw {
			push(k + 1)
		}
		if j > 0 {
			push(k - bw)
		}
		if j+1 < bh {
			push(k + bw)
		}
	}
	e.sheet.queue = q
	for k := range on {
		on[k] = on[k] || !seen[k]
	}
}

// nearBlocks reports whether two neighbouring blocks of paper brightness
// a and b can be one sheet: both at least floor, neither darker than
// sheetStep of the other.
func nearBlocks(a, b, floor float32) bool {
	return a >= floor && b >= floor && min(a, b) >= sheetStep*max(a, b)
}

// joinBlocks reports whether neighbouring blocks k and l of the paper
// grid can be one sheet, floor being sheetFloor of the brightest paper:
// near in brightness (nearBlocks), and neither of another colour
// (markForeign).
func (e *Extractor) joinBlocks(k, l int, floor float32) bool {
	return nearBlocks(e.paper.bg[k], e.paper.bg[l], floor) && !e.sheet.foreign[k] && !e.sheet.foreign[l]
}

// markForeign marks in e.sheet.foreign the blocks of the n-block paper
// grid that are a surface of another colour than the paper, darker than
// it (tableLuma, tableChroma, tableLitChroma), floor being sheetFloor of
// the brightest paper. A grey frame has none, nor one whose colour stays
// near its paper's on the ink stage's coarser grid (paperColour): the
// blocks are looked at only where a surface of another colour is in view.
func (e *Extractor) markForeign(n int, floor float32) {
	e.sheet.foreign = grow(e.sheet.foreign, n)
	foreign := e.sheet.foreign[:n]
	clear(foreign)
	pcb, pcr, py, ok := e.ink.paperColour(tableChroma)
	if !ok {
		return
	}
	dim := tableLuma / sheetFloor * floor
	for k, v := range e.paper.bg[:n] {
		if v < dim && v >= floor {
			raw, lit := e.colourDistance(k, pcb, pcr, py)
			foreign[k] = raw > tableChroma && lit > tableLitChroma
		}
	}
}

// colourDistance returns how far block k's paper lies from the paper's
// colour (pcb, pcr at luma py), |ΔCb| + |ΔCr|: as it is (raw), and with
// its chroma scaled to the paper's light (lit).
func (e *Extractor) colourDistance(k int, pcb, pcr, py float32) (raw, lit float32) {
	cb, cr, y := e.blockChroma(k)
	gain := py / max(y, 1)
	return abs32(cb-pcb) + abs32(cr-pcr), abs32((cb-128)*gain-(pcb-128)) + abs32((cr-128)*gain-(pcr-128))
}

// blockChroma returns the colour of the paper in block k of the paper
// grid, looked up in the colour frame the plane was made from (through
// the turn, when the plane was turned level): the mean chroma and luma of
// those of up to 3x3 pixels spread over the block whose luma lies within
// paperNear of the brightest of them. A block that the sheet's edge
// crosses has the colour of its paper, or is too bright to ask (its
// brightness is its paper's); either way it is not foreign, and the
// table's blocks beside it are.
func (e *Extractor) blockChroma(k int) (cb, cr, y float32) {
	m, blk := e.ink.src, e.paper.blk
	x0, y0 := k%e.paper.bgw*blk, k/e.paper.bgw*blk
	x1, y1 := min(x0+blk, e.w), min(y0+blk, e.h)
	step := max(1, (blk+2)/3)
	fw, fh := m.Rect.Dx(), m.Rect.Dy()
	var ys, cbs, crs [9]uint8
	n := 0
	top := uint8(0)
	for y := y0 + step/2; y < y1 && n < len(ys); y += step {
		for x := x0 + step/2; x < x1 && n < len(ys); x += step {
			fx, fy := x, y
			if e.angle.rot.on {
				u, v := e.angle.rot.toFrame(float64(x)+0.5, float64(y)+0.5)
				fx, fy = min(max(int(u), 0), fw-1), min(max(int(v), 0), fh-1)
			}
			fx, fy = m.Rect.Min.X+fx, m.Rect.Min.Y+fy
			ci := m.COffset(fx, fy)
			ys[n], cbs[n], crs[n] = m.Y[m.YOffset(fx, fy)], m.Cb[ci], m.Cr[ci]
			top = max(top, ys[n])
			n++
		}
	}
	var sb, sr, sy, taken int
	for i := range n {
		if int(ys[i])+paperNear >= int(top) {
			sb, sr, sy, taken = sb+int(cbs[i]), sr+int(crs[i]), sy+int(ys[i]), taken+1
		}
	}
	t := float32(max(taken, 1))
	return float32(sb) / t, float32(sr) / t, float32(sy) / t
}

// markSheetEdges counts, for each component, its pixels off the sheet or
// on its rim (comp.edge): the edge of a sheet against the table, which
// the paper grid sees as ink, lies there. Then it decides once for every
// component whether it is off the paper (offPaper), which the later
// stages ask again and again.
func (e *Extractor) markSheetEdges(frame *image.Gray) {
	e.sheet.compH = -1
	defer func() {
		for i := range e.lab.comps {
			c := &e.lab.comps[i]
			c.off = e.judgeOffPaper(c) || e.stepEdge(frame, int32(i))
		}
		e.markBinding()
	}()
	if e.sheet.all {
		return
	}
	blk, bw := e.paper.blk, e.paper.bgw
	for i := range e.lab.runs {
		r := &e.lab.runs[i]
		k := int(r.y)/blk*bw + int(r.x0+r.x1)/2/blk
		if !e.sheet.on[k] || e.sheet.rim[k] {
			e.lab.comps[e.lab.compOf[i]].edge += r.x1 - r.x0
		}
	}
}

// offSheet reports whether more than sheetOut of the blocks under box lie
// off the sheet.
func (e *Extractor) offSheet(box image.Rectangle) bool {
	if e.sheet.all {
		return false
	}
	blk := e.paper.blk
	i0, i1 := box.Min.X/blk, min((box.Max.X-1)/blk, e.paper.bgw-1)
	j0, j1 := box.Min.Y/blk, min((box.Max.Y-1)/blk, e.paper.bgh-1)
	off, all := 0, 0
	for j := j0; j <= j1; j++ {
		for i := i0; i <= i1; i++ {
			all++
			if !e.sheet.on[j*e.paper.bgw+i] {
				off++
			}
		}
	}
	return float32(off) > sheetOut*float32(all)
}

func findBlock(uf []int32, i int32) int32 {
	for uf[i] != i {
		uf[i] = uf[uf[i]]
		i = uf[i]
	}
	return i
}

func unionBlocks(uf []int32, a, b int32) {
	ra, rb := findBlock(uf, a), findBlock(uf, b)
	if ra < rb {
		uf[rb] = ra
	} else if rb < ra {
		uf[ra] = rb
	}
}

// offPaper reports whether comp c is something other than writing on the
// sheet, as markSheetEdges judged it (judgeOffPaper).
func (e *Extractor) offPaper(c *comp) bool { return c.off }

// judgeOffPaper reports whether comp c is something other than writing on the
// sheet: off the sheet (the table, a sweater, the hand beside it), mostly
// on the sheet's rim (its edge against the table), a sliver of an erased
// line that the band left (besideBand), or
// touching the frame's edge and one of: small against the frame (a digit
// the frame cuts, which would be read as another), reaching three edges or
// four (ruled lines, shadows and the sheet's edges joined into one; a digit
// that fills a photo touches two at most), the table or a shadow
// beside the sheet (a large solid area), a shadow's or a table's edge
// across the frame (a long solid band, or any band lying across it: no
// digit is five times wider than high), or the sheet's own edge (a band
// along a side of the frame that it follows for most of its length), or a
// net of ruled or grid lines that a margin joins into one (sparse). What
// touches the edge of a tight crop, or of a photo that one number or one
// digit fills, is the writing itself: large against the frame, its strokes
// meeting the edge over a few pixels, covering a fraction of its box.
func (e *Extractor) judgeOffPaper(c *comp) bool {
	if e.offSheet(image.Rect(int(c.x0), int(c.y0), int(c.x1), int(c.y1))) || c.edge*2 > c.area || e.besideBand(c) {
		return true
	}
	w, h := int32(e.w), int32(e.h)
	if e.small() || c.x0 > 0 && c.y0 > 0 && c.x1 < w && c.y1 < h {
		return false
	}
	if c.h()*cutFrac < h && c.w()*cutFrac < w || edgesReached(c, w, h) >= 3 {
		return true
	}
	box := c.w() * c.h()
	long, short := max(c.w(), c.h()), min(c.w(), c.h())
	if c.area*10 >= box*solidFill && (box*4 >= w*h || long >= bandAspect*short) ||
		c.w() >= bandAspect*c.h() || c.area*100 < box*sparseFill {
		return true
	}
	// Along a side: the pixels on the rim against the comp's extent there.
	return c.rim*10 >= long*rimFollow
}

// EdgeFilling reports whether the last Extract set aside a component
// that reaches three or four edges of the frame and spans half its width
// or height: the sheet's edges and ruled lines joined together, or a
// digit that a photo was cut around to its ink, which a reader may read
// again inside a margin.
func (e *Extractor) EdgeFilling() bool {
	w, h := int32(e.w), int32(e.h)
	for i := range e.lab.comps {
		c := &e.lab.comps[i]
		if c.off && edgesReached(c, w, h) >= 3 && (2*c.w() >= w || 2*c.h() >= h) {
			return true
		}
	}
	return false
}

// edgesReached returns how many edges of a w x h frame comp c reaches.
func edgesReached(c *comp, w, h int32) int32 {
	return b2i(c.x0 == 0) + b2i(c.x1 == w) + b2i(c.y0 == 0) + b2i(c.y1 == h)
}

// A step, not a stroke: thresholds of stepEdge.
const (
	stepShare = 0.35 // one side lighter than the ink by less than this share of the other side's lead
	stepRows  = 0.7  // of a component's rows that must be one-sided
	// stepSamples is about how many rows stepEdge looks at.
	stepSamples = 16
)

// stepEdge reports whether comp ci of frame, at least twice as tall as
// wide, is the edge of
// something dark rather than a stroke: in most of its rows the frame one
// and two stroke widths beyond its ink is lighter than the ink on one side
// only. A pen's stroke has paper on both sides; the edge of a table, or of
// a shadow, beside a sheet that the sheet stage kept as paper (a table
// more than half as bright as the paper, a border in a sheet's
// perspective) has the dark on one side, and the strip that the paper
// grid's lag makes ink along it would be read as a 1.
func (e *Extractor) stepEdge(frame *image.Gray, ci int32) bool {
	c := &e.lab.comps[ci]
	if c.h() < 2*c.w() || c.h() < int32(e.minH) || e.small() {
		return false
	}
	b := frame.Bounds()
	rows, oneSided := 0, 0
	var dark, light float32 // the sides' levels, summed over the rows
	// About stepSamples rows, evenly spread, are enough for the vote.
	for y := c.y0; y < c.y1; y += max(1, c.h()/stepSamples) {
		x0, x1 := int32(-1), int32(-1)
		var sum, n int32
		for r := e.lab.rowStart[y]; r < e.lab.rowStart[y+1]; r++ {
			if e.lab.compOf[r] != ci {
				continue
			}
			ru := &e.lab.runs[r]
			if x0 < 0 {
				x0 = ru.x0
			}
			x1 = ru.x1
			for x := ru.x0; x < ru.x1; x++ {
				sum += int32(frame.Pix[int(y)*frame.Stride+int(x)])
			}
			n += ru.x1 - ru.x0
		}
		// A stroke's width, twice and four times it beyond, the lightest
		// of the three: a thin line there (a grid's or a form's box, drawn
		// or erased, a neighbour's stroke) is not the dark. Within four
		// widths of the frame's side, the first two: the edge of a sheet
		// turned in the frame runs into its corner, and the strip along
		// it would be read as a 1 (photos2 turned by 12°: 108 of 124
		// digits right when it was not looked at there, 115 so). One
		// width alone would take a neighbour's stroke for the dark.
		g := max(2, x1-x0)
		if n == 0 || x0-2*g < 0 || x1-1+2*g >= int32(b.Dx()) {
			continue
		}
		row := frame.Pix[int(y)*frame.Stride : int(y)*frame.Stride+b.Dx()]
		ink := float32(sum) / float32(n)
		l := max(row[x0-g], row[x0-2*g])
		r := max(row[x1-1+g], row[x1-1+2*g])
		if x0-4*g >= 0 {
			l = max(l, row[x0-4*g])
		}
		if x1-1+4*g < int32(len(row)) {
			r = max(r, row[x1-1+4*g])
		}
		dl, dr := float32(l)-ink, float32(r)-ink
		rows++
		dark, light = dark+float32(min(l, r)), light+float32(max(l, r))
		if min(dl, dr) < stepShare*max(dl, dr) {
			oneSided++
		}
	}
	if rows == 0 || float32(oneSided) < stepRows*float32(rows) {
		return false
	}
	n := float32(rows)
	return !e.shadowCrossed(frame, ci, c.y0, c.y1, dark/n, light/n, e.compHeight())
}

// compHeight returns the median height of the strong components at least
// minH tall, measured once a labelling (e.sheet.compH; markSheetEdges
// forgets it).
func (e *Extractor) compHeight() float32 {
	if e.sheet.compH < 0 {
		hs := e.tmpF[:0]
		for i := range e.lab.comps {
			if c := &e.lab.comps[i]; c.strong && c.h() >= int32(e.minH) {
				hs = append(hs, float32(c.h()))
			}
		}
		e.tmpF = hs
		e.sheet.compH = median(hs)
	}
	return e.sheet.compH
}

// shadowCrossedH is how many times the height of the digits around it
// (its line's, or the median component's) a digit that a shadow's edge
// crosses is at most: the sheet's whole edge beside a darker table,
// merged with the darker border of a photo on it, is as dark as a pen's
// stroke (../shared/photos on a grey table), and much longer.
const shadowCrossedH = 3

// shadowCrossed reports whether the ink of the components grouped under
// root, in rows y0 to y1 of plane, dark on one side (paper of level dark
// beside it, light on its other side), is writing that the edge of a
// shadow crosses rather than the edge itself: no taller than
// shadowCrossedH digits of height digitH, the dark side paper in shadow
// (from sheetFloor to edgeStep of the light), and the darkest tenth of the
// ink under edgeDeep of it. The strip that the paper grid's lag makes ink
// along an edge is about as dark as what lies beyond it (0.35 to 0.95 of
// it in the development photos on grey and wooden tables), a pen's stroke
// much darker than the paper it is on (in the development photos under a
// shadow at 40% of the light, a 3 its edge crosses 0.32, a 9 in blue ink
// 0).
func (e *Extractor) shadowCrossed(plane *image.Gray, root int32, y0, y1 int32, dark, light, digitH float32) bool {
	if dark < sheetFloor*light || dark >= edgeStep*light || float32(y1-y0) > shadowCrossedH*digitH {
		return false
	}
	var hist [256]int32
	n := int32(0)
	for y := y0; y < y1; y++ {
		row := plane.Pix[int(y)*plane.Stride:]
		for r := e.lab.rowStart[y]; r < e.lab.rowStart[y+1]; r++ {
			if e.groupRoot(e.lab.compOf[r]) != root {
				continue
			}
			ru := &e.lab.runs[r]
			for _, v := range row[ru.x0:ru.x1] {
				hist[v]++
			}
			n += ru.x1 - ru.x0
		}
	}
	if n == 0 {
		return false
	}
	// The darkest tenth.
	for v, k := range hist {
		if n -= 10 * k; n <= 0 {
			return float32(v) < edgeDeep*dark
		}
	}
	return false
}

// small reports whether the frame is a crop of a few digits at most (a
// photo cut tight around one digit): there the edges of the frame are the
// edges of the writing, not of a sheet.
func (e *Extractor) small() bool { return TightCrop(image.Pt(e.w, e.h)) }

// smallFrame is the longer side, in pixels, up to which a frame counts as a
// tight crop.
const smallFrame = 200

// TightCrop reports whether a frame of this size counts as a tight crop,
// a photo cut around a digit or a few (200 pixels or less on its longer
// side), which the extractor and its readers treat as holding digits and
// nothing else.
func TightCrop(size image.Point) bool { return max(size.X, size.Y) <= smallFrame }

// sheetStage marks the blocks of the paper grid that are the sheet.
type sheetStage struct {
	on  []bool // (bgh, bgw) on the sheet
	rim []bool // (bgh, bgw) on it, beside a block off it
	all bool   // every block is on it
	// compH is the median height of the strong components (compHeight),
	// -1 until asked.
	compH float32
	uf    []int32 // union-find over the blocks
	// (bgh, bgw) a surface of another colour than the paper (markForeign)
	foreign []bool
	// The flood of the blocks off the sheet from the border
	// (fillSheetHoles): those reached, and the queue.
	seen  []bool
	queue []int32
}
