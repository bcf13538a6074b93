package extract

import (
	"encoding/binary"
	"image"
	"image/color"
	"slices"
)

// The ink plane. The stages after this one look for ink as what is darker
// than the paper in one grey plane. A grey frame is that plane as it is.
// A colour frame's luma alone would lose coloured ink: an orange stroke is
// nearly as bright as white paper (luma 173 of 255), red and green strokes
// lose half their contrast. So the plane is the luma darkened by how far
// each pixel's colour (its chroma, Cb and Cr) lies from the paper's: any
// ink that is dark or saturated, whatever its hue, stands out from paper of
// any colour, white, yellow, grey or pink, and black ink on coloured paper
// stands out more. Paper differs from its own colour only by noise, which
// a dead zone absorbs.

// Chroma to darkness: a pixel is darkened by chromaGain grey levels per
// level of chroma distance (|ΔCb| + |ΔCr| from the paper) beyond
// chromaDead. Saturated orange ink is about 150 away from white paper,
// blue ballpoint 50; a webcam's chroma noise on paper stays within the
// dead zone.
const (
	chromaGain = 1
	chromaDead = 8
)

// inkStage holds the plane and what makes it.
type inkStage struct {
	plane  image.Gray  // the plane: the frame's Y plane, or own
	own    []uint8     // the pixels of a plane made here, never a frame's
	ycc    image.YCbCr // frames of other types converted
	pen    []uint8     // one row of darkening, per luma column
	penC   []uint8     // darkening per chroma sample
	rowAny []bool      // per chroma row: some sample darkens
	fmax   []uint8     // per chroma sample: brightest luma under it
	fmin   []uint8     // and darkest
	pcb    []uint8     // the paper's chroma per block of samples (paperChroma)
	pcr    []uint8
	gcb    []uint8 // the blocks' own estimates, before the median
	gcr    []uint8
}

// inkPlane returns the plane of img in which the stages look for ink: an
// *image.Gray as it is, an *image.YCbCr's luma darkened by colour (its Y
// plane itself when it has no colour), anything else converted first.
func (e *Extractor) inkPlane(img image.Image) *image.Gray {
	switch m := img.(type) {
	case *image.Gray:
		return m
	case *image.YCbCr:
		return e.ink.fromYCbCr(m)
	}
	e.ink.convert(img)
	return e.ink.fromYCbCr(&e.ink.ycc)
}

// convert copies img into s.ycc as 4:2:0 YCbCr (BT.601, as cameras and
// JPEG code it), keeping the buffer from frame to frame.
func (s *inkStage) convert(img image.Image) {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	cw, ch := (w+1)/2, (h+1)/2
	y := &s.ycc
	y.Y = grow(y.Y, w*h)
	y.Cb = grow(y.Cb, cw*ch)
	y.Cr = grow(y.Cr, cw*ch)
	y.YStride, y.CStride = w, cw
	y.SubsampleRatio = image.YCbCrSubsampleRatio420
	y.Rect = image.Rect(0, 0, w, h)
	for py := 0; py < h; py++ {
		for px := 0; px < w; px++ {
			r, g, bl, _ := img.At(b.Min.X+px, b.Min.Y+py).RGBA()
			yy, cb, cr := color.RGBToYCbCr(uint8(r>>8), uint8(g>>8), uint8(bl>>8))
			y.Y[py*w+px] = yy
			if px&1 == 0 && py&1 == 0 {
				// The chroma of the top-left pixel of each 2x2 block
				// stands for the block.
				y.Cb[py/2*cw+px/2], y.Cr[py/2*cw+px/2] = cb, cr
			}
		}
	}
}

// fromYCbCr returns m's luma darkened by colour, or its Y plane when no
// pixel's colour is far enough from the paper's to darken it.
//
// Chroma is coarser than luma (a 4:2:0 camera frame has one sample per 2x2
// pixels, and JPEG blurs it further), so colour alone would draw a stroke
// wider and softer than it is. A chroma sample darkens its pixels fully only
// where their luma confirms a stroke: where its darkest pixel is darker than
// the brightest pixels around it by a sixteenth or more; less in
// proportion, so the colour that bleeds onto the paper beside a stroke is
// left out.
func (s *inkStage) fromYCbCr(m *image.YCbCr) *image.Gray {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	ys := image.Gray{Pix: m.Y[m.YOffset(m.Rect.Min.X, m.Rect.Min.Y):], Stride: m.YStride, Rect: image.Rect(0, 0, w, h)}
	if w == 0 || h == 0 || len(m.Cb) == 0 {
		return s.yPlane(ys)
	}
	sx, sy := chromaShift(m.SubsampleRatio)
	c0 := m.COffset(m.Rect.Min.X, m.Rect.Min.Y)
	cb, cr := m.Cb[c0:], m.Cr[c0:]
	cw, ch := (w+(1<<sx)-1)>>sx, (h+(1<<sy)-1)>>sy
	bs, gw := s.paperChroma(&ys, cb, cr, m.CStride, cw, ch, sx, sy)
	// The darkening of each chroma sample, and which chroma rows have any.
	s.penC = grow(s.penC, cw*ch)
	s.rowAny = grow(s.rowAny, ch)
	colour := false
	for cy := 0; cy < ch; cy++ {
		brow, rrow := cb[cy*m.CStride:cy*m.CStride+cw], cr[cy*m.CStride:cy*m.CStride+cw]
		prow := s.penC[cy*cw : cy*cw+cw]
		gb, gr := s.pcb[cy/bs*gw:], s.pcr[cy/bs*gw:]
		var any uint8
		for cx, b := range brow {
			g := cx / bs
			d := (abs(int(b)-int(gb[g]))+abs(int(rrow[cx])-int(gr[g])))*chromaGain - chromaDead
			p := uint8(min(max(d, 0), 255))
			prow[cx] = p
			any |= p
		}
		s.rowAny[cy] = any != 0
		colour = colour || any != 0
	}
	if !colour {
		return s.yPlane(ys)
	}
	s.footprints(&ys, cw, ch, sx, sy)
	// Into the stage's own buffer: after a frame without colour, plane
	// points into that frame, which the caller owns (a camera's ring
	// refills it while the next frame is read).
	s.own = grow(s.own, w*h)
	s.plane = image.Gray{Pix: s.own, Stride: w, Rect: image.Rect(0, 0, w, h)}
	s.pen = grow(s.pen, w)
	pen := s.pen[:w]
	for cy := 0; cy < ch; cy++ {
		y0, y1 := cy<<sy, min((cy+1)<<sy, h)
		if !s.rowAny[cy] {
			for y := y0; y < y1; y++ {
				copy(s.plane.Pix[y*w:y*w+w], ys.Pix[y*ys.Stride:y*ys.Stride+w])
			}
			continue
		}
		// The row of darkening, each chroma sample's spread over its
		// columns, scaled by how much the luma confirms a stroke.
		prow := s.penC[cy*cw : cy*cw+cw]
		for cx, p := range prow {
			if p != 0 {
				// The brightest pixel around the sample: the paper.
				var paper uint8
				for j := max(cy-1, 0); j <= min(cy+1, ch-1); j++ {
					for _, v := range s.fmax[j*cw+max(cx-1, 0) : j*cw+min(cx+2, cw)] {
						paper = max(paper, v)
					}
				}
				d := 16 * (int(paper) - int(s.fmin[cy*cw+cx]))
				if d < int(paper) {
					p = uint8(int(p) * max(d, 0) / max(int(paper), 1))
				}
			}
			x0 := cx << sx
			for k := x0; k < min(x0+1<<sx, w); k++ {
				pen[k] = p
			}
		}
		for y := y0; y < y1; y++ {
			subSat(s.plane.Pix[y*w:y*w+w], ys.Pix[y*ys.Stride:y*ys.Stride+w], pen)
		}
	}
	return &s.plane
}

// footprints fills s.fmax and s.fmin with the brightest and the darkest
// luma pixel under each chroma sample, for the chroma rows that darken
// and their neighbours.
func (s *inkStage) footprints(ys *image.Gray, cw, ch, sx, sy int) {
	w, h := ys.Rect.Dx(), ys.Rect.Dy()
	s.fmax = grow(s.fmax, cw*ch)
	s.fmin = grow(s.fmin, cw*ch)
	for cy := 0; cy < ch; cy++ {
		if !s.rowAny[cy] && !(cy > 0 && s.rowAny[cy-1]) && !(cy+1 < ch && s.rowAny[cy+1]) {
			continue
		}
		mx, mn := s.fmax[cy*cw:cy*cw+cw], s.fmin[cy*cw:cy*cw+cw]
		for cx := range mx {
			hi, lo := uint8(0), uint8(255)
			for y := cy << sy; y < min((cy+1)<<sy, h); y++ {
				row := ys.Pix[y*ys.Stride : y*ys.Stride+w]
				for _, v := range row[cx<<sx : min((cx+1)<<sx, w)] {
					hi, lo = max(hi, v), min(lo, v)
				}
			}
			mx[cx], mn[cx] = hi, lo
		}
	}
}

// yPlane returns the frame's Y plane as the plane.
func (s *inkStage) yPlane(ys image.Gray) *image.Gray {
	s.plane = ys
	return &s.plane
}

// paperChroma estimates the paper's colour on a grid of blocks of chroma
// samples (a sixteenth of the shorter side, at least 4): the mean chroma of
// the samples of a block whose luma is within paperNear of the block's
// brightest (paper is the bright part of a block, as for the paper's
// brightness), into s.pcb and s.pcr. A camera's white balance drifts across
// the frame (a blue cast in a vignetted corner), so the colour that tells
// ink from paper is the paper's beside it. It returns the block side and the
// grid's width.
func (s *inkStage) paperChroma(ys *image.Gray, cb, cr []uint8, cs, cw, ch, sx, sy int) (bs, gw int) {
	bs = max(4, min(cw, ch)/16)
	gw, gh := (cw+bs-1)/bs, (ch+bs-1)/bs
	s.pcb = grow(s.pcb, gw*gh)
	s.pcr = grow(s.pcr, gw*gh)
	s.gcb = grow(s.gcb, gw*gh)
	s.gcr = grow(s.gcr, gw*gh)
	for gj := 0; gj < gh; gj++ {
		for gi := 0; gi < gw; gi++ {
			y0, y1 := gj*bs, min(gj*bs+bs, ch)
			x0, x1 := gi*bs, min(gi*bs+bs, cw)
			top := uint8(0)
			for cy := y0; cy < y1; cy++ {
				row := ys.Pix[(cy<<sy)*ys.Stride:]
				for cx := x0; cx < x1; cx++ {
					top = max(top, row[cx<<sx])
				}
			}
			var sb, sr, n int
			for cy := y0; cy < y1; cy++ {
				row := ys.Pix[(cy<<sy)*ys.Stride:]
				for cx := x0; cx < x1; cx++ {
					if int(row[cx<<sx])+paperNear >= int(top) {
						sb += int(cb[cy*cs+cx])
						sr += int(cr[cy*cs+cx])
						n++
					}
				}
			}
			s.gcb[gj*gw+gi], s.gcr[gj*gw+gi] = uint8(sb/n), uint8(sr/n)
		}
	}
	// A block with coloured ink in it sees the ink's colour bleed into the
	// paper beside it (JPEG's chroma is coarse): the median of the blocks
	// around keeps the paper's colour and its slow drift.
	medianGrid(s.pcb, s.gcb, gw, gh)
	medianGrid(s.pcr, s.gcr, gw, gh)
	return bs, gw
}

// medianGrid sets dst to the median of src over the 5x5 cells around each
// cell of a gw x gh grid, clipped at the edges.
func medianGrid(dst, src []uint8, gw, gh int) {
	var win [25]uint8
	for j := 0; j < gh; j++ {
		for i := 0; i < gw; i++ {
			n := 0
			for y := max(j-2, 0); y <= min(j+2, gh-1); y++ {
				for x := max(i-2, 0); x <= min(i+2, gw-1); x++ {
					win[n] = src[y*gw+x]
					n++
				}
			}
			slices.Sort(win[:n])
			dst[j*gw+i] = win[n/2]
		}
	}
}

// paperNear is how many grey levels below a block's brightest sample the
// samples paperChroma takes for paper lie.
const paperNear = 6

// chromaShift returns how many bits a luma coordinate is shifted right to
// index the chroma planes of a frame with subsampling r.
func chromaShift(r image.YCbCrSubsampleRatio) (sx, sy int) {
	switch r {
	case image.YCbCrSubsampleRatio422:
		return 1, 0
	case image.YCbCrSubsampleRatio420:
		return 1, 1
	case image.YCbCrSubsampleRatio440:
		return 0, 1
	case image.YCbCrSubsampleRatio411:
		return 2, 0
	case image.YCbCrSubsampleRatio410:
		return 2, 1
	}
	return 0, 0
}

// subSat sets dst[i] = max(src[i]-pen[i], 0), eight bytes at a time.
func subSat(dst, src, pen []uint8) {
	n := len(dst)
	src, pen = src[:n], pen[:n]
	i := 0
	for ; i+8 <= n; i += 8 {
		a := binary.LittleEndian.Uint64(src[i:])
		b := binary.LittleEndian.Uint64(pen[i:])
		binary.LittleEndian.PutUint64(dst[i:], subBytes(a, b)&geBytes(a, b))
	}
	for ; i < n; i++ {
		dst[i] = src[i] - min(src[i], pen[i])
	}
}

// subBytes returns a-b byte by byte, each byte wrapping on its own (no
// borrow crosses into the next byte).
func subBytes(a, b uint64) uint64 {
	const H = 0x8080808080808080
	return ((a | H) - (b &^ H)) ^ ((a ^ ^b) & H)
}
