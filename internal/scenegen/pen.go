package scenegen

import (
	"image"
	"math"
	"math/rand/v2"

	"golang.org/x/image/math/f64"
)

// penUp is the resolution of a pen field: penUp cells per MNIST pixel.
const penUp = 4

// penSide is the side of a pen field in cells.
const penSide = 28 * penUp

// penField is the distance from each cell of a glyph, sampled penUp times
// finer than its 28x28 pixels, to the path a pen would have drawn the digit
// along, in MNIST pixels. Stroking the path with a round pen of any width
// gives the same digit written with a hairline pen, a ballpoint or a marker.
type penField [penSide * penSide]float32

// The glyph's shape, for its pen path: the cells where the upsampled glyph
// reaches penInk. A third of full ink, not a half: MNIST's scanner left
// light stretches in some strokes (the far side of a 0, the join of an
// 8's loops) that are part of the digit; thresholded at half ink, the 0
// became a C.
const penInk = 80

// penCore is the depth, in MNIST pixels, beyond which a glyph's ink is a
// blob rather than a stroke: a loop written so small that the pen filled
// it (the loop of a 6, an 8's lower loop). Thinning takes a filled loop
// down to a spur, and a 6 drawn along its skeleton came out as a (; the
// path keeps such cores whole, as the pen that filled them would.
const penCore = 2.25

// newPenField thins glyph (28x28, ink 255) to its skeleton and returns the
// distance of every cell to it or to the glyph's blob cores.
func newPenField(glyph []uint8) *penField {
	bin := make([]bool, penSide*penSide)
	paper := make([]bool, penSide*penSide)
	for y := 0; y < penSide; y++ {
		gy := (float64(y)+0.5)/penUp - 0.5
		for x := 0; x < penSide; x++ {
			gx := (float64(x)+0.5)/penUp - 0.5
			ink := bilinear28(glyph, gx, gy) >= penInk
			bin[y*penSide+x], paper[y*penSide+x] = ink, !ink
		}
	}
	// The depth of each ink cell: its distance to the paper.
	depth := make([]float32, penSide*penSide)
	edt(paper, penSide, penSide, depth)
	thin(bin, penSide, penSide)
	for i, d := range depth {
		if d >= penCore*penCore*penUp*penUp {
			bin[i] = true
		}
	}
	f := new(penField)
	edt(bin, penSide, penSide, f[:])
	for i := range f {
		f[i] = float32(math.Sqrt(float64(f[i]))) / penUp
	}
	return f
}

// at returns the distance to the skeleton at glyph coordinates (gx, gy)
// (pixel (i, j) covers [i, i+1) x [j, j+1)), interpolated bilinearly;
// outside the field, the distance to its edge is added.
func (f *penField) at(gx, gy float64) float64 {
	cx, cy := gx*penUp-0.5, gy*penUp-0.5
	ox := math.Max(0, math.Max(-cx, cx-(penSide-1)))
	oy := math.Max(0, math.Max(-cy, cy-(penSide-1)))
	cx = math.Max(0, math.Min(penSide-1.001, cx))
	cy = math.Max(0, math.Min(penSide-1.001, cy))
	x0, y0 := int(cx), int(cy)
	fx, fy := cx-float64(x0), cy-float64(y0)
	i := y0*penSide + x0
	v := (float64(f[i])*(1-fx)+float64(f[i+1])*fx)*(1-fy) +
		(float64(f[i+penSide])*(1-fx)+float64(f[i+penSide+1])*fx)*fy
	return v + math.Hypot(ox, oy)/penUp
}

// bilinear28 samples a 28x28 glyph at pixel-centre coordinates (x, y); 0
// outside.
func bilinear28(g []uint8, x, y float64) float64 {
	x0, y0 := math.Floor(x), math.Floor(y)
	fx, fy := x-x0, y-y0
	ix, iy := int(x0), int(y0)
	at := func(i, j int) float64 {
		if i < 0 || j < 0 || i >= 28 || j >= 28 {
			return 0
		}
		return float64(g[j*28+i])
	}
	return (at(ix, iy)*(1-fx)+at(ix+1, iy)*fx)*(1-fy) + (at(ix, iy+1)*(1-fx)+at(ix+1, iy+1)*fx)*fy
}

// thin reduces a binary image to its one-cell-wide skeleton in place
// (Zhang and Suen, 1984).
func thin(b []bool, w, h int) {
	at := func(x, y int) bool { return x >= 0 && y >= 0 && x < w && y < h && b[y*w+x] }
	var del []int
	for changed := true; changed; {
		changed = false
		for pass := 0; pass < 2; pass++ {
			del = del[:0]
			for y := 0; y < h; y++ {
				for x := 0; x < w; x++ {
					if !b[y*w+x] {
						continue
					}
					// Neighbours P2..P9 clockwise from north.
					p := [8]bool{at(x, y-1), at(x+1, y-1), at(x+1, y), at(x+1, y+1),
						at(x, y+1), at(x-1, y+1), at(x-1, y), at(x-1, y-1)}
					n, t := 0, 0
					for i := range 8 {
						if p[i] {
							n++
						}
						if !p[i] && p[(i+1)%8] {
							t++
						}
					}
					if n < 2 || n > 6 || t != 1 {
						continue
					}
					if pass == 0 && (p[0] && p[2] && p[4] || p[2] && p[4] && p[6]) {
						continue
					}
					if pass == 1 && (p[0] && p[2] && p[6] || p[0] && p[4] && p[6]) {
						continue
					}
					del = append(del, y*w+x)
				}
			}
			for _, i := range del {
				b[i] = false
			}
			changed = changed || len(del) > 0
		}
	}
}

// edt writes the squared Euclidean distance of every cell of a w×h binary
// image to the nearest set cell into d, by the separable lower-envelope
// method of Felzenszwalb and Huttenlocher (2012). With no cell set, every
// distance is large.
func edt(b []bool, w, h int, d []float32) {
	const inf = 1e20
	n := max(w, h)
	f := make([]float64, n)
	out := make([]float64, n)
	v := make([]int, n)
	z := make([]float64, n+1)
	col := make([]float64, w*h)
	for x := 0; x < w; x++ {
		for y := 0; y < h; y++ {
			f[y] = inf
			if b[y*w+x] {
				f[y] = 0
			}
		}
		edt1(f[:h], out[:h], v, z)
		for y := 0; y < h; y++ {
			col[y*w+x] = out[y]
		}
	}
	for y := 0; y < h; y++ {
		copy(f[:w], col[y*w:(y+1)*w])
		edt1(f[:w], out[:w], v, z)
		for x := 0; x < w; x++ {
			d[y*w+x] = float32(out[x])
		}
	}
}

// edt1 is the one-dimensional squared distance transform of f: the lower
// envelope of the parabolas rooted at each sample.
func edt1(f, d []float64, v []int, z []float64) {
	inter := func(q, p int) float64 {
		return ((f[q] + float64(q*q)) - (f[p] + float64(p*p))) / float64(2*q-2*p)
	}
	k := 0
	v[0] = 0
	z[0], z[1] = math.Inf(-1), math.Inf(1)
	for q := 1; q < len(f); q++ {
		s := inter(q, v[k])
		for s <= z[k] {
			k--
			s = inter(q, v[k])
		}
		k++
		v[k] = q
		z[k], z[k+1] = s, math.Inf(1)
	}
	k = 0
	for q := range f {
		for z[k+1] < float64(q) {
			k++
		}
		dq := float64(q - v[k])
		d[q] = dq*dq + f[v[k]]
	}
}

// penStyle is a scene's pen: its width in pixels (0: the MNIST grey
// levels are drawn instead) and the graphite grain of its strokes.
type penStyle struct {
	width float64
	grain float64
	seed  uint64
}

// newPen draws the pen of a scene of family p whose digits are dh pixels
// tall.
func newPen(rng *rand.Rand, p Params, dh float64) penStyle {
	var ps penStyle
	if p.Pen[1] > 0 {
		ps.width = p.Pen[0] + (p.Pen[1]-p.Pen[0])*rng.Float64()
		if p.PenRel {
			ps.width *= dh
		}
	}
	if p.Grain > 0 {
		ps.grain, ps.seed = p.Grain, rng.Uint64()
	}
	return ps
}

func (ps penStyle) on() bool { return ps.width > 0 }

// box returns the frame box of a glyph stroked with the pen, drawn by aff
// (scale s) onto the page and hm into the frame.
func (ps penStyle) box(f *penField, aff f64.Aff3, s float64, hm homography) [4]float64 {
	r := (ps.width/2 - 0.1) / s // glyph pixels
	fb := newFrameBox(aff, hm)
	for j := 0; j < penSide; j++ {
		for i := 0; i < penSide; i++ {
			if float64(f[j*penSide+i]) > r {
				continue
			}
			fb.add((float64(i)+0.5)/penUp, (float64(j)+0.5)/penUp)
		}
	}
	return fb.box
}

// draw strokes the glyph's skeleton onto the page (ink alpha) with the
// pen, the glyph placed by aff (a rotation scaled by s, and a shift).
func (ps penStyle) draw(page *image.Alpha, f *penField, aff f64.Aff3, s float64) {
	// The page box of the glyph's square, widened by the pen.
	x0, y0, x1, y1 := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, c := range [4][2]float64{{0, 0}, {28, 0}, {0, 28}, {28, 28}} {
		px := aff[0]*c[0] + aff[1]*c[1] + aff[2]
		py := aff[3]*c[0] + aff[4]*c[1] + aff[5]
		x0, y0, x1, y1 = math.Min(x0, px), math.Min(y0, py), math.Max(x1, px), math.Max(y1, py)
	}
	pad := ps.width/2 + 1
	r := page.Rect
	ix0, iy0 := max(r.Min.X, int(math.Floor(x0-pad))), max(r.Min.Y, int(math.Floor(y0-pad)))
	ix1, iy1 := min(r.Max.X, int(math.Ceil(x1+pad))), min(r.Max.Y, int(math.Ceil(y1+pad)))
	// The inverse of the linear part, a rotation scaled by s.
	det := aff[0]*aff[4] - aff[1]*aff[3]
	a, b, c, d := aff[4]/det, -aff[1]/det, -aff[3]/det, aff[0]/det
	for y := iy0; y < iy1; y++ {
		for x := ix0; x < ix1; x++ {
			px, py := float64(x)+0.5-aff[2], float64(y)+0.5-aff[5]
			gx, gy := a*px+b*py, c*px+d*py
			dist := f.at(gx, gy) * s
			v := math.Max(0, math.Min(1, ps.width/2+0.5-dist))
			if v == 0 {
				continue
			}
			o := page.PixOffset(x, y)
			page.Pix[o] = max(page.Pix[o], uint8(v*255+0.5))
		}
	}
}
