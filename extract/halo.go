package extract

import "image"

// Sharpening halos. Webcams, the Pi's camera and phones sharpen what they
// deliver: beside every dark stroke the paper is lifted into a bright
// ridge a few pixels wide, a third brighter than the paper around it on a
// cheap webcam. The paper estimate takes each block's brightest pixel, so
// near writing it takes the ridge, and the plain paper a few pixels away
// reads as faint ink: specks and rings gather round the digits, a digit
// holding two of them is taken for a frame drawn round writing, and the
// digits are lost. So the halo is measured on the frame, and where it is
// found the estimate may fall, by as much as the halo lifts the paper, to
// the paper of the blocks around the writing (an opening of the grid: the
// least of the neighbours' brightest, then the greatest of those).

// haloMin is the halo, as a fraction of the paper's brightness, under
// which a frame counts as unsharpened: the phone photos of ../shared/photos
// measure 0 to 2%, the webcam frames of photos2 up to 17% (the webcam
// sharpens), the same sharpened by ImageMagick's -unsharp 0x1+1 up to 29%
// and by 0x2+1.5 up to 39%.
const haloMin = 0.06

// haloMax bounds the halo that dehalo discounts: the heaviest sharpening
// measured lifts the paper by 40%, and a frame that measures more (the
// edges of something else than strokes on paper) lets the estimate fall
// by a third at the most.
const haloMax = 0.5

// Where a halo is looked for: on about haloRows rows spread over the
// frame (27 µs at 640x480: BenchmarkHaloMeasure), at pixels darker than
// haloInk of their block's paper that have paper beside them. The ridge
// is the brightest of the haloNear pixels after the stroke's edge; the
// paper, the mean of the haloFar pixels beyond, taken only where they are
// flat (none darker than haloFlat of the brightest) and paper (at least
// haloPaper of the estimate).
const (
	haloRows  = 48
	haloInk   = 0.5
	haloNear  = 4
	haloFar   = 4
	haloFlat  = 0.9
	haloPaper = 0.6
)

// haloSamples is how many stroke edges the median of the halo needs.
const haloSamples = 32

// haloStage holds the histogram of the ridges' brightness over the
// paper's and the grid of the blocks' brightest pixels.
type haloStage struct {
	hist  [128]int32 // ridge/paper - 1 in 1/128 steps, 0 to 1
	raw   []float32  // the blocks' brightest pixels, before the closing
	level float32    // the last frame's halo
}

// keep copies bg, the blocks' brightest pixels, for dehalo.
func (s *haloStage) keep(bg []float32) []float32 {
	s.raw = grow(s.raw, len(bg))
	copy(s.raw, bg)
	return s.raw[:len(bg)]
}

// dehalo measures the frame's halo and, when it is haloMin or more, lets
// the paper estimate fall by as much toward the paper of the blocks
// around the writing: raw (the blocks' brightest pixels) opened, then
// closed like the estimate, so that the blocks a stroke covers take their
// neighbours' paper again.
func (e *Extractor) dehalo(frame *image.Gray, raw []float32) {
	bw, bh := e.paper.bgw, e.paper.bgh
	bg := e.paper.bg[:bw*bh]
	e.halo.level = e.halo.measure(frame, bg, e.paper.blk, bw)
	if e.halo.level < haloMin {
		return
	}
	tmp := e.paper.bgTmp
	filterGrid(tmp, raw, bw, bh, closeR, false)
	filterGrid(raw, tmp, bw, bh, closeR, true)
	filterGrid(tmp, raw, bw, bh, closeR, true)
	filterGrid(raw, tmp, bw, bh, closeR, false)
	k := 1 / (1 + min(e.halo.level, haloMax))
	for i, v := range raw {
		bg[i] = max(v, bg[i]*k)
	}
}

// measure returns the frame's halo: the median, over the edges where a
// dark stroke meets flat paper (both sides, along sampled rows), of how
// much brighter the brightest pixel just off the stroke is than the paper
// beyond it, less one; 0 when too few edges are found.
func (s *haloStage) measure(frame *image.Gray, bg []float32, blk, bw int) float32 {
	w, h := frame.Rect.Dx(), frame.Rect.Dy()
	clear(s.hist[:])
	n := int32(0)
	step := max(2, h/haloRows)
	for y := step / 2; y < h; y += step {
		n += s.measureRow(frame.Pix[y*frame.Stride:y*frame.Stride+w], bg[(y/blk)*bw:(y/blk)*bw+bw], blk)
	}
	if n < haloSamples {
		return 0
	}
	return float32(histMedian(s.hist[:], n)) / float32(len(s.hist))
}

// measureRow counts the edges of row, whose blocks' paper is brow, and
// returns how many it counted.
func (s *haloStage) measureRow(row []uint8, brow []float32, blk int) int32 {
	n := int32(0)
	span := haloNear + haloFar
	for i, paper := range brow {
		ink := uint8(min(haloInk*paper, 255))
		x0, x1 := max(i*blk, span), min(i*blk+blk, len(row)-span)
		for x := x0; x < x1; x++ {
			if row[x] >= ink {
				continue
			}
			// The stroke's last pixel toward the right, or the left: the
			// ridge is in the haloNear pixels beyond it, the paper in the
			// haloFar after those.
			if row[x+1] >= ink {
				n += s.count(brightest(row[x+1:x+1+haloNear]), row[x+1+haloNear:x+1+span], paper)
			}
			if row[x-1] >= ink {
				n += s.count(brightest(row[x-haloNear:x]), row[x-span:x-haloNear], paper)
			}
		}
	}
	return n
}

// brightest returns the brightest of p.
func brightest(p []uint8) uint8 {
	m := uint8(0)
	for _, v := range p {
		m = max(m, v)
	}
	return m
}

// count adds ridge over the mean of the pixels beyond to the histogram
// when they are flat and paper (at least haloPaper of the block's paper
// estimate, which the halo itself may have lifted), and returns 1; else
// it returns 0.
func (s *haloStage) count(ridge uint8, beyond []uint8, paper float32) int32 {
	lo, hi, sum := uint8(255), uint8(0), 0
	for _, v := range beyond {
		lo, hi, sum = min(lo, v), max(hi, v), sum+int(v)
	}
	mean := float32(sum) / float32(len(beyond))
	if float32(lo) < haloFlat*float32(hi) || mean < haloPaper*paper {
		return 0
	}
	r := float32(ridge)/mean - 1
	s.hist[min(max(int(r*float32(len(s.hist))), 0), len(s.hist)-1)]++
	return 1
}
