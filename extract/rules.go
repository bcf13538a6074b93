package extract

import (
	"cmp"
	"math"
	"slices"
)

// joinAcrossBands joins the ink on the two sides of each erased band where
// a stroke crosses it: a digit written across a ruled or grid line, cut in
// two by the erasing, is one component again. Ink on one side only (a
// digit standing on the line) is left as it is, and so is ink on both
// sides of a box's side: two boxes' digits, each touching the wall.
func (e *Extractor) joinAcrossBands() {
	for _, bd := range e.rules.bands {
		if bd.frame {
			continue
		}
		for p := max(bd.lo, 0); p < bd.hi; p++ {
			// The band's extent across at position p along it, and the
			// pixels just outside it on either side.
			c := bd.a + bd.b*(float32(p)+0.5)
			a0, a1 := int32(c-bd.half-1), int32(c+bd.half+1)
			var ra, rb int32
			if bd.vertical {
				if p >= int32(e.h) {
					break
				}
				ra, rb = e.runAt(a0, p), e.runAt(a1, p)
			} else {
				if p >= int32(e.w) {
					break
				}
				ra, rb = e.runAt(p, a0), e.runAt(p, a1)
			}
			if ra >= 0 && rb >= 0 {
				union(e.lab.runs, ra, rb)
			}
		}
	}
}

// runAt returns the index of the run holding pixel (x, y), or -1.
func (e *Extractor) runAt(x, y int32) int32 {
	if y < 0 || y >= int32(e.h) || x < 0 || x >= int32(e.w) {
		return -1
	}
	if r := e.runFrom(x, y); r < e.lab.rowStart[y+1] && e.lab.runs[r].x0 <= x {
		return r
	}
	return -1
}

// runFrom returns the index of the first run of row y (0 <= y < height)
// that ends after column x: the row's runs are in order along it, apart.
// It is the row's end, rowStart[y+1], when none does.
func (e *Extractor) runFrom(x, y int32) int32 {
	lo, hi := e.lab.rowStart[y], e.lab.rowStart[y+1]
	for lo < hi {
		m := (lo + hi) / 2
		if e.lab.runs[m].x1 <= x {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// band is a ruled line (or an underline, a grid line, the sheet's edge)
// to erase. A level band holds the pixels within half of y = a + b·x for x
// in [lo, hi); an upright one (vertical) those within half of x = a + b·y
// for y in [lo, hi).
type band struct {
	a, b, half float32
	lo, hi     int32
	vertical   bool
	// frame marks a side of a box drawn round a digit (findFrames): the
	// ink on its two sides is two boxes' digits, not one stroke across.
	frame bool
}

// findRules looks for ruled lines among the components: long, thin and
// straight, level (ruled paper, underlines) or upright (squared paper, the
// edge of a sheet), possibly with digits standing on them or crossing them.
// It fits a straight line to the columns (rows) where only the thin line is
// inked and records a band to erase (added to e.rules.bands); it reports whether
// it found any.
// Lines stay straight under a camera's perspective, so one fit covers a
// whole line. A line counts only when it runs alone (with no digit on it)
// for much longer than the digits' height, so that the stroke of a 1 or
// the tail of a 7 is never one.
func (e *Extractor) findRules() bool {
	found := len(e.rules.bands)
	// The digits' height: the median of the digit-sized components that
	// are not long and thin themselves.
	hs := e.tmpF[:0]
	for i := range e.lab.comps {
		c := &e.lab.comps[i]
		h, w := c.h(), c.w()
		if c.strong && c.area >= 3 && h >= int32(e.minH) && h <= int32(e.maxH) && w <= 3*h && h <= 3*w {
			hs = append(hs, float32(h))
		}
	}
	e.tmpF = hs
	// With no digit-sized component apart from the lines (one row of
	// digits, each written across the same line, makes one component of
	// them all), each level component half the frame wide or more is
	// measured for its own digits' height (findRule with minLen 0); no
	// upright line (a 1's stem, its flag and base measured as the digits
	// across it), broken line or frame is looked for.
	minLen := int32(0)
	if len(hs) > 0 {
		minLen = int32(ruleLen * median(hs))
	}
	lenH := max(minLen, int32(e.w/5), int32(4*e.minH))
	lenV := max(minLen, int32(e.h/5), int32(4*e.minH))
	for ci := range e.lab.comps {
		c := &e.lab.comps[ci]
		// A net of lines (ruled lines joined by a margin, squared paper)
		// is long both ways: its upright lines are found first, through
		// the rows that cross nothing else, and its level ones once the
		// upright ones are erased and the frame labelled again.
		net := c.w() >= lenH && c.h() >= lenV
		if c.w() >= lenH && c.h() <= c.w()/2 && (minLen > 0 || c.w() >= int32(e.w/2)) {
			e.findRule(ci, false, minLen)
		}
		if c.h() >= lenV && (c.w() <= c.h()/2 || net) && minLen > 0 {
			e.findRule(ci, true, minLen)
		}
	}
	if minLen > 0 {
		e.findBrokenRules(false, minLen)
		e.findBrokenRules(true, minLen)
		e.findFrames()
	}
	return len(e.rules.bands) > found
}

// fragment is a thin straight piece of ink: its centre line's position
// across (u) and its extent along (v0, v1), in the orientation looked at.
type fragment struct {
	u, v, v0, v1, t float32
	long, used      bool
}

// maxFragments is the most pieces findBrokenRules looks at, the longest:
// its search takes the cube of their number.
const maxFragments = 160

// findBrokenRules finds ruled lines broken into pieces (a pale margin line,
// a grid line under uneven light, a margin cut by the ruled lines erased
// across it): thin straight pieces, level (upright when vertical), on one
// straight line that spans minLen or more: three pieces or more longer
// than a digit is high, or manyPieces of any length over half the frame.
// The pieces are each too short to be taken for a line; together they are
// one, and a piece of it would be read as a 1. A few shorter pieces are
// left alone: the strokes of 1s and 7s in a column of numbers line up too.
func (e *Extractor) findBrokenRules(vertical bool, minLen int32) {
	thick := int32(max(5, e.minH/2))
	span := e.w
	if vertical {
		span = e.h
	}
	fr := e.rules.frags[:0]
	for i := range e.lab.comps {
		c := &e.lab.comps[i]
		across, along := c.h(), c.w()
		if vertical {
			across, along = along, across
		}
		if across > thick || along < 3*across || along < int32(e.minH) {
			continue
		}
		f := fragment{u: float32(c.y0+c.y1) / 2, v0: float32(c.x0), v1: float32(c.x1), t: float32(across)}
		if vertical {
			f = fragment{u: float32(c.x0+c.x1) / 2, v0: float32(c.y0), v1: float32(c.y1), t: float32(across)}
		}
		f.v = (f.v0 + f.v1) / 2
		f.long = along >= minLen*pieceLen/10
		fr = append(fr, f)
	}
	if len(fr) > maxFragments {
		// The search below looks at every pair and every piece: keep the
		// longest (a frame of noise has thousands of short pieces).
		slices.SortFunc(fr, func(a, b fragment) int { return cmp.Compare(b.v1-b.v0, a.v1-a.v0) })
		fr = fr[:maxFragments]
	}
	e.rules.frags = fr
	// The line through two pieces far apart that most pieces lie on.
	for {
		bi, bj, bn := -1, -1, 0
		for i := range fr {
			for j := i + 1; j < len(fr); j++ {
				if fr[i].used || fr[j].used || math.Abs(float64(fr[j].v-fr[i].v)) < float64(minLen)/2 {
					continue
				}
				n, long := 0, 0
				for k := range fr {
					if !fr[k].used && onLine(&fr[i], &fr[j], &fr[k]) {
						n++
						long += int(b2i(fr[k].long))
					}
				}
				if long < 3 && n < manyPieces {
					continue
				}
				if n > bn {
					bi, bj, bn = i, j, n
				}
			}
		}
		if bn < 3 {
			return
		}
		// Least squares through the pieces on it, weighted by length.
		var sw, sv, su, svv, svu, lo, hi, t float32
		lo, hi = 1e9, -1e9
		for k := range fr {
			f := &fr[k]
			if f.used || !onLine(&fr[bi], &fr[bj], f) {
				continue
			}
			f.used = true
			wgt := f.v1 - f.v0
			sw += wgt
			sv += wgt * f.v
			su += wgt * f.u
			svv += wgt * f.v * f.v
			svu += wgt * f.v * f.u
			lo, hi, t = min(lo, f.v0), max(hi, f.v1), max(t, f.t)
		}
		if hi-lo < float32(minLen) || bn >= manyPieces && hi-lo < float32(span)/2 {
			continue
		}
		mv, mu := sv/sw, su/sw
		b := float32(0)
		if vv := svv/sw - mv*mv; vv > 0 {
			b = (svu/sw - mv*mu) / vv
		}
		if b < -0.5 || b > 0.5 {
			continue
		}
		e.rules.bands = append(e.rules.bands, band{a: mu - b*mv, b: b, half: t/2 + 1.5, lo: int32(lo), hi: int32(hi), vertical: vertical})
	}
}

// manyPieces is how many short pieces on one line, over half the frame,
// make a broken line.
const manyPieces = 5

// pieceLen is the shortest long piece of a broken line, in tenths of minLen
// (ruleLen digit heights): 1.3 digit heights.
const pieceLen = 6

// onLine reports whether piece k lies on the line through the centres of
// pieces i and j, within 2.5 pixels.
func onLine(i, j, k *fragment) bool {
	b := (j.u - i.u) / (j.v - i.v)
	d := k.u - (i.u + b*(k.v-i.v))
	return d >= -2.5 && d <= 2.5
}

// findRule looks for a ruled line in comp ci, level or upright, and records
// its band: a thin straight line alone (with no digit on it) over minLen
// positions or more. minLen 0 asks for ruleLen times the height of the
// digits on the line, measured across it where the comp holds more than
// the line (digitsAcross).
func (e *Extractor) findRule(ci int, vertical bool, minLen int32) {
	c := &e.lab.comps[ci]
	thick := float32(max(5, e.minH/2))
	// Along the line: how many of the comp's pixels each column (row)
	// holds, and their extent across it.
	lo0, n := c.x0, int(c.w())
	if vertical {
		lo0, n = c.y0, int(c.h())
	}
	e.rules.colCnt = grow(e.rules.colCnt, 3*n)
	cnt, amin, amax := e.rules.colCnt[:n], e.rules.colCnt[n:2*n], e.rules.colCnt[2*n:3*n]
	for i := range cnt {
		cnt[i], amin[i], amax[i] = 0, 1<<30, -1
	}
	for y := c.y0; y < c.y1; y++ {
		for r := e.lab.rowStart[y]; r < e.lab.rowStart[y+1]; r++ {
			if e.lab.compOf[r] != int32(ci) {
				continue
			}
			ru := &e.lab.runs[r]
			if vertical {
				i := y - c.y0
				cnt[i] += ru.x1 - ru.x0
				amin[i] = min(amin[i], ru.x0)
				amax[i] = max(amax[i], ru.x1-1)
				continue
			}
			for x := ru.x0; x < ru.x1; x++ {
				i := x - c.x0
				cnt[i]++
				amin[i] = min(amin[i], y)
				amax[i] = max(amax[i], y)
			}
		}
	}
	ts := e.tmpF[:0]
	for _, v := range cnt {
		if v > 0 {
			ts = append(ts, float32(v))
		}
	}
	e.tmpF = ts
	// The line's thickness: most positions hold only the line, but
	// digits standing on it may cover many.
	t := quantile(ts, 0.3)
	if t == 0 || t > thick {
		return
	}
	a, b, alone := fitRule(cnt, amin, amax, lo0, t)
	if minLen == 0 {
		minLen = int32(ruleLen * e.digitsAcross(cnt, amin, amax, t))
	}
	if alone < minLen || alone == 0 || minLen == 0 {
		return // a long stroke, not a line: the tail of a 7 or a 9
	}
	e.rules.bands = append(e.rules.bands, band{a: a, b: b, half: t/2 + 1.5, lo: lo0, hi: lo0 + int32(n), vertical: vertical})
}

// digitsAcross returns the height of the digits on a line of thickness
// t, from the positions along it (cnt, amin, amax: findRule's) that hold
// more ink than the line: the extent across of the tallest tenth of them
// (a digit's middle crosses the line with one or two strokes, its whole
// height only at its widest), or 0 when fewer than minDigitsAcross
// positions do (a line with nothing on it, a dash).
func (e *Extractor) digitsAcross(cnt, amin, amax []int32, t float32) float32 {
	ext := e.tmpF[:0]
	for i, c := range cnt {
		if float32(c) > t+1 {
			ext = append(ext, float32(amax[i]-amin[i]+1))
		}
	}
	e.tmpF = ext
	if len(ext) < max(minDigitsAcross, e.minH) {
		return 0
	}
	return quantile(ext, 0.9)
}

// minDigitsAcross is the fewest positions holding more than the line that
// digitsAcross measures digits from.
const minDigitsAcross = 8

// ruleLen is how many digit heights long a thin straight line must be to
// be erased as a ruled line.
const ruleLen = 2.2

// fitRule fits the straight line v = a + b·u through the positions u (from
// u0) along a thin line where it is alone: cnt[i] ink pixels no more than
// the line's thickness t, spanning [vmin[i], vmax[i]] across it. It fits
// twice, the second time without the positions far from the first fit (a
// digit's thin stroke beside the line), and reports whether a quarter of
// the positions or more made a line no steeper than 1:2; alone is how many
// positions the fit used, 0 when it failed.
func fitRule(cnt, vmin, vmax []int32, u0 int32, t float32) (a, b float32, alone int32) {
	m := float32(0)
	for pass := 0; pass < 2; pass++ {
		var su, sv, suu, suv float32
		m = 0
		for i, c := range cnt {
			if c == 0 || float32(c) > t+1 || float32(vmax[i]-vmin[i]+1) > t+2 {
				continue
			}
			u, vc := float32(int32(i)+u0), float32(vmin[i]+vmax[i]+1)/2
			if pass == 1 && (vc-a-b*u > 2 || vc-a-b*u < -2) {
				continue
			}
			m++
			su += u
			sv += vc
			suu += u * u
			suv += u * vc
		}
		if m < float32(len(cnt))/4 {
			return 0, 0, 0
		}
		mu, mv := su/m, sv/m
		vu := suu/m - mu*mu
		if vu <= 0 {
			return 0, 0, 0
		}
		b = (suv/m - mu*mv) / vu
		a = mv - b*mu
	}
	if b < -0.5 || b > 0.5 {
		return 0, 0, 0
	}
	return a, b, int32(m)
}

// appendOutsideBands appends the run [x0, x1) of row y to runs, less the
// pixels inside the bands (which may cut it in pieces).
func (e *Extractor) appendOutsideBands(runs []run, y, x0, x1 int, strong bool) []run {
	// Up to a few cuts: the bands are few and do not overlap on one row
	// often; cut one band at a time from the left piece.
	lo := float32(x0)
	yc := float32(y) + 0.5
	for _, bd := range e.rules.bands {
		var ex0, ex1 float32
		switch {
		case bd.vertical:
			// The band's columns on this row.
			if int32(y) < bd.lo || int32(y) >= bd.hi {
				continue
			}
			xc := bd.a + bd.b*yc
			ex0, ex1 = xc-bd.half, xc+bd.half
		case int(bd.hi) <= x0 || int(bd.lo) >= x1:
			continue
		case bd.b > -1e-3 && bd.b < 1e-3:
			if d := yc - (bd.a + bd.b*float32(x0+x1)/2); d < -bd.half || d > bd.half {
				continue
			}
			ex0, ex1 = float32(bd.lo), float32(bd.hi)
		default:
			// x range of the band on this row: |y+0.5 - (a + b·x)| <= half.
			ex0, ex1 = (yc-bd.half-bd.a)/bd.b, (yc+bd.half-bd.a)/bd.b
			if ex0 > ex1 {
				ex0, ex1 = ex1, ex0
			}
			ex0, ex1 = max(ex0, float32(bd.lo)), min(ex1, float32(bd.hi))
		}
		c0, c1 := max(int(ex0), x0), min(int(ex1+0.999), x1)
		if c0 >= c1 {
			continue
		}
		if c0 > int(lo) {
			n := int32(len(runs))
			runs = append(runs, run{y: int32(y), x0: int32(lo), x1: int32(c0), parent: n, strong: strong})
		}
		lo = max(lo, float32(c1))
	}
	if int(lo) < x1 {
		n := int32(len(runs))
		runs = append(runs, run{y: int32(y), x0: int32(lo), x1: int32(x1), parent: n, strong: strong})
	}
	return runs
}

// besideBand reports whether comp c lies within a few pixels of an erased
// band, across it, along its length: the fringe of a blurred ruled line or
// sheet edge that the band did not cover.
func (e *Extractor) besideBand(c *comp) bool {
	for _, bd := range e.rules.bands {
		lo, hi, across0, across1 := c.x0, c.x1, c.y0, c.y1
		if bd.vertical {
			lo, hi, across0, across1 = c.y0, c.y1, c.x0, c.x1
		}
		if lo < bd.lo || hi > bd.hi {
			continue
		}
		mid := bd.a + bd.b*float32(lo+hi)/2
		reach := bd.half + bandFringe
		if float32(across0) >= mid-reach && float32(across1) <= mid+reach {
			return true
		}
	}
	return false
}

// bandFringe is how many pixels beside an erased band a line's blurred
// fringe reaches.
const bandFringe = 3

// maxRulePasses bounds the rounds of finding ruled lines and labelling
// without them.
const maxRulePasses = 3

// ruleStage holds the ruled lines found, and its scratch.
type ruleStage struct {
	bands  []band
	frags  []fragment // findBrokenRules's pieces
	colCnt []int32
	divs   []float32 // findDividers's sides and dividers of one frame
}
