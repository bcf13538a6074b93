package reading

import (
	"image"

	"github.com/edgeconv/edgeconv/extract"
	"github.com/edgeconv/edgeconv/model"
)

// Digits that blur joined. Out of focus, shaken, or a webcam's soft
// picture, two digits written close become one mark: the blur fills the
// gap between them, the model reads the mark as no digit, and the cut at
// the columns of least ink (readTouching) finds no thin joint. Sharpened,
// the gap opens again. A photo whose strokes measure blurred
// (extract.Extractor.Sharpness under sharpenBelow) and that holds a mark
// the model is not sure of, as wide as two digits (touchWide of its
// height), among candidates that are digits (touchOthers, touchContext:
// on a page of words or maths a wide mark is most likely a letter), is
// read once more with its luma unsharp-masked; each such mark
// of the first reading that the second reads as two or more digits side
// by side, each read surely, takes those digits. Only those marks
// change: the rest of the sharpened reading (the paper's grain and the
// sheet's edge, lifted by the mask, a letter's stroke read as a 1) is not
// looked at. A mark's pieces must span most of it (splitSpan both ways),
// stand side by side (no more than splitOverlap of the narrower one
// across the other), and a piece read as a 1 must be as tall as the mark
// or its line's digits, whichever is less, and read as surely as
// readTouching asks (touchOneTall, touchOneSure): an open-top 4 sharpened
// falls into a 1 and a hook.
const (
	// sharpenBelow is the sharpness under which a photo is blurred:
	// sharp photos measure 0.6 to 0.8, blurred by 2 pixels about 0.3, the
	// webcam frames of photos2 0.22 to 0.5, MNIST digits enlarged to 56
	// pixels (soft edges) under it too.
	sharpenBelow = 0.45
	// sharpenAmount is the unsharp mask's gain: y + amount·(y − blur(y)),
	// the blur three box filters (radii sharpenRadii, a Gaussian of about
	// 1.8 pixels: about the blur that joins a ballpoint's digits).
	sharpenAmount = 1.5
	// splitSpan is the least share of the mark's width and height that
	// its pieces must span together.
	splitSpan = 0.7
	// splitOverlap is how far, of the narrower, two neighbouring pieces
	// may reach across each other: digits written into each other overlap
	// by a few pixels, a digit's own strokes by half its width.
	splitOverlap = 0.4
)

// The part of a photo that readSharpened sharpens and reads again: the
// doubted marks' box, sharpenMargin of the tallest mark's height wider on
// each side, and sharpenPartMin pixels each way at least (the extractor
// follows a shadow's steps in frames of 320 pixels or more each way). A
// part of half the photo or more is the photo.
const (
	sharpenMargin  = 3
	sharpenPartMin = 320
)

// sharpenPart returns the part of a photo b to read again sharpened around
// marks, the union of the doubted marks' boxes, the tallest tall.
func sharpenPart(marks image.Rectangle, tall int, b image.Rectangle) image.Rectangle {
	p := marks.Inset(-sharpenMargin * tall)
	grow := func(lo, hi, min0, max0 int) (int, int) {
		if d := sharpenPartMin - (hi - lo); d > 0 {
			lo, hi = lo-d/2, hi+d-d/2
		}
		if lo < min0 {
			lo, hi = min0, hi+min0-lo
		}
		if hi > max0 {
			lo, hi = lo-(hi-max0), max0
		}
		return max(lo, min0), hi
	}
	p.Min.X, p.Max.X = grow(p.Min.X, p.Max.X, b.Min.X, b.Max.X)
	p.Min.Y, p.Max.Y = grow(p.Min.Y, p.Max.Y, b.Min.Y, b.Max.Y)
	return p.Intersect(b)
}

// keepAside copies rd's candidates, results and probabilities aside while
// the Reader reads again (its buffers serve one reading at a time);
// takeBack puts them back.
func (r *Reader) keepAside(rd *Reading) {
	r.keptCands = append(r.keptCands[:0], rd.Candidates...)
	r.keptRes = append(r.keptRes[:0], rd.Results...)
	r.keptProbs = append(r.keptProbs[:0], rd.Probs...)
}

// takeBack puts the reading keepAside kept, of k classes, back in the
// Reader's Reading and returns it; its digits and text are for the
// caller to compose.
func (r *Reader) takeBack(k int) *Reading {
	rd := &r.r
	rd.Candidates = append(rd.Candidates[:0], r.keptCands...)
	rd.Results = append(rd.Results[:0], r.keptRes...)
	rd.Probs = append(rd.Probs[:0], r.keptProbs...)
	rd.Classes = k
	return rd
}

// sharpenRadii are the radii of the box filters whose succession blurs
// the luma for the unsharp mask (7 at most: reciprocal).
var sharpenRadii = [...]int{1, 2, 1}

// readSharpened reads frame sharpened when rd, its reading, is of a
// blurred photo of digits that holds a mark the model is not sure of wide
// enough for two digits, and puts in place of each such mark the digits
// the sharpened reading finds in it (see splitSpan); it returns the
// reading, rd itself when nothing changed. Only the part of the photo
// around the marks is sharpened and read (sharpenPart), at the whole
// photo's scale: a 1280x960 photo with one such mark took 36 ms to read,
// the mask and the second reading of the whole photo 21 of them, and
// reads the same with a part of 334x336. Tight crops are left alone: a
// photo of one digit holds no pair.
func (r *Reader) readSharpened(frame *image.YCbCr, rd *Reading) *Reading {
	if r.ex.Sharpness() >= sharpenBelow || extract.TightCrop(frame.Rect.Size()) || rd.Classes <= model.NotDigit {
		return rd
	}
	pg := pageOf(rd)
	mayBeTwo := func(i int) bool {
		c := &rd.Candidates[i]
		return !sure(rd.Results[i]) && float32(c.Box.Dx()) >= touchWide*float32(c.Box.Dy()) && pg.others(i) < touchOthers
	}
	// The marks that may be two digits, and their part of the photo: only
	// it is sharpened and read, at the whole photo's scale
	// (extract.Extractor.SetPartOf).
	var marks image.Rectangle
	tallest := 0
	for i := range rd.Candidates {
		if mayBeTwo(i) {
			marks = marks.Union(rd.Candidates[i].Box)
			tallest = max(tallest, rd.Candidates[i].Box.Dy())
		}
	}
	if pg.digits < touchContext || marks.Empty() {
		return rd
	}
	part := frame.Rect
	if p := sharpenPart(marks, tallest, frame.Rect); 2*boxArea(p) < boxArea(frame.Rect) {
		part = p
	}
	// The reading is kept aside while the sharpened part is read: the
	// Reader's buffers serve one reading at a time.
	k := rd.Classes
	r.keepAside(rd)
	r.sharpenLuma(frame.SubImage(part).(*image.YCbCr))
	r.ex.SetPartOf(frame.Rect.Size())
	sp := r.readPhoto(&r.sharpened)
	r.ex.SetPartOf(image.Point{})
	r.sharpCands, r.sharpRes, r.sharpProbs = r.sharpCands[:0], r.sharpRes[:0], r.sharpProbs[:0]
	if sp.Classes == k {
		for i, res := range sp.Results {
			if sure(res) {
				r.sharpCands = append(r.sharpCands, sp.Candidates[i])
				r.sharpRes = append(r.sharpRes, res)
				r.sharpProbs = append(r.sharpProbs, sp.Probs[i*k:(i+1)*k]...)
			}
		}
	}

	rd = r.takeBack(k)
	r.rebuild(func(i int) bool {
		if !mayBeTwo(i) {
			return false
		}
		start := len(r.cands)
		if r.appendSplit(&rd.Candidates[i], r.partHeight(i), k) {
			return true
		}
		r.cands, r.ress, r.probs = r.cands[:start], r.ress[:start], r.probs[:start*k]
		return false
	})
	r.compose()
	return rd
}

// appendSplit appends to r.cands, r.ress and r.probs the digits of the
// sharpened reading (r.sharpCands) that lie in candidate c, when they are
// two or more side by side that span it (splitSpan, splitOverlap), and
// reports whether it did; what it appended otherwise is for the caller to
// drop. A piece read as a 1 counts from touchOneTall of tall (partHeight);
// k is the number of classes.
func (r *Reader) appendSplit(c *extract.Digit, tall float32, k int) bool {
	start := len(r.cands)
	for j := range r.sharpCands {
		s := &r.sharpCands[j]
		if mid := s.Box.Min.Add(s.Box.Max).Div(2); !mid.In(c.Box) {
			continue
		}
		if res := r.sharpRes[j]; res.Class == 1 && (float32(s.Box.Dy()) < touchOneTall*tall || res.Confidence < touchOneSure) {
			continue
		}
		d := *s
		d.Line, d.Space = c.Line, c.Space && len(r.cands) == start
		r.cands = append(r.cands, d)
		r.ress = append(r.ress, r.sharpRes[j])
		r.probs = append(r.probs, r.sharpProbs[j*k:(j+1)*k]...)
	}
	pieces := r.cands[start:]
	if len(pieces) < 2 {
		return false
	}
	// The sharpened reading's candidates are in its reading order: by
	// line, then left to right. Within one mark they are put left to right.
	order := pieces[0].Box.Min.X
	var span image.Rectangle
	for q := range pieces {
		span = span.Union(pieces[q].Box)
		if q > 0 && pieces[q].Box.Min.X < order {
			return false // the sharpened reading set them on two lines
		}
		order = pieces[q].Box.Min.X
	}
	if float32(span.Dx()) < splitSpan*float32(c.Box.Dx()) || float32(span.Dy()) < splitSpan*float32(c.Box.Dy()) {
		return false
	}
	for q := 1; q < len(pieces); q++ {
		a, b := pieces[q-1].Box, pieces[q].Box
		if float32(a.Max.X-b.Min.X) > splitOverlap*float32(min(a.Dx(), b.Dx())) {
			return false
		}
	}
	return true
}

// sharpenLuma makes r.sharpened: frame with its luma unsharp-masked
// (sharpenAmount, sharpenRadii), its chroma frame's own.
func (r *Reader) sharpenLuma(frame *image.YCbCr) {
	w, h := frame.Rect.Dx(), frame.Rect.Dy()
	n := w * h
	r.sharpY = packLuma(r.sharpY, frame)
	r.blurA = grow(r.blurA, n)
	r.blurB = grow(r.blurB, n)
	src := r.sharpY
	a, b := r.blurA, r.blurB
	r.colSums = grow(r.colSums, w)
	in := src // each pass after the first blurs the last one's output, a
	for _, rad := range sharpenRadii {
		blurAcross(b, in, w, h, rad)
		blurDown(a, b, w, h, rad, r.colSums)
		in = a
	}
	a = a[:len(src)]
	for i, v := range src {
		a[i] = unsharp(v, a[i])
	}
	r.sharpened = *frame
	r.sharpened.Y, r.sharpened.YStride = a, w
}

// unsharp returns y + sharpenAmount·(y − blur) rounded half up and
// clamped to a byte, in integers: (5y − 3·blur + 1) / 2 rounded down, for
// sharpenAmount's 1.5.
func unsharp(y, blur uint8) uint8 {
	t := 5*int32(y) - 3*int32(blur) + 1
	return uint8(min(max(t>>1, 0), 255))
}

// blurAcross sets dst to src averaged over 2·rad+1 pixels across each of
// its h rows of w, the edges clamped. The running sum is carried from the
// row's left edge, through its middle, where the window lies inside the
// row, to its right edge; a row too short for a middle is summed with
// every index clamped.
func blurAcross(dst, src []uint8, w, h, rad int) {
	win := 2*rad + 1
	m := reciprocal(win)
	half := win / 2
	for y := range h {
		row, out := src[y*w:y*w+w], dst[y*w:y*w+w]
		if w <= win {
			at := func(x int) int { return int(row[min(max(x, 0), w-1)]) }
			sum := 0
			for x := -rad; x <= rad; x++ {
				sum += at(x)
			}
			for x := range out {
				out[x] = uint8(((sum + half) * m) >> 16)
				sum += at(x+rad+1) - at(x-rad)
			}
			continue
		}
		sum := int(row[0]) * (rad + 1)
		for x := 1; x <= rad; x++ {
			sum += int(row[x])
		}
		// The left edge: the window leaves row[0], clamped.
		for x := 0; x <= rad; x++ {
			out[x] = uint8(((sum + half) * m) >> 16)
			sum += int(row[x+rad+1]) - int(row[0])
		}
		// The middle: x from rad+1 while x+rad+1 < w.
		mid := out[rad+1 : w-rad-1]
		enter, leave := row[2*rad+2:w], row[1:w-2*rad-1]
		enter, leave = enter[:len(mid)], leave[:len(mid)]
		for i := range mid {
			mid[i] = uint8(((sum + half) * m) >> 16)
			sum += int(enter[i]) - int(leave[i])
		}
		// The right edge: the window takes in row[w-1], clamped.
		for x := w - rad - 1; x < w; x++ {
			out[x] = uint8(((sum + half) * m) >> 16)
			sum += int(row[w-1]) - int(row[x-rad])
		}
	}
}

// blurDown sets dst to src averaged over 2·rad+1 pixels down each column,
// the edges clamped, row by row with the columns' running sums in sums
// (w of them).
func blurDown(dst, src []uint8, w, h, rad int, sums []int32) {
	win := int32(2*rad + 1)
	m := int32(reciprocal(int(win)))
	row := func(y int) []uint8 { y = min(max(y, 0), h-1); return src[y*w : y*w+w] }
	sums = sums[:w]
	clear(sums)
	for y := -rad; y <= rad; y++ {
		for x, v := range row(y) {
			sums[x] += int32(v)
		}
	}
	for y := range h {
		out, enter, leave := dst[y*w:y*w+w], row(y+rad+1), row(y-rad)
		out, enter, leave = out[:len(sums)], enter[:len(sums)], leave[:len(sums)]
		for x, v := range sums {
			out[x] = uint8(((v + win/2) * m) >> 16)
			sums[x] = v + int32(enter[x]) - int32(leave[x])
		}
	}
}

// reciprocal returns m such that (x·m)>>16 is x/win, rounded down, for
// every x under 65536/win: the windows' sums (up to 255·win, for windows
// up to 15 wide: radii up to 7) divided without a division.
func reciprocal(win int) int { return (1<<16 + win - 1) / win }

// packLuma returns frame's luma packed row after row in buf (grown to
// hold it): element 0 is the pixel at Rect.Min, the stride its width.
func packLuma(buf []uint8, frame *image.YCbCr) []uint8 {
	w, h := frame.Rect.Dx(), frame.Rect.Dy()
	buf = grow(buf, w*h)
	for y := range h {
		off := frame.YOffset(frame.Rect.Min.X, frame.Rect.Min.Y+y)
		copy(buf[y*w:y*w+w], frame.Y[off:off+w])
	}
	return buf
}

// grow returns s with length n, reallocated only when too small.
func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}
