package extract

import (
	"image"
	"math"

	"github.com/viterin/vek/vek32"
)

// MNIST geometry: the digit's longer side is scaled to mnistBox pixels and
// its centre of mass placed at the centre of the mnistSide-square field.
const (
	mnistSide = 28
	mnistBox  = 20
)

// taps is a 1-D resampling table: output pixel u reads source pixels
// idx[off[u]:off[u+1]] with weights wt[off[u]:off[u+1]].
type taps struct {
	off [mnistSide + 1]int32
	idx []int32
	wt  []float32
}

// build fills t for n source pixels mapped so that source coordinate c
// (continuous: pixel i covers [i, i+1)) lands on the field's centre, at s
// output pixels per source pixel. Shrinking averages the covered area;
// enlarging interpolates linearly.
func (t *taps) build(n int, c, s float32) {
	t.idx, t.wt = t.idx[:0], t.wt[:0]
	for u := 0; u < mnistSide; u++ {
		t.off[u] = int32(len(t.idx))
		if s <= 1 {
			a := c + (float32(u)-mnistSide/2)/s
			b := a + 1/s
			i0 := max(int(math.Floor(float64(a))), 0)
			i1 := min(int(math.Ceil(float64(b))), n)
			for i := i0; i < i1; i++ {
				ov := min(b, float32(i+1)) - max(a, float32(i))
				if ov > 0 {
					t.idx = append(t.idx, int32(i))
					t.wt = append(t.wt, ov*s)
				}
			}
			continue
		}
		x := c + (float32(u)+0.5-mnistSide/2)/s - 0.5
		fi := float32(math.Floor(float64(x)))
		i, f := int(fi), x-fi
		if i >= 0 && i < n {
			t.idx = append(t.idx, int32(i))
			t.wt = append(t.wt, 1-f)
		}
		if i+1 >= 0 && i+1 < n {
			t.idx = append(t.idx, int32(i+1))
			t.wt = append(t.wt, f)
		}
	}
	t.off[mnistSide] = int32(len(t.idx))
}

// within returns the range [k0, k1) of output pixel u's taps that read
// source pixels in [lo, hi): its taps read consecutive pixels in order.
func (t *taps) within(u, lo, hi int) (k0, k1 int) {
	k0, k1 = int(t.off[u]), int(t.off[u+1])
	for k0 < k1 && int(t.idx[k0]) < lo {
		k0++
	}
	for k1 > k0 && int(t.idx[k1-1]) >= hi {
		k1--
	}
	return k0, k1
}

// normalize renders candidate c of frame as an MNIST digit into out (ink
// 255 on paper 0, as MNIST stores its images) and returns the mean
// darkness of its ink against the paper and the width of its strokes in
// pixels, about 2·area/perimeter (both 0 when it has no ink).
func (e *Extractor) normalize(frame *image.Gray, c *cand, out *[784]uint8) (contrast, stroke float32) {
	box := c.box
	L := max(box.Dx(), box.Dy())
	maxR := 0
	if e.stroke > 0 {
		maxR = int(e.stroke*float32(L)/(2*mnistBox)) + 1
	}
	m := maxR + 2
	r := box.Inset(-m).Intersect(image.Rect(0, 0, e.w, e.h))
	cw, ch := r.Dx(), r.Dy()
	n := cw * ch
	e.norm.mask = grow(e.norm.mask, n)
	e.norm.crop = grow(e.norm.crop, n)
	e.norm.cropTmp = grow(e.norm.cropTmp, n)
	mask, crop := e.norm.mask, e.norm.crop
	clear(mask)
	// Mask: 1 for the candidate's ink (its group, inside its box), 2 for
	// any other ink.
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := mask[(y-r.Min.Y)*cw : (y-r.Min.Y+1)*cw]
		inBox := y >= box.Min.Y && y < box.Max.Y
		// The runs that reach into the crop start after the last that
		// ends left of it.
		for k := int(e.runFrom(int32(r.Min.X), int32(y))); k < int(e.lab.rowStart[y+1]); k++ {
			ru := &e.lab.runs[k]
			if int(ru.x0) >= r.Max.X {
				break
			}
			x0, x1 := max(int(ru.x0), r.Min.X), min(int(ru.x1), r.Max.X)
			if x0 >= x1 {
				continue
			}
			ci := e.lab.compOf[k]
			g := e.groupRoot(ci)
			mine := inBox && (g == c.group && (c.side == 0 || e.lab.comps[ci].side == c.side) || g+1 == c.also)
			px0, px1 := box.Min.X, box.Max.X
			if mine {
				px0, px1 = e.partRange(c, y)
			}
			for x := x0; x < x1; x++ {
				v := uint8(2)
				if mine && x >= px0 && x < px1 {
					v = 1
				}
				row[x-r.Min.X] = v
			}
		}
	}
	e.bridgeBands(mask, r, box)
	// Darkness relative to the paper of the candidate's ink, its mean,
	// and the ink's edges; the paper pixels beside the ink (its one-pixel
	// anti-aliased halo) are marked 3 in the mask on the way.
	pix, stride := frame.Pix, frame.Stride
	var sumD float32
	var area, edges int
	clear(crop)
	// The passes below visit only the part of the crop where their
	// pixels can be: the candidate's ink is inside its box (crop
	// coordinates ib), its halo one pixel around.
	ib := box.Sub(r.Min)
	all := image.Rect(0, 0, cw, ch)
	for y := ib.Min.Y; y < ib.Max.Y; y++ {
		a, b, wy := e.rowBackground(y + r.Min.Y)
		a, b = a[r.Min.X:r.Max.X], b[r.Min.X:r.Max.X]
		src := pix[(y+r.Min.Y)*stride+r.Min.X : (y+r.Min.Y)*stride+r.Max.X]
		dst := crop[y*cw : y*cw+cw]
		mrow := mask[y*cw : y*cw+cw]
		// The rows above and below, nil at the crop's edges.
		var up, down []uint8
		if y > 0 {
			up = mask[(y-1)*cw : y*cw]
		}
		if y < ch-1 {
			down = mask[(y+1)*cw : (y+2)*cw]
		}
		for x := ib.Min.X; x < ib.Max.X; x++ {
			if mrow[x] != 1 {
				continue
			}
			d := 1 - float32(src[x])/max(a[x]+(b[x]-a[x])*wy, 1)
			dst[x] = d
			sumD += d
			area++
			// Edges of the ink toward non-ink (4-neighbours).
			if x == 0 || mrow[x-1] != 1 {
				edges++
				if x > 0 && mrow[x-1] == 0 {
					mrow[x-1] = 3
				}
			}
			if x == cw-1 || mrow[x+1] != 1 {
				edges++
				if x < cw-1 && mrow[x+1] == 0 {
					mrow[x+1] = 3
				}
			}
			if up == nil || up[x] != 1 {
				edges++
				if up != nil && up[x] == 0 {
					up[x] = 3
				}
			}
			if down == nil || down[x] != 1 {
				edges++
				if down != nil && down[x] == 0 {
					down[x] = 3
				}
			}
		}
	}
	clear(out[:])
	if area == 0 {
		return 0, 0
	}
	contrast = sumD / float32(area)
	sw := 2 * float32(area) / float32(max(edges, 1))
	dlo := 0.5 * e.paper.inkLow
	// Ink a little lighter than the mean already counts as full: MNIST
	// strokes are saturated across most of their width.
	dhi := max(0.8*sumD/float32(area), dlo+0.1)
	scale := 1 / (dhi - dlo)
	// Keep the ink and its halo, whose darkness is computed here;
	// everything else is paper.
	kb := ib.Inset(-1).Intersect(all)
	for y := kb.Min.Y; y < kb.Max.Y; y++ {
		mrow := mask[y*cw : y*cw+cw]
		row := crop[y*cw : y*cw+cw]
		a, b, wy := e.rowBackground(y + r.Min.Y)
		a, b = a[r.Min.X:r.Max.X], b[r.Min.X:r.Max.X]
		src := pix[(y+r.Min.Y)*stride+r.Min.X : (y+r.Min.Y)*stride+r.Max.X]
		for x := kb.Min.X; x < kb.Max.X; x++ {
			switch mrow[x] {
			case 1:
				row[x] = min(max((row[x]-dlo)*scale, 0), 1)
			case 3:
				d := 1 - float32(src[x])/max(a[x]+(b[x]-a[x])*wy, 1)
				row[x] = min(max((d-dlo)*scale, 0), 1)
			}
		}
	}
	// Thicken thin strokes toward MNIST's width: the stroke width is about
	// 2·area/perimeter.
	thick := 0
	if e.stroke > 0 {
		want := e.stroke * float32(L) / mnistBox
		thick = min(int((want-sw)/2+0.5), maxR)
		if sw > want {
			// A marker's strokes, thinned by whole pixels while they stay
			// at least MNIST's width.
			thick = -min(int((sw-want)/2), maxR)
		}
	}
	if thick < 0 {
		minFilter(crop, e.norm.cropTmp, cw, kb, -thick)
	}
	cb := kb.Inset(-max(thick, 0)).Intersect(all)
	if thick > 0 {
		// Outside kb the crop is paper, 0, and the ink's maximum
		// reaches no farther than cb: filtering cb alone gives the same
		// crop.
		maxFilter(crop, e.norm.cropTmp, cw, cb, thick)
	}
	// The crop's rows that hold anything: those of kb, and of cb when
	// the strokes were thickened.
	rows := kb.Inset(-max(thick, 0)).Intersect(all)
	if e.angle.upright != 0 {
		// Digits written upright along a sloping line, read from the plane
		// turned level: turn the crop back so that the digit stands as
		// written.
		crop, cw, ch, cb, L = e.turnCrop(crop, cw, ch, cb, e.angle.upright)
		// Turned, faint values lie outside the box of its ink too.
		rows = image.Rect(0, 0, 0, ch)
	}
	// Centre of mass.
	var sm, sx, sy float32
	for y := cb.Min.Y; y < cb.Max.Y; y++ {
		var rs, rx float32
		for x := cb.Min.X; x < cb.Max.X; x++ {
			v := crop[y*cw+x]
			rs += v
			rx += v * float32(x)
		}
		sm += rs
		sx += rx
		sy += rs * float32(y)
	}
	if sm == 0 {
		return contrast, sw
	}
	cx, cy := sx/sm+0.5, sy/sm+0.5
	// The halo of anti-aliased edge pixels adds about one pixel.
	s := float32(mnistBox) / float32(L+2*thick+1)
	e.norm.tapsX.build(cw, cx, s)
	e.norm.tapsY.build(ch, cy, s)
	// Separable resampling: columns first into (28, cw), whole rows at a
	// time, then rows. Only the taps that read cb's columns and the rows
	// that hold anything are taken: everywhere else the crop is 0, and
	// leaving out terms that are +0 changes no sum (the values are never
	// negative, nor -0).
	tmp := grow28(&e.norm.resampleTmp, mnistSide*cw)
	ty, tx := &e.norm.tapsY, &e.norm.tapsX
	var rowInk [mnistSide]bool // rows of tmp that read any of cb
	for v := 0; v < mnistSide; v++ {
		k0, k1 := ty.within(v, rows.Min.Y, rows.Max.Y)
		if k0 == k1 {
			continue
		}
		rowInk[v] = true
		d := tmp[v*cw+cb.Min.X : v*cw+cb.Max.X]
		clear(d)
		for k := k0; k < k1; k++ {
			wgt := ty.wt[k]
			src := crop[int(ty.idx[k])*cw+cb.Min.X : int(ty.idx[k])*cw+cb.Max.X]
			src = src[:len(d)]
			for x, p := range src {
				d[x] += wgt * p
			}
		}
	}
	var field [mnistSide * mnistSide]float32
	var peak float32
	var uk [mnistSide][2]int // each column's taps within cb
	for u := range uk {
		uk[u][0], uk[u][1] = tx.within(u, cb.Min.X, cb.Max.X)
	}
	for v := 0; v < mnistSide; v++ {
		if !rowInk[v] {
			continue
		}
		src := tmp[v*cw : v*cw+cw]
		dst := field[v*mnistSide : v*mnistSide+mnistSide]
		for u := range dst {
			k0, k1 := uk[u][0], uk[u][1]
			if k0 == k1 {
				continue
			}
			// The taps of one column read consecutive pixels.
			wt := tx.wt[k0:k1]
			px := src[tx.idx[k0]:]
			px = px[:len(wt)]
			var acc float32
			for k, w := range wt {
				acc += w * px[k]
			}
			dst[u] = acc
			peak = max(peak, acc)
		}
	}
	// A small digit's stroke, which whole pixels of the frame cannot thin,
	// is thinned in the output: its pixels are magnified, and an 8-pixel
	// 0 written with a 2-pixel pen (a webcam's view of a sheet held at
	// arm's length) comes out as a ring 6 pixels wide around a dot of a
	// hole, which the model takes for a blot.
	if e.stroke > 0 && s >= thinScale && (sw+1+2*float32(min(thick, 0)))*s-e.stroke >= thinOut {
		minFilter28(&field)
		peak = 0
		for _, v := range field {
			peak = max(peak, v)
		}
	}
	// MNIST digits reach full white: stretch so that the brightest pixel
	// is 255, and round to bytes.
	if peak > 0 {
		scale := 255 / peak
		for i, v := range field {
			out[i] = uint8(min(v*scale, 255) + 0.5)
		}
	}
	return contrast, sw
}

// turnCrop returns the crop (cw x ch, its ink inside cb) turned by deg
// degrees about its centre, in e.norm.cropTurn, with its new size, the box of
// its ink and that box's longer side.
func (e *Extractor) turnCrop(crop []float32, cw, ch int, cb image.Rectangle, deg float64) ([]float32, int, int, image.Rectangle, int) {
	rad := deg * math.Pi / 180
	cs, sn := float32(math.Cos(rad)), float32(math.Sin(rad))
	ow := int(math.Ceil(math.Abs(float64(cw)*float64(cs)) + math.Abs(float64(ch)*float64(sn))))
	oh := int(math.Ceil(math.Abs(float64(cw)*float64(sn)) + math.Abs(float64(ch)*float64(cs))))
	out := grow28(&e.norm.cropTurn, ow*oh)
	icx, icy := float32(cw)/2, float32(ch)/2
	ocx, ocy := float32(ow)/2, float32(oh)/2
	x0, y0, x1, y1 := ow, oh, 0, 0
	for v := 0; v < oh; v++ {
		for u := 0; u < ow; u++ {
			du, dv := float32(u)+0.5-ocx, float32(v)+0.5-ocy
			// The source of (u, v): turned back by -deg.
			x := cs*du + sn*dv + icx - 0.5
			y := -sn*du + cs*dv + icy - 0.5
			var p float32
			if x > -1 && y > -1 && x < float32(cw) && y < float32(ch) {
				xf, yf := float32(math.Floor(float64(x))), float32(math.Floor(float64(y)))
				xi, yi := int(xf), int(yf)
				fx, fy := x-xf, y-yf
				at := func(i, j int) float32 {
					if i < 0 || j < 0 || i >= cw || j >= ch {
						return 0
					}
					return crop[j*cw+i]
				}
				p = (at(xi, yi)*(1-fx)+at(xi+1, yi)*fx)*(1-fy) + (at(xi, yi+1)*(1-fx)+at(xi+1, yi+1)*fx)*fy
			}
			out[v*ow+u] = p
			if p > 0.05 {
				x0, y0, x1, y1 = min(x0, u), min(y0, v), max(x1, u+1), max(y1, v+1)
			}
		}
	}
	if x0 >= x1 {
		return out, ow, oh, image.Rect(0, 0, ow, oh), max(ow, oh)
	}
	box := image.Rect(x0, y0, x1, y1)
	return out, ow, oh, box, max(box.Dx(), box.Dy())
}

// Thinning in the output (normalize), for small digits only.
const (
	// thinScale is the least magnification from the frame to the 28x28
	// image (a digit at most 10 pixels tall) at which a stroke is thinned
	// in the output. Larger digits are thinned in the frame, by whole
	// pixels, or not at all: thinned in the output too, the digits of the
	// generated dim and marker scenes lost more than they gained.
	thinScale = 1.8
	// thinOut is how much wider than Options.Stroke, in pixels of the
	// 28x28 image, the stroke still is (its anti-aliased halo, a pixel of
	// the frame, included) for it to lose a pixel each side.
	thinOut = 2
)

// minFilter28 replaces each pixel of a 28x28 image by the minimum of the
// 3x3 square around it (within the image): a stroke loses a pixel on each
// side.
func minFilter28(f *[mnistSide * mnistSide]float32) {
	src := *f
	for v := 0; v < mnistSide; v++ {
		for u := 0; u < mnistSide; u++ {
			m := src[v*mnistSide+u]
			for y := max(v-1, 0); y <= min(v+1, mnistSide-1); y++ {
				for x := max(u-1, 0); x <= min(u+1, mnistSide-1); x++ {
					m = min(m, src[y*mnistSide+x])
				}
			}
			f[v*mnistSide+u] = m
		}
	}
}

func grow28(s *[]float32, n int) []float32 {
	*s = grow(*s, n)
	return *s
}

// maxFilter replaces each pixel of the rectangle rc of img (rows of
// stride w) by the maximum of the (2r+1)-square around it within rc,
// using tmp (same layout) as scratch: a stroke grows by r pixels.
func maxFilter(img, tmp []float32, w int, rc image.Rectangle, r int) {
	squareFilter(img, tmp, w, rc, r, vek32.Maximum_Inplace)
}

// minFilter is maxFilter with the minimum: a stroke loses r pixels on
// each side.
func minFilter(img, tmp []float32, w int, rc image.Rectangle, r int) {
	squareFilter(img, tmp, w, rc, r, vek32.Minimum_Inplace)
}

// squareFilter replaces each pixel of rc by pick over the (2r+1)-square
// around it within rc, where pick(dst, src) sets each dst[i] to the pick
// of dst[i] and src[i]. The values are never NaN nor -0, so the vector
// maximum and minimum (vek32, VMAXPS and VMINPS) give what Go's max and
// min give.
func squareFilter(img, tmp []float32, w int, rc image.Rectangle, r int, pick func(dst, src []float32)) {
	x0, x1 := rc.Min.X, rc.Max.X
	n := x1 - x0
	// Rows, one shift at a time, then columns, one row at a time.
	for y := rc.Min.Y; y < rc.Max.Y; y++ {
		src := img[y*w+x0 : y*w+x1]
		dst := tmp[y*w+x0 : y*w+x1]
		copy(dst, src)
		for d := 1; d <= min(r, n-1); d++ {
			pick(dst[d:], src[:n-d]) // dst[x] vs src[x-d]
			pick(dst[:n-d], src[d:]) // dst[x] vs src[x+d]
		}
	}
	for y := rc.Min.Y; y < rc.Max.Y; y++ {
		dst := img[y*w+x0 : y*w+x1]
		k0, k1 := max(y-r, rc.Min.Y), min(y+r, rc.Max.Y-1)
		copy(dst, tmp[k0*w+x0:k0*w+x1])
		for k := k0 + 1; k <= k1; k++ {
			pick(dst, tmp[k*w+x0:k*w+x1])
		}
	}
}

// normStage holds the buffers of normalisation.
type normStage struct {
	crop, cropTmp []float32
	mask          []uint8
	cropTurn      []float32
	tapsX, tapsY  taps
	resampleTmp   []float32
}

// bridgeBands gives back to the candidate the pixels of an erased band that
// its strokes cross: where the candidate's ink (1 in mask, the crop r of
// the frame) touches the band on both sides at one place along it, give or
// take a pixel for a slanted stroke, the band's pixels between are its ink
// too. Without them a digit written across a ruled or grid line is read
// with a gap through it (a 0 becomes two arcs, a 4 two strokes), which the
// model calls not a digit. Ink on one side only (a digit standing on the
// line, a stroke along it) is left as erased.
func (e *Extractor) bridgeBands(mask []uint8, r, box image.Rectangle) {
	cw := r.Dx()
	at := func(x, y int) uint8 {
		if !image.Pt(x, y).In(r) {
			return 0
		}
		return mask[(y-r.Min.Y)*cw+x-r.Min.X]
	}
	// mine reports whether the candidate's ink is at across position a, at
	// p-1, p or p+1 along the band.
	mine := func(vertical bool, p, a int) bool {
		for q := p - 1; q <= p+1; q++ {
			x, y := q, a
			if vertical {
				x, y = a, q
			}
			if at(x, y) == 1 {
				return true
			}
		}
		return false
	}
	for _, bd := range e.rules.bands {
		lo, hi := box.Min.X, box.Max.X
		if bd.vertical {
			lo, hi = box.Min.Y, box.Max.Y
		}
		lo, hi = max(lo, int(bd.lo)), min(hi, int(bd.hi))
		for p := lo; p < hi; p++ {
			// The band's pixels across at p: those whose centre lies
			// within half of its centre line.
			c := bd.a + bd.b*(float32(p)+0.5)
			a0 := int(math.Ceil(float64(c - bd.half - 0.5)))
			a1 := int(math.Floor(float64(c + bd.half - 0.5)))
			if a0 > a1 || !mine(bd.vertical, p, a0-1) || !mine(bd.vertical, p, a1+1) {
				continue
			}
			for a := a0; a <= a1; a++ {
				x, y := p, a
				if bd.vertical {
					x, y = a, p
				}
				if image.Pt(x, y).In(r) && at(x, y) == 0 {
					mask[(y-r.Min.Y)*cw+x-r.Min.X] = 1
				}
			}
		}
	}
}

// Widen writes into dst the digit image src stretched across by factor
// (above 1) about the field's middle column, linearly interpolated: a
// second view of a digit written narrow. MNIST scales a digit's longer
// side to 20 pixels whatever its width, so a 9 or a 7 written narrow comes
// out as thin as a 1; widened, it has the proportions the model learned.
func Widen(dst, src *[784]uint8, factor float32) {
	const mid = (mnistSide - 1) / 2.0
	for x := range mnistSide {
		sx := (float32(x)-mid)/factor + mid
		x0 := int(sx)
		w := sx - float32(x0)
		for y := range mnistSide {
			row := src[y*mnistSide : (y+1)*mnistSide]
			var v float32
			if x0 >= 0 && x0 < mnistSide {
				v = (1 - w) * float32(row[x0])
			}
			if x0+1 < mnistSide {
				v += w * float32(row[x0+1])
			}
			dst[y*mnistSide+x] = uint8(v + 0.5)
		}
	}
}
