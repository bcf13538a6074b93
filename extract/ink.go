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
	plane image.Gray // the plane: the frame's Y plane, or own
	own   []uint8    // the pixels of a plane made here, never a frame's
	// luma is the frame's Y plane when the plane is darkened by colour
	// (coloured), for the stages that ask how much of a pixel's darkness
	// is colour (colourDark).
	luma     image.Gray
	coloured bool
	// src is the frame the plane was made from while it has chroma (nil
	// for a grey frame): the sheet stage asks it for the paper's colour.
	src    *image.YCbCr
	grid   int         // how many blocks paperChroma's grid has
	bs, gw int         // its blocks' side in samples, and its width
	ycc    image.YCbCr // frames of other types converted
	pen    []uint8     // one row of darkening, per luma column
	penC   []uint8     // darkening per chroma sample
	rowAny []bool      // per chroma row: some sample darkens
	pcb    []uint8     // the paper's chroma per block of samples (paperChroma)
	pcr    []uint8
	gcb    []uint8 // the blocks' own estimates, before the median
	gcr    []uint8
	ptop   []uint8 // the paper's brightness per block: its brightest sample

	// Beside a table (besideTable), per block: whether all of it lies
	// beyond the sheet's straight edges, whether its own estimate is of its
	// samples on the sheet alone, and the medians taken on each side of the
	// edges apart; besideEdges tells whether the plane was made so.
	beyond, part []bool
	ncb, ncr     []uint8
	besideEdges  bool

	// pcb, pcr and ptop spread along a row of samples, for fromYCbCr.
	rowPb, rowPr, rowTop []uint8
}

// inkPlane returns the plane of img in which the stages look for ink: an
// *image.Gray as it is, an *image.YCbCr's luma darkened by colour (its Y
// plane itself when it has no colour), anything else converted first.
func (e *Extractor) inkPlane(img image.Image) *image.Gray {
	switch m := img.(type) {
	case *image.Gray:
		e.ink.coloured, e.ink.src = false, nil
		return m
	case *image.YCbCr:
		return e.ink.fromYCbCr(m, e.lastEdges(m.Rect.Dx(), m.Rect.Dy()))
	}
	e.ink.convert(img)
	return e.ink.fromYCbCr(&e.ink.ycc, e.lastEdges(e.ink.ycc.Rect.Dx(), e.ink.ycc.Rect.Dy()))
}

// lastEdges returns the sheet's edges that a camera's last frame showed,
// when this frame (w x h) is the next of the same camera (the same size,
// and no Forget since), for the plane to take the paper's colour on the
// sheet's side of them at once; nil otherwise.
func (e *Extractor) lastEdges(w, h int) *edgeStage {
	if len(e.edges.lines) == 0 || w != e.edges.w || h != e.edges.h {
		return nil
	}
	return &e.edges
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
//
// With edges (a camera's last frame's: lastEdges), the paper's colour is
// taken on each side of them apart (besideTable), as paperBesideTable
// would take it once this frame's edges are found.
func (s *inkStage) fromYCbCr(m *image.YCbCr, edges *edgeStage) *image.Gray {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	ys := image.Gray{Pix: m.Y[m.YOffset(m.Rect.Min.X, m.Rect.Min.Y):], Stride: m.YStride, Rect: image.Rect(0, 0, w, h)}
	s.src = nil
	if w == 0 || h == 0 || len(m.Cb) == 0 {
		return s.yPlane(ys)
	}
	s.src = m
	s.paperChroma()
	s.besideEdges = false
	if edges != nil {
		s.besideTable(edges)
		copy(s.pcb, s.ncb[:s.grid])
		copy(s.pcr, s.ncr[:s.grid])
		s.besideEdges = true
	}
	return s.darken()
}

// darken makes the plane of s.src, the colour frame fromYCbCr was given,
// from its paper's colour block by block (pcb, pcr, ptop): its luma
// darkened by colour, or its Y plane when no pixel is far enough from the
// paper's colour.
func (s *inkStage) darken() *image.Gray {
	m := s.src
	w, h := m.Rect.Dx(), m.Rect.Dy()
	ys := image.Gray{Pix: m.Y[m.YOffset(m.Rect.Min.X, m.Rect.Min.Y):], Stride: m.YStride, Rect: image.Rect(0, 0, w, h)}
	sx, sy := chromaShift(m.SubsampleRatio)
	c0 := m.COffset(m.Rect.Min.X, m.Rect.Min.Y)
	cb, cr := m.Cb[c0:], m.Cr[c0:]
	cw, ch := (w+(1<<sx)-1)>>sx, (h+(1<<sy)-1)>>sy
	bs, gw := s.bs, s.gw
	// The darkening of each chroma sample, and which chroma rows have any.
	s.penC = grow(s.penC, cw*ch)
	s.rowAny = grow(s.rowAny, ch)
	colour := false
	// The paper's colour and brightness of each sample's block, spread
	// along a row of samples, refreshed when the block row changes.
	s.rowPb, s.rowPr, s.rowTop = grow(s.rowPb, cw), grow(s.rowPr, cw), grow(s.rowTop, cw)
	pbRow, prRow, topRow := s.rowPb[:cw], s.rowPr[:cw], s.rowTop[:cw]
	for cy := 0; cy < ch; cy++ {
		brow, rrow := cb[cy*m.CStride:cy*m.CStride+cw], cr[cy*m.CStride:cy*m.CStride+cw]
		prow := s.penC[cy*cw : cy*cw+cw]
		if cy%bs == 0 {
			g0 := cy / bs * gw
			for x0, g := 0, g0; x0 < cw; x0, g = x0+bs, g+1 {
				x1 := min(x0+bs, cw)
				fillBytes(pbRow[x0:x1], s.pcb[g])
				fillBytes(prRow[x0:x1], s.pcr[g])
				fillBytes(topRow[x0:x1], s.ptop[g])
			}
		}
		var any uint8
		// A sample darkens fully only where the darkest of its pixels is
		// darker than the block's paper by a sixteenth or more, less in
		// proportion (colour bleeding onto the paper beside a stroke).
		yrow := ys.Pix[(cy<<sy)*ys.Stride:]
		yrow2 := yrow
		if (cy<<sy)+1 < h && sy > 0 {
			yrow2 = ys.Pix[((cy<<sy)+1)*ys.Stride:]
		}
		for i := 0; i < cw; {
			// Paper: eight samples at a time while none lies far
			// enough from the paper's colour to darken.
			i = skipPaper(prow, brow, rrow, pbRow, prRow, i)
			for end := min(i+8, cw); i < end; i++ {
				d := (abs(int(brow[i])-int(pbRow[i]))+abs(int(rrow[i])-int(prRow[i])))*chromaGain - chromaDead
				if d <= 0 {
					prow[i] = 0
					continue
				}
				// The darkest pixel under the sample.
				lx := i << sx
				dark := min(yrow[lx], yrow2[lx])
				if lx+1 < w && sx > 0 {
					dark = min(dark, yrow[lx+1], yrow2[lx+1])
				}
				paper := int(topRow[i])
				if c := 16 * (paper - int(dark)); c < paper {
					d = d * max(c, 0) / max(paper, 1)
				}
				p := uint8(min(d, 255))
				prow[i] = p
				any |= p
			}
		}
		s.rowAny[cy] = any != 0
		colour = colour || any != 0
	}
	if !colour {
		return s.yPlane(ys)
	}
	s.luma, s.coloured = ys, true
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
		// columns.
		spreadRow(pen, s.penC[cy*cw:cy*cw+cw], sx)
		for y := y0; y < y1; y++ {
			subSat(s.plane.Pix[y*w:y*w+w], ys.Pix[y*ys.Stride:y*ys.Stride+w], pen)
		}
	}
	return &s.plane
}

// paperColour returns the colour and the luma of the brightest paper of
// the frame the plane was made from: the mean of paperChroma's blocks
// whose brightest sample is within paperNear of the brightest block's.
// ok is false for a frame without chroma, and for one none of whose
// blocks has paper more than far (|ΔCb| + |ΔCr|) from that colour.
func (s *inkStage) paperColour(far float32) (cb, cr, y float32, ok bool) {
	if !s.hasChroma() {
		return 0, 0, 0, false
	}
	top := slices.Max(s.ptop[:s.grid])
	var sb, sr, sy, n int
	for g, t := range s.ptop[:s.grid] {
		if int(t)+paperNear >= int(top) {
			sb, sr, sy, n = sb+int(s.pcb[g]), sr+int(s.pcr[g]), sy+int(t), n+1
		}
	}
	cb, cr, y = float32(sb)/float32(n), float32(sr)/float32(n), float32(sy)/float32(n)
	for g := range s.grid {
		if abs32(float32(s.gcb[g])-cb)+abs32(float32(s.gcr[g])-cr) > far {
			return cb, cr, y, true
		}
	}
	return cb, cr, y, false
}

// hasChroma reports whether the plane was made from a frame with chroma,
// whose paper's colour paperColour and the sheet stage can look up.
func (s *inkStage) hasChroma() bool { return s.src != nil && s.grid > 0 }

// yPlane returns the frame's Y plane as the plane.
func (s *inkStage) yPlane(ys image.Gray) *image.Gray {
	s.plane, s.coloured = ys, false
	return &s.plane
}

// paperChroma estimates the paper's colour on a grid of blocks of chroma
// samples of s.src (a sixteenth of the shorter side, at least 4): each
// block's own (blockPaper) into gcb and gcr, and the median of the 5x5
// blocks around into s.pcb and s.pcr. A camera's white balance drifts
// across the frame (a blue cast in a vignetted corner), so the colour that
// tells ink from paper is the paper's beside it.
func (s *inkStage) paperChroma() {
	cw, ch := s.cw(), s.ch()
	s.bs = max(4, min(cw, ch)/16)
	s.gw = (cw + s.bs - 1) / s.bs
	gh := (ch + s.bs - 1) / s.bs
	s.grid = s.gw * gh
	s.pcb = grow(s.pcb, s.grid)
	s.pcr = grow(s.pcr, s.grid)
	s.gcb = grow(s.gcb, s.grid)
	s.gcr = grow(s.gcr, s.grid)
	s.ptop = grow(s.ptop, s.grid)
	s.part = grow(s.part, s.grid)
	for gj := range gh {
		for gi := range s.gw {
			s.blockPaper(gi, gj, nil)
		}
	}
	clear(s.part[:s.grid])
	// A block with coloured ink in it sees the ink's colour bleed into the
	// paper beside it (JPEG's chroma is coarse): the median of the 5x5
	// blocks around keeps the paper's colour and its slow drift.
	medianGrid(s.pcb, s.gcb, nil, s.gw, gh)
	medianGrid(s.pcr, s.gcr, nil, s.gw, gh)
}

// blockPaper estimates the paper of block (gi, gj) of paperChroma's grid
// into gcb, gcr and ptop: its brightness, the brightest sample's luma, and
// its colour, the mean chroma of the samples whose luma lies within
// paperNear of it (paper is the bright part of a block, as for the paper's
// brightness). Every fourth sample of every fourth row is enough (16
// samples of a block of 16x16; the paper's colour changes slowly and most
// of a block is paper). With edges, the samples beyond the sheet's edges
// are left out; ok is false when none is left.
func (s *inkStage) blockPaper(gi, gj int, edges *edgeStage) (ok bool) {
	m := s.src
	w, h := m.Rect.Dx(), m.Rect.Dy()
	sx, sy := chromaShift(m.SubsampleRatio)
	ys, c0 := m.Y[m.YOffset(m.Rect.Min.X, m.Rect.Min.Y):], m.COffset(m.Rect.Min.X, m.Rect.Min.Y)
	cb, cr := m.Cb[c0:], m.Cr[c0:]
	cw, ch := (w+(1<<sx)-1)>>sx, (h+(1<<sy)-1)>>sy
	x0, x1 := gi*s.bs, min(gi*s.bs+s.bs, cw)
	y0, y1 := gj*s.bs, min(gj*s.bs+s.bs, ch)
	on := func(cx, cy int) bool {
		return edges == nil || !edges.beyond(float64(cx<<sx), float64(cy<<sy))
	}
	top, n := uint8(0), 0
	for cy := y0; cy < y1; cy += paperStep {
		row := ys[(cy<<sy)*m.YStride:]
		for cx := x0; cx < x1; cx += paperStep {
			if on(cx, cy) {
				top, n = max(top, row[cx<<sx]), n+1
			}
		}
	}
	if n == 0 {
		return false
	}
	var sb, sr int
	n = 0
	for cy := y0; cy < y1; cy += paperStep {
		row := ys[(cy<<sy)*m.YStride:]
		brow, rrow := cb[cy*m.CStride:], cr[cy*m.CStride:]
		for cx := x0; cx < x1; cx += paperStep {
			if int(row[cx<<sx])+paperNear >= int(top) && on(cx, cy) {
				sb, sr, n = sb+int(brow[cx]), sr+int(rrow[cx]), n+1
			}
		}
	}
	g := gj*s.gw + gi
	s.gcb[g], s.gcr[g], s.ptop[g] = uint8(sb/n), uint8(sr/n), top
	return true
}

// paperBesideTable makes the plane again, and reports whether it did, when
// the sheet's straight edges found in a colour frame (findEdges) change
// the paper's colour the plane was made with: each block's the median of
// the blocks around it on its own side of the edges (besideTable). The
// median over all the blocks around takes the table's colour for the
// paper's near a table of another colour, most of all in the sheet's
// corners, where the table fills most of the window: light wood beside
// paper that a webcam's white balance casts teal lies 70 from it, so the
// paper there was darkened as ink, and digits written into the corners
// joined it. A camera's next frame is made with its last frame's edges at
// once (lastEdges). The plane is made again only when the paper colour of
// a block on the sheet moves by more than half the dead zone: not for a
// grey table beside white paper, nor for a camera's next frame of the same
// sheet. A frame made with edges that it no longer shows is made again
// without them.
func (e *Extractor) paperBesideTable() bool {
	s := &e.ink
	if !s.hasChroma() {
		return false
	}
	if len(e.edges.lines) == 0 {
		if !s.besideEdges {
			return false
		}
		s.besideEdges = false
		s.paperChroma()
		s.darken()
		return true
	}
	s.besideTable(&e.edges)
	if !s.besideMoves() {
		return false
	}
	copy(s.pcb, s.ncb[:s.grid])
	copy(s.pcr, s.ncr[:s.grid])
	s.besideEdges = true
	s.darken()
	return true
}

// besideTable sets, for each block of paperChroma's grid, whether it lies
// beyond the sheet's edges and its own paper (blockPaper), and into ncb
// and ncr the median of the blocks around it on its own side of the edges
// (medianGrid).
func (s *inkStage) besideTable(edges *edgeStage) {
	sx, sy := chromaShift(s.src.SubsampleRatio)
	bs, gw, gh := s.bs, s.gw, s.grid/s.gw
	cw, ch := s.cw(), s.ch()
	s.beyond = grow(s.beyond, s.grid)
	s.part = grow(s.part, s.grid)
	for gj := range gh {
		y0, y1 := float64(gj*bs<<sy), float64(min(gj*bs+bs, ch)<<sy-1)
		for gi := range gw {
			x0, x1 := float64(gi*bs<<sx), float64(min(gi*bs+bs, cw)<<sx-1)
			corners := 0
			for _, c := range [4][2]float64{{x0, y0}, {x1, y0}, {x0, y1}, {x1, y1}} {
				if edges.beyond(c[0], c[1]) {
					corners++
				}
			}
			// A block an edge crosses takes its own paper from its
			// samples on the sheet: its brightest might be the table's.
			// The others take all of theirs again where the last edges
			// left them part.
			g, crossed := gj*gw+gi, corners > 0 && corners < 4
			s.beyond[g] = corners == 4 || crossed && !s.blockPaper(gi, gj, edges)
			if s.part[g] && (!crossed || s.beyond[g]) {
				s.blockPaper(gi, gj, nil)
			}
			s.part[g] = crossed && !s.beyond[g]
		}
	}
	s.ncb, s.ncr = grow(s.ncb, s.grid), grow(s.ncr, s.grid)
	medianGrid(s.ncb, s.gcb, s.beyond, gw, gh)
	medianGrid(s.ncr, s.gcr, s.beyond, gw, gh)
}

// besideMoves reports whether besideTable's medians move the paper's
// colour of a block on the sheet from the plane's by more than half the
// dead zone.
func (s *inkStage) besideMoves() bool {
	for g := range s.grid {
		if !s.beyond[g] && abs(int(s.ncb[g])-int(s.pcb[g]))+abs(int(s.ncr[g])-int(s.pcr[g])) > chromaDead/2 {
			return true
		}
	}
	return false
}

// cw and ch return the size in chroma samples of the frame the plane was
// made from.
func (s *inkStage) cw() int {
	sx, _ := chromaShift(s.src.SubsampleRatio)
	return (s.src.Rect.Dx() + (1 << sx) - 1) >> sx
}

func (s *inkStage) ch() int {
	_, sy := chromaShift(s.src.SubsampleRatio)
	return (s.src.Rect.Dy() + (1 << sy) - 1) >> sy
}

// medianGrid sets dst to the median of src over the 5x5 cells around each
// cell of a gw x gh grid, clipped at the edges, and when side is not nil,
// over those of the window on the same side as the cell (side[k] the
// same): a histogram per side slides along each row (a column of cells
// in, a column out), and each median is found from the previous one, which
// moves little.
func medianGrid(dst, src []uint8, side []bool, gw, gh int) {
	var hist [2][256]int32
	for j := 0; j < gh; j++ {
		y0, y1 := max(j-2, 0), min(j+2, gh-1)
		clear(hist[0][:])
		clear(hist[1][:])
		var n, below [2]int32 // below: the count of values under med
		var med [2]int
		col := func(x int, d int32) {
			for y := y0; y <= y1; y++ {
				k := y*gw + x
				c := 0
				if side != nil && side[k] {
					c = 1
				}
				v := src[k]
				hist[c][v] += d
				if int(v) < med[c] {
					below[c] += d
				}
				n[c] += d
			}
		}
		for x := 0; x <= min(2, gw-1); x++ {
			col(x, 1)
		}
		for i := 0; i < gw; i++ {
			if i > 0 {
				if i+2 < gw {
					col(i+2, 1)
				}
				if i-3 >= 0 {
					col(i-3, -1)
				}
			}
			c := 0
			if side != nil && side[j*gw+i] {
				c = 1
			}
			// The median: the value where the count from below passes half.
			h := &hist[c]
			half := (n[c] - 1) / 2
			for below[c] > half && med[c] > 0 {
				med[c]--
				below[c] -= h[med[c]]
			}
			for below[c]+h[med[c]] <= half {
				below[c] += h[med[c]]
				med[c]++
			}
			dst[j*gw+i] = uint8(med[c])
		}
	}
}

// paperStep is the step between the samples paperChroma looks at.
const paperStep = 4

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

// skipPaperGeneric zeroes the darkening of the chroma samples (Cb b, Cr
// r) from i on, eight at a time, while all eight lie within nearMax of the
// paper's chroma (pb, pr: |ΔCb| + |ΔCr| at most nearMax, computed byte by
// byte in a uint64, SWAR), and returns where it stopped: at the end, or at
// eight samples of which one may darken, for fromYCbCr to look at one by
// one. skipPaper calls it, after the AVX2 form on amd64.
func skipPaperGeneric(pen, b, r, pb, pr []uint8, i int) int {
	const (
		H          = 0x8080808080808080
		lowNibbles = 0x0f0f0f0f0f0f0f0f
		// Added to a sum below 32, it stays within its byte, whose high
		// bit is then set where the sum exceeds nearMax.
		add = (0x80 - (nearMax + 1)) * 0x0101010101010101
	)
	n := len(pen)
	b, r, pb, pr = b[:n], r[:n], pb[:n], pr[:n]
	for ; i+8 <= n; i += 8 {
		db := absDiffBytes(le64(b[i:]), le64(pb[i:]))
		dr := absDiffBytes(le64(r[i:]), le64(pr[i:]))
		// A difference of 16 or more is beyond the dead zone; below
		// that, both fit in four bits and their sum in five.
		if (db|dr)&^lowNibbles != 0 || (db+dr+add)&H != 0 {
			break
		}
		binary.LittleEndian.PutUint64(pen[i:], 0)
	}
	return i
}

// nearMax is the largest chroma distance, |ΔCb| + |ΔCr|, that darkens
// nothing (distance·chromaGain - chromaDead <= 0); skipPaper needs it
// below 16.
const nearMax = chromaDead / chromaGain

var _ = [16 - nearMax - 1]struct{}{} // nearMax < 16

// absDiffBytes returns |a-b| byte by byte.
func absDiffBytes(a, b uint64) uint64 {
	const H = 0x8080808080808080
	// geBytes and subBytes, written out so that the compiler inlines
	// this.
	x := (a | H) - (b &^ H)
	g := ((a&^b | ^(a^b)&x) & H >> 7) * 0xff
	y := (b | H) - (a &^ H)
	return (x^(a^^b)&H)&g | (y^(b^^a)&H)&^g
}

// le64 returns the eight bytes at the start of p as a little-endian uint64.
func le64(p []uint8) uint64 { return binary.LittleEndian.Uint64(p) }

// spreadRow sets pen[x] to penC[x>>sx] for every column x of pen: a row of
// chroma samples spread over the luma columns they cover. Samples of
// 4:2:0 and 4:2:2 frames (sx = 1) are doubled four at a time.
func spreadRow(pen, penC []uint8, sx int) {
	x := 0
	if sx == 1 {
		for c := 0; c+4 <= len(penC) && 2*c+8 <= len(pen); c += 4 {
			v := uint64(binary.LittleEndian.Uint32(penC[c:]))
			v = (v | v<<16) & 0x0000ffff0000ffff
			v = (v | v<<8) & 0x00ff00ff00ff00ff
			binary.LittleEndian.PutUint64(pen[2*c:], v|v<<8)
			x = 2*c + 8
		}
	}
	for ; x < len(pen); x++ {
		pen[x] = penC[x>>sx]
	}
}

// fillBytes sets every byte of p to v.
func fillBytes(p []uint8, v uint8) {
	for i := range p {
		p[i] = v
	}
}

// subSat sets dst[i] = max(src[i]-pen[i], 0), eight bytes at a time.
func subSat(dst, src, pen []uint8) {
	n := len(dst)
	src, pen = src[:n], pen[:n]
	i := 0
	for ; i+8 <= n; i += 8 {
		a := binary.LittleEndian.Uint64(src[i:])
		b := binary.LittleEndian.Uint64(pen[i:])
		if b == 0 {
			// Most of a row is paper, or ink without colour.
			binary.LittleEndian.PutUint64(dst[i:], a)
			continue
		}
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

// colourDark returns how much darker than its luma the plane is, on
// average, over the pixels of rectangle r of the plane turned by rot (the
// frame's own plane when rot is off), every second one of every second
// row: the part of its darkness that is colour, 0 for a frame without
// colour.
func (s *inkStage) colourDark(r image.Rectangle, rot *rotation) float32 {
	if !s.coloured {
		return 0
	}
	b := s.luma.Rect
	var sum, n int
	for y := r.Min.Y; y < r.Max.Y; y += 2 {
		for x := r.Min.X; x < r.Max.X; x += 2 {
			fx, fy := x, y
			if rot.on {
				u, v := rot.toFrame(float64(x), float64(y))
				fx, fy = int(u), int(v)
				if fx < 0 || fy < 0 || fx >= b.Dx() || fy >= b.Dy() {
					continue
				}
			}
			sum += int(s.luma.Pix[fy*s.luma.Stride+fx]) - int(s.plane.Pix[fy*s.plane.Stride+fx])
			n++
		}
	}
	return float32(sum) / float32(max(n, 1))
}
