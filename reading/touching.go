package reading

import (
	"math"
	"slices"

	"github.com/edgeconv/edgeconv/extract"
	"github.com/edgeconv/edgeconv/model"
)

// Digits written into each other, in heights of the candidate unless
// stated.
const (
	// touchWide is the least width of a candidate that may hold two
	// digits, of its line's digits' height: a 1 (a sixth of its height
	// wide) written into a narrow 7 or 9 (under half) is about 0.6. At
	// 0.8, narrow writing's pairs stayed whole: MNIST digits scaled to
	// 0.6 of their width and written into each other read 600 of 750
	// right (TestTouchingDigits), now 639.
	touchWide = 0.6
	// touchMinW and touchMaxW bound a piece's width: a 1 is a sixth of
	// its height wide, a wide 0 or 4 about its height.
	touchMinW, touchMaxW = 0.15, 1.0
	// touchConfirm is the confidence with which the model must read
	// every piece as a digit.
	touchConfirm = 0.9
	// touchOthers is the largest share of non-digits among a photo's
	// other candidates (the model's mean probability of "not a digit",
	// with the trained prior as priorWeight pseudo-candidates) at which
	// a candidate is cut: on a page of digits, a wide mark the model
	// rejects is most likely digits that touch; on a page of words or
	// maths it is most likely a letter (an M, a w, an N), whose strokes,
	// cut apart, pass for digits (the letters condition: 2.9% spurious
	// digits, 11.1% when every page was cut). Measured over the generated
	// conditions, pages of digits share at most 0.16 (boxes; most under
	// 0.04) and pages among letters at least 0.20 (a tenth under 0.30);
	// a blurred photo of digits, whose blots the model rejects, 0.14,
	// which 0.1 left uncut.
	touchOthers = 0.18
	// touchContext is how many digits read with confidence a photo must
	// hold besides for its wide marks to be cut: a photo of one mark is
	// of one digit, written wide (an MNIST 0 or 2 alone, cut, read as two
	// digits: 9 spurious of 1,000 until it was left whole).
	touchContext = 2
	// touchTall is the least height of a mark that is cut, of its line's
	// digits read with confidence: digits that touch are as tall as the
	// rest, a lowercase letter (an n, an m, a w) half as tall, and its
	// arches, cut apart, read as a 7 and a 2.
	touchTall = 0.9
	// touchOneTall and touchOneSure are what a piece read as a 1 needs to
	// count: as tall as the mark or its line's digits, whichever is
	// less, read with 0.99. One stroke alone (a 6's tail, a box's side, a
	// letter's diagonal) reads as a 1 too, but shorter than the mark or
	// less surely: pencil, hairline, boxes and defocus each gained a
	// spurious 1 when any 1 counted. Against the line too, as a 4 or a 7
	// that leans or descends makes the mark taller than the 1 it touches:
	// ../shared/photos seen at an angle (the top 25% narrower a side, with
	// ImageMagick) read a line's "14" so, 230 -> 232 of 241.
	touchOneTall, touchOneSure = 0.9, 0.99
)

// readTouching reads again, in a photo, each candidate wide enough for
// two digits that the model reads as no digit, when the photo's other
// candidates are digits (touchOthers, touchContext) and the mark is as
// tall as its line's (touchTall): digits written into each other (the bar
// of a 4 through the next digit, two 0s side by side, a 6 whose tail runs
// into a 2) are one mark whose joint is no thin stroke, which the
// extractor's cuts do not dare and an equal split (revise) cuts in the
// wrong places. The candidate is cut at the columns of least ink
// (extract.Extractor.CutColumns); every stretch between two cuts as wide
// as a digit is read; and the pieces that together read most surely (the
// greatest sum of the log-probabilities of their digits, by dynamic
// programming over the cuts) take the candidate's place when there are
// two or more, each read as a digit with touchConfirm; a piece read as a
// 1 must also be as tall as the mark (or its line) and sure
// (touchOneTall, touchOneSure). Camera frames are left alone: a cut
// candidate costs twenty readings or so, which a frame's budget cannot
// pay.
func (r *Reader) readTouching() {
	rd := &r.r
	k := rd.Classes
	if !r.photo || k <= model.NotDigit {
		return
	}
	page := pageOf(rd)
	if page.digits < touchContext {
		return
	}
	r.rebuild(func(i int) bool {
		c := &rd.Candidates[i]
		if rd.Results[i].Class < model.Digits || page.others(i) >= touchOthers {
			return false
		}
		// The mark's width is judged against the line's height: a 7 or a
		// 9 whose stem descends makes it taller than the line's digits.
		lh := r.lineHeight(c.Line, i)
		h := float32(c.Box.Dy())
		return lh > 0 && float32(c.Box.Dx()) >= touchWide*min(h, lh) && h >= touchTall*lh && r.segment(c, min(h, lh))
	})
}

// page holds what readTouching and readSharpened ask of a photo's
// candidates: how many are digits read with confidence, and how likely
// the others are to be no digits.
type page struct {
	rd     *Reading
	sum    float64 // the candidates' probabilities of not being a digit
	digits int     // the candidates read as digits with confidence
}

// pageOf returns the page of rd's candidates; rd has a NotDigit class.
func pageOf(rd *Reading) page {
	p := page{rd: rd}
	for i := range rd.Candidates {
		p.sum += float64(rd.Probs[i*rd.Classes+model.NotDigit])
		if sure(rd.Results[i]) {
			p.digits++
		}
	}
	return p
}

// others returns the mean probability of not being a digit of the
// candidates other than i, with the trained prior as priorWeight
// pseudo-candidates.
func (p page) others(i int) float64 {
	nd := float64(p.rd.Probs[i*p.rd.Classes+model.NotDigit])
	return (p.sum - nd + priorWeight*trainedPrior) / (float64(len(p.rd.Candidates)) - 1 + priorWeight)
}

// segment cuts candidate c as readTouching does and, when its pieces read
// as digits, appends them in order, with their readings, to r.cands,
// r.ress and r.probs; a piece read as a 1 counts from touchOneTall of
// tall, the mark's height or its line's digits', whichever is less.
func (r *Reader) segment(c *extract.Digit, tall float32) bool {
	r.cols = r.ex.CutColumns(c, r.cols[:0])
	if len(r.cols) == 0 || !r.ex.CutAt(c, r.cols) {
		return false
	}
	// The bounds of the pieces: the left side, the cuts, the right side.
	xs := append(r.xs[:0], c.Box.Min.X)
	xs = append(xs, r.cols...)
	xs = append(xs, c.Box.Max.X)
	r.xs = xs
	h := float32(c.Box.Dy())
	r.segs, r.spans, r.ppx = r.segs[:0], r.spans[:0], r.ppx[:0]
	for i := range xs {
		for j := i + 1; j < len(xs); j++ {
			w := float32(xs[j] - xs[i])
			if w < touchMinW*h || i == 0 && j == len(xs)-1 {
				continue // too narrow, or the whole
			}
			if w > touchMaxW*h {
				break
			}
			n := len(r.segs)
			if r.segs = r.ex.Piece(c, i, j, r.segs); len(r.segs) > n {
				r.spans = append(r.spans, [2]int{i, j})
				r.ppx = append(r.ppx, r.segs[n].Pixels[:]...)
			}
		}
	}
	if len(r.spans) < 2 {
		return false
	}
	res := r.clf.Classify(r.ppx)
	// score[j] is the greatest sum of log-probabilities of pieces from the
	// left side to bound j, and from[j] the piece that ends there.
	none := math.Inf(-1)
	r.score, r.from = r.score[:0], r.from[:0]
	for range xs {
		r.score, r.from = append(r.score, none), append(r.from, -1)
	}
	score, from := r.score, r.from
	score[0] = 0
	for s, sp := range r.spans { // in order of their left bound
		p := res[s]
		stroke := p.Class == 1 && (float32(r.segs[s].Box.Dy()) < touchOneTall*tall || p.Confidence < touchOneSure)
		if score[sp[0]] == none || p.Class >= model.Digits || stroke || p.Confidence < touchConfirm {
			continue
		}
		if v := score[sp[0]] + math.Log(float64(p.Confidence)); v > score[sp[1]] {
			score[sp[1]], from[sp[1]] = v, s
		}
	}
	last := len(xs) - 1
	if score[last] == none {
		return false
	}
	// The pieces, found from the right side back, appended in order.
	r.chosen = r.chosen[:0]
	for j := last; j > 0; j = r.spans[from[j]][0] {
		r.chosen = append(r.chosen, from[j])
	}
	slices.Reverse(r.chosen)
	k := r.clf.Classes()
	probs := r.clf.Probs()
	for n, s := range r.chosen {
		piece := r.segs[s]
		piece.Space = n == 0 && c.Space
		r.cands = append(r.cands, piece)
		r.ress = append(r.ress, res[s])
		r.probs = append(r.probs, probs[s*k:(s+1)*k]...)
	}
	return true
}
