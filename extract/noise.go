package extract

import "image"

// Sensor noise. A webcam in a dim room, or a phone at high ISO, speckles
// the paper with grain as dark as faint ink: the thresholds find ink all
// over the page, the specks join the digits' components and fill their
// crops, and the model reads nothing but "not a digit". Above a level of
// noise that ordinary frames stay under, the plane is smoothed before the
// stages look at it, as much as the noise asks for.

// noiseSmooth is the noise, in grey levels (its standard deviation),
// above which the plane is smoothed. The development photos estimate 0.2
// to 2.5 (the phones' own denoising smooths them); a dim room's webcam
// frames 12 to 24.
const noiseSmooth = 9

// noiseSamples is about how many places noiseSigma looks at for single
// pixels: its median is then good to a few per cent, for 30 µs of a
// 640x480 frame's extraction (45 µs with the blocks).
const noiseSamples = 16384

// noiseStage holds the smoothed plane and its scratch.
type noiseStage struct {
	hist  [1024]int32
	plane image.Gray
	own   []uint8
	tmp   []uint8
	sigma float32 // the last frame's estimate
}

// noiseSigma estimates the standard deviation of the noise in g, the
// larger of two estimates: one from single pixels and one from the means
// of 2x2 blocks. A sensor's raw grain is nearly white and the first sees
// it; after a JPEG encoder or a camera's own processing has taken out the
// finest part, the grain is spread over two or three pixels, the first
// sees a third of it and the second sees it whole. Both are as large for
// white noise.
func (s *noiseStage) noiseSigma(g *image.Gray) float32 {
	return max(s.sigmaAt(g, 1), s.sigmaAt(g, 2))
}

// sigmaAt estimates the noise at the scale of blocks of size by size
// pixels, size 1 or 2: the median absolute response of the mask
// [1 −2 1; −2 4 −2; 1 −2 1] over the blocks' means, which cancels smooth
// shading and leaves six times their noise's deviation (Immerkær, "Fast
// noise variance estimation", 1996), at about noiseSamples places spread
// over the frame. The median, not the mean, so that the strokes' edges, a
// small part of a page, do not count. The block means' deviation is
// scaled by size to the pixels' that white noise would have.
func (s *noiseStage) sigmaAt(g *image.Gray, size int) float32 {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	if w < 3*size+1 || h < 3*size+1 {
		return 0
	}
	// About noiseSamples positions, on a grid of step pixels; an eighth
	// of them for blocks, each four times the work, whose median is then
	// good to about 4%.
	samples := noiseSamples
	if size > 1 {
		samples /= 8
	}
	step := 1
	for (w/step)*(h/step) > samples {
		step++
	}
	clear(s.hist[:])
	n := int32(0)
	p, st := g.Pix, g.Stride
	top := len(s.hist) - 1
	if size == 1 {
		for y := 1; y < h-1; y += step {
			a, b, c := p[(y-1)*st:], p[y*st:], p[(y+1)*st:]
			for x := 1; x < w-1; x += step {
				v := int(a[x-1]) - 2*int(a[x]) + int(a[x+1]) -
					2*int(b[x-1]) + 4*int(b[x]) - 2*int(b[x+1]) +
					int(c[x-1]) - 2*int(c[x]) + int(c[x+1])
				s.hist[min(max(v, -v), top)]++
				n++
			}
		}
	} else {
		for y := 2; y < h-3; y += step {
			a0, a1 := p[(y-2)*st:], p[(y-1)*st:]
			b0, b1 := p[y*st:], p[(y+1)*st:]
			c0, c1 := p[(y+2)*st:], p[(y+3)*st:]
			for x := 2; x < w-3; x += step {
				v := sum2x2(a0, a1, x-2) - 2*sum2x2(a0, a1, x) + sum2x2(a0, a1, x+2) -
					2*sum2x2(b0, b1, x-2) + 4*sum2x2(b0, b1, x) - 2*sum2x2(b0, b1, x+2) +
					sum2x2(c0, c1, x-2) - 2*sum2x2(c0, c1, x) + sum2x2(c0, c1, x+2)
				v /= 4 // the blocks' means
				s.hist[min(max(v, -v), top)]++
				n++
			}
		}
	}
	// median |N(0, 36σ²)| = 0.6745·6σ; a block's mean has σ/size.
	return float32(histMedian(s.hist[:], n)*size) / (0.6745 * 6)
}

// sum2x2 is the sum of the two pixels at x and x+1 of rows r0 and r1.
func sum2x2(r0, r1 []uint8, x int) int {
	return int(r0[x]) + int(r0[x+1]) + int(r1[x]) + int(r1[x+1])
}

// smooth returns g as it is when its noise is below noiseSmooth, and
// otherwise g smoothed by two passes of a 3x3 box filter, in a plane the
// stage keeps.
func (s *noiseStage) smooth(g *image.Gray) *image.Gray {
	s.sigma = s.noiseSigma(g)
	if s.sigma < noiseSmooth {
		return g
	}
	w, h := g.Rect.Dx(), g.Rect.Dy()
	s.own = grow(s.own, w*h)
	s.tmp = grow(s.tmp, w*h)
	for y := range h {
		copy(s.own[y*w:(y+1)*w], g.Pix[y*g.Stride:y*g.Stride+w])
	}
	for range 2 {
		box3Rows(s.tmp, s.own, w, h)
		box3Cols(s.own, s.tmp, w, h)
	}
	s.plane = image.Gray{Pix: s.own, Stride: w, Rect: image.Rect(0, 0, w, h)}
	return &s.plane
}

// box3Rows writes into dst the mean, rounded, of each pixel of src (w by
// h) and its two neighbours along its row, the edge pixel standing for
// the one beyond it.
func box3Rows(dst, src []uint8, w, h int) {
	for y := range h {
		s, d := src[y*w:(y+1)*w], dst[y*w:(y+1)*w]
		for x := range w {
			l, r := s[max(x-1, 0)], s[min(x+1, w-1)]
			d[x] = uint8((uint16(l) + uint16(s[x]) + uint16(r) + 1) / 3)
		}
	}
}

// box3Cols is box3Rows down the columns.
func box3Cols(dst, src []uint8, w, h int) {
	for y := range h {
		up, s, down := src[max(y-1, 0)*w:], src[y*w:(y+1)*w], src[min(y+1, h-1)*w:]
		d := dst[y*w : (y+1)*w]
		for x := range w {
			d[x] = uint8((uint16(up[x]) + uint16(s[x]) + uint16(down[x]) + 1) / 3)
		}
	}
}

// histMedian returns the bin of hist, which counts n values, that holds
// their median.
func histMedian(hist []int32, n int32) int {
	half := int32(0)
	for k, c := range hist {
		if half += c; 2*half >= n {
			return k
		}
	}
	return len(hist) - 1
}
