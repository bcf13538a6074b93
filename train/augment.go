package train

import "math"

// Augment describes the random distortions applied to each training image
// when augmentation is on: what a camera adds to MNIST's clean digits.
// Each sample's distortion is drawn from a hash of (seed, iteration, sample),
// so augmented runs stay reproducible and resumable.
type Augment struct {
	MaxShift  float64 // pixels, uniform in ±MaxShift on each axis
	MaxRotate float64 // degrees, uniform in ±MaxRotate
	MinScale  float64 // scale factor, uniform in [MinScale, MaxScale]
	MaxScale  float64
	PThicken  float64 // probability of thickening strokes (3x3 grey dilation)
	PThin     float64 // probability of thinning strokes (3x3 grey erosion)
	PBlur     float64 // probability of a 3x3 Gaussian blur
	PIdentity float64 // probability of leaving the image untouched
	PMarker   float64 // probability of a broad marker's strokes (two dilations, then a blur)
	PHairline float64 // probability of a fine pen's strokes (an erosion, then a sharper edge)
	// Elastic is the largest displacement, in pixels, of an elastic
	// distortion (Simard et al.'s, at a coarse scale): each point of a 4x4
	// grid over the image moves by up to ±Elastic on each axis, and the
	// pixels between follow bilinearly. 0: none.
	Elastic float64
}

// elasticGrid is the side of the elastic distortion's grid of points.
const elasticGrid = 4

// MaxElastic bounds Config.Elastic: moved further, points of a 28x28
// digit would cross its strokes.
const MaxElastic = 6

// DefaultAugment is what --augment uses: shifts of ±3 px, rotations of ±15°,
// scale 0.8-1.15, thicker or thinner strokes and blur now and then; one
// image in five is left as it is so that clean digits stay well learnt.
var DefaultAugment = Augment{MaxShift: 3, MaxRotate: 15, MinScale: 0.8, MaxScale: 1.15,
	PThicken: 0.2, PThin: 0.1, PBlur: 0.2, PIdentity: 0.2}

// StrokeAugment is DefaultAugment with strokes pushed further both ways:
// one image in ten as if written with a broad marker (about 4 pixels
// thicker at 28x28), one in ten with a fine pen, thinner and with harder
// edges than the extractor's thickening leaves them. Synth.Strokes uses
// it.
var StrokeAugment = Augment{MaxShift: 3, MaxRotate: 15, MinScale: 0.8, MaxScale: 1.15,
	PThicken: 0.2, PThin: 0.1, PBlur: 0.2, PIdentity: 0.2, PMarker: 0.1, PHairline: 0.1}

// augmenter holds the scratch space of Augment.apply.
type augmenter struct {
	Augment
	tmp   [2][]float32
	field [2][elasticGrid * elasticGrid]float64 // the grid's displacements across and down
}

func newAugmenter(a Augment, size int) *augmenter {
	return &augmenter{Augment: a, tmp: [2][]float32{make([]float32, size), make([]float32, size)}}
}

// uniform returns a float in [0, 1) from the top bits of h and the next
// state of the hash stream.
func uniform(h *uint64) float64 {
	*h = splitmix(*h)
	return float64(*h>>11) / (1 << 53)
}

// apply distorts the image img, (rows, cols) in 0..1, in place; key selects
// the random draw.
func (a *augmenter) apply(img []float32, rows, cols int, key uint64) {
	h := key
	if uniform(&h) < a.PIdentity {
		return
	}
	angle := (2*uniform(&h) - 1) * a.MaxRotate * math.Pi / 180
	scale := a.MinScale + uniform(&h)*(a.MaxScale-a.MinScale)
	dx := (2*uniform(&h) - 1) * a.MaxShift
	dy := (2*uniform(&h) - 1) * a.MaxShift
	var field *[2][elasticGrid * elasticGrid]float64
	if a.Elastic > 0 { // drawn only then: runs without it stay as they were
		for i := range a.field {
			for j := range a.field[i] {
				a.field[i][j] = (2*uniform(&h) - 1) * a.Elastic
			}
		}
		field = &a.field
	}
	src := a.tmp[0][:len(img)]
	copy(src, img)
	warp(img, src, rows, cols, angle, scale, dx, dy, field)
	switch u := uniform(&h); {
	case u < a.PThicken:
		morph(img, a.tmp[0], rows, cols, true)
	case u < a.PThicken+a.PThin:
		morph(img, a.tmp[0], rows, cols, false)
	}
	if uniform(&h) < a.PBlur {
		blur3(img, a.tmp[0], rows, cols)
	}
	if a.PMarker == 0 && a.PHairline == 0 {
		return // DefaultAugment draws no more, so its runs stay as they were
	}
	switch u := uniform(&h); {
	case u < a.PMarker:
		morph(img, a.tmp[0], rows, cols, true)
		morph(img, a.tmp[0], rows, cols, true)
		blur3(img, a.tmp[0], rows, cols)
	case u < a.PMarker+a.PHairline:
		morph(img, a.tmp[0], rows, cols, false)
		var peak float32
		for _, v := range img {
			peak = max(peak, v)
		}
		// Stretch so that what is left of the stroke is full ink and
		// its faint edge goes.
		for i, v := range img {
			img[i] = min(max((v-0.15*peak)*2.5/max(peak, 1e-6), 0), 1)
		}
	}
}

// warp writes into dst the image src rotated by angle and scaled about its
// centre, then shifted by (dx, dy), with bilinear sampling; outside is 0.
// A field, when given, moves where each pixel is sampled from by the
// bilinear interpolation of its grid of displacements (across, then down).
func warp(dst, src []float32, rows, cols int, angle, scale, dx, dy float64, field *[2][elasticGrid * elasticGrid]float64) {
	cx, cy := float64(cols-1)/2, float64(rows-1)/2
	// Inverse map: for each destination pixel, where it comes from.
	c, s := math.Cos(angle)/scale, math.Sin(angle)/scale
	for y := range rows {
		for x := range cols {
			u, v := float64(x)-cx-dx, float64(y)-cy-dy
			sx, sy := c*u+s*v+cx, -s*u+c*v+cy
			if field != nil {
				ex, ey := displacement(field, float64(x)/float64(cols-1), float64(y)/float64(rows-1))
				sx, sy = sx+ex, sy+ey
			}
			dst[y*cols+x] = bilinear(src, rows, cols, sx, sy)
		}
	}
}

// displacement interpolates field bilinearly at (fx, fy), each in 0..1
// across the grid.
func displacement(field *[2][elasticGrid * elasticGrid]float64, fx, fy float64) (ex, ey float64) {
	const last = elasticGrid - 1
	gx, gy := fx*last, fy*last
	ix, iy := min(int(gx), last-1), min(int(gy), last-1)
	tx, ty := gx-float64(ix), gy-float64(iy)
	k := iy*elasticGrid + ix
	at := func(f *[elasticGrid * elasticGrid]float64) float64 {
		top := f[k]*(1-tx) + f[k+1]*tx
		bottom := f[k+elasticGrid]*(1-tx) + f[k+elasticGrid+1]*tx
		return top*(1-ty) + bottom*ty
	}
	return at(&field[0]), at(&field[1])
}

func bilinear(src []float32, rows, cols int, x, y float64) float32 {
	x0, y0 := math.Floor(x), math.Floor(y)
	fx, fy := float32(x-x0), float32(y-y0)
	ix, iy := int(x0), int(y0)
	at := func(x, y int) float32 {
		if x < 0 || y < 0 || x >= cols || y >= rows {
			return 0
		}
		return src[y*cols+x]
	}
	top := at(ix, iy)*(1-fx) + at(ix+1, iy)*fx
	bottom := at(ix, iy+1)*(1-fx) + at(ix+1, iy+1)*fx
	return top*(1-fy) + bottom*fy
}

// morph replaces each pixel by the maximum (dilate) or minimum of its
// 4-neighbourhood and itself: strokes get about a pixel thicker or thinner.
func morph(img, tmp []float32, rows, cols int, dilate bool) {
	copy(tmp, img)
	for y := range rows {
		for x := range cols {
			v := tmp[y*cols+x]
			for _, d := range [4][2]int{{-1, 0}, {1, 0}, {0, -1}, {0, 1}} {
				nx, ny := x+d[0], y+d[1]
				var n float32
				if nx >= 0 && ny >= 0 && nx < cols && ny < rows {
					n = tmp[ny*cols+nx]
				}
				if dilate == (n > v) {
					v = n
				}
			}
			img[y*cols+x] = v
		}
	}
}

// blur3 applies the 3x3 binomial kernel [1 2 1]/4 ⊗ [1 2 1]/4.
func blur3(img, tmp []float32, rows, cols int) {
	copy(tmp, img)
	at := func(x, y int) float32 {
		if x < 0 || y < 0 || x >= cols || y >= rows {
			return 0
		}
		return tmp[y*cols+x]
	}
	for y := range rows {
		for x := range cols {
			var s float32
			for j := -1; j <= 1; j++ {
				wy := float32(2 - j*j)
				for i := -1; i <= 1; i++ {
					s += wy * float32(2-i*i) * at(x+i, y+j)
				}
			}
			img[y*cols+x] = s / 16
		}
	}
}
