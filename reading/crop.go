package reading

import (
	"image"

	"github.com/edgeconv/edgeconv/extract"
	"github.com/edgeconv/edgeconv/model"
)

// A mark that touches a tight crop's side is a cut neighbour when the
// farthest digit beside it stands clear of the other side by cutClear of
// its height, or when it is no taller than cutShort of that digit.
const (
	cutClear = 0.2
	cutShort = 0.6
)

// dropCutNeighbours takes as not digits, in a photo that is a tight crop
// (extract.TightCrop), the digits that touch its left or right side while
// the farthest digit beside them (besideOf, whatever line it was put on),
// touching neither side, stands clear of the other side by cutClear of
// its height or more, or is more than 1/cutShort times as tall. A crop cut
// around a digit leaves it a margin on both sides, and holds no digit
// much shorter than it; a mark that touches one side while the digit
// keeps its margin on the other, or a short one, is a neighbour the crop
// cut through (the stem of a 4 beside a 2 reads as a 1). Digits cropped
// with no margin touch both sides, and are left alone; so is a 1 as tall
// as the digit beside it. A digit that touches any side and is short
// against a confident digit elsewhere goes too (shortAtSide).
func (r *Reader) dropCutNeighbours() {
	rd := &r.r
	f := r.frame
	if !r.photo || !extract.TightCrop(f.Size()) || len(rd.Candidates) < 2 || rd.Classes <= model.NotDigit {
		return
	}
	for i := range rd.Candidates {
		if rd.Results[i].Class >= model.Digits {
			continue
		}
		c := rd.Candidates[i].Box
		side := 0 // -1: the cut is on the left, 1: on the right
		switch {
		case c.Min.X <= f.Min.X && c.Max.X < f.Max.X:
			side = -1
		case c.Max.X >= f.Max.X && c.Min.X > f.Min.X:
			side = 1
		}
		if side != 0 && r.cutBeside(i, side) || r.shortAtSide(i) {
			r.notDigit(i)
		}
	}
}

// cutBeside reports whether candidate i, which touches the tight crop's
// left side (side -1) or right side (1), is a neighbour the crop cut
// through: the farthest digit beside it read with confidence, touching
// neither side, stands clear of the other side by cutClear of its height,
// or is more than 1/cutShort times as tall.
func (r *Reader) cutBeside(i, side int) bool {
	rd := &r.r
	f, c := r.frame, rd.Candidates[i].Box
	touches := func(b, f, side int) bool { return side < 0 && b <= f || side > 0 && b >= f }
	far, margin := -1, 0
	for j := range rd.Candidates {
		o := rd.Candidates[j].Box
		if j == i || !besideOf(o, c) || rd.Results[j].Class >= model.Digits ||
			rd.Results[j].Confidence < doubt || touches(o.Min.X, f.Min.X, -1) || touches(o.Max.X, f.Max.X, 1) {
			continue
		}
		m := f.Max.X - o.Max.X // clear of the right side, for a cut on the left
		if side > 0 {
			m = o.Min.X - f.Min.X
		}
		if far < 0 || m < margin {
			far, margin = j, m
		}
	}
	if far < 0 {
		return false
	}
	fh := float32(rd.Candidates[far].Box.Dy())
	return float32(margin) >= cutClear*fh || float32(c.Dy()) <= cutShort*fh
}

// shortAtSide reports whether candidate i touches a side of the tight
// crop, any of the four, and is no taller than cutShort of a digit read
// with confidence whose box it does not overlap, wherever that digit
// stands: a sliver of a neighbour above, below or at a corner, or one
// beside a digit that the crop left no margin on the other side.
func (r *Reader) shortAtSide(i int) bool {
	rd := &r.r
	f, c := r.frame, rd.Candidates[i].Box
	if c.Min.X > f.Min.X && c.Min.Y > f.Min.Y && c.Max.X < f.Max.X && c.Max.Y < f.Max.Y {
		return false
	}
	for j := range rd.Candidates {
		o := rd.Candidates[j].Box
		if j != i && rd.Results[j].Class < model.Digits && rd.Results[j].Confidence >= doubt &&
			!o.Overlaps(c) && float32(c.Dy()) <= cutShort*float32(o.Dy()) {
			return true
		}
	}
	return false
}

// besideOf reports whether boxes a and b stand side by side: they overlap
// upright by half the shorter's height or more. A sliver that a crop cut
// from a neighbour may be given a line of its own (a stroke 13 pixels
// tall beside a 4 of 28, lower than its middle), but it stands beside the
// digit all the same.
func besideOf(a, b image.Rectangle) bool {
	overlap := min(a.Max.Y, b.Max.Y) - max(a.Min.Y, b.Min.Y)
	return 2*overlap >= min(a.Dy(), b.Dy())
}
