package reading

import (
	"slices"

	"github.com/edgeconv/edgeconv/model"
)

// Lines of faint, doubtful marks on a page of clear writing.
const (
	faintLine   = 0.7  // a line all of whose digits are this much fainter than the page's writing
	clearDigit  = 0.97 // and none of which is read as a digit with this confidence is not writing
	clearDigits = 3    // the page's writing: at least so many digits read with clearDigit
)

// dropFaintLines takes as not digits the digits of each line whose every
// digit is fainter than faintLine of the page's writing and none read with
// confidence (clearDigit): handwriting that shows
// through from the back of the sheet, which the paper dims to a third or a
// half, blurs and mirrors, so that the model reads its strokes as doubtful
// 1s, 7s and 2s. The page's writing is the median contrast
// (extract.Digit.Contrast) of the digits read with confidence; with fewer
// than clearDigits of them there is nothing to compare with, and a page
// written faintly all over (pencil, a dim room) is its own measure. The
// decision is the line's, not a digit's: one faint or doubted digit among
// clear ones on its line (a pencil correction, a stroke thinned by blur)
// stays, and the extractor's own rule for faint marks (a share of the
// darkest writing, before any reading) stays lower, because it cannot
// tell a mirrored stroke from a real digit.
func (r *Reader) dropFaintLines() {
	rd := &r.r
	if rd.Classes <= model.NotDigit {
		return
	}
	r.contrasts = r.contrasts[:0]
	lines := 0
	for i := range rd.Candidates {
		lines = max(lines, rd.Candidates[i].Line+1)
		if res := rd.Results[i]; res.Class < model.Digits && res.Confidence >= clearDigit {
			r.contrasts = append(r.contrasts, rd.Candidates[i].Contrast)
		}
	}
	if len(r.contrasts) < clearDigits {
		return
	}
	slices.Sort(r.contrasts)
	faint := faintLine * r.contrasts[len(r.contrasts)/2]
	// writing reports, per line, whether a mark of it is written as the
	// page is: read with confidence, or as dark as faint and darker.
	r.writing = append(r.writing[:0], make([]bool, lines)...)
	for i := range rd.Candidates {
		c, res := &rd.Candidates[i], rd.Results[i]
		if c.Line >= 0 && res.Class < model.Digits && (res.Confidence >= clearDigit || c.Contrast >= faint) {
			r.writing[c.Line] = true
		}
	}
	for i := range rd.Candidates {
		if l := rd.Candidates[i].Line; l >= 0 && rd.Results[i].Class < model.Digits && !r.writing[l] {
			r.notDigit(i)
		}
	}
}

// notDigit makes candidate i's reading "not a digit", with certainty.
func (r *Reader) notDigit(i int) {
	rd := &r.r
	p := rd.Probs[i*rd.Classes : (i+1)*rd.Classes]
	clear(p)
	p[model.NotDigit] = 1
	rd.Results[i] = model.ResultOf(p)
}
