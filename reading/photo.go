package reading

import "image"

// Reading a photo, light marks on a dark ground included.

// Light marks on a dark ground (lightOnDark): the ground darker than
// this luma, marks lighter than the ground by this much, and covering at
// most this share of the picture.
const (
	darkGround    = 128
	markContrast  = 48
	lightMarksMax = 0.5
)

// ReadPhoto reads frame as a photo on its own: as Read does after Forget
// (a photo has nothing to do with the one read before it, unlike a
// camera's frames). The extractor looks for dark or coloured marks on
// paper. Where the frame may show light marks on a dark ground instead (a
// digit drawn white on black, as MNIST's are and as many drawing demos
// save them, or chalk on a board: see lightOnDark), ReadPhoto reads it
// again with its luma inverted and keeps the reading whose digits'
// confidences sum higher (reading the frame a third time, as it was, when
// that is the first: a Reading lives until the next Read). A camera's
// frames are not tried twice: Read is for them.
func (r *Reader) ReadPhoto(frame *image.YCbCr) *Reading {
	r.photo = true
	defer func() { r.photo = false }()
	r.Forget()
	rd := r.Read(frame)
	if !lightOnDark(frame) {
		return rd
	}
	score := confidenceSum(rd)
	r.invertLuma(frame)
	r.Forget()
	rd = r.Read(&r.inverted)
	if confidenceSum(rd) > score {
		return rd
	}
	r.Forget()
	return r.Read(frame)
}

// confidenceSum is the sum of the confidences of rd's digits: the
// measure by which ReadPhoto weighs a frame's two polarities. Read the
// wrong way up, a frame's ground between the strokes makes candidates that
// are not digits, or digits read with little confidence.
func confidenceSum(rd *Reading) float32 {
	var sum float32
	for _, d := range rd.Digits {
		sum += d.Confidence
	}
	return sum
}

// lightOnDark reports whether f may show light marks on a dark ground:
// its ground, the most common luma (a histogram's peak, smoothed over
// ±8 levels), is darker than mid-grey, and more of its pixels are much
// lighter than the ground than much darker, but not more than half of
// them (marks are not most of a picture; a white sheet on a dark table
// may be, and if not, its reading the wrong way up is the worse one). A
// photo of paper fails the first test however dim it is, for its paper
// is the lightest large part.
func lightOnDark(f *image.YCbCr) bool {
	w, h := f.Rect.Dx(), f.Rect.Dy()
	step := 1
	for w/step*(h/step) > 1<<16 {
		step++
	}
	var hist [256]int
	n := 0
	for y := f.Rect.Min.Y; y < f.Rect.Max.Y; y += step {
		row := f.Y[f.YOffset(f.Rect.Min.X, y):]
		for x := 0; x < w; x += step {
			hist[row[x]]++
			n++
		}
	}
	ground, best := 0, -1
	for v := range 256 {
		sum := 0
		for u := max(v-8, 0); u <= min(v+8, 255); u++ {
			sum += hist[u]
		}
		if sum > best {
			ground, best = v, sum
		}
	}
	if ground >= darkGround {
		return false
	}
	var lighter, darker int
	for v := range 256 {
		switch {
		case v > ground+markContrast:
			lighter += hist[v]
		case v < ground-markContrast:
			darker += hist[v]
		}
	}
	return lighter > darker && float64(lighter) <= lightMarksMax*float64(n)
}

// invertLuma makes r.inverted frame with its luma inverted: its own luma
// plane, kept from photo to photo, and frame's chroma, shared (a colour's
// distance from the paper's, which the extractor measures, is the same
// either way).
func (r *Reader) invertLuma(frame *image.YCbCr) {
	w := frame.Rect.Dx()
	inv := &r.inverted
	*inv = *frame
	r.invY = r.invY[:0]
	for y := frame.Rect.Min.Y; y < frame.Rect.Max.Y; y++ {
		off := frame.YOffset(frame.Rect.Min.X, y)
		for _, v := range frame.Y[off : off+w] {
			r.invY = append(r.invY, 255-v)
		}
	}
	// Y[0] is the pixel at Rect.Min (image.YCbCr.YOffset), as in frame.
	inv.Y, inv.YStride = r.invY, w
}
