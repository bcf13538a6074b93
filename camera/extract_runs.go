package camera

import "image"

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
		lo, hi := e.thrLo[:len(row)], e.thrHi[:len(row)]
		start := len(runs)
		e.rowStart[y] = int32(start)
		for x := 0; x < w; {
			for x < w && row[x] >= lo[x] {
				x++
			}
			if x == w {
				break
			}
			x0 := x
			strong := false
			for x < w && row[x] < lo[x] {
				if row[x] < hi[x] {
					strong = true
				}
				x++
			}
			n := int32(len(runs))
			runs = append(runs, run{y: int32(y), x0: int32(x0), x1: int32(x), parent: n, strong: strong})
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
