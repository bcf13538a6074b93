package scenegen

import (
	"image"
	"math"
	"math/rand/v2"
)

// drawSheet places a sheet in page coordinates for a W×H frame: one or two
// of its edges inside the frame (an edge, or a corner), the rest beyond.
func drawSheet(rng *rand.Rand, W, H int) image.Rectangle {
	uni := func(a, b float64) float64 { return a + (b-a)*rng.Float64() }
	r := image.Rect(-W, -H, 2*W, 2*H)
	edges := 1 + rng.IntN(2) // 2: a corner
	side := rng.IntN(4)
	for k := 0; k < edges; k++ {
		switch (side + k) % 4 {
		case 0:
			r.Min.X = int(uni(0.08, 0.3) * float64(W))
		case 1:
			r.Min.Y = int(uni(0.08, 0.3) * float64(H))
		case 2:
			r.Max.X = W - int(uni(0.08, 0.3)*float64(W))
		case 3:
			r.Max.Y = H - int(uni(0.08, 0.3)*float64(H))
		}
	}
	return r
}

// insideSheet reports whether a frame box lies on the sheet, 6 pixels in
// from its edges.
func insideSheet(box [4]int, sheet image.Rectangle, inv homography) bool {
	in := sheet.Inset(6)
	for _, c := range [4][2]int{{box[0], box[1]}, {box[2], box[1]}, {box[0], box[3]}, {box[2], box[3]}} {
		px, py := inv.apply(float64(c[0]), float64(c[1]))
		if !(image.Point{int(math.Floor(px)), int(math.Floor(py))}).In(in) {
			return false
		}
	}
	return true
}

// finger is a finger or thumb in the frame: a capsule from A (its base,
// off the sheet) to B (its tip, over the sheet's edge), of radius r,
// shaded as a cylinder, with a soft shadow beside it.
type finger struct {
	ax, ay, bx, by, r float64
	skin              [3]float64
	sx, sy            float64 // the shadow's offset
	box               image.Rectangle
}

var skins = [][3]float64{
	{228, 186, 160}, {206, 150, 120}, {176, 122, 92}, {130, 88, 64}, {92, 62, 46},
}

// drawFingers puts up to n fingers (at least one) over the visible edges
// of the sheet (page rectangle sheet, hm maps page to frame), each clear
// of the digits' boxes; it gives up on a finger after a few tries.
func drawFingers(rng *rand.Rand, n int, sheet image.Rectangle, hm homography, digits []Truth, W, H int) []finger {
	if n <= 0 {
		return nil
	}
	uni := func(a, b float64) float64 { return a + (b-a)*rng.Float64() }
	// The sheet's edges that lie in the frame: a point on each and its
	// inward normal, in page coordinates.
	type edge struct {
		x0, y0, x1, y1 float64 // the edge's segment within the frame
		nx, ny         float64
	}
	var edges []edge
	fw, fh := float64(W), float64(H)
	s := sheet
	cl := func(v, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, v)) }
	if s.Min.X > 0 {
		edges = append(edges, edge{float64(s.Min.X), cl(float64(s.Min.Y), 0, fh), float64(s.Min.X), cl(float64(s.Max.Y), 0, fh), 1, 0})
	}
	if s.Max.X < W {
		edges = append(edges, edge{float64(s.Max.X), cl(float64(s.Min.Y), 0, fh), float64(s.Max.X), cl(float64(s.Max.Y), 0, fh), -1, 0})
	}
	if s.Min.Y > 0 {
		edges = append(edges, edge{cl(float64(s.Min.X), 0, fw), float64(s.Min.Y), cl(float64(s.Max.X), 0, fw), float64(s.Min.Y), 0, 1})
	}
	if s.Max.Y < H {
		edges = append(edges, edge{cl(float64(s.Min.X), 0, fw), float64(s.Max.Y), cl(float64(s.Max.X), 0, fw), float64(s.Max.Y), 0, -1})
	}
	if len(edges) == 0 {
		return nil
	}
	short := math.Min(fw, fh)
	count := 1 + rng.IntN(n)
	skin := skins[rng.IntN(len(skins))]
	var out []finger
	for len(out) < count {
		placed := false
		for try := 0; try < 12 && !placed; try++ {
			e := edges[rng.IntN(len(edges))]
			t := uni(0.1, 0.9)
			px, py := e.x0+(e.x1-e.x0)*t, e.y0+(e.y1-e.y0)*t
			fx, fy := hm.apply(px, py)
			qx, qy := hm.apply(px+e.nx*10, py+e.ny*10)
			nx, ny := qx-fx, qy-fy
			l := math.Hypot(nx, ny)
			nx, ny = nx/l, ny/l
			a := uni(-25, 25) * math.Pi / 180
			nx, ny = nx*math.Cos(a)-ny*math.Sin(a), nx*math.Sin(a)+ny*math.Cos(a)
			r := uni(0.035, 0.06) * short
			if rng.IntN(3) == 0 {
				r *= 1.3 // a thumb
			}
			out0 := uni(0.2, 0.4) * short
			in := uni(0.3, 1.5) * r
			f := finger{ax: fx - nx*out0, ay: fy - ny*out0, bx: fx + nx*in, by: fy + ny*in, r: r,
				skin: [3]float64{skin[0] * uni(0.92, 1.05), skin[1] * uni(0.92, 1.05), skin[2] * uni(0.92, 1.05)},
				sx:   uni(-0.5, 0.5) * r, sy: uni(0.2, 0.6) * r}
			if f.bx < 0 || f.by < 0 || f.bx >= fw || f.by >= fh {
				continue
			}
			pad := r*1.6 + 2
			f.box = image.Rect(int(math.Min(f.ax, f.bx)-pad), int(math.Min(f.ay, f.by)-pad),
				int(math.Max(f.ax, f.bx)+pad)+1, int(math.Max(f.ay, f.by)+pad)+1)
			clear := true
			for _, d := range digits {
				b := d.Rect().Inset(-6)
				if segBoxDist(f.ax, f.ay, f.bx, f.by, b) < r*1.4 {
					clear = false
					break
				}
			}
			if clear {
				out = append(out, f)
				placed = true
			}
		}
		if !placed {
			break
		}
	}
	return out
}

// paint draws the finger (or its shadow) over col at frame point (x, y).
func (f *finger) paint(col *[3]float64, x, y float64) {
	if !(image.Point{int(x), int(y)}).In(f.box) {
		return
	}
	d := segDist(f.ax, f.ay, f.bx, f.by, x, y)
	if a := math.Max(0, math.Min(1, f.r+0.5-d)); a > 0 {
		// Lambert shading across a cylinder; a paler nail at the tip and
		// two dark creases across the finger, at its joints.
		u := math.Min(1, d/f.r)
		shade := 0.5 + 0.5*math.Sqrt(1-u*u)
		c := f.skin
		dx, dy := f.bx-f.ax, f.by-f.ay
		l := math.Hypot(dx, dy)
		along := l - ((x-f.ax)*dx+(y-f.ay)*dy)/l // from the tip
		switch {
		case along < 1.1*f.r && d < 0.65*f.r && along > 0.1*f.r:
			c = [3]float64{235, 205, 200}
		case math.Abs(along-2.2*f.r) < 1 || math.Abs(along-3.6*f.r) < 1:
			shade *= 0.6
		}
		blend(col, [3]float64{c[0] * shade, c[1] * shade, c[2] * shade}, a)
		return
	}
	ds := segDist(f.ax+f.sx, f.ay+f.sy, f.bx+f.sx, f.by+f.sy, x, y)
	if ds < f.r*1.5 {
		k := 1 - 0.35*math.Max(0, math.Min(1, (f.r*1.5-ds)/(f.r*0.6)))
		col[0], col[1], col[2] = col[0]*k, col[1]*k, col[2]*k
	}
}

// segDist is the distance from (x, y) to the segment from a to b.
func segDist(ax, ay, bx, by, x, y float64) float64 {
	dx, dy := bx-ax, by-ay
	t := ((x-ax)*dx + (y-ay)*dy) / (dx*dx + dy*dy)
	t = math.Max(0, math.Min(1, t))
	return math.Hypot(x-ax-t*dx, y-ay-t*dy)
}

// segBoxDist is the distance from the segment a-b to the rectangle r,
// sampled along the segment (0 when they meet).
func segBoxDist(ax, ay, bx, by float64, r image.Rectangle) float64 {
	best := math.Inf(1)
	for i := 0; i <= 32; i++ {
		t := float64(i) / 32
		x, y := ax+(bx-ax)*t, ay+(by-ay)*t
		dx := math.Max(0, math.Max(float64(r.Min.X)-x, x-float64(r.Max.X)))
		dy := math.Max(0, math.Max(float64(r.Min.Y)-y, y-float64(r.Max.Y)))
		best = math.Min(best, math.Hypot(dx, dy))
	}
	return best
}
