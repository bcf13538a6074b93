package glyphs

import (
	"image"
	"math"
)

// Point is a position in a glyph's coordinates (em units for font glyphs,
// y down) or, after an Affine, in pixels.
type Point struct{ X, Y float64 }

// Affine maps a point (x, y) to (A[0]x + A[1]y + A[2], A[3]x + A[4]y + A[5]).
type Affine [6]float64

// Identity is the affine map that leaves points where they are.
var Identity = Affine{1, 0, 0, 0, 1, 0}

// Apply maps p.
func (m Affine) Apply(p Point) Point {
	return Point{m[0]*p.X + m[1]*p.Y + m[2], m[3]*p.X + m[4]*p.Y + m[5]}
}

// Then returns the map that applies m, then n.
func (m Affine) Then(n Affine) Affine {
	return Affine{
		n[0]*m[0] + n[1]*m[3], n[0]*m[1] + n[1]*m[4], n[0]*m[2] + n[1]*m[5] + n[2],
		n[3]*m[0] + n[4]*m[3], n[3]*m[1] + n[4]*m[4], n[3]*m[2] + n[4]*m[5] + n[5],
	}
}

// Scale returns the map that scales by (sx, sy) about the origin.
func Scale(sx, sy float64) Affine { return Affine{sx, 0, 0, 0, sy, 0} }

// Translate returns the map that moves points by (dx, dy).
func Translate(dx, dy float64) Affine { return Affine{1, 0, dx, 0, 1, dy} }

// Rotate returns the map that turns points by angle radians about the
// origin (clockwise on screen, where y points down).
func Rotate(angle float64) Affine {
	c, s := math.Cos(angle), math.Sin(angle)
	return Affine{c, -s, 0, s, c, 0}
}

// Shear returns the map that moves x by k·y (a slant: negative k leans the
// tops of letters to the right, since y points down).
func Shear(k float64) Affine { return Affine{1, k, 0, 0, 1, 0} }

// Rect is an axis-aligned box: Min inclusive, Max exclusive in pixels.
type Rect struct{ Min, Max Point }

// Dx returns the box's width.
func (r Rect) Dx() float64 { return r.Max.X - r.Min.X }

// Dy returns the box's height.
func (r Rect) Dy() float64 { return r.Max.Y - r.Min.Y }

// Empty reports whether the box holds no area.
func (r Rect) Empty() bool { return !(r.Max.X > r.Min.X) || !(r.Max.Y > r.Min.Y) }

// Glyph is a shape to draw: closed polygons to fill (nonzero winding) and
// polylines to draw with a round pen. A polyline of one point is a dot.
type Glyph struct {
	Fill    [][]Point // closed contours; the last point joins the first
	Strokes [][]Point // open polylines
	Advance float64   // the pen's advance after the glyph (font glyphs)
}

// Empty reports whether the glyph has no ink.
func (g *Glyph) Empty() bool { return len(g.Fill) == 0 && len(g.Strokes) == 0 }

// Map returns a copy of g with every point moved by f.
func (g *Glyph) Map(f func(Point) Point) *Glyph {
	out := &Glyph{Advance: g.Advance}
	for _, set := range []struct {
		src [][]Point
		dst *[][]Point
	}{{g.Fill, &out.Fill}, {g.Strokes, &out.Strokes}} {
		for _, c := range set.src {
			d := make([]Point, len(c))
			for i, p := range c {
				d[i] = f(p)
			}
			*set.dst = append(*set.dst, d)
		}
	}
	return out
}

// Transform returns a copy of g mapped by m (the advance is scaled by
// m's x scale).
func (g *Glyph) Transform(m Affine) *Glyph {
	out := g.Map(m.Apply)
	out.Advance = g.Advance * math.Hypot(m[0], m[3])
	return out
}

// Bounds returns the box of g's points under m, grown by half the pen
// (see Draw): the extent of the ink it draws.
func (g *Glyph) Bounds(m Affine, pen float64) Rect {
	r := Rect{Point{math.Inf(1), math.Inf(1)}, Point{math.Inf(-1), math.Inf(-1)}}
	for _, set := range [][][]Point{g.Fill, g.Strokes} {
		for _, c := range set {
			for _, p := range c {
				q := m.Apply(p)
				r.Min.X, r.Min.Y = math.Min(r.Min.X, q.X), math.Min(r.Min.Y, q.Y)
				r.Max.X, r.Max.Y = math.Max(r.Max.X, q.X), math.Max(r.Max.Y, q.Y)
			}
		}
	}
	if r.Empty() && r.Min.X > r.Max.X {
		return Rect{}
	}
	h := math.Max(pen, 0) / 2
	r.Min.X, r.Min.Y, r.Max.X, r.Max.Y = r.Min.X-h, r.Min.Y-h, r.Max.X+h, r.Max.Y+h
	return r
}

// segment is one straight piece of a contour or a stroke, in pixels,
// with what the distance computation needs.
type segment struct {
	a, b           Point
	dx, dy, il2    float64 // b - a, 1/|b - a|² (0 for a point)
	x0, x1, y0, y1 float64 // the box
}

func newSegment(a, b Point) segment {
	s := segment{a: a, b: b, dx: b.X - a.X, dy: b.Y - a.Y,
		x0: min(a.X, b.X), x1: max(a.X, b.X), y0: min(a.Y, b.Y), y1: max(a.Y, b.Y)}
	if l2 := s.dx*s.dx + s.dy*s.dy; l2 > 0 {
		s.il2 = 1 / l2
	}
	return s
}

// Draw renders g under m into dst, keeping at each pixel the larger of
// the ink it had and the glyph's.
//
// Strokes are drawn with a round pen pen pixels wide. Filled contours are
// filled and their outline moved out by pen/2 on every side, so that a
// positive pen makes an outline glyph bolder by pen pixels and a negative
// one thinner. Each pixel's coverage is one minus the distance of its
// centre beyond the ink's edge, clamped to [0, 1] (a one-pixel
// anti-aliasing ramp), so a pen thinner than a pixel draws a faint line.
func (g *Glyph) Draw(dst *image.Alpha, m Affine, pen float64) {
	var strokes, edges []segment
	for _, c := range g.Strokes {
		if len(c) == 1 {
			p := m.Apply(c[0])
			strokes = append(strokes, newSegment(p, p))
		}
		for i := 1; i < len(c); i++ {
			strokes = append(strokes, newSegment(m.Apply(c[i-1]), m.Apply(c[i])))
		}
	}
	for _, c := range g.Fill {
		for i := range c {
			edges = append(edges, newSegment(m.Apply(c[i]), m.Apply(c[(i+1)%len(c)])))
		}
	}
	box := g.Bounds(m, pen)
	if box == (Rect{}) {
		return
	}
	b := dst.Rect.Intersect(image.Rect(int(math.Floor(box.Min.X))-1, int(math.Floor(box.Min.Y))-1,
		int(math.Ceil(box.Max.X))+1, int(math.Ceil(box.Max.Y))+1))
	half := pen / 2
	// Only segments nearer than reach change a pixel's coverage: beyond
	// it a pixel is fully inside or outside.
	reach := math.Abs(half) + 1
	var near, nearEdges, crossing []segment
	for y := b.Min.Y; y < b.Max.Y; y++ {
		py := float64(y) + 0.5
		near = rowSegments(near[:0], strokes, py, reach)
		nearEdges = rowSegments(nearEdges[:0], edges, py, reach)
		crossing = crossing[:0]
		for _, e := range edges {
			if e.y0 <= py && py < e.y1 {
				crossing = append(crossing, e)
			}
		}
		row := dst.Pix[dst.PixOffset(b.Min.X, y):]
		for x := b.Min.X; x < b.Max.X; x++ {
			p := Point{float64(x) + 0.5, py}
			cov := math.Inf(-1)
			if len(strokes) > 0 {
				cov = half + 0.5 - math.Sqrt(minDist2(near, p, reach))
			}
			if len(edges) > 0 {
				d := math.Sqrt(minDist2(nearEdges, p, reach))
				if winding(crossing, p) == 0 {
					d = -d
				}
				cov = max(cov, d+half+0.5)
			}
			if cov <= 0 {
				continue
			}
			v := uint8(min(cov, 1)*255 + 0.5)
			if i := x - b.Min.X; v > row[i] {
				row[i] = v
			}
		}
	}
}

// rowSegments appends to dst the segments whose box, grown by reach,
// holds the row at y.
func rowSegments(dst, segs []segment, y, reach float64) []segment {
	for _, s := range segs {
		if s.y0-reach <= y && y <= s.y1+reach {
			dst = append(dst, s)
		}
	}
	return dst
}

// minDist2 returns the squared distance from p to the nearest segment, or
// reach² when none is nearer.
func minDist2(segs []segment, p Point, reach float64) float64 {
	best := reach * reach
	for i := range segs {
		s := &segs[i]
		if p.X < s.x0-reach || p.X > s.x1+reach {
			continue
		}
		px, py := p.X-s.a.X, p.Y-s.a.Y
		t := min(max((px*s.dx+py*s.dy)*s.il2, 0), 1)
		ex, ey := px-t*s.dx, py-t*s.dy
		best = min(best, ex*ex+ey*ey)
	}
	return best
}

// winding returns the winding number of the closed edges around p.
func winding(edges []segment, p Point) int {
	w := 0
	for _, e := range edges {
		if e.a.Y <= p.Y {
			if e.b.Y > p.Y && cross(e, p) > 0 {
				w++
			}
		} else if e.b.Y <= p.Y && cross(e, p) < 0 {
			w--
		}
	}
	return w
}

// cross is positive when p is left of the edge a→b (in a y-up sense).
func cross(e segment, p Point) float64 {
	return (e.b.X-e.a.X)*(p.Y-e.a.Y) - (p.X-e.a.X)*(e.b.Y-e.a.Y)
}
