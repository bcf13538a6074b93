package extract

import (
	"encoding/binary"
	"image"

	"github.com/viterin/vek/vek32"
)

// minContrast is the smallest darkening, in grey levels, that counts as
// ink whatever the paper's brightness: it keeps sensor noise in dark areas
// (a table beside the sheet, a deep shadow) from becoming ink. A noisy
// camera raises it to the noise it measures (adaptInk), up to maxContrast.
const (
	minContrast = 10
	maxContrast = 40
)

// estimateBackground fills e.paper.bg with the paper's brightness on a grid of
// e.paper.blk-pixel blocks: the brightest pixel of each block (ink is darker than
// paper, so a block with any paper in it sees the paper), then a block
// closing (maximum then minimum: blocks covered by a thick stroke take
// their neighbours' paper, large dark areas keep their edges), and the
// halo a camera's sharpening lifts beside strokes taken out (dehalo).
// The ink thresholds and e.paper.hbg, the grid interpolated across each
// block row, come later (adaptInk, thresholdRamps), once the sheet is
// known.
func (e *Extractor) estimateBackground(frame *image.Gray) {
	w, h, blk, bw, bh := e.w, e.h, e.paper.blk, e.paper.bgw, e.paper.bgh
	pix, stride := frame.Pix, frame.Stride
	bg := e.paper.bg
	// Every second pixel of every second row is enough to see the paper:
	// strokes are at least two pixels wide where they matter. The rows of
	// a block row are reduced column by column, eight pixels at a time,
	// then every second column of each block.
	cmax, cmin := e.paper.colMax[:w], e.paper.colMin[:w]
	for j := 0; j < bh; j++ {
		y0, y1 := j*blk, min(j*blk+blk, h)
		copy(cmax, pix[y0*stride:y0*stride+w])
		copy(cmin, cmax)
		for y := y0 + 2; y < y1; y += 2 {
			maxMinBytes(cmax, cmin, pix[y*stride:y*stride+w])
		}
		for i := 0; i < bw; i++ {
			x0, x1 := i*blk, min(i*blk+blk, w)
			m, n := uint32(0), uint32(255)
			hi, lo := cmax[x0:x1], cmin[x0:x1]
			lo = lo[:len(hi)]
			for k := 0; k < len(hi); k += 2 {
				m, n = max(m, uint32(hi[k])), min(n, uint32(lo[k]))
			}
			bg[j*bw+i] = float32(m)
			e.paper.blkMin[j*bw+i] = float32(n)
		}
	}
	// A closing (maximum then minimum over (2·closeR+1)² blocks): blocks
	// inside a thick stroke take their neighbours' paper, dark blobs
	// smaller than the window (ink) vanish, and large dark areas (shadows,
	// the table beside the sheet) keep their edges in place.
	tmp := e.paper.bgTmp
	raw := e.halo.keep(bg[:bw*bh])
	filterGrid(tmp, bg, bw, bh, closeR, true)
	filterGrid(bg, tmp, bw, bh, closeR, false)
	e.dehalo(frame, raw)
}

// thresholdRamps interpolates the paper grid and each block's thresholds
// across the frame, into e.paper.hbg, hLo and hHi.
func (e *Extractor) thresholdRamps() {
	w, blk, bw, bh := e.w, e.paper.blk, e.paper.bgw, e.paper.bgh
	bg := e.paper.bg
	// Interpolate each block row across the frame: linear ramps between
	// block centres ((i+0.5)·blk), constant beyond the outer ones. The
	// thresholds are ramps too (min(v·k, v-c) is linear wherever one side
	// wins, and close to it elsewhere), in 8.8 fixed point for
	// thresholdRow.
	mc := float32(e.paper.minCon)
	half := blk / 2
	// Each block's thresholds, once: a ramp ends where the next begins.
	e.paper.thrL, e.paper.thrH = grow(e.paper.thrL, bw), grow(e.paper.thrH, bw)
	tl, th := e.paper.thrL[:bw], e.paper.thrH[:bw]
	for j := 0; j < bh; j++ {
		src := bg[j*bw : j*bw+bw]
		dst := e.paper.hbg[j*w : j*w+w]
		lo, hi := e.paper.hLo[j*w:j*w+w], e.paper.hHi[j*w:j*w+w]
		lowB, highB := e.paper.lowB[j*bw:j*bw+bw], e.paper.highB[j*bw:j*bw+bw]
		for i, v := range src {
			kl, kh := 256*(1-lowB[i]), 256*(1-highB[i])
			tl[i], th[i] = max(min(v*kl, 256*(v-mc)), 0), max(min(v*kh, 256*(v-2*mc)), 0)
		}
		fill := func(x0, x1, i0, i1 int) {
			if x0 >= x1 {
				return
			}
			v0, v1 := src[i0], src[i1]
			l0, h0 := tl[i0], th[i0]
			l1, h1 := tl[i1], th[i1]
			n := float32(x1 - x0)
			dv, dl, dh := (v1-v0)/n, (l1-l0)/n, (h1-h0)/n
			d, l, h := dst[x0:x1], lo[x0:x1], hi[x0:x1]
			for x := range d {
				d[x], l[x], h[x] = v0, uint16(l0), uint16(h0)
				v0 += dv
				l0 += dl
				h0 += dh
			}
		}
		fill(0, min(half, w), 0, 0)
		for i := 0; i+1 < bw; i++ {
			fill(i*blk+half, min((i+1)*blk+half, w), i, i+1)
		}
		fill(min((bw-1)*blk+half, w), w, bw-1, bw-1)
	}
}

// rowBackground returns the two interpolated block rows around image row y
// and the weight of the lower one.
func (e *Extractor) rowBackground(y int) (a, b []float32, wy float32) {
	f := (float32(y)+0.5)/float32(e.paper.blk) - 0.5
	j := int(f)
	if f < 0 {
		j, f = 0, 0
	}
	if j >= e.paper.bgh-1 {
		j = max(e.paper.bgh-1, 0)
		f = float32(j)
	}
	j1 := min(j+1, e.paper.bgh-1)
	return e.paper.hbg[j*e.w : j*e.w+e.w], e.paper.hbg[j1*e.w : j1*e.w+e.w], f - float32(j)
}

// thresholdRow fills e.paper.thrLo for image row y (a pixel below it is ink) and
// points e.paper.hiA, e.paper.hiB and e.paper.hiWy at the rows that give the high threshold
// (a blob needs a pixel below it to count), which labelRuns computes only
// where there is ink (hiAt).
func (e *Extractor) thresholdRow(y int) {
	f := (float32(y)+0.5)/float32(e.paper.blk) - 0.5
	j := int(max(f, 0))
	if j >= e.paper.bgh-1 {
		j, f = max(e.paper.bgh-1, 0), float32(max(e.paper.bgh-1, 0))
	}
	j1 := min(j+1, e.paper.bgh-1)
	wy := uint32(max(f-float32(j), 0)*256 + 0.5)
	w := e.w
	la, lb := e.paper.hLo[j*w:j*w+w], e.paper.hLo[j1*w:j1*w+w]
	ha, hb := e.paper.hHi[j*w:j*w+w], e.paper.hHi[j1*w:j1*w+w]
	lerpRow(e.paper.thrLo[:w], la, lb, wy)
	e.paper.hiA, e.paper.hiB, e.paper.hiWy = ha, hb, wy
}

// hiAt returns the high threshold of column x of the current threshold
// row: lerpRow's value, for one pixel.
func (e *Extractor) hiAt(x int) uint8 {
	if s := &e.step; s.rowOn && s.rowMark[x/e.paper.blk] {
		return s.rowHi[x]
	}
	return e.gridHiAt(x)
}

// gridHiAt is hiAt from the paper grid alone.
func (e *Extractor) gridHiAt(x int) uint8 {
	a := uint32(e.paper.hiA[x])
	return uint8((a<<8 + (uint32(e.paper.hiB[x])-a)*e.paper.hiWy) >> 16)
}

// lerpRowGeneric sets dst[x] to the integer part of a[x]·(1-wy/256) +
// b[x]·wy/256, with a and b in 8.8 fixed point and wy at most 256.
// lerpRow calls it, after the AVX2 form on amd64.
func lerpRowGeneric(dst []uint8, a, b []uint16, wy uint32) {
	a, b = a[:len(dst)], b[:len(dst)]
	if wy == 0 {
		for x, v := range a {
			dst[x] = uint8(v >> 8)
		}
		return
	}
	for x, v := range a {
		dst[x] = uint8((uint32(v)<<8 + (uint32(b[x])-uint32(v))*wy) >> 16)
	}
}

// paperAt returns the paper's brightness at pixel (x, y) of the frame.
func (e *Extractor) paperAt(x, y int) float32 {
	a, b, wy := e.rowBackground(y)
	v := a[x] + (b[x]-a[x])*wy
	return max(v, 1)
}

// maxMinBytesGeneric sets hi[i] = max(hi[i], src[i]) and lo[i] =
// min(lo[i], src[i]), eight bytes per step in a uint64 (SWAR: no carry
// crosses a byte). maxMinBytes calls it, after the AVX2 form on amd64.
func maxMinBytesGeneric(hi, lo, src []uint8) {
	n := len(src)
	hi, lo = hi[:n], lo[:n]
	i := 0
	for ; i+8 <= n; i += 8 {
		v := binary.LittleEndian.Uint64(src[i:])
		a := binary.LittleEndian.Uint64(hi[i:])
		b := binary.LittleEndian.Uint64(lo[i:])
		ga := geBytes(v, a) // bytes where v >= a: v is the new maximum
		gb := geBytes(v, b) // bytes where v >= b: b stays the minimum
		binary.LittleEndian.PutUint64(hi[i:], v&ga|a&^ga)
		binary.LittleEndian.PutUint64(lo[i:], b&gb|v&^gb)
	}
	for ; i < n; i++ {
		hi[i], lo[i] = max(hi[i], src[i]), min(lo[i], src[i])
	}
}

// geBytes returns, for each byte of a and b (unsigned), 0xff where
// a >= b and 0 elsewhere.
func geBytes(a, b uint64) uint64 {
	const H = 0x8080808080808080
	// The low seven bits compared with a borrow that stays in the byte:
	// the high bit of each byte of x is set when a's low bits >= b's.
	x := (a | H) - (b &^ H)
	ge := (a&^b | ^(a^b)&x) & H
	return (ge >> 7) * 0xff
}

// faintLow is InkLow for faint writing, as a fraction of its typical
// stroke's darkness: low enough to keep a stroke whole where it thins
// (pencil, a hairline pen, and coloured ink, whose colour the frame holds
// at half resolution, so that its strokes are darker in the middle).
const faintLow = 0.4

// The sharpness of strokes (inkSharpness) under which adaptInk lowers the
// thresholds, the sharpness at which it lowers them most, and by how much,
// as a fraction of the typical stroke. The photos of ../shared/photos
// measure 0.59 to 0.78 sharp, 0.33 to 0.44 blurred by 1.2 px, 0.22 to 0.34
// by 2 px, and 0.27 to 0.47 shaken (ImageMagick's -motion-blur 0x3, across
// or upright); the webcam frames of photos2 0.22 to 0.5 as they are.
const (
	sharpEdge = 0.55
	blurSharp = 0.4
	blurLower = 0.1
)

// Paper that is white and flat (its typical brightness clippedPaper or
// more, and the blank blocks' darkest pixel their brightest: noise under
// flatNoise) has been clipped: a camera overexposed it, or a scanning app
// whitened it. A camera's paper has grain (the development photos measure
// 0.012 to 0.16), and the scene generator's paper is 246 at the brightest.
// Clipping takes the faint part of every stroke to white and squeezes the
// rest: overexposed by half (ImageMagick's -level 0%,65%), the development
// photos' strokes kept their darkest pixels at 0.53 to 0.8 under the paper
// but their thin parts at 0.1 to 0.2, under faintLow of that, and their
// digits fell apart into 1s and 7s. On clipped paper no grain passes for
// ink, so InkLow drops to clippedLow when the writing is washed out too
// (its typical stroke under washedInk): a drawing in black on white, or
// MNIST's digits pasted on a white page, keep the thresholds of dark ink,
// under which their soft edges stay out of their strokes.
const (
	clippedPaper = 254
	washedInk    = 0.9
	flatNoise    = 1.0 / 255
	clippedLow   = 0.08
	clippedSlack = 8 // grey levels: a JPEG's ringing, the last of the shading
)

// inkBins is the number of steps of adaptInk's darkness histogram.
const inkBins = 1024

// closeR is the radius, in blocks, of the closing that fills strokes: it
// bridges strokes up to about 2·closeR blocks wide.
const closeR = 1

// filterGrid sets dst to the maximum (or minimum) of src over the
// (2r+1)-square around each cell of a bw x bh grid, clipped at the edges.
// Separable: rows into dst, one shift at a time, then columns, one row at
// a time, through a copy in src (src is overwritten).
func filterGrid(dst, src []float32, bw, bh, r int, isMax bool) {
	copy(dst, src[:bw*bh])
	for j := 0; j < bh; j++ {
		row := src[j*bw : j*bw+bw]
		out := dst[j*bw : j*bw+bw]
		for d := 1; d <= min(r, bw-1); d++ {
			pickInto(out[d:], row[:bw-d], isMax) // out[i] vs row[i-d]
			pickInto(out[:bw-d], row[d:], isMax) // out[i] vs row[i+d]
		}
	}
	copy(src, dst[:bw*bh])
	for j := 0; j < bh; j++ {
		for k := max(j-r, 0); k <= min(j+r, bh-1); k++ {
			if k != j {
				pickInto(dst[j*bw:j*bw+bw], src[k*bw:k*bw+bw], isMax)
			}
		}
	}
}

// pickInto sets dst[i] to max(dst[i], src[i]), or the minimum. The grid
// holds grey levels, never NaN nor -0, so the vector maximum and minimum
// (vek32: VMAXPS, VMINPS) give what Go's max and min give.
func pickInto(dst, src []float32, isMax bool) {
	dst = dst[:len(src)]
	if isMax {
		vek32.Maximum_Inplace(dst, src)
		return
	}
	vek32.Minimum_Inplace(dst, src)
}

// adaptInk lowers the ink thresholds for faint writing (pencil, a blurred
// or dim picture): from the darkest pixel of each block against the paper
// there, the typical darkness of blocks with ink in them, and the noise of
// blank ones. Dark ink keeps the defaults; thresholds set in Options are
// kept as they are.
func (e *Extractor) adaptInk(frame *image.Gray) {
	e.paper.minCon = minContrast
	e.paper.sharp = 1
	e.paper.typ, e.paper.typPaper, e.paper.linesFloor = 0, 0, 0
	defer e.fadeInk()
	if !e.small() {
		// The noise in grey levels: how far the darkest pixel of a block
		// of blank paper lies below its brightest, at the 30th percentile
		// of the blocks (most blocks are blank paper; a webcam's noise in
		// a dark corner is worth 20 levels and more). Not in a tight crop,
		// where most blocks hold ink.
		var rh [256]int32
		nr := int32(0)
		for i, p := range e.paper.bg {
			if p >= 24 {
				rh[int(min(max(p-e.paper.blkMin[i], 0), 255))]++
				nr++
			}
		}
		k := int32(0)
		for v, c := range rh {
			if k += c; 10*k > 3*nr {
				e.paper.minCon = min(max(minContrast, v), maxContrast)
				break
			}
		}
	}
	if e.opts.InkLow > 0 && e.opts.InkHigh > 0 {
		return
	}
	// The writing's paper, and a ceiling above it only where a brighter,
	// blank surround was taken for the paper (writingPaper).
	paper, ceil := e.writingPaper(e.brightPaper())
	e.markInkPaper(max(inkPaper*paper, 24), ceil)
	e.paper.typPaper = e.typicalPaper()
	typ, noise, from, ok := e.typicalInk(0)
	if !ok {
		return
	}
	e.paper.sharp = e.inkSharpness(frame, from)
	e.paper.inkLow, e.paper.inkHigh = e.thresholdsFor(typ, noise, from)
	e.paper.typ, e.paper.noise, e.paper.inkFrom = typ, noise, from
}

// Raised thresholds (SetInkRaised): InkLow and InkHigh at least these
// shares of the typical stroke's darkness. Writing on the back of thin
// paper showing through, blurred and mirrored, is about half as dark as
// the front's at its darkest (a marker's on 80 g/m² paper), and fades
// from there: under raisedLow it stays paper, while the front's strokes
// keep their width down to their edges' anti-aliasing.
const (
	raisedLow  = 0.45
	raisedHigh = 0.6
)

// SetInkRaised makes the ink thresholds of the next frames (until it is
// turned off) at least raisedLow and raisedHigh of the frame's typical
// stroke: only the ink about as dark as the writing's own counts. For a
// second reading of a photo whose writing is joined to fainter marks that
// the default thresholds take for ink (the other side's writing showing
// through, a blot spread around a stroke); thresholds set in Options are
// kept.
func (e *Extractor) SetInkRaised(on bool) { e.paper.raised = on }

// thresholdsFor returns InkLow and InkHigh for writing whose typical
// stroke is typ (0: none seen, the defaults), measured on the blocks at
// least from dark, over paper whose noise is noise, with the strokes'
// sharpness measured (e.paper.sharp); thresholds set in Options are kept.
func (e *Extractor) thresholdsFor(typ, noise, from float32) (low, high float32) {
	low, high = defaultInkLow, defaultInkHigh
	if typ > 0 {
		low, high = inkThresholds(typ, noise, e.paper.sharp)
		if noise < flatNoise && e.paper.typPaper >= clippedPaper && typ < washedInk && e.writingOnClipped(from, typ) {
			low = min(low, clippedLow)
		}
		if e.paper.raised {
			low, high = max(low, raisedLow*typ), max(high, raisedHigh*typ)
		}
	}
	if e.opts.InkLow > 0 {
		low = e.opts.InkLow
	}
	if e.opts.InkHigh > 0 {
		return low, e.opts.InkHigh
	}
	return low, max(high, low+0.05)
}

// remeasureInk measures the writing's ink again where a printed grid set
// the typical stroke, and sets the thresholds anew where that changes
// them; it reports whether it did. Where squared paper has a few digits on
// it, its lines fill most of the inked blocks, and the typical stroke
// that adaptInk measured was theirs (a grid 0.19 to 0.27 darker than the
// paper): thresholds that low make the whole grid ink, one net over the
// sheet (markNets) that holds the digits touching it, and pieces of it read as
// 1s. The net's darkness is then known, and the writing is the ink
// paleLines times darker or more. A printed mark darker than the writing
// (a bar above pencil answers) is no net, and changes nothing.
func (e *Extractor) remeasureInk(frame *image.Gray) bool {
	if e.opts.InkLow > 0 && e.opts.InkHigh > 0 || e.paper.typ <= 0 || !e.markNets() {
		return false
	}
	lines := e.lineDarkness()
	if lines <= 0 || lines > paleNet || e.paper.typ >= 2*lines {
		return false
	}

	sharp := e.paper.sharp
	typ, noise, from, ok := e.typicalInk(paleLines * lines)
	if ok {
		e.paper.sharp = e.inkSharpness(frame, from)
	} else {
		// Nothing darker than the lines: a blank sheet of squared paper.
		// What the default thresholds leave of the grid is as faint as
		// its lines: the ink of its pieces is 1.2 to 1.6 times as dark
		// as the lines' blocks, a pen's digits 2.5 times and more.
		typ, noise, from = 0, e.paper.noise, 0
		e.paper.linesFloor = linesContrast * lines
	}
	low, high := e.thresholdsFor(typ, noise, from)
	if abs32(low-e.paper.inkLow) < thresholdMoves && abs32(high-e.paper.inkHigh) < thresholdMoves {
		e.paper.sharp = sharp
		return false
	}
	e.paper.inkLow, e.paper.inkHigh = low, high
	e.paper.typ, e.paper.noise, e.paper.inkFrom = typ, noise, from
	e.fadeInk()
	e.thresholdRamps()
	e.findSteps(frame)
	return true
}

// A net is a component of ink that spans at least a quarter of the frame
// both ways with at most netFill of its box inked, and that half of its
// rows of pixels or more cross netCrossings times or more: a grid's lines,
// which a digit, however large, is not, nor the rim of a photo laid on a
// table (each row crosses it twice). Where there is a net, the other
// pieces of the grid are the components an eighth of the frame long or
// more, one way, with at most lineFill of their box inked.
const (
	netFill      = 0.2
	netCrossings = 4
	lineFill     = 0.1
)

// markNets sets e.paper.lineB on the blocks that hold the pixels of nets,
// and of the pieces of lines beside them, and reports whether there are
// any nets.
func (e *Extractor) markNets() bool {
	clear(e.paper.lineB)
	if !e.anyNet() {
		return false
	}
	blk, bw := int32(e.paper.blk), int32(e.paper.bgw)
	for r := range e.lab.runs {
		ru := &e.lab.runs[r]
		c := &e.lab.comps[e.lab.compOf[r]]
		if 8*c.w() < int32(e.w) && 8*c.h() < int32(e.h) || float32(c.area) > lineFill*float32(c.w())*float32(c.h()) {
			continue
		}
		row := e.paper.lineB[ru.y/blk*bw:]
		for x := ru.x0 / blk; x <= (ru.x1-1)/blk; x++ {
			row[x] = true
		}
	}
	return true
}

// anyNet reports whether a component of the frame is a net.
func (e *Extractor) anyNet() bool {
	for ci := range e.lab.comps {
		c := &e.lab.comps[ci]
		if 4*c.w() < int32(e.w) || 4*c.h() < int32(e.h) || float32(c.area) > netFill*float32(c.w())*float32(c.h()) {
			continue
		}
		// Half the rows of a grid or more cross its upright lines; the
		// rim of a photo laid on a table crosses each row twice, and its
		// texture and writing a few rows more.
		crossing := int32(0) // rows that cross it netCrossings times or more
		for y := c.y0; y < c.y1; y++ {
			n := 0
			for r := e.lab.rowStart[y]; r < e.lab.rowStart[y+1]; r++ {
				if e.lab.compOf[r] == int32(ci) {
					n++
				}
			}
			if n >= netCrossings {
				crossing++
			}
		}
		if 2*crossing >= c.h() {
			return true
		}
	}
	return false
}

// linesContrast is the least contrast (Digit.Contrast) of a digit on a
// grid with no writing darker than its lines, as a multiple of the lines'
// darkness.
const linesContrast = 2

// paleNet is the darkest a grid's lines are for remeasureInk: printed
// grids and ruled lines measure 0.19 to 0.36, and a net of darker ink is
// writing that something joined (the edge of a hard shadow across it).
const paleNet = 0.45

// paleLines is how many times darker than the printed lines the writing
// is at the least, for remeasureInk: a grid's blocks spread from 0.19 to
// 0.27 darker than the paper.
const paleLines = 1.5

// lineDarkness returns the median darkness of the inked blocks on printed
// lines (e.paper.lineB), or 0 when they are not most of the frame's ink
// blocks.
func (e *Extractor) lineDarkness() float32 {
	var hist [inkBins + 1]int32
	nLine, nInk := int32(0), int32(0)
	for i, p := range e.paper.bg[:e.paper.bgw*e.paper.bgh] {
		d := 1 - e.paper.blkMin[i]/p
		if !e.paper.onSheet[i] || d < e.paper.inkFrom {
			continue
		}
		nInk++
		if e.paper.lineB[i] {
			hist[int(max(d, 0)*inkBins)]++
			nLine++
		}
	}
	if 2*nLine < nInk {
		return 0
	}
	for b, c := range hist {
		if nLine -= 2 * c; nLine < 0 {
			return float32(b) / inkBins
		}
	}
	return 1
}

// thresholdMoves is how far a threshold must move for remeasureInk to
// label the frame with the new ones.
const thresholdMoves = 0.02

// typicalInk measures the writing on the sheet's paper (e.paper.onSheet),
// printed lines left out (e.paper.lineB): the typical stroke's darkness
// against the paper, the noise of blank paper, and the darkness from
// which a block counts as ink (floor at the least). It reports false when there are too few
// blocks, or too few inked ones, to tell.
func (e *Extractor) typicalInk(floor float32) (typ, noise, from float32, ok bool) {
	// A histogram of the blocks' darkness (1/inkBins steps) stands in for
	// sorting them: the noise is its median, the ink its upper part. Only
	// the sheet's paper counts (inkPaper): a dark, textured table around
	// a sheet held before a webcam, and the sheet's edge against it, are
	// neither the paper's noise nor its ink, and kept the thresholds of
	// dark ink where the writing was faint.
	var hist [inkBins + 1]int32
	n := int32(0)
	for i, p := range e.paper.bg[:e.paper.bgw*e.paper.bgh] {
		if e.paper.onSheet[i] && !e.paper.lineB[i] {
			d := 1 - e.paper.blkMin[i]/p
			hist[int(max(d, 0)*inkBins)]++
			n++
		}
	}
	if n < 16 {
		return 0, 0, 0, false
	}
	// rank returns the darkness of the value of rank r (from 0, in
	// increasing order) among the bins from b0 on.
	rank := func(b0 int, r int32) float32 {
		for b := b0; b < len(hist); b++ {
			if r -= hist[b]; r < 0 {
				return float32(b) / inkBins
			}
		}
		return 1
	}
	noise = rank(0, n/2)
	b0 := min(max(int((noise+0.12)*inkBins)+1, int(floor*inkBins)), inkBins+1)
	nInk := int32(0)
	for _, c := range hist[b0:] {
		nInk += c
	}
	if nInk < 8 {
		return 0, noise, 0, false
	}
	// The darker blocks: stroke cores, not fainter ruled lines or
	// shadow edges.
	return rank(b0, nInk*4/5), noise, float32(b0) / inkBins, true
}

// Glare, in a photo (SetPhoto). A lamp's spot brightens the paper and
// washes the ink toward it: under it a stroke keeps a third of its
// darkness, and the frame's thresholds, set by the writing elsewhere,
// lose it. A tile of fadeTile x fadeTile blocks whose paper, with the
// tiles around it, is brighter than the sheet's typical paper by
// glarePaper and whose writing (the darker fifth of its ink blocks, in
// fadeBins steps) is fainter than the frame's has the thresholds of its
// own writing, and dropFaint asks its digits for as much less contrast.
// Only where the paper is brighter: thresholds that followed any fainter
// writing read ruled lines as ink (the ruled condition fell from 98.45%
// to 94.68%).
const (
	fadeTile   = 4
	glarePaper = 0.06
	fadeBins   = 64
)

// fadeInk sets the ink thresholds block by block (lowB, highB) and how
// faint the writing around each block is against the frame's (fadeB):
// the frame's everywhere, and in a photo the glare's where it finds one.
func (e *Extractor) fadeInk() {
	bw, bh := e.paper.bgw, e.paper.bgh
	lowB, highB, fadeB := e.paper.lowB[:bw*bh], e.paper.highB[:bw*bh], e.paper.fadeB[:bw*bh]
	for i := range lowB {
		lowB[i], highB[i], fadeB[i] = e.paper.inkLow, e.paper.inkHigh, 1
	}
	if !e.photo || e.paper.typ <= 0 || e.paper.typPaper <= 0 || e.opts.InkLow > 0 || e.opts.InkHigh > 0 {
		return
	}
	const T = fadeTile
	tw, th := (bw+T-1)/T, (bh+T-1)/T
	from := e.paper.inkFrom
	step := (1 - from) / fadeBins
	for tj := range th {
		for ti := range tw {
			j0, j1 := max(tj*T-T, 0), min(tj*T+2*T, bh)
			i0, i1 := max(ti*T-T, 0), min(ti*T+2*T, bw)
			var paper float32
			np := 0
			for j := j0; j < j1; j++ {
				for i := i0; i < i1; i++ {
					if k := j*bw + i; e.paper.onSheet[k] {
						paper += e.paper.bg[k]
						np++
					}
				}
			}
			if np == 0 || paper < float32(np)*e.paper.typPaper*(1+glarePaper) {
				continue
			}
			var hist [fadeBins]int32
			n := int32(0)
			for j := j0; j < j1; j++ {
				for i := i0; i < i1; i++ {
					k := j*bw + i
					if d := 1 - e.paper.blkMin[k]/e.paper.bg[k]; e.paper.onSheet[k] && d >= from {
						hist[min(int((d-from)/step), fadeBins-1)]++
						n++
					}
				}
			}
			if n < 6 {
				continue
			}
			r, b := n*4/5, 0
			for ; b < fadeBins-1; b++ {
				if r -= hist[b]; r < 0 {
					break
				}
			}
			typ := from + (float32(b)+0.5)*step
			if typ >= e.paper.typ {
				continue
			}
			low, high := inkThresholds(typ, e.paper.noise, e.paper.sharp)
			high = max(high, low+0.05)
			for j := tj * T; j < min(tj*T+T, bh); j++ {
				for i := ti * T; i < min(ti*T+T, bw); i++ {
					k := j*bw + i
					lowB[k] = min(e.paper.inkLow, low)
					highB[k] = min(e.paper.inkHigh, high)
					fadeB[k] = typ / e.paper.typ
				}
			}
		}
	}
}

// typicalPaper returns the median brightness of the sheet's paper
// (markInkPaper's blocks), or 0 when there is none.
func (e *Extractor) typicalPaper() float32 {
	var hist [256]int32
	n := int32(0)
	for i, p := range e.paper.bg[:e.paper.bgw*e.paper.bgh] {
		if e.paper.onSheet[i] {
			hist[min(max(int(p), 0), 255)]++
			n++
		}
	}
	return medianLevel(&hist, n)
}

// writingOnClipped reports whether the writing lies on the clipped paper
// itself: whether most of the blocks that hold its strokes (at least from
// dark against their paper, and half as dark as the typical stroke typ)
// have only paper within clippedSlack of clippedPaper around them, their
// own and their eight neighbours'. A grey note, or a crop of a photo,
// lying on a white page is writing on paper darker than the blank white
// around it, which passes for clipped paper: its own paper has grain, and
// its edge against the white, 0.1 darker, would be ink under clippedLow.
func (e *Extractor) writingOnClipped(from, typ float32) bool {
	bw, bh := e.paper.bgw, e.paper.bgh
	bg := e.paper.bg[:bw*bh]
	floor := float32(clippedPaper - clippedSlack)
	n, clipped := int32(0), int32(0)
	for j := 0; j < bh; j++ {
		for i := 0; i < bw; i++ {
			k := j*bw + i
			if !e.paper.onSheet[k] || e.paper.lineB[k] || 1-e.paper.blkMin[k]/bg[k] < max(from, typ/2) {
				continue
			}
			n++
			around := float32(255)
			for y := max(j-1, 0); y <= min(j+1, bh-1); y++ {
				for x := max(i-1, 0); x <= min(i+1, bw-1); x++ {
					around = min(around, bg[y*bw+x])
				}
			}
			clipped += b2i(around >= floor)
		}
	}
	return 2*clipped > n
}

// fadeAt returns how faint the writing is around the block of plane
// point (x, y) against the frame's (1: no fainter).
func (e *Extractor) fadeAt(x, y int) float32 {
	i, j := min(max(x/e.paper.blk, 0), e.paper.bgw-1), min(max(y/e.paper.blk, 0), e.paper.bgh-1)
	return e.paper.fadeB[j*e.paper.bgw+i]
}

// inkPaper is the share of the brightest paper (brightPaper) a block and
// its eight neighbours must reach (markInkPaper) for adaptInk to measure
// the writing's ink there: the paper of a sheet, and its shadows up to
// 0.6, not the table beside it.
const inkPaper = 0.6

// markInkPaper sets e.paper.onSheet: the blocks that, with their eight
// neighbours, are at least floor bright and at most ceil, and on the
// sheet's side of its straight edges (findEdges). Most frames are all
// paper, and then every block is.
//
// A table about as bright as a shadow on the paper (grey at 0.75 of it)
// passes the floor; beyond the sheet's edges it is left out, or where it
// fills most of the frame (a note on a desk seen from above) its blocks
// were the typical paper, its flat grey the paper's noise, and the
// thresholds were the table's.
func (e *Extractor) markInkPaper(floor, ceil float32) {
	bw, bh := e.paper.bgw, e.paper.bgh
	bg := e.paper.bg[:bw*bh]
	e.paper.onSheet = grow(e.paper.onSheet, len(bg))
	on, off := e.paper.onSheet, e.edges.off[:len(bg)]
	all := true
	for i, p := range bg {
		on[i] = p >= floor && p <= ceil && !off[i]
		all = all && on[i]
	}
	if all {
		return
	}
	// A 3x3 erosion of on: rows into tmp, then columns back.
	e.paper.tmpOn = grow(e.paper.tmpOn, len(bg))
	tmp := e.paper.tmpOn
	for y := 0; y < bh; y++ {
		row, out := on[y*bw:y*bw+bw], tmp[y*bw:y*bw+bw]
		for x := range row {
			out[x] = row[x] && (x == 0 || row[x-1]) && (x == bw-1 || row[x+1])
		}
	}
	for y := 0; y < bh; y++ {
		for x := 0; x < bw; x++ {
			i := y*bw + x
			on[i] = tmp[i] && (y == 0 || tmp[i-bw]) && (y == bh-1 || tmp[i+bw])
		}
	}
}

// inkThresholds returns InkLow and InkHigh for a frame whose typical
// stroke is typ darker than the paper, whose blank paper's noise is
// noise, and whose strokes have the sharpness sharp (inkSharpness), before
// InkHigh is kept above InkLow.
func inkThresholds(typ, noise, sharp float32) (low, high float32) {
	// A blurred frame spreads a thin stroke's ink: its thin parts fall
	// below the thresholds that its cores set, and the digit breaks apart
	// or is lost. The thresholds drop with the strokes' sharpness, from
	// none at sharpEdge to blurLower of typ at blurSharp.
	blur := min(max((sharpEdge-sharp)/(sharpEdge-blurSharp), 0), 1)
	low = min(defaultInkLow, max((faintLow-blurLower*blur)*typ, noise+0.06, 0.08))
	// Half the typical darkness seeds a stroke: blur (focus, a
	// downscaled photo) takes more contrast from a thin stroke than from a
	// thick one, and at three quarters a blurred 1 beside a 4 had no seed
	// left and vanished (dev photos blurred by 1.2 px: 347 -> 351 of 365
	// digits; by 2 px: 288 -> 306; sharp: unchanged).
	high = min(defaultInkHigh, (0.5-blurLower*blur)*typ)
	return low, high
}

// inkSharpness returns how sharp the frame's strokes are: over the blocks
// of the sheet's paper (markInkPaper) darker than dark (1 -
// darkest/paper), the median of the largest step between two pixels
// side by side in the block, as a share of the block's contrast (paper -
// darkest), and the same of two pixels one above the other; the smaller
// of the two. A sharp stroke's edge falls in a pixel or two (about 0.6
// to 0.8); blur spreads it (a Gaussian of 2 px: about 0.3). A camera that
// moved while it took the picture blurs along its motion alone: the
// edges across it stay sharp, and the sharpest step of a block, taken
// either way, measured the development photos shaken by ImageMagick's
// -motion-blur 0x3 at 0.5 to 0.6, sharp enough to keep the thresholds of
// a still photo, under which their smeared strokes fell apart.
func (e *Extractor) inkSharpness(frame *image.Gray, dark float32) float32 {
	inked := func(i int) bool {
		p := e.paper.bg[i]
		return e.paper.onSheet[i] && 1-e.paper.blkMin[i]/p >= dark
	}
	// About sharpPixels pixels of inked blocks, spread over the frame, are
	// measured: a median needs no more, and a page of writing has
	// thousands of blocks.
	every := 0
	for i := range e.paper.bg {
		if inked(i) {
			every++
		}
	}
	every = every*e.paper.blk*e.paper.blk/sharpPixels + 1
	e.paper.colLo = grow(e.paper.colLo, e.paper.blk)
	e.paper.colHi = grow(e.paper.colHi, e.paper.blk)
	var across, upright stepHistogram
	seen := 0
	blk, bw := e.paper.blk, e.paper.bgw
	pix, stride := frame.Pix, frame.Stride
	for i, p := range e.paper.bg {
		if !inked(i) {
			continue
		}
		if seen++; seen%every != 0 {
			continue
		}
		contrast := p - e.paper.blkMin[i]
		x0, y0 := (i%bw)*blk, (i/bw)*blk
		x1, y1 := min(x0+blk, e.w), min(y0+blk, e.h)
		// The largest step and the largest range (brightest less darkest)
		// along the rows of the block, and along its columns, in one pass
		// over its rows: each column's range is kept as the rows go by.
		stepX, stepY, rangeX, rangeY := 0, 0, 0, 0
		colLo, colHi := e.paper.colLo[:x1-x0], e.paper.colHi[:x1-x0]
		copy(colLo, pix[y0*stride+x0:y0*stride+x1])
		copy(colHi, colLo)
		for y := y0; y < y1; y++ {
			row := pix[y*stride+x0 : y*stride+x1]
			lo, hi := row[0], row[0]
			for x := 1; x < len(row); x++ {
				stepX = max(stepX, absDiff(row[x], row[x-1]))
				lo, hi = min(lo, row[x]), max(hi, row[x])
			}
			rangeX = max(rangeX, int(hi-lo))
			if y > y0 {
				above := pix[(y-1)*stride+x0 : (y-1)*stride+x1]
				for x, v := range row {
					stepY = max(stepY, absDiff(v, above[x]))
					colLo[x], colHi[x] = min(colLo[x], v), max(colHi[x], v)
				}
			}
		}
		for x, lo := range colLo {
			rangeY = max(rangeY, int(colHi[x]-lo))
		}
		// A direction counts only where the block's ink crosses it: inside
		// an upright stroke (a 1, a margin) the columns are flat, and their
		// steps say nothing of blur.
		if 2*float32(rangeX) >= contrast {
			across.add(stepX, contrast)
		}
		if 2*float32(rangeY) >= contrast {
			upright.add(stepY, contrast)
		}
	}
	return min(across.median(), upright.median())
}

// stepHistogram counts steps between pixels as shares of their block's
// contrast, in 64ths.
type stepHistogram struct {
	bins [65]int32
	n    int32
}

func (h *stepHistogram) add(step int, contrast float32) {
	h.bins[min(int(64*float32(step)/max(contrast, 1)), 64)]++
	h.n++
}

// median returns the median share of the steps counted, 1 when none
// were: no step says the frame is blurred.
func (h *stepHistogram) median() float32 {
	n := h.n
	if n == 0 {
		return 1
	}
	for b, c := range h.bins {
		if n -= 2 * c; n <= 0 {
			return float32(b) / 64
		}
	}
	return 1
}

// sharpPixels bounds the pixels inkSharpness reads.
const sharpPixels = 8192

func absDiff(a, b uint8) int { return max(int(a)-int(b), int(b)-int(a)) }

// maxBlockDiv bounds the paper grid's blocks, which grow with the strokes,
// to this fraction of the frame's shorter side: coarser blocks would miss
// the lighting's changes. A tight crop of one digit drawn with a marker has
// strokes a fifth of its width wide, so the bound must allow that.
const maxBlockDiv = 6

// paperStage is the paper's brightness on a grid of blocks and the ink
// thresholds drawn from it.
type paperStage struct {
	blk, blk0       int // the block side, and its default for the frame size
	lastW, lastH    int // the previous frame's size
	lastBlk         int // and the block size it settled on
	inkLow, inkHigh float32
	// lowB and highB are the thresholds block by block, and fadeB how
	// faint the writing around each block is against the frame's
	// (fadeInk).
	lowB, highB, fadeB []float32
	// The frame's typical stroke, the noise and the darkness from which a
	// block counts as ink (adaptInk), and the sheet's typical paper
	// brightness (typicalPaper); 0 when unknown.
	typ, noise, inkFrom, typPaper float32
	linesFloor                    float32 // the least contrast of a digit where a grid set the typical stroke (remeasureInk); else 0
	sharp                         float32 // inkSharpness of the frame
	colLo, colHi                  []uint8 // inkSharpness's scratch: a block's columns' range
	minCon                        int     // the smallest darkening that is ink, in grey levels
	raised                        bool    // SetInkRaised
	bgw, bgh                      int
	bg, bgTmp                     []float32 // (bgh, bgw) paper brightness per block
	blkMin                        []float32 // (bgh, bgw) darkest pixel per block
	colMax, colMin                []uint8   // (w) per column of a block row
	hbg                           []float32 // (bgh, w) rows of bg interpolated across
	hLo, hHi                      []uint16  // (bgh, w) their thresholds, 8.8 fixed point
	thrL, thrH                    []float32 // (bgw) the thresholds of a row of blocks, 8.8
	thrLo                         []uint8   // (w) per-column ink thresholds of the current row
	hiA, hiB                      []uint16  // the rows of hHi around it
	hiWy                          uint32    // and the weight of hiB, /256
	onSheet, tmpOn                []bool    // (bgh, bgw) where adaptInk measures the ink (markInkPaper), and scratch
	lineB                         []bool    // (bgh, bgw) blocks on printed lines, which adaptInk passes over (remeasureInk)
}

// resizeGrid sets the block size of the paper estimate and sizes its
// buffers.
func (e *Extractor) resizeGrid(blk int) {
	e.paper.blk = blk
	e.paper.bgw = (e.w + blk - 1) / blk
	e.paper.bgh = (e.h + blk - 1) / blk
	e.paper.bg = grow(e.paper.bg, e.paper.bgw*e.paper.bgh)
	e.paper.bgTmp = grow(e.paper.bgTmp, e.paper.bgw*e.paper.bgh)
	e.paper.blkMin = grow(e.paper.blkMin, e.paper.bgw*e.paper.bgh)
	e.paper.lowB = grow(e.paper.lowB, e.paper.bgw*e.paper.bgh)
	e.paper.highB = grow(e.paper.highB, e.paper.bgw*e.paper.bgh)
	e.paper.fadeB = grow(e.paper.fadeB, e.paper.bgw*e.paper.bgh)
	e.paper.lineB = grow(e.paper.lineB, e.paper.bgw*e.paper.bgh)
	e.paper.hbg = grow(e.paper.hbg, e.paper.bgh*e.w)
	e.paper.hLo = grow(e.paper.hLo, e.paper.bgh*e.w)
	e.paper.hHi = grow(e.paper.hHi, e.paper.bgh*e.w)
}

// strokeWidth returns the median length of the ink runs of the strong
// components (about the width of the pen's stroke), from a histogram of
// the lengths (capped at 255). Runs of one pixel are left out: a thick
// marker on a paper grid too fine for it is hollowed into ragged edges,
// and their one-pixel fragments, a fifth of the runs in a tight crop of a
// photos2 4 (strokes 22 px wide), held the median at 4 to 5 px and the
// grid at 4 px, where the 4 read as two 1s; without them it is 9 and the
// grid coarsens. A pen's stroke is two pixels wide or more. That is for a
// photo: a camera's frames start from the grid the last frame settled on,
// and without their one-pixel runs a recording's moving frames coarsened
// the grid sooner (frames read right 72.0% → 69.7%, the settled readings
// the same).
func (e *Extractor) strokeWidth() float32 {
	var hist [256]int32
	n := int32(0)
	for i := range e.lab.runs {
		r := &e.lab.runs[i]
		if l := r.x1 - r.x0; (l > 1 || !e.photo) && e.lab.comps[e.lab.compOf[i]].strong {
			hist[min(l, 255)]++
			n++
		}
	}
	half := (n + 1) / 2
	for l, c := range hist {
		if half -= c; half <= 0 {
			return float32(l)
		}
	}
	return 0
}

// A sheet before something brighter. The writing's ink is measured on
// paper at least inkPaper as bright as the brightest (brightPaper), so
// that a dark table is left out; but a sheet may be the darker thing in
// the frame: a grey or dim sheet before a white wall or desk, a note on a
// scanner's lid, a photo given a white margin. Then the brightest is a
// blank surround, the sheet falls under the floor, and the ink is
// measured on the surround's flat white, which passes for clipped paper
// (clippedLow): the development photos' dim webcam sheet given a white
// border of a tenth read 2 of its 9 digits, its grey paper's grain
// thresholded into 156,096 components. writingPaper tells such a frame:
// the blocks at least inkPaper as bright as the brightest hold no mark
// (fewer than one in blankShare a block of darkness markDark, its
// neighbours' paper within evenPaper of its own: not the edge between the
// sheet and the surround), while the paper of the marked blocks (their
// brightPaper) lies under the floor. The ink is then measured on paper
// from inkPaper of that to 1/inkPaper of it, the surround left out.
const (
	markDark   = 0.15
	evenPaper  = 0.85
	blankShare = 50
)

// writingPaper returns the brightness of the paper the writing is on, and
// the brightest paper the ink is measured on: the brightest paper, bright,
// and no ceiling, unless that holds no mark while darker paper does (see
// markDark): paper under inkPaper of it (a dim sheet before a white wall),
// or under evenPaper of it (a grey note on a white desk).
func (e *Extractor) writingPaper(bright float32) (paper, ceil float32) {
	bw, bh := e.paper.bgw, e.paper.bgh
	bg, blkMin := e.paper.bg[:bw*bh], e.paper.blkMin[:bw*bh]
	floor, top := inkPaper*bright, evenPaper*bright
	var hist [256]int32
	lit, litMarked, marked := 0, 0, int32(0)
	atTop, topMarked := 0, 0 // blocks at least top bright, and those marked
	for y := range bh {
		for x := range bw {
			i := y*bw + x
			v := bg[i]
			if v >= floor {
				lit++
			}
			if v >= top {
				atTop++
			}
			// A mark, darker than its paper by markDark, on paper as
			// bright as its neighbours' (not the sheet's edge).
			if v < 24 || blkMin[i] > (1-markDark)*v {
				continue
			}
			lo, hi := evenPaper*v, v/evenPaper
			if x > 0 && (bg[i-1] < lo || bg[i-1] > hi) || x+1 < bw && (bg[i+1] < lo || bg[i+1] > hi) ||
				y > 0 && (bg[i-bw] < lo || bg[i-bw] > hi) || y+1 < bh && (bg[i+bw] < lo || bg[i+bw] > hi) {
				continue
			}
			if v >= floor {
				litMarked++
			}
			if v >= top {
				topMarked++
			}
			hist[min(int(v), 255)]++
			marked++
		}
	}
	if marked < 8 {
		return bright, 256
	}
	w := float32(topLevel(&hist, marked))
	switch {
	case w < floor && litMarked < max(4, lit/blankShare):
		return w, w / inkPaper
	case 2*topMarked < int(marked) && topMarked < max(4, atTop/blankShare) && medianLevel(&hist, marked) >= floor:
		// Most marks lie under top, on the writing's paper, and that
		// paper is above the floor: not the inside of a marker's
		// stroke wider than the closing, which is ink. Those above top
		// are the corners of a turned note's edge.
		return min(w, top), top
	}
	return bright, 256
}
