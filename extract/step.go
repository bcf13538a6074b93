package extract

import "image"

// Steps of the paper's brightness: the edge of a shadow is sharp where the
// paper grid is coarse. Interpolated between a bright block and a dark
// one, the grid is brighter than the paper on the dark side of the edge,
// and a strip along it becomes ink, which joins the digits it touches
// into one blob off the paper. Where neighbouring blocks of the sheet
// differ by a step, the paper is followed pixel by pixel instead: a
// closing of the frame (the maximum over a square about two blocks wide,
// then the minimum), which fills strokes narrower than the square (the
// paper grid is coarsened until strokes are narrower than a block) and
// keeps an edge between two areas wider than it where it is. The closing
// is taken at half resolution (the brightest pixel of each 2x2, as the
// grid samples every second pixel), a quarter of the work, and read back
// as the darkest of the half-resolution pixels around each pixel, so that
// the edge, known to a pixel, never lights a pixel of its dark side.

// stepDarker is how much darker than its neighbour a block must be for
// the pair to be a step: the share of the paper's brightness that the
// grid's lag, at most half the difference, may add without reaching the
// ink threshold (defaultInkLow) on the dark side.
const stepDarker = 0.1

// stepColour is how many grey levels of a step's dark side, on average,
// may be colour (the ink plane's darkening of what is far from the
// paper's colour): a shadow keeps the paper's colour, a finger or a
// wooden table beside the sheet does not.
const stepColour = 6

// stepDarkest is the least share of the light that a step's dark side
// keeps: a shadow leaves more than this; ink, or what is no paper, does
// not.
const stepDarkest = 0.4

// stepMinSide is the shorter side, in pixels, of the smallest frame whose
// steps are followed.
const stepMinSide = 320

// stepDeep is how many blocks beyond a step's dark block must be as dark:
// the grid's closing leaves the blocks of a stroke dark where it is wider
// than two blocks, but a stroke is not that wide for long.
const stepDeep = 3

// stepStage holds the paper followed pixel by pixel across the steps of
// the paper grid, and the thresholds of the row being labelled.
type stepStage struct {
	on bool // some blocks are on a step
	// near[k] marks the blocks within k blocks of a step (k = 0: on one),
	// (bgh, bgw): each pass of the closing covers one ring less.
	near [5][]bool
	tmp  []bool // scratch of the same size
	// marked is the box, in blocks, of the blocks on a step.
	marked image.Rectangle
	// hw is the width of the half-resolution planes a and b, ((h+1)/2,
	// hw): the passes' scratch, and b the paper where near[0] is set.
	hw      int
	a, b    []uint8
	scratch []uint8 // (2w+2) the side of maxMinBytes that a pass does not keep, and downsample's rows
	// lutLo and lutHi are the ink thresholds of a paper brightness
	// (thresholdRow's, pixel by pixel).
	lutLo, lutHi [256]uint8
	// rowLo and rowHi are the thresholds of the current row when it
	// crosses a step (rowOn).
	rowLo, rowHi []uint8
	rowOn        bool
	rowMark      []bool // near[0]'s blocks of the row
}

// findSteps marks the blocks of the paper grid on a step between two
// blocks of the sheet and follows the paper pixel by pixel there
// (stepStage); it reports whether there are any. It runs once the grid
// and the sheet are final. A step to a block off the sheet (the table, a
// finger) is left to the grid: what lies beyond is no paper, and the
// strip along its edge joins it, off the paper, as it should.
func (e *Extractor) findSteps(frame *image.Gray) bool {
	s := &e.step
	bw, bh := e.paper.bgw, e.paper.bgh
	for k := range s.near {
		s.near[k] = grow(s.near[k], bw*bh)
	}
	s.tmp = grow(s.tmp, bw*bh)
	on := s.near[0]
	clear(on)
	s.on, s.marked = false, image.Rectangle{}
	if min(e.w, e.h) < stepMinSide {
		// A crop of a digit or a few: its dark blocks are the digits'
		// thick strokes, with no room for a shadow beside them.
		return false
	}
	blk := e.paper.blk
	block := func(p int) image.Rectangle {
		x, y := p%bw*blk, p/bw*blk
		return image.Rect(x, y, min(x+blk, e.w), min(y+blk, e.h))
	}
	bg, sheet, rim := e.paper.bg, e.sheet.on, e.sheet.rim
	all := e.sheet.all
	mc := float32(e.paper.minCon)
	// step marks the pair of blocks p and q when one is darker by a
	// step, the darker one and stepDeep blocks beyond it (a shadow is
	// wide; a thick stroke that the grid's closing left dark is not) are
	// on the sheet, the pair off its rim (the table beside the sheet is
	// no paper), and the dark is not colour.
	step := func(p, q int) {
		bright, dark := p, q
		if bg[q] > bg[p] {
			bright, dark = q, p
		}
		hi, lo := bg[bright], bg[dark]
		if hi-lo < mc || lo >= (1-stepDarker)*hi || lo < stepDarkest*hi {
			return
		}
		// The blocks beyond the dark one, stepDeep of them, must be dark
		// and on the sheet too.
		dir := dark - bright
		i, j := dark%bw, dark/bw
		di, dj := 0, 0
		if dir == 1 || dir == -1 {
			di = dir
		} else {
			dj = dir / bw
		}
		for k := 1; k <= stepDeep; k++ {
			ii, jj := i+k*di, j+k*dj
			if ii < 0 || ii >= bw || jj < 0 || jj >= bh {
				return
			}
			b := jj*bw + ii
			if bg[b] >= (1-stepDarker)*hi || bg[b] < stepDarkest*hi || !all && !sheet[b] {
				return
			}
		}
		if !all && !(sheet[p] && sheet[q] && !rim[p] && !rim[q]) {
			return
		}
		if e.ink.colourDark(block(dark), &e.angle.rot) <= stepColour {
			on[p], on[q], s.on = true, true, true
			s.marked = s.marked.Union(image.Rect(p%bw, p/bw, p%bw+1, p/bw+1)).Union(image.Rect(q%bw, q/bw, q%bw+1, q/bw+1))
		}
	}
	for j := range bh {
		for i := range bw {
			// Most neighbours differ by less than the least ink: no step.
			p := j*bw + i
			if i+1 < bw && abs32(bg[p]-bg[p+1]) >= mc {
				step(p, p+1)
			}
			if j+1 < bh && abs32(bg[p]-bg[p+bw]) >= mc {
				step(p, p+bw)
			}
		}
	}
	if !s.on {
		return false
	}
	grid := image.Rect(0, 0, bw, bh)
	for k := 1; k < len(s.near); k++ {
		dilateBlocks(s.near[k], s.near[k-1], s.tmp, bw, s.marked.Inset(-k).Intersect(grid))
	}
	w, h := e.w, e.h
	hw, hh := (w+1)/2, (h+1)/2
	s.hw = hw
	s.a, s.b = grow(s.a, hw*hh), grow(s.b, hw*hh)
	s.rowLo, s.rowHi, s.scratch = grow(s.rowLo, w), grow(s.rowHi, w), grow(s.scratch, 2*w+2)
	r := max(blk/2, 1) // half-resolution pixels: a window about 2·blk wide
	// The frame at half resolution, then the closing: maximum across,
	// then down, then minimum across, then down, each over the blocks one
	// ring nearer the step than the last.
	e.halfPass(s.near[4], func(y, x0, x1 int) { downsample(s.b[y*hw+x0:y*hw+x1], frame, x0, y, s.scratch) })
	e.halfPass(s.near[3], func(y, x0, x1 int) {
		rowWindow(s.a[y*hw+x0:y*hw+x1], s.b[y*hw:y*hw+hw], s.scratch, x0, r, true)
	})
	e.halfPass(s.near[2], func(y, x0, x1 int) { colWindow(s.b, s.a, s.scratch, hw, hh, y, x0, x1, r, true) })
	e.halfPass(s.near[1], func(y, x0, x1 int) {
		rowWindow(s.a[y*hw+x0:y*hw+x1], s.b[y*hw:y*hw+hw], s.scratch, x0, r, false)
	})
	e.halfPass(s.near[0], func(y, x0, x1 int) { colWindow(s.b, s.a, s.scratch, hw, hh, y, x0, x1, r, false) })
	kl, kh := 1-e.paper.inkLow, 1-e.paper.inkHigh
	for p := range 256 {
		v := float32(p)
		s.lutLo[p] = uint8(max(min(v*kl, v-mc), 0))
		s.lutHi[p] = uint8(max(min(v*kh, v-2*mc), 0))
	}
	return true
}

// halfPass calls f for each half-resolution row of each run of marked
// blocks, with the run's half-resolution columns: those of every pixel of
// the run, so that a half-resolution pixel on the border of two blocks
// belongs to both (a pass gives it the same value twice). A ring of
// blocks is wide enough for the radius of the passes (blk/2) whether blk
// is odd or even.
func (e *Extractor) halfPass(mark []bool, f func(y, x0, x1 int)) {
	bw, bh, blk := e.paper.bgw, e.paper.bgh, e.paper.blk
	for j := range bh {
		row := mark[j*bw : j*bw+bw]
		for i := 0; i < bw; {
			if !row[i] {
				i++
				continue
			}
			i0 := i
			for i < bw && row[i] {
				i++
			}
			x0, x1 := i0*blk/2, (min(i*blk, e.w)+1)/2
			for y := j * blk / 2; y < (min(j*blk+blk, e.h)+1)/2; y++ {
				f(y, x0, x1)
			}
		}
	}
}

// downsample sets dst to row y of frame at half resolution from column
// x0: the brightest pixel of each 2x2 (clipped at the frame's edges), the
// two rows' maximum taken first with maxMinBytes into scratch (2·len(dst)
// long at least).
func downsample(dst []uint8, frame *image.Gray, x0, y int, scratch []uint8) {
	w, h := frame.Rect.Dx(), frame.Rect.Dy()
	fx0, fx1 := 2*x0, min(2*(x0+len(dst)), w)
	r0 := frame.Pix[2*y*frame.Stride:][fx0:fx1]
	v := scratch[:fx1-fx0]
	copy(v, r0)
	if 2*y+1 < h {
		lo := scratch[len(scratch)-len(v):]
		maxMinBytes(v, lo, frame.Pix[(2*y+1)*frame.Stride:][fx0:fx1])
	}
	for i := range dst {
		a := v[2*i]
		if 2*i+1 < len(v) {
			a = max(a, v[2*i+1])
		}
		dst[i] = a
	}
}

// dilateBlocks sets dst to src grown by one block in each of the eight
// directions, across each row, then down each column (tmp is scratch of
// the same size), src's blocks lying inside box less a block all round
// and dst's set in box alone: a bw-wide grid of them.
func dilateBlocks(dst, src, tmp []bool, bw int, box image.Rectangle) {
	clear(dst)
	for j := box.Min.Y; j < box.Max.Y; j++ {
		for i := box.Min.X; i < box.Max.X; i++ {
			p := j*bw + i
			tmp[p] = src[p] || i > box.Min.X && src[p-1] || i+1 < box.Max.X && src[p+1]
		}
	}
	for j := box.Min.Y; j < box.Max.Y; j++ {
		for i := box.Min.X; i < box.Max.X; i++ {
			p := j*bw + i
			dst[p] = tmp[p] || j > box.Min.Y && tmp[p-bw] || j+1 < box.Max.Y && tmp[p+bw]
		}
	}
}

// rowWindow sets dst, the pixels from column x0 of a row, to the maximum
// (or minimum) of row over the window of r pixels on either side, clipped
// at the row's ends (scratch: as long as dst).
func rowWindow(dst, row, scratch []uint8, x0, r int, isMax bool) {
	n := len(dst)
	copy(dst, row[x0:x0+n])
	for d := 1; d <= r; d++ {
		// Right neighbours: dst[i] with row[x0+i+d], for x0+i+d < len(row).
		if k := min(n, len(row)-x0-d); k > 0 {
			bytesExtreme(dst[:k], row[x0+d:x0+d+k], scratch, isMax)
		}
		// Left neighbours: dst[i] with row[x0+i-d], for x0+i-d >= 0.
		if i0 := max(0, d-x0); i0 < n {
			bytesExtreme(dst[i0:], row[x0+i0-d:x0+n-d], scratch, isMax)
		}
	}
}

// colWindow sets row y of dst, columns x0 to x1, to the maximum (or
// minimum) of src's rows y-r to y+r (clipped at the frame's ends) there
// (scratch: x1-x0 long at least).
func colWindow(dst, src, scratch []uint8, w, h, y, x0, x1, r int, isMax bool) {
	out := dst[y*w+x0 : y*w+x1]
	copy(out, src[y*w+x0:y*w+x1])
	for yy := max(y-r, 0); yy <= min(y+r, h-1); yy++ {
		if yy != y {
			bytesExtreme(out, src[yy*w+x0:yy*w+x1], scratch, isMax)
		}
	}
}

// bytesExtreme sets dst[i] to max(dst[i], src[i]) (or the minimum) with
// maxMinBytes (AVX2 on amd64), its other side written to scratch, which
// must be as long as dst.
func bytesExtreme(dst, src, scratch []uint8, isMax bool) {
	if isMax {
		maxMinBytes(dst, scratch[:len(dst)], src[:len(dst)])
	} else {
		maxMinBytes(scratch[:len(dst)], dst, src[:len(dst)])
	}
}

// stepRow sets the thresholds of image row y where it crosses a step
// (rowLo, rowHi, rowOn; rowHi only there), from the current threshold
// row, and returns the low thresholds to label the row with.
func (e *Extractor) stepRow(y int) []uint8 {
	s := &e.step
	s.rowOn = false
	if !s.on {
		return e.paper.thrLo
	}
	bw, blk, w := e.paper.bgw, e.paper.blk, e.w
	j := y / blk
	mark := s.near[0][j*bw : j*bw+bw]
	s.rowMark = mark
	for i := range bw {
		if !mark[i] {
			continue
		}
		if !s.rowOn {
			s.rowOn = true
			copy(s.rowLo, e.paper.thrLo[:w])
		}
		// The darkest of the half-resolution pixels around (x, y),
		// within the block.
		x0, x1 := i*blk, min(i*blk+blk, w)
		y0, y1 := j*blk, min(j*blk+blk, e.h)
		hw := s.hw
		ra, rb := s.b[max(y-1, y0)/2*hw:], s.b[min(y+1, y1-1)/2*hw:]
		for x := x0; x < x1; x++ {
			xa, xb := max(x-1, x0)/2, min(x+1, x1-1)/2
			p := min(ra[xa], ra[xb], rb[xa], rb[xb])
			s.rowLo[x], s.rowHi[x] = s.lutLo[p], s.lutHi[p]
		}
	}
	if s.rowOn {
		return s.rowLo
	}
	return e.paper.thrLo
}
