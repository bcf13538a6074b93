package extract

import (
	"image"
	"math"
	"slices"
)

// Text at an angle. Writing on a sheet held in the hand, or along a
// diagonal, runs at any angle; a line of digits is found by following the
// directions in which neighbouring digits of similar size lie. Lines up to
// maxShear off the horizontal are read as they are, on coordinates sheared
// by the line's slope; beyond that the ink plane is turned upright first,
// so that the lines and the digits themselves are level, as the classifier
// was trained on them.

// Angles of the text, in degrees.
const (
	maxShear = 14.0 // steeper lines are read from a plane turned level
	// upright digits along lines up to maxUprightShear are read sheared
	maxUprightShear = 25.0
	maxTextDeg      = 50.0 // directions steeper than this are not lines of text (a column of digits)
)

// point is a component considered by textAngle: its centre and height.
type point struct {
	x, y, h float32
}

// textAngle returns the direction of the lines of text in degrees (y down,
// so a positive angle falls to the right), from the directions from each
// digit-sized component to its two nearest neighbours of similar size: the
// peak of their histogram within ±maxTextDeg. ok is false when too few of
// the directions agree.
func (e *Extractor) textAngle() (deg float64, ok bool) {
	pts := e.angle.pts[:0]
	for i := range e.lab.comps {
		c := &e.lab.comps[i]
		h := c.h()
		if !c.strong || c.area < 3 || h < int32(e.minH) || h > int32(e.maxH) || c.w() > 3*h || e.offPaper(c) {
			continue
		}
		pts = append(pts, point{x: float32(c.x0+c.x1) / 2, y: float32(c.y0+c.y1) / 2, h: float32(h)})
	}
	e.angle.pts = pts
	if len(pts) < 2 {
		return 0, false
	}
	slices.SortFunc(pts, func(a, b point) int {
		switch {
		case a.x < b.x:
			return -1
		case a.x > b.x:
			return 1
		}
		return 0
	})
	// One vote per degree bin, folded into (-90°, 90°].
	var hist [180]float32
	votes := float32(0)
	for i := range pts {
		p := &pts[i]
		reach := neighbourReach * p.h
		var best [2]int
		var bestD [2]float32
		best[0], best[1] = -1, -1
		// pts is sorted by x: walk both ways while within reach.
		for dir := -1; dir <= 1; dir += 2 {
			for j := i + dir; j >= 0 && j < len(pts); j += dir {
				q := &pts[j]
				dx := q.x - p.x
				if dx*float32(dir) > reach {
					break
				}
				if q.h < 0.5*p.h || q.h > 2*p.h {
					continue
				}
				dy := q.y - p.y
				d := dx*dx + dy*dy
				if d > reach*reach {
					continue
				}
				switch {
				case best[0] < 0 || d < bestD[0]:
					best[1], bestD[1] = best[0], bestD[0]
					best[0], bestD[0] = j, d
				case best[1] < 0 || d < bestD[1]:
					best[1], bestD[1] = j, d
				}
			}
		}
		for _, j := range best {
			if j < 0 {
				continue
			}
			q := &pts[j]
			a := math.Atan2(float64(q.y-p.y), float64(q.x-p.x)) * 180 / math.Pi
			if a <= -90 {
				a += 180
			} else if a > 90 {
				a -= 180
			}
			hist[int(a+89.5)%180]++
			votes++
		}
	}
	// The peak of the histogram smoothed over ±3°, then the mean of the
	// votes near it.
	peak, peakV := -1, float32(0)
	for b := range hist {
		if math.Abs(float64(b)-89.5) > maxTextDeg {
			continue
		}
		var s float32
		for d := -3; d <= 3; d++ {
			s += hist[(b+d+180)%180] * float32(4-abs(d))
		}
		if s > peakV {
			peak, peakV = b, s
		}
	}
	if peak < 0 {
		return 0, false
	}
	var sum, n float64
	for d := -5; d <= 5; d++ {
		b := peak + d
		if b < 0 || b >= 180 {
			continue
		}
		sum += float64(hist[b]) * (float64(b) - 89.5)
		n += float64(hist[b])
	}
	// Few digits at different heights (a 2 whose top rises above a 7
	// beside it) point every which way: an angle needs several votes, and
	// a steep one more of them, since the plane is turned for it.
	deg = sum / n
	need := 2.0
	if math.Abs(deg) > maxShear {
		need = 4
	}
	if n < need || n < voteShare*float64(votes) {
		return 0, false
	}
	return deg, true
}

// voteShare is the smallest share of the votes that must agree on an
// angle: on a page, the neighbours across lines vote for other angles.
const voteShare = 0.3

// writtenTilted reports whether the digits themselves lean with lines at
// deg degrees (a sheet held at an angle, which is read turned level), or
// stand upright along a sloping line (written on a slope, read sheared):
// the median lean of the elongated digit-sized components (1s, 7s, 4s, 9s)
// is nearer deg than upright, both taken with handwriting's usual lean to
// the right. With too few elongated components to tell, known is false and
// tilted true.
func (e *Extractor) writtenTilted(deg float64) (tilted, known bool) {
	ls := e.tmpF[:0]
	for i := range e.lab.comps {
		c := &e.lab.comps[i]
		h := c.h()
		if !c.strong || c.area < 3 || h < int32(e.minH) || h > int32(e.maxH) || e.offPaper(c) {
			continue
		}
		if lean, elong := c.mom.lean(c.area); elong >= minElong {
			ls = append(ls, float32(lean))
		}
	}
	e.tmpF = ls
	if len(ls) < 3 {
		return true, false
	}
	lean := float64(median(ls))
	return math.Abs(lean-(deg+usualLean)) < math.Abs(lean-usualLean), true
}

// Leaning digits: handwriting leans right by usualLean degrees or so, and
// a component counts as elongated (its lean meaningful) when the variance
// along its axis is minElong times that across.
const (
	usualLean = 8.0
	minElong  = 4.0
)

// neighbourReach is how far, in heights of a component, textAngle looks for
// its neighbours on the line: digits of one number are closer than that.
const neighbourReach = 2.5

// rotation maps the coordinates of the plane the digits were found in back
// to the frame's: the plane is the frame turned by -deg about its centre
// and enlarged to hold it all.
type rotation struct {
	on             bool
	cos, sin       float64
	cx, cy, ox, oy float64 // centres of the frame and of the turned plane
}

// toFrame maps point (u, v) of the turned plane to the frame.
func (r *rotation) toFrame(u, v float64) (x, y float64) {
	u, v = u-r.ox, v-r.oy
	return r.cos*u - r.sin*v + r.cx, r.sin*u + r.cos*v + r.cy
}

// box maps a box of the turned plane to the smallest box of the frame that
// holds it, inside bounds.
func (r *rotation) box(b, bounds image.Rectangle) image.Rectangle {
	if !r.on {
		return b
	}
	x0, y0, x1, y1 := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range [4][2]int{{b.Min.X, b.Min.Y}, {b.Max.X, b.Min.Y}, {b.Min.X, b.Max.Y}, {b.Max.X, b.Max.Y}} {
		x, y := r.toFrame(float64(p[0]), float64(p[1]))
		x0, y0, x1, y1 = math.Min(x0, x), math.Min(y0, y), math.Max(x1, x), math.Max(y1, y)
	}
	return image.Rect(int(math.Floor(x0)), int(math.Floor(y0)), int(math.Ceil(x1)), int(math.Ceil(y1))).Intersect(bounds)
}

// turn writes into e.angle.turned the plane src turned by -deg about its centre
// (so that lines at deg become level), enlarged to hold the whole frame;
// pixels outside the frame repeat its nearest edge, so the frame's border
// makes no edge of its own. Bilinear sampling in 16.16 fixed point.
func (e *Extractor) turn(src *image.Gray, deg float64) *image.Gray {
	w, h := src.Rect.Dx(), src.Rect.Dy()
	rad := deg * math.Pi / 180
	cs, sn := math.Cos(rad), math.Sin(rad)
	tw := int(math.Ceil(math.Abs(float64(w)*cs) + math.Abs(float64(h)*sn)))
	th := int(math.Ceil(math.Abs(float64(w)*sn) + math.Abs(float64(h)*cs)))
	e.angle.rot = rotation{on: true, cos: cs, sin: sn, cx: float64(w) / 2, cy: float64(h) / 2, ox: float64(tw) / 2, oy: float64(th) / 2}
	e.angle.turned.Pix = grow(e.angle.turned.Pix, tw*th)
	e.angle.turned.Stride, e.angle.turned.Rect = tw, image.Rect(0, 0, tw, th)
	pix, stride := src.Pix[src.PixOffset(src.Rect.Min.X, src.Rect.Min.Y):], src.Stride
	const one = 1 << 16
	maxX, maxY := int64(w-1)*one, int64(h-1)*one
	dx, dy := int64(cs*one), int64(sn*one)
	for yo := 0; yo < th; yo++ {
		// Source position of the centre of pixel (0, yo), minus half a
		// pixel: sample positions are on pixel centres.
		xs, ys := e.angle.rot.toFrame(0.5, float64(yo)+0.5)
		fx, fy := int64((xs-0.5)*one), int64((ys-0.5)*one)
		out := e.angle.turned.Pix[yo*tw : yo*tw+tw]
		for xo := range out {
			x, y := min(max(fx, 0), maxX), min(max(fy, 0), maxY)
			xi, yi := int(x>>16), int(y>>16)
			ax, ay := uint32(x>>8)&0xff, uint32(y>>8)&0xff
			o := yi*stride + xi
			x1, y1 := min(xi+1, w-1)-xi, 0
			if yi+1 < h {
				y1 = stride
			}
			p00, p01 := uint32(pix[o]), uint32(pix[o+x1])
			p10, p11 := uint32(pix[o+y1]), uint32(pix[o+y1+x1])
			top := p00*(256-ax) + p01*ax
			bot := p10*(256-ax) + p11*ax
			out[xo] = uint8((top*(256-ay) + bot*ay + 1<<15) >> 16)
			fx += dx
			fy += dy
		}
	}
	return &e.angle.turned
}

// angleStage holds the text's direction and the plane turned level.
type angleStage struct {
	turned  image.Gray // the frame turned so that its lines are level
	rot     rotation   // how turned maps to the frame
	upright float64    // degrees to turn each digit back by: written upright on a slope
	pts     []point    // textAngle's components
	// otherLean reads the digits' lean the other way from writtenTilted
	// (SetOtherLean); leanDoubt tells that the last frame's lean could be
	// read either way (LeanInDoubt).
	otherLean, leanDoubt bool
}

// leanDoubtDeg is the least slope of lines read sheared at which whether
// their digits lean with them matters: a digit leaning by deg reaches
// sin(deg) of its height into its neighbour's columns (a fifth at 12°),
// and two digits a pen's width apart are taken for one.
const leanDoubtDeg = 6.0

// SetOtherLean makes the extractor read the digits of lines it reads
// sheared (a slope up to maxShear, and leanDoubtDeg or more) as leaning
// the other way from what their shapes suggest: upright when they seem to
// lean with the lines, leaning when they seem upright. Whether a sheet was
// turned (its digits lean with its lines) or digits were written upright
// along a slope is told from the digits' lean against handwriting's usual
// lean, and a writer who stands digits upright on a sheet turned by 10°
// looks like one who leans them by 8° on a slope. A caller with time for
// two readings (a photo) reads the frame both ways (LeanInDoubt).
func (e *Extractor) SetOtherLean(on bool) { e.angle.otherLean = on }

// LeanInDoubt reports whether the last frame's lines were read sheared at
// leanDoubtDeg or more with their digits' lean told from their shapes,
// which SetOtherLean reads the other way.
func (e *Extractor) LeanInDoubt() bool { return e.angle.leanDoubt }
