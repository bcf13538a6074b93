package reading

import (
	"errors"
	"image"
	"time"

	"github.com/edgeconv/edgeconv/extract"
	"github.com/edgeconv/edgeconv/model"
)

// Options configures a Reader.
type Options struct {
	// Extract tunes the digit extractor.
	Extract extract.Options
	// Classifier sets the classifier's batch, workers and arithmetic; the
	// zero value classifies 32 digits per pass on the calling goroutine in
	// the model's own precision.
	Classifier model.Options
	// MinConfidence marks the digits read with a lower confidence Low; 0
	// marks none.
	MinConfidence float32
}

// Digit is one digit of a reading.
type Digit struct {
	// Digit is the class read, 0 to 9.
	Digit int
	// Confidence is its softmax probability, 0 to 1.
	Confidence float32
	// Box is the digit's ink box in frame coordinates.
	Box image.Rectangle
	// Line is the index of the digit's line of text, 0 for the top line.
	Line int
	// Space reports a break before the digit on its line: a wide gap, or
	// something that is not a digit.
	Space bool
	// Low reports a confidence below Options.MinConfidence.
	Low bool
}

// Reading is what one frame reads. It and everything it points to belong
// to the Reader and are overwritten by the next Read.
type Reading struct {
	// Digits are the digits read, in reading order: lines top to bottom,
	// digits left to right. Candidates classified NotDigit are left out.
	Digits []Digit
	// Text holds the digits as text: lines separated by '\n', breaks
	// (Digit.Space) by ' '.
	Text []byte
	// Confident reports that there is at least one digit and none is Low.
	Confident bool
	// Candidates are all that the extractor found, in reading order, and
	// Results[i] is the classification of Candidates[i]: the digits and
	// what was dropped as not a digit, for debug images and the preview.
	Candidates []extract.Digit
	Results    []model.Result
	// ExtractTime and ClassifyTime are the times the two stages took.
	ExtractTime, ClassifyTime time.Duration
}

// Reader turns frames into readings with one extractor and one
// classifier. It holds every buffer, so after the first frames of a size
// Read allocates nothing. A Reader serves one goroutine; Close releases
// its classifier's worker goroutines.
type Reader struct {
	ex      *extract.Extractor
	clf     *model.Classifier
	minConf float32
	px      []uint8 // the candidates' images, (n, 28, 28)
	r       Reading
}

// New returns a Reader that classifies with m.
func New(m *model.Model, opts Options) (*Reader, error) {
	if !(opts.MinConfidence >= 0 && opts.MinConfidence <= 1) {
		return nil, errors.New("reading: the minimum confidence is between 0 and 1")
	}
	c, err := m.NewClassifier(opts.Classifier)
	if err != nil {
		return nil, err
	}
	return &Reader{ex: extract.NewExtractor(opts.Extract), clf: c, minConf: opts.MinConfidence}, nil
}

// Close releases the classifier's worker goroutines.
func (r *Reader) Close() { r.clf.Close() }

// Classifier returns the Reader's classifier (its String names the model
// and the arithmetic).
func (r *Reader) Classifier() *model.Classifier { return r.clf }

// MinConfidence returns the confidence under which digits are Low.
func (r *Reader) MinConfidence() float32 { return r.minConf }

// Read extracts the digits of img (extract.Extractor.Extract: a camera's
// *image.YCbCr frame, its colour included, or an *image.Gray is read in
// place, anything else converted) and classifies them. The result is valid until the next Read.
func (r *Reader) Read(img image.Image) *Reading {
	rd := &r.r
	t0 := time.Now()
	rd.Candidates = r.ex.Extract(img, rd.Candidates)
	t1 := time.Now()
	r.px = r.px[:0]
	for i := range rd.Candidates {
		r.px = append(r.px, rd.Candidates[i].Pixels[:]...)
	}
	rd.Results = r.clf.Classify(r.px)
	t2 := time.Now()
	rd.ExtractTime, rd.ClassifyTime = t1.Sub(t0), t2.Sub(t1)
	r.compose()
	return rd
}

// compose builds the digits and the text from the candidates and their
// classes. A candidate that is not a digit is dropped, and marks a break
// before the next digit of its line, as a wide gap does: "12x34" reads
// "12 34".
func (r *Reader) compose() {
	rd := &r.r
	rd.Digits, rd.Text = rd.Digits[:0], rd.Text[:0]
	rd.Confident = false
	low := false
	gap := false // a dropped candidate since the last digit
	for i := range rd.Candidates {
		c, res := &rd.Candidates[i], rd.Results[i]
		if res.Class >= model.Digits {
			gap = true
			continue
		}
		d := Digit{Digit: res.Class, Confidence: res.Confidence, Box: c.Box, Line: c.Line,
			Space: c.Space, Low: res.Confidence < r.minConf}
		switch n := len(rd.Digits); {
		case n == 0:
			d.Space = false
		case d.Line != rd.Digits[n-1].Line:
			d.Space = false
			rd.Text = append(rd.Text, '\n')
		case d.Space || gap:
			d.Space = true
			rd.Text = append(rd.Text, ' ')
		}
		rd.Text = append(rd.Text, byte('0'+d.Digit))
		rd.Digits = append(rd.Digits, d)
		low = low || d.Low
		gap = false
	}
	rd.Confident = len(rd.Digits) > 0 && !low
}
