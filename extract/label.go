package extract

import (
	"encoding/binary"
	"image"
)

// run is a horizontal stretch of ink pixels [x0, x1) on row y. Runs are
// the nodes of the union-find that labels 8-connected ink: parent points
// toward the run with the smallest index of the component.
type run struct {
	y, x0, x1 int32
	parent    int32
	strong    bool // some pixel is darker than the high threshold
}

// comp is one 8-connected blob of ink.
type comp struct {
	x0, y0, x1, y1 int32 // box, exclusive max
	area           int32
	strong         bool
	main           bool  // tall enough to seed a line
	merged         bool  // joined with another comp into one digit
	line           int32 // line index, -1 if none
	group          int32 // union-find over comps: pieces of one digit
}

func (c *comp) w() int32 { return c.x1 - c.x0 }
func (c *comp) h() int32 { return c.y1 - c.y0 }

// labelRuns thresholds the frame row by row into ink runs and joins the
// runs that touch (8-connectivity) with union-find. One pass over the
// pixels; the threshold row is refreshed every fourth row.
func (e *Extractor) labelRuns(frame *image.Gray) {
	w, h := e.w, e.h
	pix, stride := frame.Pix, frame.Stride
	runs := e.runs[:0]
	prevStart, prevEnd := 0, 0
	for y := 0; y < h; y++ {
		if y&3 == 0 {
			// The paper's brightness changes slowly: a threshold row
			// serves four rows (at most one block).
			e.thresholdRow(y + 1)
		}
		row := pix[y*stride : y*stride+w]
		lo := e.thrLo[:len(row)]
		start := len(runs)
		e.rowStart[y] = int32(start)
		for x := 0; x < w; {
			// Paper: eight pixels at a time while none of them is ink.
			for x+8 <= w && geBytes(binary.LittleEndian.Uint64(row[x:]), binary.LittleEndian.Uint64(lo[x:])) == ^uint64(0) {
				x += 8
			}
			for x < w && row[x] >= lo[x] {
				x++
			}
			if x == w {
				break
			}
			x0 := x
			strong := false
			for x < w && row[x] < lo[x] {
				if !strong && row[x] < e.hiAt(x) {
					strong = true
				}
				x++
			}
			if len(e.bands) == 0 {
				n := int32(len(runs))
				runs = append(runs, run{y: int32(y), x0: int32(x0), x1: int32(x), parent: n, strong: strong})
			} else {
				runs = e.appendOutsideBands(runs, y, x0, x, strong)
			}
		}
		end := len(runs)
		p := prevStart
		for c := start; c < end; c++ {
			cx0, cx1 := runs[c].x0, runs[c].x1
			for p < prevEnd && runs[p].x1 < cx0 {
				p++
			}
			for q := p; q < prevEnd && runs[q].x0 <= cx1; q++ {
				union(runs, int32(q), int32(c))
			}
		}
		prevStart, prevEnd = start, end
	}
	e.rowStart[h] = int32(len(runs))
	e.runs = runs
}

// find returns the root of run i, halving the path on the way.
func find(runs []run, i int32) int32 {
	for runs[i].parent != i {
		p := runs[i].parent
		runs[i].parent = runs[p].parent
		i = p
	}
	return i
}

// union joins the components of runs a and b; the smaller index becomes
// the root, so a root always precedes the other runs of its component.
func union(runs []run, a, b int32) {
	ra, rb := find(runs, a), find(runs, b)
	switch {
	case ra < rb:
		runs[rb].parent = ra
	case rb < ra:
		runs[ra].parent = rb
	}
}

// collectComponents turns the run forest into components with their
// boxes, areas and strength. e.compOf maps each run to its component.
func (e *Extractor) collectComponents() {
	runs := e.runs
	e.compOf = grow(e.compOf, len(runs))
	comps := e.comps[:0]
	for i := range runs {
		r := &runs[i]
		root := find(runs, int32(i))
		if root == int32(i) {
			e.compOf[i] = int32(len(comps))
			comps = append(comps, comp{x0: r.x0, y0: r.y, x1: r.x1, y1: r.y + 1, line: -1, group: int32(len(comps))})
		} else {
			e.compOf[i] = e.compOf[root]
		}
		c := &comps[e.compOf[i]]
		c.x0 = min(c.x0, r.x0)
		c.x1 = max(c.x1, r.x1)
		c.y1 = max(c.y1, r.y+1)
		c.area += r.x1 - r.x0
		c.strong = c.strong || r.strong
	}
	e.comps = comps
}

// band is a ruled line (or an underline, or a straight edge) to erase:
// the pixels within half of y = a + b·x, for x in [x0, x1).
type band struct {
	a, b, half float32
	x0, x1     int32
}

// findRules looks for ruled lines among the components: long, thin and
// straight, possibly with digits standing on them. It fits a straight line
// to the columns where only the thin line is inked and records a band to
// erase; it reports whether it found any. Lines stay straight under a
// camera's perspective, so one fit covers a whole ruled line.
func (e *Extractor) findRules() bool {
	e.bands = e.bands[:0]
	minLen := int32(max(e.w/5, 4*e.minH))
	for ci := range e.comps {
		c := &e.comps[ci]
		if c.w() < minLen || c.h() > c.w()/2 {
			continue
		}
		n := int(c.w())
		e.colCnt = grow(e.colCnt, 3*n)
		cnt, ymin, ymax := e.colCnt[:n], e.colCnt[n:2*n], e.colCnt[2*n:3*n]
		for i := range cnt {
			cnt[i], ymin[i], ymax[i] = 0, 1<<30, -1
		}
		for y := c.y0; y < c.y1; y++ {
			for r := e.rowStart[y]; r < e.rowStart[y+1]; r++ {
				if e.compOf[r] != int32(ci) {
					continue
				}
				ru := &e.runs[r]
				for x := ru.x0; x < ru.x1; x++ {
					i := x - c.x0
					cnt[i]++
					ymin[i] = min(ymin[i], y)
					ymax[i] = max(ymax[i], y)
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
		// The line's thickness: most columns hold only the line, but
		// digits standing on it may cover many.
		t := quantile(ts, 0.3)
		if t == 0 || t > float32(max(5, e.minH/2)) {
			continue
		}
		// Least squares over the columns that hold only the thin line,
		// twice: the second time without the columns far from the first
		// fit (a digit's thin stroke beside the line).
		a, b, m := float32(0), float32(0), float32(0)
		for pass := 0; pass < 2; pass++ {
			var sx, sy, sxx, sxy float32
			m = 0
			for i, v := range cnt {
				if v == 0 || float32(v) > t+1 || float32(ymax[i]-ymin[i]+1) > t+2 {
					continue
				}
				x, yc := float32(int32(i)+c.x0), float32(ymin[i]+ymax[i]+1)/2
				if pass == 1 && (yc-a-b*x > 2 || yc-a-b*x < -2) {
					continue
				}
				m++
				sx += x
				sy += yc
				sxx += x * x
				sxy += x * yc
			}
			if m < float32(n)/4 {
				break
			}
			mx, my := sx/m, sy/m
			vx := sxx/m - mx*mx
			if vx <= 0 {
				m = 0
				break
			}
			b = (sxy/m - mx*my) / vx
			a = my - b*mx
		}
		if m < float32(n)/4 || b < -0.5 || b > 0.5 {
			continue
		}
		e.bands = append(e.bands, band{a: a, b: b, half: t/2 + 1.5, x0: c.x0, x1: c.x1})
	}
	return len(e.bands) > 0
}

// appendOutsideBands appends the run [x0, x1) of row y to runs, less the
// pixels inside the ruled-line bands (which may cut it in pieces).
func (e *Extractor) appendOutsideBands(runs []run, y, x0, x1 int, strong bool) []run {
	// Up to a few cuts: the bands are few and do not overlap on one row
	// often; cut one band at a time from the left piece.
	lo := float32(x0)
	for _, bd := range e.bands {
		if int(bd.x1) <= x0 || int(bd.x0) >= x1 {
			continue
		}
		// x range of the band on this row: |y+0.5 - (a + b·x)| <= half.
		yc := float32(y) + 0.5
		var ex0, ex1 float32
		if bd.b > -1e-3 && bd.b < 1e-3 {
			if d := yc - (bd.a + bd.b*float32(x0+x1)/2); d < -bd.half || d > bd.half {
				continue
			}
			ex0, ex1 = float32(bd.x0), float32(bd.x1)
		} else {
			ex0, ex1 = (yc-bd.half-bd.a)/bd.b, (yc+bd.half-bd.a)/bd.b
			if ex0 > ex1 {
				ex0, ex1 = ex1, ex0
			}
			ex0, ex1 = max(ex0, float32(bd.x0)), min(ex1, float32(bd.x1))
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
