package extract

import "image"

// Sensor noise. A webcam in a dim room, or a phone at high ISO, speckles
// the paper with grain as dark as faint ink: the thresholds find ink all
// over the page, the specks join the digits' components and fill their
// crops, and the model reads nothing but "not a digit". Above a level of
// noise that ordinary frames stay under, the plane is smoothed before the
// stages look at it, as much as the noise asks for.

// noiseSmooth is the noise, in grey levels (its standard deviation),
// above which the plane is smoothed. The development photos estimate 0 to
// 1 (JPEG and the phones' own denoising smooth them).
const noiseSmooth = 9

// noiseSamples is about how many places noiseSigma looks at: its median
// is then good to a few per cent, for a twentieth of a frame's
// extraction.
const noiseSamples = 16384

// noiseStage holds the smoothed plane and its scratch.
type noiseStage struct {
	hist     [1024]int32
	plane    image.Gray
	own      []uint8
	tmp      []uint16
	sigma    float32 // the last frame's estimate
	smoothed bool    // and whether it was smoothed
}

// noiseSigma estimates the standard deviation of the noise in g: the
// median absolute response of the mask [1 −2 1; −2 4 −2; 1 −2 1], which
// cancels smooth shading and leaves six times the noise's deviation
// (Immerkær, "Fast noise variance estimation", 1996), at about
// noiseSamples places spread over the frame. The median, not the mean, so
// that the strokes' edges, a small part of a page, do not count.
func (s *noiseStage) noiseSigma(g *image.Gray) float32 {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	if w < 3 || h < 3 {
		return 0
	}
	// About noiseSamples positions, on a grid of step pixels.
	step := 1
	for (w/step)*(h/step) > noiseSamples {
		step++
	}
	clear(s.hist[:])
	n := int32(0)
	p, st := g.Pix, g.Stride
	for y := 1; y < h-1; y += step {
		a, b, c := p[(y-1)*st:], p[y*st:], p[(y+1)*st:]
		for x := 1; x < w-1; x += step {
			v := int(a[x-1]) - 2*int(a[x]) + int(a[x+1]) -
				2*int(b[x-1]) + 4*int(b[x]) - 2*int(b[x+1]) +
				int(c[x-1]) - 2*int(c[x]) + int(c[x+1])
			v = min(max(v, -v), len(s.hist)-1)
			s.hist[v]++
			n++
		}
	}
	half, k := int32(0), 0
	for k = range s.hist {
		half += s.hist[k]
		if 2*half >= n {
			break
		}
	}
	// median |N(0, 36σ²)| = 0.6745·6σ.
	return float32(k) / (0.6745 * 6)
}

// smooth returns g as it is when its noise is below noiseSmooth, and
// otherwise g smoothed by two passes of a 3x3 box filter, in a plane the
// stage keeps.
func (s *noiseStage) smooth(g *image.Gray) *image.Gray {
	s.sigma = s.noiseSigma(g)
	s.smoothed = s.sigma >= noiseSmooth
	if !s.smoothed {
		return g
	}
	const r = 1
	w, h := g.Rect.Dx(), g.Rect.Dy()
	s.own = grow(s.own, w*h)
	s.tmp = grow(s.tmp, w*h)
	for y := range h {
		copy(s.own[y*w:(y+1)*w], g.Pix[y*g.Stride:y*g.Stride+w])
	}
	for range 2 {
		boxRows(s.own, s.tmp, w, h, r)
		boxCols(s.own, s.tmp, w, h, r)
	}
	s.plane = image.Gray{Pix: s.own, Stride: w, Rect: image.Rect(0, 0, w, h)}
	return &s.plane
}

// boxRows replaces each pixel of p (w by h) by the mean of the 2r+1
// pixels around it along its row, the edge pixel repeated beyond the
// ends; tmp holds the sums.
func boxRows(p []uint8, tmp []uint16, w, h, r int) {
	d := uint16(2*r + 1)
	for y := range h {
		row, sum := p[y*w:(y+1)*w], tmp[y*w:(y+1)*w]
		at := func(x int) uint16 { return uint16(row[min(max(x, 0), w-1)]) }
		var s uint16
		for x := -r; x <= r; x++ {
			s += at(x)
		}
		for x := range w {
			sum[x] = s
			s += at(x+r+1) - at(x-r)
		}
		for x := range w {
			row[x] = uint8((sum[x] + d/2) / d)
		}
	}
}

// boxCols is boxRows down the columns, a row at a time: tmp's first row
// holds the columns' running sums, and the means are written to p once
// every row they read is past.
func boxCols(p []uint8, tmp []uint16, w, h, r int) {
	d := uint16(2*r + 1)
	row := func(y int) []uint8 { y = min(max(y, 0), h-1); return p[y*w : (y+1)*w] }
	sum := tmp[:w]
	clear(sum)
	for y := -r; y <= r; y++ {
		for x, v := range row(y) {
			sum[x] += uint16(v)
		}
	}
	// The means of the last r+1 rows wait in a ring of rows of tmp (after
	// its first), until the rows they read are no longer needed.
	ring := tmp[w:]
	slots := min(r+1, h)
	for y := range h {
		out := ring[(y%slots)*w : (y%slots+1)*w]
		if y >= slots {
			copy8(p[(y-slots)*w:(y-slots+1)*w], out)
		}
		for x := range w {
			out[x] = (sum[x] + d/2) / d
		}
		add, sub := row(y+r+1), row(y-r)
		for x := range w {
			sum[x] += uint16(add[x]) - uint16(sub[x])
		}
	}
	for y := max(h-slots, 0); y < h; y++ {
		copy8(p[y*w:(y+1)*w], ring[(y%slots)*w:(y%slots+1)*w])
	}
}

// copy8 copies the means in src, each under 256, into dst.
func copy8(dst []uint8, src []uint16) {
	for i := range dst {
		dst[i] = uint8(src[i])
	}
}
