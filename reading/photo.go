package reading

import (
	"cmp"
	"image"
	"math"
	"slices"

	"github.com/edgeconv/edgeconv/extract"
	"github.com/edgeconv/edgeconv/model"
)

// Reading a photo, light marks on a dark ground included.

// Light marks on a dark ground (lightOnDark): the ground darker than
// this luma, marks lighter or darker than the ground around them by this
// much (localMarks), and the light ones covering at most this share of
// the picture.
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
// frames are not tried twice: Read is for them. A photo narrower or
// shorter than padBelow pixels (a 1 cut to its ink) is read inside a
// margin of its ground's colour, its boxes given in the photo as it is;
// so is one of up to padRetryMax pixels that reads no digit as it is (a
// digit cut to its ink, which touches every side), or one digit small
// against it while the extractor set aside ink that reaches three edges
// or four (a stray mark beside such a digit), when inside the margin it
// reads one digit that fills it (filledRetry).
//
// A photo taken sideways or upside down, with no orientation in its file
// (a scanner's, or one whose EXIF a program dropped), reads few digits: its
// lines run down the page and its digits lie on their sides. When fewer
// than turnPoor of a photo's candidates are digits read with confidence,
// ReadPhoto reads it turned by a quarter, a half and three quarters too,
// and keeps the turn with the most confident digits among those where
// they are turnPoor of the candidates or more, turnLead more of them than
// in the photo, and turnMore more digits, its boxes given in the photo as
// it is. Read upside down, a page's 0s, 1s, 8s and its 6s and 9s still
// read (0.5 to 0.87 of the candidates of the development photos, which
// read 0.82 to 1 the right way up), so the share decides, not a multiple
// of the count, and it cannot decide alone: how surely the candidates read
// (fit: the development photos 0 to -0.3 the right way up, -0.6 to -3
// upside down) decides a half turn as well. A photo that reads well but
// not surely has its candidates' images classified turned by a half, one
// batch, and when they read more surely so, it is read turned by a half,
// which is kept when it reads as many confident digits, at least fitMin,
// with a fit fitLead higher. A page of words, whose letters turned pass
// for digits here and there, keeps most of its candidates doubted or
// rejected either way; a single digit, which may read as another turned,
// never turns. The readings that decide are read without readWhole's look
// at all the ink as one digit (a page of sideways digits, merged, would
// read as one confident digit and never be turned); the reading kept is
// read with it. A photo that reads poorly is read once more with its ink
// thresholds raised (readRaised). A blurred photo of digits whose marks
// blur joined is read once more sharpened (readSharpened). A faint photo
// is read once more with its contrast stretched (readStretched): one that
// reads no digit keeps that reading when it is of one digit that fills
// the photo, or of a few digits on a page; one whose writing is faint
// throughout (a veil of light, fog, a washed-out scan) when it reads
// clearly more digits, or reads the same ones and more where the photo
// held no mark.
func (r *Reader) ReadPhoto(frame *image.YCbCr) *Reading {
	frame = r.smoothBilevel(frame)
	r.photo = true
	r.ex.SetPhoto(true)
	defer func() {
		r.photo = false
		r.ex.SetPhoto(false)
	}()
	return r.readStretched(frame, r.readSharpened(frame, r.readRaised(frame, r.readPhoto(frame))))
}

// smoothBilevel returns frame, or, when its luma holds two levels only (a
// scanner's or a fax's black and white, a document app's "B&W", a 1-bit
// PNG), frame with its luma averaged over 3x3 pixels, in buffers the
// Reader keeps; not a tight crop (extract.TightCrop), whose digit fills it
// and may be a few pixels wide (a 1 cut to its ink, 7 pixels wide,
// averaged so, read as a doubted 2). Such a picture has lost the grey of
// a stroke's edges that a lens leaves and that the extractor (a faint
// link's darkness, a stroke's width) and the model (MNIST's anti-aliased
// digits) read: its thin strokes come as jagged steps a pixel wide,
// broken where the threshold cut a faint link, and a dithered shadow as
// specks. Averaged,
// ../shared/photos thresholded at 55% (ImageMagick's -threshold, 1 bit a
// pixel) read 226 → 234 of 241 digits, spurious 8 → 1; thresholded by a
// document app's local rule (-lat 31x31-8%) 233 → 237, photos2 so 119 →
// 120 of 124, spurious 15 → 7; dithered (-monochrome) 207 → 211,
// spurious 24 → 2; thresholded at twice the size 225 → 224 (14 → 12
// spurious), at four times 225 → 230.
func (r *Reader) smoothBilevel(frame *image.YCbCr) *image.YCbCr {
	if extract.TightCrop(frame.Rect.Size()) || !bilevel(frame) {
		return frame
	}
	w, h := frame.Rect.Dx(), frame.Rect.Dy()
	r.smoothY = packLuma(r.smoothY, frame)
	r.passY = grow(r.passY, w*h)
	r.colSums = grow(r.colSums, w)
	blurAcross(r.passY, r.smoothY, w, h, 1)
	blurDown(r.smoothY, r.passY, w, h, 1, r.colSums)
	r.smoothed = *frame
	r.smoothed.Y, r.smoothed.YStride = r.smoothY, w
	return &r.smoothed
}

// bilevel reports whether f's luma holds two values or fewer.
func bilevel(f *image.YCbCr) bool {
	a, b := -1, -1
	for y := f.Rect.Min.Y; y < f.Rect.Max.Y; y++ {
		off := f.YOffset(f.Rect.Min.X, y)
		for _, v := range f.Y[off : off+f.Rect.Dx()] {
			switch int(v) {
			case a, b:
			default:
				if a < 0 {
					a = int(v)
				} else if b < 0 {
					b = int(v)
				} else {
					return false
				}
			}
		}
	}
	return true
}

// readRaised reads frame, which read rd, again with the ink thresholds
// raised toward its typical stroke (extract.Extractor.SetInkRaised) when
// fewer than turnPoor of rd's candidates are digits read with confidence,
// and keeps that reading when it holds more confident digits, raisedMin
// at least and turnPoor of its candidates or more, and reads as surely as
// a clean photo does (raisedFit). The writing on the other side of thin
// paper, showing through mirrored and blurred, is fainter than the
// writing but darker than the thresholds the writing sets (a dark
// stroke's thresholds are a quarter and a third of its darkness), and
// joins the digits it touches into marks that read as no digit: photos2
// with the back's writing showing through at a third and at a half of its
// darkness read 116 and 82 of its 124 digits, and 120 and 107 so; the
// development photos as they are read as before. A page of words or
// maths, whose letters come apart into strokes under raised thresholds
// and pass for 1s, never reads that surely (felsiq's maths pages fit -1.4
// and worse so). A photo that reads well is not read again, nor a tight
// crop (extract.TightCrop), whose digit the raised thresholds may break
// into pieces that pass for digits (a 5's bar apart from its body read as
// a 1 and a 0). The photo is read again as it is, with no turn tried
// (ReadPhoto tries the turns of a photo whose writing reads poorly, as
// here, at the cost of five readings), and the first reading, kept aside,
// is given back when the second is not kept.
func (r *Reader) readRaised(frame *image.YCbCr, rd *Reading) *Reading {
	n, share := confident(rd)
	if share >= turnPoor || len(rd.Candidates) == 0 || extract.TightCrop(frame.Rect.Size()) {
		return rd
	}
	k := rd.Classes
	r.keepAside(rd)
	r.ex.SetInkRaised(true)
	r.upright = true
	raised := r.readPhoto(frame)
	r.ex.SetInkRaised(false)
	r.upright = false
	if m, s := confident(raised); m > n && m >= raisedMin && s >= turnPoor && fit(raised.Results) >= raisedFit {
		return raised
	}
	rd = r.takeBack(k)
	r.compose()
	return rd
}

// raisedFit is the least fit (fit) of a photo's reading with raised
// thresholds that readRaised keeps: the development photos fit 0 to -0.3
// the right way up; a page of maths read with raised thresholds, -1.4.
const raisedFit = -0.3

// raisedMin is the fewest confident digits that a reading with raised
// thresholds must hold for readRaised to keep it: a photo of one bold
// digit that reads doubtfully may read as another digit raised (a
// marker's 3 seen close as a 5).
const raisedMin = 2

// readStretched reads frame, which read rd, again with its contrast
// stretched when it is faint (stretchLuma, faintWriting) and reads no
// digit or faint ones, and returns the reading it keeps (see
// faintContrast).
func (r *Reader) readStretched(frame *image.YCbCr, rd *Reading) *Reading {
	none := len(rd.Digits) == 0
	if !none && !faintWriting(rd) || !r.stretchLuma(frame) {
		return rd
	}
	// A Reading lives until the next Read: what decides is kept first.
	n, _ := confident(rd)
	r.faintKept = append(r.faintKept[:0], rd.Digits...)
	r.faintMarks = r.faintMarks[:0]
	for _, c := range rd.Candidates {
		r.faintMarks = append(r.faintMarks, c.Box)
	}
	page := min(frame.Rect.Dx(), frame.Rect.Dy()) >= stretchPage
	st := r.readPhoto(&r.stretched)
	m, _ := confident(st)
	if none && oneDigit(st, frame.Rect) || (!none || page) && m >= max(n+stretchLead, stretchMin) ||
		n > 0 && readsMore(st, r.faintKept, r.faintMarks) {
		return r.readSharpened(&r.stretched, st)
	}
	return r.readSharpened(frame, r.readPhoto(frame))
}

// boxArea returns b's area in pixels.
func boxArea(b image.Rectangle) int { return b.Dx() * b.Dy() }

// readsMore reports whether st reads every digit that kept read with
// confidence, the same digit in about the same box (half its box's area
// shared at least), and one more confident digit at least, stretchTall of
// their median height or taller, clear of every mark the photo's reading
// held (marks, its candidates' boxes): faint writing whose faintest digit
// the stretched photo finds, the ones found before read alike. A mark the
// photo read as no digit is not read again so: stretched, a faint integral
// sign broke into pieces, one read as a 1.
func readsMore(st *Reading, kept []Digit, marks []image.Rectangle) bool {
	var hs []int
	for _, k := range kept {
		if k.Confidence < doubt {
			continue
		}
		hs = append(hs, k.Box.Dy())
		found := false
		for _, d := range st.Digits {
			if d.Digit == k.Digit && d.Confidence >= doubt && 2*boxArea(d.Box.Intersect(k.Box)) >= boxArea(k.Box) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	if len(hs) == 0 {
		return false
	}
	slices.Sort(hs)
	tall := stretchTall * float32(hs[len(hs)/2])
	for _, d := range st.Digits {
		if d.Confidence < doubt || float32(d.Box.Dy()) < tall {
			continue
		}
		apart := true
		for _, b := range marks {
			if d.Box.Overlaps(b) {
				apart = false
				break
			}
		}
		if apart {
			return true
		}
	}
	return false
}

// readPhoto is ReadPhoto without its second looks at a blurred photo
// (readSharpened) and a faint one (readStretched).
func (r *Reader) readPhoto(frame *image.YCbCr) *Reading {
	if long := max(frame.Rect.Dx(), frame.Rect.Dy()); long < enlargeBelow {
		k := (enlargeTo + long - 1) / long
		rd := r.readSized(r.enlarge(frame, k))
		shrink(rd, frame.Rect, k)
		return rd
	}
	rd := r.readSized(frame)
	if r.ex.LeanInDoubt() {
		rd = r.readOtherLean(frame, rd)
	}
	h := r.medianHeight(rd)
	if h == 0 || h >= smallDigit {
		return rd
	}
	// Small digits (a page photographed from afar, a photo scaled down
	// to send): the part of the photo that holds its candidates is read
	// enlarged too, and that reading kept when it holds more confident
	// digits.
	k := (smallDigitTo + h - 1) / h
	var region image.Rectangle
	for _, c := range rd.Candidates {
		region = region.Union(c.Box)
	}
	region = region.Inset(-smallMargin * h).Intersect(frame.Rect)
	if region.Dx()*region.Dy()*k*k > smallEnlargeMax {
		return rd
	}
	n, _ := confident(rd)
	big := r.readSized(r.enlarge(frame.SubImage(region).(*image.YCbCr), k))
	if m, _ := confident(big); m > n {
		shrink(big, region, k)
		return big
	}
	// A Reading lives until the next Read: the kept one is read again.
	return r.readSized(frame)
}

// leanLead is how many more confident digits the other lean must read for
// readOtherLean to keep it: one more is what a stray mark gives (a photo
// of photos2, 1280x960, read a speck as a 1 the other way).
const leanLead = 2

// readOtherLean reads frame, whose lines rd was read from sheared with
// its digits' lean in doubt (extract.Extractor.LeanInDoubt), again with
// the lean read the other way, and keeps that reading when it holds
// leanLead more confident digits: a sheet photographed turned by 8° to
// 15° whose writer stands digits upright passes for digits written
// upright along a slope, and its digits, leaning with the lines, reach
// into their neighbours' columns, where two a pen's width apart are taken
// for one. ../shared/photos turned by 8°, 12° and 15° (turnedBy) read
// 233, 231 and 231 of 241 digits without it and 235, 235 and 231 with it;
// the development sets as they are, and every other photo the reading
// tests read, read as before. A photo so turned costs two or three
// readings.
func (r *Reader) readOtherLean(frame *image.YCbCr, rd *Reading) *Reading {
	n, _ := confident(rd)
	r.ex.SetOtherLean(true)
	other := r.readSized(frame)
	r.ex.SetOtherLean(false)
	if m, _ := confident(other); m >= n+leanLead {
		return other
	}
	// A Reading lives until the next Read: the kept one is read again.
	return r.readSized(frame)
}

// Reading small digits enlarged: a photo whose digits are under
// smallDigit pixels tall (the median of their boxes) has the part that
// holds its candidates, smallMargin digit heights around them, read again
// enlarged by the least whole factor that makes them smallDigitTo pixels
// or more, unless that makes it more than smallEnlargeMax pixels (a
// reading's time grows with them, about 23 ms a megapixel on one core),
// and the reading with more confident digits is kept. ../shared/photos
// scaled to a third (CatmullRom; the median digit 5 to 10 pixels tall)
// read 197 of 241 as they were and 215 so, at a half 232 either way; the
// photos as they are, photos2 and every generated condition read as
// before. A 1280x960 photo of ../shared/photos/3_A4.png at 35% of its
// size, in the middle of a table, read 44 of its 64 digits in 2.7 ms and
// reads 55 in 17 ms; enlarging the whole frame three times took 260 ms.
const (
	smallDigit      = 16
	smallDigitTo    = 28
	smallMargin     = 6
	smallEnlargeMax = 2_000_000
)

// medianHeight returns the median height of rd's digits' boxes, 0 for
// none.
func (r *Reader) medianHeight(rd *Reading) int {
	if len(rd.Digits) == 0 {
		return 0
	}
	r.heights = r.heights[:0]
	for _, d := range rd.Digits {
		r.heights = append(r.heights, d.Box.Dy())
	}
	slices.Sort(r.heights)
	return r.heights[len(r.heights)/2]
}

// readSized reads a photo large enough for the extractor: as it is, or
// inside a margin when it is too thin or reads no digit as it is. A photo
// that filledRetry picks is read inside a margin too, and that reading is
// kept when it is of one digit read with splitConfirm, closeShare of the
// photo's height or taller: a digit cut to its ink reaches three or four
// edges of the photo, which the extractor takes for the sheet's edges or
// ruled lines joined together and sets aside, and a fleck or a stray
// stroke beside it was all that was read. Otherwise the photo is read
// again as it is (a Reading lives until the next Read).
func (r *Reader) readSized(frame *image.YCbCr) *Reading {
	if min(frame.Rect.Dx(), frame.Rect.Dy()) < padBelow {
		return r.readPadded(frame)
	}
	rd := r.readTurned(frame)
	if len(rd.Digits) == 0 && frame.Rect.Dx()*frame.Rect.Dy() <= padRetryMax {
		// A digit cut to its ink runs along the photo's edges: the
		// extractor takes what reaches three edges of a larger frame for
		// a sheet's edge or a table, and in a tight crop may find no paper
		// to see it on. A photo that reads nothing is read once more
		// inside a margin.
		return r.readPadded(frame)
	}
	if r.filledRetry(rd, frame.Rect) {
		pd := r.readPadded(frame)
		if len(pd.Digits) == 1 && pd.Digits[0].Confidence >= splitConfirm &&
			float32(pd.Digits[0].Box.Dy()) >= closeShare*float32(frame.Rect.Dy()) {
			return pd
		}
		return r.readTurned(frame)
	}
	return rd
}

// filledRetry reports whether a photo b that read rd should be read again
// inside a margin: a photo of up to padRetryMax pixels, no tight crop,
// that reads exactly one digit, small against it (under aloneShare of its
// width and height), while the extractor set aside ink that reaches three
// edges or four and spans half the photo (extract.Extractor.EdgeFilling;
// a turned photo's edges are the same edges, so whichever turn was read
// last answers for all).
func (r *Reader) filledRetry(rd *Reading, b image.Rectangle) bool {
	if len(rd.Digits) != 1 || extract.TightCrop(b.Size()) || b.Dx()*b.Dy() > padRetryMax {
		return false
	}
	d := rd.Digits[0].Box
	return float32(d.Dx()) < aloneShare*float32(b.Dx()) && float32(d.Dy()) < aloneShare*float32(b.Dy()) &&
		r.ex.EdgeFilling()
}

// readPadded reads frame inside a margin of its ground's colour, its
// boxes given in frame.
func (r *Reader) readPadded(frame *image.YCbCr) *Reading {
	p := max(padMin, max(frame.Rect.Dx(), frame.Rect.Dy())/padFrac)
	rd := r.readTurned(r.pad(frame, p))
	// What lies in the margin alone is none of the photo's: the seam
	// between a photo's darker rim and the ground's colour around it
	// read as a 1 beside a thin photo's own 1.
	inner := image.Rect(p, p, p+frame.Rect.Dx(), p+frame.Rect.Dy())
	r.rebuild(func(i int) bool { return !rd.Candidates[i].Box.Overlaps(inner) })
	r.compose()
	unpad(rd, frame.Rect, p)
	return rd
}

// Padding a photo too thin to read (a 1 cut to its ink): one narrower or
// shorter than padBelow pixels is read inside a margin of its ground's
// colour, padMin pixels wide or a padFrac-th of its longer side. A photo
// of up to padRetryMax pixels that reads no digit as it is is read padded
// too: a digit cut to its ink (a 0 of 16x21 pixels, a marker's 5 of
// 206x257) read nothing.
const (
	padBelow    = 16
	padMin      = 8
	padFrac     = 4
	padRetryMax = 1280 * 960
)

// readTurned reads frame in both polarities, and turned when it reads
// few digits the right way up, or when its digits read more surely upside
// down.
func (r *Reader) readTurned(frame *image.YCbCr) *Reading {
	if r.upright {
		return r.readPolarity(frame)
	}
	r.deciding = true
	rd := r.readPolarity(frame)
	n, share := confident(rd)
	sure := fit(rd.Results)
	best, bestQ := n, 0
	if share >= turnPoor {
		// Upside down, a page's 0s, 1s and 8s still read as digits, and
		// its 6s and 9s as each other: the share of confident digits
		// hardly falls, how surely the others read does; mirrored, so
		// do its 0s, 1s and 8s (and top for bottom its 3s). The
		// candidates' images, turned by a half and, when they read
		// doubtfully (mirrorFit), mirrored both ways, say whether the
		// photo may read more surely so, at the cost of one batch of the
		// classifier; the photo so turned decides.
		if n < fitMin || sure >= fitTry {
			r.deciding = false
			return rd
		}
		fl := r.flips(rd, sure < mirrorFit)
		q := slices.MaxFunc(fl[:], func(a, b flip) int { return cmp.Compare(a.fit, b.fit) })
		if q.fit <= sure {
			r.deciding = false
			return rd
		}
		if m, s, f := r.readQuality(r.turn(frame, q.q)); surer(n, sure, m, s, f) && (q.q < mirrored || m >= mirrorMin) {
			bestQ = q.q
		}
	} else {
		// Whether a mirror may read it (mirrorToTry) is asked of this
		// reading's candidates, before the turns' readings replace it;
		// fewer than mirrorMin cannot read as a mirror.
		mq := 0
		if len(rd.Candidates) >= mirrorMin {
			mq = mirrorToTry(r.flips(rd, true), n, len(rd.Candidates))
		}
		for q := 1; q < 4; q++ {
			m, s, f := r.readQuality(r.turn(frame, q))
			if m > best && s >= turnPoor && (s >= share+turnLead && m >= n+turnMore || q == 2 && surer(n, sure, m, s, f)) {
				best, bestQ = m, q
			}
		}
		if mq != 0 {
			if m, s, _ := r.readQuality(r.turn(frame, mq)); m > best && m >= mirrorMin && s >= turnPoor && s >= share+turnLead && m >= n+turnMore {
				best, bestQ = m, mq
			}
		}
	}
	// A Reading lives until the next Read: the kept one is read again.
	r.deciding = false
	if bestQ == 0 {
		return r.readPolarity(frame)
	}
	rd = r.readPolarity(r.turn(frame, bestQ))
	unturn(rd, frame.Rect, bestQ)
	return rd
}

// surer reports whether a photo turned by a half, read with m confident
// digits, their share s of its candidates, and fit f, reads more surely
// than it did with n confident digits and fit sure: turnPoor of its
// candidates or more confident, as many digits, at least fitMin, and a fit
// fitLead higher.
func surer(n int, sure float64, m int, s float32, f float64) bool {
	return n >= fitMin && s >= turnPoor && m >= n && f >= sure+fitLead
}

// readQuality reads frame (readPolarity) and returns its digits read
// with confidence, their share of its candidates, and its fit.
func (r *Reader) readQuality(frame *image.YCbCr) (n int, share float32, sure float64) {
	rd := r.readPolarity(frame)
	n, share = confident(rd)
	return n, share, fit(rd.Results)
}

// Turning a photo that reads few digits: fewer than turnPoor of its
// candidates read as confident digits. A turn is kept when turnPoor of its
// candidates or more are, turnLead more of them than of the photo's, and
// turnMore digits more; the half turn also when it reads as many confident
// digits, fitMin or more, and its fit is fitLead higher. A photo whose fit
// is fitTry or more (every candidate a sure digit) is not turned, nor, by
// its fit, one of fewer than fitMin confident digits: a digit or two may
// read as others turned (a 6 as a 9, a 7 as an L), and read as surely.
const (
	turnPoor = 0.75
	turnLead = 0.2
	turnMore = 2
	fitLead  = 0.2
	fitTry   = -0.05
	fitMin   = 6
)

// notDigitFit is the confidence as a digit that fit gives a candidate
// read as no digit.
const notDigitFit = 1e-3

// fit returns how surely results read as digits: the mean over them of
// the log of each one's confidence, a result that is no digit counting as
// a digit read with notDigitFit (0 for none). The development photos fit
// 0 to -0.3 the right way up, -0.6 to -3 upside down.
func fit(results []model.Result) float64 {
	if len(results) == 0 {
		return 0
	}
	s := 0.0
	for _, res := range results {
		c := float64(res.Confidence)
		if res.Class >= model.Digits {
			c = notDigitFit
		}
		s += math.Log(max(c, notDigitFit))
	}
	return s / float64(len(results))
}

// flip is how a reading's candidates read, their images turned (turn) by
// q: a half turn, or mirrored, across or top for bottom.
type flip struct {
	q   int
	n   int     // candidates read as digits surely
	fit float64 // fit
}

// flips returns how rd's candidates read, their images turned by a half
// (each image's bytes in reverse order) and, when mirrors is set,
// mirrored across and mirrored top for bottom (otherwise those read as
// nothing, n 0 and fit -Inf), classified in one batch.
func (r *Reader) flips(rd *Reading, mirrors bool) [3]flip {
	r.flipped = r.flipped[:0]
	for i := range rd.Candidates {
		px := &rd.Candidates[i].Pixels
		for k := len(px) - 1; k >= 0; k-- {
			r.flipped = append(r.flipped, px[k])
		}
	}
	fl := [3]flip{{q: 2}, {q: mirrored, fit: math.Inf(-1)}, {q: mirrored + 2, fit: math.Inf(-1)}}
	if mirrors {
		for i := range rd.Candidates {
			px := &rd.Candidates[i].Pixels
			for y := range 28 {
				for x := 27; x >= 0; x-- {
					r.flipped = append(r.flipped, px[y*28+x])
				}
			}
		}
		for i := range rd.Candidates {
			px := &rd.Candidates[i].Pixels
			for y := 27; y >= 0; y-- {
				r.flipped = append(r.flipped, px[y*28:y*28+28]...)
			}
		}
	}
	res := r.clf.Classify(r.flipped)
	c := len(rd.Candidates)
	for k := range len(res) / max(c, 1) {
		part := res[k*c : k*c+c]
		fl[k].fit = fit(part)
		for _, rs := range part {
			if sure(rs) {
				fl[k].n++
			}
		}
	}
	return fl
}

// mirrorToTry returns how to turn (turn) a photo that read n digits with
// confidence among c candidates, whose images flipped read as fl, to read
// it mirrored, across (mirrored) or top for bottom (mirrored+2), or 0 for
// neither. A webcam app that shows its picture as a mirror does may save
// it so (Photo Booth's pictures and films, a web page's capture drawn from
// its preview): the lines run as they should, but each digit is mirrored
// and most read as no digit. The photo is read mirrored when its
// candidates' images, mirrored, read as turnMore more confident digits
// and as turnPoor of them; the photo mirrored decides, as a turn does, and
// only when it reads mirrorMin confident digits or more.
func mirrorToTry(fl [3]flip, n, c int) int {
	m := fl[1]
	if fl[2].n > m.n {
		m = fl[2]
	}
	if m.n < max(n+turnMore, mirrorMin) || float32(m.n) < turnPoor*float32(c) {
		return 0
	}
	return m.q
}

// confident counts rd's digits read with confidence (doubt or more), and
// returns their share of its candidates (0 when there are none).
func confident(rd *Reading) (n int, share float32) {
	for _, d := range rd.Digits {
		if d.Confidence >= doubt {
			n++
		}
	}
	if len(rd.Candidates) == 0 {
		return 0, 0
	}
	return n, float32(n) / float32(len(rd.Candidates))
}

// readPolarity reads frame afresh (Forget), and again with its luma
// inverted when it may show light marks on a dark ground (lightOnDark),
// keeping the reading whose digits' confidences sum higher. A frame in
// which the extractor found a sheet's straight edges against a darker
// table (extract.Extractor.OnTable) is a light sheet, however much of the
// frame the table fills, and is not read inverted: a webcam's note on a
// wooden desk, a third of the frame, read its 1 9 7 inverted as 4 0 7 9
// (pieces of the strokes' edges), more digits with a greater sum.
func (r *Reader) readPolarity(frame *image.YCbCr) *Reading {
	r.Forget()
	rd := r.Read(frame)
	if r.ex.OnTable() || !lightOnDark(frame) {
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

// turn returns frame turned by q%4 quarter turns clockwise, mirrored
// across (left for right) first when q is mirrored or more, as a 4:4:4
// frame in buffers the Reader keeps (a 4:2:2 frame's chroma would not be
// 4:2:2 turned).
func (r *Reader) turn(f *image.YCbCr, q int) *image.YCbCr {
	w, h := f.Rect.Dx(), f.Rect.Dy()
	W, H := w, h
	if q%2 == 1 {
		W, H = h, w
	}
	n := W * H
	if cap(r.turnY) < n {
		r.turnY, r.turnCb, r.turnCr = make([]uint8, n), make([]uint8, n), make([]uint8, n)
	}
	ty, tcb, tcr := r.turnY[:n], r.turnCb[:n], r.turnCr[:n]
	for y := range h {
		for x := range w {
			tx := x // where the pixel lies once mirrored, before the turn
			if q >= mirrored {
				tx = w - 1 - x
			}
			var i int
			switch q % 4 {
			case 0:
				i = y*W + tx
			case 1:
				i = tx*W + h - 1 - y
			case 2:
				i = (h-1-y)*W + w - 1 - tx
			default:
				i = (w-1-tx)*W + y
			}
			px, py := f.Rect.Min.X+x, f.Rect.Min.Y+y
			c := f.COffset(px, py)
			ty[i], tcb[i], tcr[i] = f.Y[f.YOffset(px, py)], f.Cb[c], f.Cr[c]
		}
	}
	r.turned = image.YCbCr{Y: ty, Cb: tcb, Cr: tcr, YStride: W, CStride: W,
		SubsampleRatio: image.YCbCrSubsampleRatio444, Rect: image.Rect(0, 0, W, H)}
	return &r.turned
}

// mirrorMin is the fewest confident digits on which a photo is read
// mirrored. A mirror is rarer than a turn, and a few letters, mirrored,
// are not taught as no digit and may pass for digits (a page of maths,
// 5∫exdx, turned by 12° read 216595 mirrored, six of six candidates
// surely), while mirrored pages of digits read 14 to 59.
const mirrorMin = 8

// mirrorFit is the fit under which a photo that reads well but not
// surely has its candidates' images classified mirrored too (the half
// turn's always are): the development photos fit 0 to -0.3 the right way
// up, so that a page of sixty digits does not classify them twice more
// (2 ms), and ../shared/photos' 3_A4 mirrored top for bottom fits -1.5.
const mirrorFit = -0.5

// mirrored, added to a number of quarter turns, asks turn to mirror the
// photo across before it turns it.
const mirrored = 4

// unturn gives the boxes of rd, read from a photo whose bounds are b
// turned (turn) by q, in the photo as it is.
func unturn(rd *Reading, b image.Rectangle, q int) {
	w, h := b.Dx(), b.Dy()
	back := func(t image.Rectangle) image.Rectangle {
		o := t
		switch q % 4 {
		case 1:
			o = image.Rect(t.Min.Y, h-t.Max.X, t.Max.Y, h-t.Min.X)
		case 2:
			o = image.Rect(w-t.Max.X, h-t.Max.Y, w-t.Min.X, h-t.Min.Y)
		case 3:
			o = image.Rect(w-t.Max.Y, t.Min.X, w-t.Min.Y, t.Max.X)
		}
		if q >= mirrored {
			o = image.Rect(w-o.Max.X, o.Min.Y, w-o.Min.X, o.Max.Y)
		}
		return o.Add(b.Min)
	}
	for i := range rd.Digits {
		rd.Digits[i].Box = back(rd.Digits[i].Box)
	}
	for i := range rd.Candidates {
		rd.Candidates[i].Box = back(rd.Candidates[i].Box)
	}
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
// its ground, the most common luma (groundOf), is darker than mid-grey;
// where it has marks, its light ones are the fewer (localMarks: the
// ground is most of what lies around marks); and they are not more than
// half of its pixels (marks are not most of a picture; a white sheet on
// a dark table may be, and if not, its reading the wrong way up is the
// worse one). A photo of paper however dim fails the first test, for its
// paper is the lightest large part, or the second: a page dimmed from side
// to side (a hand or a phone between it and the lamp) spreads its paper
// over many levels and its ground may fall under mid-grey, but around its
// writing the paper is still most.
func lightOnDark(f *image.YCbCr) bool {
	ground, n := groundOf(f)
	if ground >= darkGround {
		return false
	}
	lighter, darker := localMarks(f)
	return lighter < darker && float64(lighter) <= lightMarksMax*float64(n)
}

// Local grounds (localMarks): the picture is cut into blocks of a
// markBlocks-th of its longer side (at least markBlockMin pixels), and
// the ground around a pixel is taken over the 3x3 blocks around it and
// those around them: a window of 3/8 of the picture, wider than the
// strokes of one digit that fills it (MNIST's, scaled up, are a tenth of
// its side), over which light that changes across a page changes little.
const (
	markBlocks   = 8
	markBlockMin = 8
)

// localMarks counts the pixels of f, on groundOf's grid, that are lighter
// than f opened by more than markContrast, and those darker than f closed
// by as much (morphological top hats at the scale of the blocks of
// markBlocks: opened, each block's least luma, the least of those over
// the 3x3 blocks around, and the greatest of those over the 3x3 around
// that; closed the other way round). A ramp of light keeps its level
// through both; a mark narrower than the window does not, and neither
// does the ground between a mark's strokes: around white strokes on
// black, the closing fills the black between and beside them, and the
// black pixels there, darker than it, outnumber the strokes, as the
// paper around dark writing outnumbers its ink.
func localMarks(f *image.YCbCr) (lighter, darker int) {
	w, h := f.Rect.Dx(), f.Rect.Dy()
	step := sampleStep(w, h)
	// A block's side, in whole steps of the grid; at most markBlocks of
	// them along a side.
	bs := max(markBlockMin, (max(w, h)+markBlocks-1)/markBlocks)
	bs = (bs + step - 1) / step * step
	bw, bh := (w+bs-1)/bs, (h+bs-1)/bs
	var lo, hi, open, shut [markBlocks * markBlocks]uint8
	for i := range bw * bh {
		lo[i], hi[i] = 255, 0
	}
	visit := func(each func(bi int, v uint8)) {
		for y := 0; y < h; y += step {
			row := f.Y[f.YOffset(f.Rect.Min.X, f.Rect.Min.Y+y):]
			for x := 0; x < w; x += step {
				each(y/bs*bw+x/bs, row[x])
			}
		}
	}
	visit(func(bi int, v uint8) {
		lo[bi], hi[bi] = min(lo[bi], v), max(hi[bi], v)
	})
	// Opened: the least of each 3x3 neighbourhood, then the greatest of
	// that; closed the other way round.
	var ero, dil [markBlocks * markBlocks]uint8
	around(&ero, &lo, bw, bh, false)
	around(&open, &ero, bw, bh, true)
	around(&dil, &hi, bw, bh, true)
	around(&shut, &dil, bw, bh, false)
	visit(func(bi int, v uint8) {
		switch {
		case int(v) > int(open[bi])+markContrast:
			lighter++
		case int(v) < int(shut[bi])-markContrast:
			darker++
		}
	})
	return lighter, darker
}

// around sets each of the bw x bh blocks of dst to the greatest (most) or
// least of src over the block and the blocks beside it.
func around(dst, src *[markBlocks * markBlocks]uint8, bw, bh int, most bool) {
	for by := range bh {
		for bx := range bw {
			v := src[by*bw+bx]
			for y := max(by-1, 0); y <= min(by+1, bh-1); y++ {
				for x := max(bx-1, 0); x <= min(bx+1, bw-1); x++ {
					if most {
						v = max(v, src[y*bw+x])
					} else {
						v = min(v, src[y*bw+x])
					}
				}
			}
			dst[by*bw+bx] = v
		}
	}
}

// groundOf returns f's ground, the most common luma (a histogram's
// peak, smoothed over ±8 levels), and how many pixels it looked at (at
// most 65,536, on a regular grid: sampleStep).
func groundOf(f *image.YCbCr) (ground, n int) {
	hist, n := lumaHistogram(f)
	best := -1
	for v := range 256 {
		sum := 0
		for u := max(v-8, 0); u <= min(v+8, 255); u++ {
			sum += hist[u]
		}
		if sum > best {
			ground, best = v, sum
		}
	}
	return ground, n
}

// lumaHistogram counts f's luma levels on the grid of sampleStep, and
// returns how many it counted.
func lumaHistogram(f *image.YCbCr) (hist [256]int, n int) {
	w, h := f.Rect.Dx(), f.Rect.Dy()
	step := sampleStep(w, h)
	for y := f.Rect.Min.Y; y < f.Rect.Max.Y; y += step {
		row := f.Y[f.YOffset(f.Rect.Min.X, y):]
		for x := 0; x < w; x += step {
			hist[row[x]]++
			n++
		}
	}
	return hist, n
}

// sampleStep is the spacing of the grid on which groundOf and localMarks
// look at a w x h photo: the least that gives at most 65,536 points.
func sampleStep(w, h int) int {
	step := 1
	for w/step*(h/step) > 1<<16 {
		step++
	}
	return step
}

// pad returns frame inside a margin of p pixels of its ground (groundOf,
// and the mean chroma of the pixels within 8 levels of it), as a 4:4:4
// frame in buffers the Reader keeps.
func (r *Reader) pad(f *image.YCbCr, p int) *image.YCbCr {
	w, h := f.Rect.Dx(), f.Rect.Dy()
	ground, _ := groundOf(f)
	var cb, cr, k int
	for y := f.Rect.Min.Y; y < f.Rect.Max.Y; y++ {
		for x := f.Rect.Min.X; x < f.Rect.Max.X; x++ {
			if v := int(f.Y[f.YOffset(x, y)]); v >= ground-8 && v <= ground+8 {
				c := f.COffset(x, y)
				cb, cr, k = cb+int(f.Cb[c]), cr+int(f.Cr[c]), k+1
			}
		}
	}
	W, H := w+2*p, h+2*p
	n := W * H
	if cap(r.padY) < n {
		r.padY, r.padCb, r.padCr = make([]uint8, n), make([]uint8, n), make([]uint8, n)
	}
	py, pcb, pcr := r.padY[:n], r.padCb[:n], r.padCr[:n]
	mb, mr := uint8(128), uint8(128) // k is 0 only when the ground's peak lies between its levels
	if k > 0 {
		mb, mr = uint8(cb/k), uint8(cr/k)
	}
	for i := range n {
		py[i], pcb[i], pcr[i] = uint8(ground), mb, mr
	}
	for y := range h {
		for x := range w {
			sx, sy := f.Rect.Min.X+x, f.Rect.Min.Y+y
			i, c := (y+p)*W+x+p, f.COffset(sx, sy)
			py[i], pcb[i], pcr[i] = f.Y[f.YOffset(sx, sy)], f.Cb[c], f.Cr[c]
		}
	}
	r.padded = image.YCbCr{Y: py, Cb: pcb, Cr: pcr, YStride: W, CStride: W,
		SubsampleRatio: image.YCbCrSubsampleRatio444, Rect: image.Rect(0, 0, W, H)}
	return &r.padded
}

// unpad gives the boxes of rd, read from a photo whose bounds are b
// padded by p pixels (pad), in the photo as it is.
func unpad(rd *Reading, b image.Rectangle, p int) {
	back := func(t image.Rectangle) image.Rectangle {
		return t.Sub(image.Pt(p, p)).Add(b.Min).Intersect(b)
	}
	for i := range rd.Digits {
		rd.Digits[i].Box = back(rd.Digits[i].Box)
	}
	for i := range rd.Candidates {
		rd.Candidates[i].Box = back(rd.Candidates[i].Box)
	}
}

// Enlarging a photo of one small digit: a photo whose longer side is
// under enlargeBelow pixels (a digit cut out at MNIST's size, or a
// thumbnail) is read enlarged by the least whole factor that makes that
// side enlargeTo pixels or more. At 20 to 28 pixels a pen's stroke is a
// pixel or two wide, and the extractor, made for strokes it can follow
// from pixel to pixel, loses thin ones: the development photos' digits,
// cut out with margins of 0 to 30% and scaled to 20 and 28 pixels, read
// 1,892 of 2,082 as they were (66 no digit at all), 2,002 enlarged (16)
// (TestSmallPhotos).
const (
	enlargeBelow = 40
	enlargeTo    = 56
)

// enlarge makes r.enlarged, frame enlarged k times by bilinear
// interpolation of its three planes (4:4:4).
func (r *Reader) enlarge(f *image.YCbCr, k int) *image.YCbCr {
	w, h := f.Rect.Dx(), f.Rect.Dy()
	W, H := w*k, h*k
	n := W * H
	if cap(r.bigY) < n {
		r.bigY, r.bigCb, r.bigCr = make([]uint8, n), make([]uint8, n), make([]uint8, n)
	}
	by, bcb, bcr := r.bigY[:n], r.bigCb[:n], r.bigCr[:n]
	// at returns the source index below and the weight of the next one
	// for output coordinate v along a side of n source pixels.
	at := func(v, n int) (int, int, float32) {
		s := (float32(v)+0.5)/float32(k) - 0.5
		if s <= 0 {
			return 0, 0, 0
		}
		i := int(s)
		if i >= n-1 {
			return n - 1, n - 1, 0
		}
		return i, i + 1, s - float32(i)
	}
	for Y := range H {
		y0, y1, fy := at(Y, h)
		for X := range W {
			x0, x1, fx := at(X, w)
			lerp := func(p00, p01, p10, p11 uint8) uint8 {
				top := float32(p00) + (float32(p01)-float32(p00))*fx
				bot := float32(p10) + (float32(p11)-float32(p10))*fx
				return uint8(top + (bot-top)*fy + 0.5)
			}
			px0, px1 := f.Rect.Min.X+x0, f.Rect.Min.X+x1
			py0, py1 := f.Rect.Min.Y+y0, f.Rect.Min.Y+y1
			i := Y*W + X
			by[i] = lerp(f.Y[f.YOffset(px0, py0)], f.Y[f.YOffset(px1, py0)], f.Y[f.YOffset(px0, py1)], f.Y[f.YOffset(px1, py1)])
			c00, c01, c10, c11 := f.COffset(px0, py0), f.COffset(px1, py0), f.COffset(px0, py1), f.COffset(px1, py1)
			bcb[i] = lerp(f.Cb[c00], f.Cb[c01], f.Cb[c10], f.Cb[c11])
			bcr[i] = lerp(f.Cr[c00], f.Cr[c01], f.Cr[c10], f.Cr[c11])
		}
	}
	r.enlarged = image.YCbCr{Y: by, Cb: bcb, Cr: bcr, YStride: W, CStride: W,
		SubsampleRatio: image.YCbCrSubsampleRatio444, Rect: image.Rect(0, 0, W, H)}
	return &r.enlarged
}

// shrink gives the boxes of rd, read from a photo whose bounds are b
// enlarged k times, in the photo as it is.
func shrink(rd *Reading, b image.Rectangle, k int) {
	back := func(t image.Rectangle) image.Rectangle {
		return image.Rect(t.Min.X/k, t.Min.Y/k, (t.Max.X+k-1)/k, (t.Max.Y+k-1)/k).Add(b.Min).Intersect(b)
	}
	for i := range rd.Digits {
		rd.Digits[i].Box = back(rd.Digits[i].Box)
	}
	for i := range rd.Candidates {
		rd.Candidates[i].Box = back(rd.Candidates[i].Box)
	}
}

// invertLuma makes r.inverted frame with its luma inverted: its own luma
// plane, kept from photo to photo, and frame's chroma, shared (a colour's
// distance from the paper's, which the extractor measures, is the same
// either way).
func (r *Reader) invertLuma(frame *image.YCbCr) {
	mapLuma(&r.inverted, &r.invY, frame, &inverse)
}

// inverse maps a luma level to its inverse.
var inverse = func() (t [256]uint8) {
	for v := range t {
		t[v] = uint8(255 - v)
	}
	return t
}()

// mapLuma makes dst frame with its luma mapped through lut into the plane
// y (reused from call to call), its chroma frame's own.
func mapLuma(dst *image.YCbCr, y *[]uint8, frame *image.YCbCr, lut *[256]uint8) {
	w := frame.Rect.Dx()
	*dst = *frame
	*y = (*y)[:0]
	for row := frame.Rect.Min.Y; row < frame.Rect.Max.Y; row++ {
		off := frame.YOffset(frame.Rect.Min.X, row)
		for _, v := range frame.Y[off : off+w] {
			*y = append(*y, lut[v])
		}
	}
	// Y[0] is the pixel at Rect.Min (image.YCbCr.YOffset), as in frame.
	dst.Y, dst.YStride = *y, w
}

// Reading a faint photo again with its contrast doubled: a photo that reads
// no digit, whose luma spans fewer than stretchBelow levels between its
// stretchTail-th darkest and lightest (a grey pencil or pen on grey paper,
// a washed-out picture, a thumbnail whose scaling averaged a stroke into
// its paper), is read again with its luma's distance from the middle of
// that span doubled, and that reading is kept when it finds one candidate,
// a digit read with stretchSure or more, stretchTall of the photo's height
// or taller: a photo of one digit. The extractor takes for ink only what is
// darker than its paper by an absolute floor (its minContrast and the
// paper's brightness floor, made for camera noise), which the strokes of a
// faint digit scaled to 20 pixels, 15 levels darker than their paper, do
// not reach: the development photos' digits cut out and scaled to 20 and 28
// pixels (TestSmallPhotos) read 2,002 of 2,082 and 17 no digit without it,
// 2,011 and 5 with it; faint MNIST digits (TestFaintPhotos) 84 of 300 no
// digit, then 2. Blank paper so stretched reads its shading and the sheet's
// edge as 1s and 7s; the guards keep most of them out: of 634 blank crops
// of the development photos (TestBlankPhotoCrops), half of them scaled to
// 20 to 40 pixels, 21 read a digit with confidence 0.8 or more as they are,
// 65 stretched without the guards, 30 with them.
const (
	stretchBelow = 128
	stretchTail  = 0.01
	stretchSure  = 0.95
	stretchTall  = 0.5
)

// A faint photo that reads digits, or one of a page that reads none, is
// read stretched too. Faint: its luma spans fewer than stretchBelow levels
// and most of the digits it reads with confidence, or of its candidates
// where it reads none so (extract.Digit.Contrast), are under
// faintContrast against their paper (a veil of light over the lens, fog,
// a washed-out scan, a pencil under flat light). The stretched reading is
// kept when it holds stretchLead more confident digits than the photo,
// and stretchMin at least; a photo that reads none is a page when its
// shorter side is stretchPage pixels or more. The extractor's ink
// thresholds follow the writing's typical stroke but keep absolute floors
// (InkLow 0.08 above the paper, InkHigh 0.05 above InkLow) made for
// paper's grain and shading, under which the thin parts of strokes a
// quarter as dark as their paper fall away: ../shared/photos under a haze
// (scripts/degrade-photos.sh: ImageMagick's -vignette toward grey) read
// 201 of 241 digits, strokes 0.11 to 0.16 darker than their paper. The
// development photos' confident digits measure 0.26 to 0.87 as they are. Two
// more digits, as readOtherLean asks, and three at least: specks on blank
// paper stretched read as a digit or two (two of the 634 blank crops of
// TestBlankPhotoCrops read 1s and 7s of 5 to 12 pixels with confidence so),
// and a crop of bare paper that reads none, stretched, shows the edge of
// its shading as slivers read as 1s (a crop of 118x103 pixels, three).
const (
	faintContrast = 0.25
	stretchLead   = leanLead
	stretchMin    = 3
	stretchPage   = 240
)

// faintWriting reports whether most of rd's digits read with confidence
// are under faintContrast against their paper, or, where it read none
// so, most of its candidates: the writing's contrast, not the specks' and
// the grain's that a large photo holds many of.
func faintWriting(rd *Reading) bool {
	sure, faint := 0, 0
	for i, c := range rd.Candidates {
		if res := rd.Results[i]; res.Class < model.Digits && res.Confidence >= doubt {
			sure++
			if c.Contrast < faintContrast {
				faint++
			}
		}
	}
	if sure > 0 {
		return 2*faint > sure
	}
	for _, c := range rd.Candidates {
		if c.Contrast < faintContrast {
			faint++
		}
	}
	return 2*faint > len(rd.Candidates)
}

// oneDigit reports whether rd, read from a photo whose bounds are b, is
// of one digit that fills it (see stretchBelow).
func oneDigit(rd *Reading, b image.Rectangle) bool {
	return len(rd.Candidates) == 1 && len(rd.Digits) == 1 && rd.Digits[0].Confidence >= stretchSure &&
		float32(rd.Digits[0].Box.Dy()) >= stretchTall*float32(b.Dy())
}

// stretchLuma makes r.stretched frame with its luma's contrast doubled
// (see stretchBelow) and reports whether it did: not for a photo whose
// luma spans stretchBelow levels or more.
func (r *Reader) stretchLuma(frame *image.YCbCr) bool {
	hist, n := lumaHistogram(frame)
	tail := int(stretchTail * float32(n))
	lo, hi := 0, 255
	for sum := hist[0]; sum <= tail && lo < 255; sum += hist[lo] {
		lo++
	}
	for sum := hist[255]; sum <= tail && hi > 0; sum += hist[hi] {
		hi--
	}
	if hi-lo >= stretchBelow {
		return false
	}
	var lut [256]uint8
	for v := range lut {
		lut[v] = uint8(min(max(2*v-(lo+hi)/2*2+128, 0), 255))
	}
	mapLuma(&r.stretched, &r.stretchY, frame, &lut)
	return true
}
