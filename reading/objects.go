package reading

import (
	"slices"

	"github.com/edgeconv/edgeconv/model"
)

// Objects lying on the sheet, against the page's writing: the median
// stroke (extract.Digit.Stroke) and height of its digits read with
// confidence.
const (
	// objectStroke is how many times the writing's stroke an object's is
	// at least. A pen or a pencil is several millimetres wide, a
	// ballpoint's or a marker's stroke half a millimetre to two: a pen
	// drawn across ../shared/photos measures 2.6 to 4.5 times the
	// writing's strokes. The development photos' 1s stay within 1.2
	// times their page's median, the generated scenes' MNIST 1s within 2
	// (their loops, filled by a thick pen, take other digits to 2.5).
	objectStroke = 2
	// objectTall is how many times the writing's height an object's mark
	// is at least: a pen spans lines, and the extractor cuts it where it
	// reaches into each, about a line's spacing apart (1.4 to 5 line
	// heights in the tests). A 1 of the generated scenes stands at most
	// 1.25 times its page's digits where it is 1.8 times as thick; the
	// development photos' tall 1s and tails are as thick as the writing.
	objectTall = 1.3
	// objectDigits is how many digits read with confidence a page must
	// hold for its writing to be measured.
	objectDigits = 3
)

// dropObjects takes as not a digit each candidate read as a 1 that is
// objectStroke times thicker and objectTall times taller than the page's
// writing (the median stroke and height of its digits read with
// confidence, objectDigits of them at least): a pen or a pencil lying on
// the sheet is one long, straight, thick mark, cut where it crosses the
// lines, whose pieces the model reads as 1s. (One as wide as the digits
// are tall, as most pens beside ordinary writing are, the model itself
// calls no digit.)
func (r *Reader) dropObjects() {
	rd := &r.r
	if rd.Classes <= model.NotDigit {
		return
	}
	r.heights, r.strokes = r.heights[:0], r.strokes[:0]
	for i := range rd.Candidates {
		if sure(rd.Results[i]) {
			r.heights = append(r.heights, rd.Candidates[i].Box.Dy())
			r.strokes = append(r.strokes, rd.Candidates[i].Stroke)
		}
	}
	if len(r.heights) < objectDigits {
		return
	}
	h := median(r.heights)
	slices.Sort(r.strokes)
	s := r.strokes[len(r.strokes)/2]
	for i := range rd.Candidates {
		c := &rd.Candidates[i]
		if rd.Results[i].Class == 1 && c.Stroke >= objectStroke*s && float32(c.Box.Dy()) >= objectTall*h {
			r.notDigit(i)
		}
	}
}
