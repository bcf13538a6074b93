package extract

import "slices"

// A notebook's binding down the sheet's side: its spiral's loops, or the
// holes punched for it, a column of marks alike in size, evenly spaced,
// that the model would read as 0s and 1s, one a line.
const (
	// bindingMarks is the fewest marks of a binding: a spiral has one
	// loop every 6 to 8 millimetres, dozens down a page.
	bindingMarks = 6
	// bindingSize is the share by which a binding's marks may differ
	// from the first in width and in height.
	bindingSize = 0.2
	// bindingAlign is how far, across, a mark's centre may stand from the
	// first's, in the first's widths.
	bindingAlign = 0.5
	// bindingPitch is how far apart, in the first mark's heights, two
	// neighbours may stand, top to top; bindingEven the share of the
	// pitch by which a mark's top may stand off its place on the column's
	// grid (the first's top and a whole number of pitches: a mark may be
	// missing, too faint, or joined with writing).
	bindingPitch, bindingEven = 2.5, 0.15
	// bindingGap is the most pitches between two marks of a column.
	bindingGap = 3
	// bindingAlone is the least gap, in the mark's heights, between a
	// mark of a binding and any other ink at its height: a binding
	// stands in the margin, while the first digits of a column of numbers
	// (the 1s of a list of years) stand beside the digits after them.
	bindingAlone = 0.5
)

// bindingStage holds markBinding's buffers.
type bindingStage struct {
	order, column []int32
}

// markBinding takes as no writing (comp.off) the components of a binding:
// bindingMarks or more above one another (bindingAlign) at one side of
// all the other writing, alike in width and height (bindingSize), their
// tops on an even grid (bindingPitch, bindingEven, bindingGap), each alone
// at its height (bindingAlone). No hand writes a column so even; left in,
// a spiral's rings read as a column of 0s, and pull the lines of writing
// beside them out of shape.
func (e *Extractor) markBinding() {
	comps := e.lab.comps
	s := &e.bind
	s.order = s.order[:0]
	for i := range comps {
		if c := &comps[i]; !c.off && int(c.h()) >= e.minH/2 {
			s.order = append(s.order, int32(i))
		}
	}
	if len(s.order) < bindingMarks {
		return
	}
	slices.SortFunc(s.order, func(a, b int32) int { return int(comps[a].y0 - comps[b].y0) })
	for k, first := range s.order {
		c0 := &comps[first]
		w0, h0, x0 := float32(c0.w()), float32(c0.h()), float32(c0.x0+c0.x1)/2
		// alike reports whether comp j stands in first's column and is
		// as large.
		alike := func(j int32) bool {
			c := &comps[j]
			return abs32(float32(c.w())-w0) <= bindingSize*w0 && abs32(float32(c.h())-h0) <= bindingSize*h0 &&
				abs32(float32(c.x0+c.x1)/2-x0) <= bindingAlign*w0
		}
		// The pitch: the next alike mark below.
		pitch := float32(0)
		for _, j := range s.order[k+1:] {
			d := float32(comps[j].y0 - c0.y0)
			if d > bindingPitch*h0 {
				break
			}
			if d > 0 && alike(j) {
				pitch = d
				break
			}
		}
		if pitch == 0 {
			continue
		}
		s.column = append(s.column[:0], first)
		last := float32(c0.y0)
		for _, j := range s.order[k+1:] {
			t := float32(comps[j].y0)
			if t-last > (bindingGap+bindingEven)*pitch {
				break
			}
			m := float32(int((t-float32(c0.y0))/pitch + 0.5))
			if m >= 1 && abs32(t-float32(c0.y0)-m*pitch) <= bindingEven*pitch && alike(j) {
				s.column = append(s.column, j)
				last = t
				// The pitch, measured over the column so far: a loop a
				// pixel off in the first pair puts the tenth off by ten.
				pitch = (t - float32(c0.y0)) / m
			}
		}
		if len(s.column) < bindingMarks || !e.bindingApart(s.column) {
			continue
		}
		for _, j := range s.column {
			comps[j].off = true
		}
	}
}

// bindingApart reports whether the components of column stand each alone
// at its height (bindingAlone) and all at one side of the other writing.
func (e *Extractor) bindingApart(column []int32) bool {
	comps := e.lab.comps
	lo, hi := comps[column[0]].x0, comps[column[0]].x1
	for _, j := range column {
		lo, hi = min(lo, comps[j].x0), max(hi, comps[j].x1)
	}
	left, right := true, true
	for i := range comps {
		c := &comps[i]
		if c.off || int(c.h()) < e.minH/2 || slices.Contains(column, int32(i)) {
			continue
		}
		cx := (c.x0 + c.x1) / 2
		left, right = left && cx > hi, right && cx < lo
		for _, j := range column {
			m := &comps[j]
			room := int32(bindingAlone * float32(m.h()))
			if c.y0 < m.y1 && c.y1 > m.y0 && c.x0 < m.x1+room && c.x1 > m.x0-room {
				return false
			}
		}
	}
	return left || right
}
