package extract

import (
	"image"
	"slices"
)

// The sheet's straight edges. A table about as bright as a shadow on the
// paper (a grey desk, light wood, a darker sheet under the page) joins the
// sheet block by block: the paper grid cannot tell the step down to it
// from a shadow's edge (sheetStep), and its colour may be near the paper's
// cast (tableChroma). It stays paper, and the strip along its edge, where
// the grid is brighter than the table, becomes ink as long as the sheet,
// which joins the digits near it and breaks the lines (a piece of it read
// as a 7, a corner as a 1). What tells a sheet's edge from a shadow's is
// its shape: it is straight, it is sharp, it runs along most of a side of
// the frame, and between it and that side lies nothing but the darker
// surface. A shadow's edge is soft, a vignetted corner has no edge, and a
// stroke of the writing has paper on both sides.
//
// findEdges looks from each side of the frame along edgeLines lines of
// pixels across it for the first sharp rise from a darker surface to
// paper, fits the straight line through most of the rises, and when the
// rises of edgeHold of the lines lie on it and no writing lies beyond it
// (writtenBeyond: a hard shadow's edge), takes the blocks beyond it off
// the sheet.
const (
	edgeReach = 0.45 // of the frame across a side: how far in an edge is looked for
	// edgeRise is the least rise across the edge, as a share of the
	// paper's brightness inside it; the surface beyond must be darker than
	// the paper by as much on average. A grey desk beside white paper is
	// 0.3 darker, light wood 0.25 to 0.35; a webcam's vignetting darkens
	// by about as much, but over a third of the frame, not a few pixels.
	edgeRise = 0.12
	// edgeDarkest is the least share of the paper's brightness that the
	// surface beyond keeps: what is darker is ink (a marker's stroke along
	// the side of a photo that one digit fills) or a surface the sheet
	// finder already takes off (sheetFloor).
	edgeDarkest = 0.4
	edgeSlope   = 0.5 // the steepest edge against its side, as a tangent (27°)
	// edgeHold is the least share of the lines across a side that may
	// cross the edge (sideGated) whose rises lie on it, and edgeMinLines
	// the fewest lines: a sheet that spans a third of the frame's side
	// (a note on a desk seen from above) has an edge along a third of
	// it, while the other lines meet the table alone.
	edgeHold     = 0.35
	edgeMinLines = edgeLines / 6
	edgeLines    = 96 // lines across each side looked at
	// edgeGate is the share of a side's outermost blocks of the paper
	// grid that must be darker than the paper further in by edgeRise for
	// the side to be looked at pixel by pixel: a surface narrower than a
	// block is a band on the frame's edge, which judgeOffPaper sets aside.
	edgeGate = 0.25
	// edgeRamp is the most that the blocks beyond the edge may brighten
	// toward it, as a share of the step from the outermost block to the
	// paper: a table is about flat up to the sheet's edge.
	edgeRamp = 0.5
	// edgeColour is the least distance (|ΔCb| + |ΔCr|) from the paper's
	// colour at which the outermost block of a colour frame counts as a
	// table whatever its brightness: light wood lies 30 to 60 from white
	// paper; a webcam's drifting white balance takes its paper 8 to 20
	// from the paper in the middle.
	edgeColour = 24
	// Writing beyond an edge (writtenBeyond): a mark darker by edgeInk
	// than the surface around it, on more than edgeInkShare of the
	// lines across the side.
	edgeInk      = 0.25
	edgeInkShare = 0.05
)

// edgeStage holds the scratch of findEdges.
type edgeStage struct {
	prof []int32 // one line across a side, three lines of pixels summed, as prefix sums
	// src is the colour frame the plane was made from, nil for a grey
	// one, sx and sy its chroma's subsampling (chromaShift), and dcb and
	// dcr the darkening of each level of Cb and Cr by its distance from
	// the paper's colour (lineSums).
	src      *image.YCbCr
	sx, sy   int
	dcb, dcr [256]uint8
	w, h     int       // the size of the frame the edges were found in
	bright   float32   // the brightest paper (brightPaper)
	t, u     []float32 // the rises found: along the side and across it
	a        []float32 // the rises' offsets for one slope, sorted
	// until is, per line of blocks across the side, how many blocks in
	// the first bright one lies (sideGated).
	until []int32
	// lines are the edges found, one per side at most.
	lines []edgeLine
	// off marks the blocks of the paper grid beyond them.
	off []bool
}

// edgeLine is a sheet's edge seen from one side of the frame: the pixels
// at distance u < a + b·t from that side, t along it, lie beyond it.
type edgeLine struct {
	side int // 0 left, 1 right, 2 top, 3 bottom
	a, b float32
}

// findEdges finds the sheet's straight edges against a table (see
// edgeRise) and takes the blocks beyond them off the sheet. A tight crop
// has none.
func (e *Extractor) findEdges(frame *image.Gray) {
	s := &e.edges
	s.off = grow(s.off, e.paper.bgw*e.paper.bgh)
	clear(s.off)
	if !e.angle.rot.on {
		s.lines, s.w, s.h = s.lines[:0], e.w, e.h
		if e.small() || min(e.w, e.h) < stepMinSide/2 {
			return
		}
		s.src, s.bright = nil, e.brightPaper()
		if e.ink.hasChroma() {
			cb, cr, _, _ := e.ink.paperColour(0)
			s.src = e.ink.src
			s.sx, s.sy = chromaShift(s.src.SubsampleRatio)
			for v := range 256 {
				s.dcb[v] = uint8(min(abs(v-int(cb+0.5))*chromaGain, 255))
				s.dcr[v] = uint8(min(abs(v-int(cr+0.5))*chromaGain, 255))
			}
		}
		for side := range 4 {
			if !e.sideGated(side) {
				continue
			}
			if l, ok := e.sideEdge(frame, side); ok {
				s.lines = append(s.lines, l)
			}
		}
	}
	// A plane turned level (a sheet held at an angle) keeps the edges
	// found in the frame: turned, they are too steep to be looked for
	// again, and the turned plane's margin repeats the table.
	if len(s.lines) == 0 {
		return
	}
	bw, bh, blk := e.paper.bgw, e.paper.bgh, e.paper.blk
	if e.sheet.all {
		// findSheet leaves on as it was when every block is on the sheet.
		for k := range bw * bh {
			e.sheet.on[k] = true
		}
	}
	off := false
	for j := range bh {
		for i := range bw {
			x, y := float64(min(i*blk+blk/2, e.w-1)), float64(min(j*blk+blk/2, e.h-1))
			if e.angle.rot.on {
				x, y = e.angle.rot.toFrame(x, y)
			}
			if s.beyond(x, y) {
				e.sheet.on[j*bw+i] = false
				s.off[j*bw+i] = true
				off = true
			}
		}
	}
	if off {
		e.sheet.all = false
		e.markRim()
	}
}

// OnTable reports whether the last Extract found two or more of a
// sheet's straight edges against a darker table around it (findEdges): a
// light sheet, and dark writing on it, not light marks on a dark ground.
// One straight line of rises may be the left margin of light writing on
// a dark ground (white digits on black: TestReadPhotoLightOnDark); a
// sheet lying in the frame shows two of its sides or more.
func (e *Extractor) OnTable() bool { return len(e.edges.lines) >= 2 }

// beyond reports whether the frame's pixel (x, y) lies beyond one of the
// edges found, on the table.
func (s *edgeStage) beyond(x, y float64) bool {
	for _, l := range s.lines {
		if t, u := s.alongAcross(l.side, x, y); u < l.a+l.b*t {
			return true
		}
	}
	return false
}

// alongAcross returns point (x, y) of the frame seen from side: t along
// the side, u across it from the side inward.
func (s *edgeStage) alongAcross(side int, x, y float64) (t, u float32) {
	switch side {
	case 0:
		return float32(y), float32(x)
	case 1:
		return float32(y), float32(s.w-1) - float32(x)
	case 2:
		return float32(x), float32(y)
	}
	return float32(x), float32(s.h-1) - float32(y)
}

// sideAxes returns, for line t across side, its pixel on the side (u =
// 0) and the steps to the next pixel inward and to the next line along
// the side.
func (e *Extractor) sideAxes(side, t int) (p0, du, dl image.Point) {
	switch side {
	case 0:
		return image.Pt(0, t), image.Pt(1, 0), image.Pt(0, 1)
	case 1:
		return image.Pt(e.w-1, t), image.Pt(-1, 0), image.Pt(0, 1)
	case 2:
		return image.Pt(t, 0), image.Pt(0, 1), image.Pt(1, 0)
	}
	return image.Pt(t, e.h-1), image.Pt(0, -1), image.Pt(1, 0)
}

// sideLen returns the length of a side and the frame's extent across it.
func (e *Extractor) sideLen(side int) (along, across int) {
	if side < 2 {
		return e.h, e.w
	}
	return e.w, e.h
}

// sideGated reports whether edgeGate of the lines of blocks across side
// may cross a sheet's edge: their outermost block is darker than the
// brightest paper by edgeRise, and a block within edgeReach is brighter
// than it by as much, in one step (edgeRamp) or beside a surface of
// another colour (foreignAt). For each line it records in s.until how
// many blocks from the side that brighter block lies, where riseAt stops
// looking: 0 on the lines that cannot cross an edge.
func (e *Extractor) sideGated(side int) bool {
	bw, bh := e.paper.bgw, e.paper.bgh
	bg := e.paper.bg
	along, across := bh, bw
	if side >= 2 {
		along, across = bw, bh
	}
	s := &e.edges
	s.until = grow(s.until, along)
	if across < 6 {
		return false
	}
	block := func(t, u int) float32 {
		switch side {
		case 0:
			return bg[t*bw+u]
		case 1:
			return bg[t*bw+bw-1-u]
		case 2:
			return bg[u*bw+t]
		}
		return bg[(bh-1-u)*bw+t]
	}
	reach := max(2, int(edgeReach*float32(across)))
	bright := (1 - edgeRise) * e.edges.bright
	dark := 0
	for t := range along {
		s.until[t] = 0
		// The first block brighter than the outermost by edgeRise; a
		// sheet's edge is a step, and the block before it is still
		// about as dark as the outermost, where light falling off
		// toward the frame's side is a ramp over many blocks. An
		// outermost block about as bright as the brightest paper is
		// paper.
		out := block(t, 0)
		if out >= bright {
			continue
		}
		u := 1
		for u < reach && (1-edgeRise)*block(t, u) <= out {
			u++
		}
		if u == reach {
			continue
		}
		// In a colour frame, a table of another colour is as much a
		// table where it is no darker than the paper beside it.
		if u+1 < across && block(t, u-1)-out < edgeRamp*(block(t, u+1)-out) || e.foreignAt(side, t) {
			s.until[t] = int32(u)
			dark++
		}
	}
	return float32(dark) >= edgeGate*float32(along)
}

// foreignAt reports whether, in a colour frame, the middle of the
// outermost block of line t of blocks across side has a colour
// edgeColour or more from the paper's.
func (e *Extractor) foreignAt(side, t int) bool {
	s := &e.edges
	m := s.src
	if m == nil {
		return false
	}
	blk := e.paper.blk
	along, _ := e.sideLen(side)
	p0, du, _ := e.sideAxes(side, min(t*blk+blk/2, along-1))
	p := p0.Add(du.Mul(blk / 2))
	c := s.chromaAt(p.X, p.Y)
	return int(s.dcb[m.Cb[c]])+int(s.dcr[m.Cr[c]]) >= edgeColour
}

// chromaAt returns the index in src's Cb and Cr of pixel (x, y) of the
// plane (counted from the frame's origin, as COffset counts).
func (s *edgeStage) chromaAt(x, y int) int {
	m := s.src
	mx, my := m.Rect.Min.X, m.Rect.Min.Y
	return ((y+my)>>s.sy-my>>s.sy)*m.CStride + (x+mx)>>s.sx - mx>>s.sx
}

// sideEdge looks for the sheet's edge seen from side: the first sharp
// rise to paper on each of edgeLines lines across it, and the straight
// line through most of them.
func (e *Extractor) sideEdge(frame *image.Gray, side int) (edgeLine, bool) {
	s := &e.edges
	along, across := e.sideLen(side)
	reach := int(edgeReach * float32(across))
	r := max(2, min(e.w, e.h)/160) // the width of the sides of a rise
	if reach < 4*r {
		return edgeLine{}, false
	}
	s.prof = grow(s.prof, reach+1)
	s.t, s.u = s.t[:0], s.u[:0]
	gated := 0 // the lines that may cross the edge (sideGated)
	for k := range edgeLines {
		t := lineAt(k, along)
		if s.until[min(t/e.paper.blk, len(s.until)-1)] > 0 {
			gated++
		}
		if u, ok := e.riseAt(frame, side, t, reach, r); ok {
			s.t = append(s.t, float32(t))
			s.u = append(s.u, float32(u))
		}
	}
	need := max(int(edgeHold*float32(gated)), edgeMinLines)
	if len(s.t) < need {
		return edgeLine{}, false
	}
	// The slopes are tried in steps that move the line by at most tol
	// over the side; for each, the offsets of the rises are sorted, and
	// the window of 2·tol holding most of them is the line's.
	tol := float32(max(3, min(e.w, e.h)/80)) // a lens's bending of a straight edge, a blurred edge's wobble
	db := tol / float32(along)
	// Of the slopes whose windows hold as many, the one whose window is
	// narrowest.
	best, spread, bestA, bestB := 0, float32(0), float32(0), float32(0)
	s.a = grow(s.a, len(s.t))
	a := s.a[:len(s.t)]
	for b := -float32(edgeSlope); b <= edgeSlope; b += db {
		for i := range a {
			a[i] = s.u[i] - b*s.t[i]
		}
		slices.Sort(a)
		for i, j := 0, 0; j < len(a); j++ {
			for a[j]-a[i] > 2*tol {
				i++
			}
			if n := j - i + 1; n > best || n == best && a[j]-a[i] < spread {
				best, spread, bestA, bestB = n, a[j]-a[i], (a[i]+a[j])/2, b
			}
		}
	}
	if best < need {
		return edgeLine{}, false
	}
	// The edge is the least-squares line through the rises within tol of
	// the window's line.
	var n, st, su, stt, stu float64
	for i := range s.t {
		t, u := float64(s.t[i]), float64(s.u[i])
		if d := u - float64(bestA+bestB*s.t[i]); d > float64(tol) || d < -float64(tol) {
			continue
		}
		n, st, su, stt, stu = n+1, st+t, su+u, stt+t*t, stu+t*u
	}
	l := edgeLine{side: side, a: bestA, b: bestB}
	if det := n*stt - st*st; det > 0 {
		l.b = float32((n*stu - st*su) / det)
		l.a = float32((su - float64(l.b)*st) / n)
	}
	if e.writtenBeyond(frame, l, r) {
		return edgeLine{}, false
	}
	return l, true
}

// lineAt returns the k-th of edgeLines lines across a side along pixels:
// the middle of three lines, all inside the frame.
func lineAt(k, along int) int { return 1 + (along-3)*k/(edgeLines-1) }

// writtenBeyond reports whether the surface beyond edge l holds writing:
// more than edgeInkShare of the lines across the side with room beyond
// the edge hold a mark there, darker by edgeInk than the surface around
// it. A shadow with a sharp edge (a hand or a phone under one lamp)
// is a darker surface beyond a straight edge as a table is, but the
// writing goes on in it; a table's grain, a webcam's noise and its
// vignetting are fainter, and a pen lying on the table crosses a few
// lines. Every line counts, not only those whose rise lies on the edge:
// on a line that crosses a digit in the shadow, the first rise is the
// digit's stroke.
func (e *Extractor) writtenBeyond(frame *image.Gray, l edgeLine, r int) bool {
	s := &e.edges
	along, across := e.sideLen(l.side)
	s.prof = grow(s.prof, across+1)
	room, inked := 0, 0
	for k := range edgeLines {
		t := lineAt(k, along)
		edge := min(int(l.a+l.b*float32(t)), across)
		if edge < 4*r {
			continue
		}
		room++
		pre := s.prof[:edge+1]
		e.lineSums(frame, pre, l.side, t, edge)
		mean := func(a, b int) float32 { return float32(pre[b]-pre[a]) / float32(3*(b-a)) }
		// A mark: a window of r/2 pixels, as narrow as a ballpoint's
		// stroke, against the surface around it, 8r on each side (wider
		// than a marker's stroke), leaving out the frame's own rim.
		end, m := edge-r, max(1, r/2)
		for v := r; v+m <= end; v++ {
			around := mean(max(0, v-8*r), min(end, v+8*r))
			if mean(v, v+m) < (1-edgeInk)*around {
				inked++
				break
			}
		}
	}
	return float32(inked) > edgeInkShare*float32(room)
}

// lineSums writes into pre the prefix sums, along line t across side, of
// the brightness of the three pixels at each distance u < n from the side
// (t-1, t and t+1 along it): the plane's, or in a colour frame the luma
// darkened by the chroma's distance from the paper's colour over the whole
// frame (paperColour), as the ink plane darkens it, the middle pixel's
// chroma standing for the three. The ink plane's
// darkening is against the paper's colour block by block, which beside a
// table of another colour is the table's: a light wooden desk is no
// darker than a webcam's shaded paper beside it, and differs from it by
// its colour alone.
func (e *Extractor) lineSums(frame *image.Gray, pre []int32, side, t, n int) {
	s := &e.edges
	p0, du, dl := e.sideAxes(side, t)
	pre[0] = 0
	m := s.src
	if m == nil {
		o, step, next := p0.Y*frame.Stride+p0.X, du.Y*frame.Stride+du.X, dl.Y*frame.Stride+dl.X
		for u := range n {
			pre[u+1] = pre[u] + int32(frame.Pix[o-next]) + int32(frame.Pix[o]) + int32(frame.Pix[o+next])
			o += step
		}
		return
	}
	// m's pixel (x, y) of the plane is at m.Y[y*YStride+x]. The three
	// pixels share the middle one's chroma sample (a 4:2:0 sample covers
	// two of them at least), and the samples' darkening is worked out
	// once for the pixels that share it.
	o, step, next := p0.Y*m.YStride+p0.X, du.Y*m.YStride+du.X, dl.Y*m.YStride+dl.X
	p, last, dark := p0, -1, 0
	for u := range n {
		if c := s.chromaAt(p.X, p.Y); c != last {
			last, dark = c, max(int(s.dcb[m.Cb[c]])+int(s.dcr[m.Cr[c]])-chromaDead, 0)
		}
		v := max(int(m.Y[o-next])-dark, 0) + max(int(m.Y[o])-dark, 0) + max(int(m.Y[o+next])-dark, 0)
		pre[u+1] = pre[u] + int32(v)
		o += step
		p = p.Add(du)
	}
}

// riseAt returns the distance from side, along line t across it, of the
// first sharp rise from a surface darker than the paper to the paper
// within reach: the mean of the r pixels inside it above the mean of the
// r pixels before it by edgeRise of the inside, a local peak of that
// rise, everything between it and the side darker than the inside by
// edgeRise on average but not as dark as ink (edgeDarkest).
func (e *Extractor) riseAt(frame *image.Gray, side, t, reach, r int) (int, bool) {
	// Up to two blocks past the first bright one (sideGated): the rise
	// is in that block, and the windows beside it reach a little further.
	blk := e.paper.blk
	until := int(e.edges.until[min(t/blk, len(e.edges.until)-1)])
	if until == 0 {
		return 0, false
	}
	reach = min(reach, (until+2)*blk)
	pre := e.edges.prof[:reach+1]
	e.lineSums(frame, pre, side, t, reach)
	mean := func(a, b int) float32 { return float32(pre[b]-pre[a]) / float32(3*(b-a)) }
	rise := func(u int) float32 { return mean(u, u+r) - mean(u-r, u) }
	for u := 2 * r; u+r+1 <= reach; u++ {
		in := mean(u, u+r)
		d := rise(u)
		if d < edgeRise*in || d < rise(u-1) || d <= rise(u+1) {
			continue
		}
		out := mean(0, u-r)
		if out > (1-edgeRise)*in || out < edgeDarkest*in {
			continue
		}
		return u, true
	}
	return 0, false
}
