package jpeg420

import "image"

// plane is one plane of the destination frame as the decoder writes it:
// sample (x, y) of the plane as the file stores it, before orientation, is
// pix[base + x*dx + y*dy], for 0 <= x < w and 0 <= y < h. The steps dx and
// dy are ±1 and ±stride, which is how the orientation is applied: each
// block lands where it belongs in the upright frame.
type plane struct {
	pix          []byte
	base, dx, dy int
	w, h         int
	// The plane as the destination holds it, after orientation.
	stride, dw, dh int
}

// newPlane returns the plane of pix (whose top-left sample is pix[0], with
// rows stride bytes apart) that receives a w×h plane in orientation o.
func newPlane(pix []byte, stride, w, h, o int) plane {
	p := plane{pix: pix, w: w, h: h, stride: stride, dw: w, dh: h}
	s := stride
	switch o {
	default: // 1: as stored.
		p.base, p.dx, p.dy = 0, 1, s
	case 2: // mirrored left to right.
		p.base, p.dx, p.dy = w-1, -1, s
	case 3: // turned by 180°.
		p.base, p.dx, p.dy = (h-1)*s+w-1, -1, -s
	case 4: // mirrored top to bottom.
		p.base, p.dx, p.dy = (h-1)*s, 1, -s
	case 5: // transposed: (x, y) -> (y, x).
		p.base, p.dx, p.dy = 0, s, 1
	case 6: // turned 90° clockwise: (x, y) -> (h-1-y, x).
		p.base, p.dx, p.dy = h-1, s, -1
	case 7: // transversed: (x, y) -> (h-1-y, w-1-x).
		p.base, p.dx, p.dy = (w-1)*s+h-1, -s, -1
	case 8: // turned 90° counter-clockwise: (x, y) -> (y, w-1-x).
		p.base, p.dx, p.dy = (w-1)*s, -s, 1
	}
	if o >= 5 {
		p.dw, p.dh = h, w
	}
	return p
}

// storeBlock writes the 8x8 block px whose top-left sample is (x0, y0) of
// the plane, clipped to the plane. A block inside the plane is turned as
// the orientation says on the stack and written as 8 rows of 8 bytes, so
// that a sideways photo costs about what an upright one does.
func (p *plane) storeBlock(px *[blockSize]uint8, x0, y0 int) {
	if p.dx == 1 || x0+8 > p.w || y0+8 > p.h {
		p.store(px[:], 8, x0, y0, 8, 8)
		return
	}
	// t holds the block as the destination's rows see it: row r of t goes
	// to the 8 bytes that start at o + r*step.
	var t [blockSize]uint8
	o := p.base + x0*p.dx + y0*p.dy
	step := p.dy
	switch {
	case p.dx == -1: // each source row, reversed, is a destination row
		for r := range 8 {
			for i := range 8 {
				t[8*r+i] = px[8*r+7-i]
			}
		}
		o -= 7
	case p.dy == 1: // source column r, top to bottom, is a destination row
		for r := range 8 {
			for j := range 8 {
				t[8*r+j] = px[8*j+r]
			}
		}
		step = p.dx
	default: // p.dy == -1: source column r, bottom to top
		for r := range 8 {
			for j := range 8 {
				t[8*r+j] = px[8*(7-j)+r]
			}
		}
		o -= 7
		step = p.dx
	}
	for r := range 8 {
		*(*[8]uint8)(p.pix[o : o+8]) = *(*[8]uint8)(t[8*r : 8*r+8])
		o += step
	}
}

// store writes the tw×th tile (rows ts bytes apart) whose top-left sample
// is (x0, y0) of the plane, clipped to the plane.
func (p *plane) store(tile []uint8, ts, x0, y0, tw, th int) {
	nx, ny := min(tw, p.w-x0), min(th, p.h-y0)
	if nx <= 0 || ny <= 0 {
		return
	}
	o := p.base + x0*p.dx + y0*p.dy
	if p.dx == 1 {
		if nx == 8 {
			// A whole row of a block: one 8-byte move, not a call.
			for j := range ny {
				*(*[8]uint8)(p.pix[o : o+8]) = *(*[8]uint8)(tile[j*ts : j*ts+8])
				o += p.dy
			}
			return
		}
		for j := range ny {
			copy(p.pix[o:o+nx], tile[j*ts:j*ts+nx])
			o += p.dy
		}
		return
	}
	for j := range ny {
		row := tile[j*ts : j*ts+nx]
		q := o
		for _, v := range row {
			p.pix[q] = v
			q += p.dx
		}
		o += p.dy
	}
}

// fill sets every sample of the plane to v.
func (p *plane) fill(v uint8) {
	for y := range p.dh {
		row := p.pix[y*p.stride : y*p.stride+p.dw]
		for i := range row {
			row[i] = v
		}
	}
}

// frameOK reports whether dst is a 4:2:0 frame of w×h whose planes hold
// it, with an origin of even coordinates.
func frameOK(dst *image.YCbCr, w, h int) bool {
	if dst == nil || dst.SubsampleRatio != image.YCbCrSubsampleRatio420 ||
		dst.Rect.Dx() != w || dst.Rect.Dy() != h || dst.Rect.Min.X&1 != 0 || dst.Rect.Min.Y&1 != 0 {
		return false
	}
	cw, ch := (w+1)/2, (h+1)/2
	return dst.YStride >= w && len(dst.Y) >= (h-1)*dst.YStride+w &&
		dst.CStride >= cw && len(dst.Cb) >= (ch-1)*dst.CStride+cw && len(dst.Cr) >= (ch-1)*dst.CStride+cw
}

// setup checks the destination against the frame header and prepares its
// planes, at the first scan.
func (d *decoder) setup() error {
	o := d.opts.Orientation
	size := Config{Width: d.width, Height: d.height}.Size(o)
	if !frameOK(d.dst, size.X, size.Y) {
		return ErrDstSize
	}
	m := d.dst
	cw, ch := (d.width+1)/2, (d.height+1)/2
	d.planes[0] = newPlane(m.Y, m.YStride, d.width, d.height, o)
	d.planes[1] = newPlane(m.Cb, m.CStride, cw, ch, o)
	d.planes[2] = newPlane(m.Cr, m.CStride, cw, ch, o)
	if d.nComp == 1 || d.opts.LumaOnly {
		d.planes[1].fill(128)
		d.planes[2].fill(128)
	}
	d.started = true
	return nil
}

// reconstructBlock transforms the dequantised coefficients in b (which it
// overwrites) and stores the block (bx, by) of component compIndex.
// jpeg420: image/jpeg's dequantisation is done by the callers and its store
// replaced by plane.store, with chroma brought to 4:2:0 on the way.
func (d *decoder) reconstructBlock(b *block, bx, by, compIndex int) {
	var px [blockSize]uint8
	idct(b, &px)
	p := &d.planes[compIndex]
	d.written[compIndex] = true
	if compIndex == 0 || d.nComp == 1 {
		p.storeBlock(&px, 8*bx, 8*by)
		return
	}
	// The block's samples each cover sx×sy pixels; a 4:2:0 sample covers
	// 2x2.
	sx, sy := d.comp[0].h/d.comp[compIndex].h, d.comp[0].v/d.comp[compIndex].v
	if sx == 2 && sy == 2 {
		p.storeBlock(&px, 8*bx, 8*by)
		return
	}
	var tile [16 * 8]uint8
	tw, th := 4*sx, 4*sy
	resample(tile[:], px[:], sx, sy)
	p.store(tile[:], tw, tw*bx, th*by, tw, th)
}

// resample brings an 8x8 block of chroma samples, each covering sx×sy
// pixels (sx 1, 2 or 4; sy 1 or 2), to the (4*sx)×(4*sy) samples of 4:2:0
// that cover the same pixels: each is (a+b+c+d+2)>>2 over the block's
// samples of its four pixels, counted once per pixel.
func resample(dst, src []uint8, sx, sy int) {
	tw := 4 * sx
	for q := range 4 * sy {
		// The source rows of pixel rows 2q and 2q+1.
		r0, r1 := src[(2*q/sy)*8:][:8], src[((2*q+1)/sy)*8:][:8]
		row := dst[q*tw : q*tw+tw]
		for p := range row {
			c0, c1 := 2*p/sx, (2*p+1)/sx
			row[p] = uint8((int(r0[c0]) + int(r0[c1]) + int(r1[c0]) + int(r1[c1]) + 2) >> 2)
		}
	}
}
