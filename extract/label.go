package extract

import (
	"encoding/binary"
	"image"
	"math"
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
	rim            int32 // pixels on the frame's outermost rows and columns
	mom            moments
	edge           int32 // pixels off the sheet or on its rim
	off            bool  // not writing on the sheet (offPaper)
	strong         bool
	main           bool // tall enough to seed a line
	// u0 and u1 are the extent along the lines (projectComps): x0 and x1
	// on a level page; on a sheet held at an angle, the extent of its
	// pixels along the lines' direction, which a turned digit's box
	// overstates by its height times the angle's sine.
	u0, u1 float32
	merged bool  // joined with another comp into one digit
	line   int32 // line index, -1 if none
	group  int32 // union-find over comps: pieces of one digit
	// side, when not 0, is the part of its group that Apart gave it to:
	// 1 the left, 2 the right.
	side uint8
}

// moments are the sums over a component's pixels of x, y, x², y² and xy,
// for its principal axis.
type moments struct {
	sx, sy, sxx, syy, sxy float64
}

// addRun adds the pixels of run r.
func (m *moments) addRun(r *run) {
	n, y := float64(r.x1-r.x0), float64(r.y)
	a, b := float64(r.x0), float64(r.x1-1)
	sx := n * (a + b) / 2
	s2 := func(k float64) float64 { return k * (k + 1) * (2*k + 1) / 6 }
	m.sx += sx
	m.sy += n * y
	m.sxx += s2(b) - s2(a-1)
	m.syy += n * y * y
	m.sxy += y * sx
}

// lean returns how far the principal axis of n pixels with moments m leans
// from upright, in degrees (positive: its top to the right), and its
// elongation (the ratio of the axes' variances, at least 1).
func (m *moments) lean(n int32) (deg, elong float64) {
	k := float64(n)
	mx, my := m.sx/k, m.sy/k
	vxx, vyy, vxy := m.sxx/k-mx*mx, m.syy/k-my*my, m.sxy/k-mx*my
	// The major axis's angle from the x axis (y down), then from upright.
	phi := 0.5 * math.Atan2(2*vxy, vxx-vyy) * 180 / math.Pi
	deg = phi + 90
	if deg > 90 {
		deg -= 180
	}
	tr, det := vxx+vyy, vxx*vyy-vxy*vxy
	d := math.Sqrt(max(tr*tr/4-det, 0))
	l1, l2 := tr/2+d, tr/2-d
	return deg, l1 / max(l2, 1e-6)
}

func (c *comp) w() int32 { return c.x1 - c.x0 }
func (c *comp) h() int32 { return c.y1 - c.y0 }

// labelRuns thresholds the frame row by row into ink runs and joins the
// runs that touch (8-connectivity) with union-find. One pass over the
// pixels; the threshold row is refreshed every fourth row.
func (e *Extractor) labelRuns(frame *image.Gray) {
	w, h := e.w, e.h
	pix, stride := frame.Pix, frame.Stride
	runs := e.lab.runs[:0]
	prevStart, prevEnd := 0, 0
	for y := 0; y < h; y++ {
		if y&3 == 0 {
			// The paper's brightness changes slowly: a threshold row
			// serves four rows (at most one block).
			e.thresholdRow(y + 1)
		}
		row := pix[y*stride : y*stride+w]
		lo := e.stepRow(y)[:len(row)]
		start := len(runs)
		e.lab.rowStart[y] = int32(start)
		for x := 0; x < w; {
			// Paper: 32 (AVX2) then eight pixels at a time while none of
			// them is ink.
			x += paperRun(row[x:], lo[x:])
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
			if len(e.rules.bands) == 0 {
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
	e.lab.rowStart[h] = int32(len(runs))
	e.lab.runs = runs
	if len(e.rules.bands) > 0 {
		e.joinAcrossBands()
	}
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
// boxes, areas and strength. e.lab.compOf maps each run to its component.
func (e *Extractor) collectComponents() {
	runs := e.lab.runs
	e.lab.compOf = grow(e.lab.compOf, len(runs))
	comps := e.lab.comps[:0]
	for i := range runs {
		r := &runs[i]
		root := find(runs, int32(i))
		if root == int32(i) {
			e.lab.compOf[i] = int32(len(comps))
			comps = append(comps, comp{x0: r.x0, y0: r.y, x1: r.x1, y1: r.y + 1, line: -1, group: int32(len(comps))})
		} else {
			e.lab.compOf[i] = e.lab.compOf[root]
		}
		c := &comps[e.lab.compOf[i]]
		c.x0 = min(c.x0, r.x0)
		c.x1 = max(c.x1, r.x1)
		c.y1 = max(c.y1, r.y+1)
		c.area += r.x1 - r.x0
		c.strong = c.strong || r.strong
		c.mom.addRun(r)
		if r.y == 0 || r.y == int32(e.h-1) {
			c.rim += r.x1 - r.x0
		} else {
			c.rim += b2i(r.x0 == 0) + b2i(r.x1 == int32(e.w))
		}
	}
	e.lab.comps = comps
}

// labels are the frame's ink as runs, joined into components.
type labels struct {
	runs     []run
	rowStart []int32 // (h+1) index of each row's first run
	comps    []comp
	compOf   []int32 // per run: its component
}
