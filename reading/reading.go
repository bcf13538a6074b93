package reading

import (
	"errors"
	"image"
	"math"
	"slices"
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
	// Probs holds each candidate's class probabilities, (len(Candidates),
	// Classes): the evidence that firmware's fusion of frames accumulates.
	Probs   []float32
	Classes int
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

	// revise's buffers: the results it owns, the candidates and results
	// it builds, and the parts of a candidate it cut.
	res   []model.Result // the classifier's results, copied
	prob  []float32      // and their probabilities
	cands []extract.Digit
	ress  []model.Result
	probs []float32
	parts []extract.Digit
	ppx   []uint8

	// readTouching's cut columns, the bounds of its pieces, the pieces
	// and the bounds each spans, its dynamic programme's scores, and the
	// pieces it chose.
	cols, xs     []int
	segs         []extract.Digit
	spans        [][2]int
	score        []float64
	from, chosen []int

	// rejoin's cuts looked at.
	rejoined []int

	// lookWider's candidates and their two views.
	narrow []int
	npx    []uint8

	// amongDigits's candidates.
	among []amongMark

	// dropHanging's sums over each line's digits.
	fits []lineFit

	// adaptPrior's probabilities of not being a digit.
	ndProb []float64

	// lineHeights's heights of a line's digits, and medianHeight's and
	// dropObjects's of a photo's; dropObjects's strokes.
	heights []int
	strokes []float32

	// dropFaintLines's contrasts of the digits read with confidence, and
	// its lines that hold writing.
	contrasts []float32
	// dropPrinted's scratch: the heights of a line's marks and the gaps
	// between them.
	markHs, markGaps []float64
	writing          []bool

	// ReadPhoto's frame with its luma inverted, and that luma; and the
	// frame turned, and its planes.
	inverted              image.YCbCr
	invY                  []uint8
	turned                image.YCbCr
	turnY, turnCb, turnCr []uint8
	// ReadPhoto's frame of two levels with its luma smoothed
	// (smoothBilevel), that luma and a pass's.
	smoothed       image.YCbCr
	smoothY, passY []uint8
	// ReadPhoto's frame with its contrast stretched (stretchLuma), and
	// its luma.
	stretched image.YCbCr
	stretchY  []uint8
	// ReadPhoto's frame with its luma sharpened (sharpenLuma), that luma
	// and the blurred planes; the reading kept aside meanwhile, and the
	// digits the sharpened reading was sure of (readSharpened).
	sharpened             image.YCbCr
	sharpY, blurA, blurB  []uint8
	colSums               []int32
	keptCands, sharpCands []extract.Digit
	keptRes, sharpRes     []model.Result
	keptProbs, sharpProbs []float32
	// ReadPhoto's digits and its candidates' boxes while readStretched
	// reads the photo stretched.
	faintKept  []Digit
	faintMarks []image.Rectangle
	// flips' images of the candidates turned by a half and mirrored.
	flipped []uint8
	// and the frame padded (too thin to read as it is), and its planes.
	padded             image.YCbCr
	padY, padCb, padCr []uint8
	// and the frame enlarged (a small photo, small digits), and its
	// planes.
	enlarged           image.YCbCr
	bigY, bigCb, bigCr []uint8

	// frame is the bounds of the frame being read, and photo reports
	// that it is a photo of its own (ReadPhoto), not a camera's frame.
	frame image.Rectangle
	photo bool
	// deciding reports that ReadPhoto reads to decide which way up the
	// photo is: readWhole leaves all its ink alone.
	deciding bool
	// upright makes readTurned read a photo the way up it is, with no
	// turn tried (readRaised's second reading).
	upright bool
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

// Forget makes the next frame read as if it were the Reader's first
// (extract.Extractor.Forget): for photos read one after another, which
// have nothing to do with one another, unlike a camera's frames.
func (r *Reader) Forget() { r.ex.Forget() }

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
	r.frame = img.Bounds()
	rd.Candidates = r.ex.Extract(img, rd.Candidates)
	t1 := time.Now()
	r.px = r.px[:0]
	for i := range rd.Candidates {
		r.px = append(r.px, rd.Candidates[i].Pixels[:]...)
	}
	// The results are copied: the second looks classify again, and the
	// classifier's own slice would change under them.
	r.res = append(r.res[:0], r.clf.Classify(r.px)...)
	rd.Results = r.res
	rd.Classes = r.clf.Classes()
	r.prob = append(r.prob[:0], r.clf.Probs()...)
	rd.Probs = r.prob
	r.rejoin()
	r.revise()
	r.readApart()
	r.lookWider()
	r.lookTop()
	r.adaptPrior()
	r.readTouching()
	r.amongDigits()
	r.dropHanging()
	r.joinBroken()
	r.joinStacked()
	r.readWhole()
	r.readCloseUp()
	r.dropCutNeighbours()
	r.dropFaintLines()
	r.dropPrinted()
	r.dropObjects()
	t2 := time.Now()
	rd.ExtractTime, rd.ClassifyTime = t1.Sub(t0), t2.Sub(t1)
	r.compose()
	return rd
}

// Revising doubted candidates.
const (
	doubt        = 0.8  // a candidate read with less confidence than this is doubted
	splitWide    = 0.75 // of its height: a doubted candidate this wide may be digits that touch
	splitThree   = 1.6  // of its height: this wide, it may be three
	splitConfirm = 0.9  // every part must be read as a digit with this confidence
)

// revise gives the candidates the model doubts (read as a digit with
// little confidence) that are wide enough to hold two digits a second
// chance: the extractor cuts them where the ink is thinnest
// (extract.Extractor.Split), and when the model reads every part as a
// digit with confidence, the parts take the candidate's place. Digits that
// touch (written close, or joined by a flourish) are cut where the
// extractor's own rules did not dare. What the model calls not a digit is
// left alone: cut, a letter's strokes can pass for digits.
func (r *Reader) revise() {
	rd := &r.r
	r.rebuild(func(i int) bool {
		c, res := &rd.Candidates[i], rd.Results[i]
		if res.Class >= model.Digits || res.Confidence >= doubt || float32(c.Box.Dx()) < splitWide*float32(c.Box.Dy()) {
			return false
		}
		parts := 2
		if float32(c.Box.Dx()) >= splitThree*float32(c.Box.Dy()) {
			parts = 3
		}
		return r.splitConfirmed(c, parts)
	})
}

// apartTall is the least height of each part that readApart keeps, of
// the candidate's or of its line's digits read with confidence, whichever
// is less: two digits side by side are about as tall as each other,
// though a 1 under a 7's bar is shorter than the 7 by the bar's rise
// (0.81 of it in ../shared/photos2's 712 turned by 12°), and a leaning
// pair's box is taller than either digit: against the line's digits, the
// development photos seen at an angle (inPerspective's 12% and 20%) read
// two 8s that lean into each other and a 7 and a 1 apart, 8 of 65
// degraded copies of the two sets one to three digits more, and none
// fewer. The pieces of a symbol are shorter than both (a % apart, a ring
// and a ring with its slash, read as a 0 and a 9 in the letters
// condition).
const apartTall = 0.75

// readApart reads again, as the two marks it was made of
// (extract.Extractor.Apart), each candidate that the model reads as no
// digit or doubts and that holds two marks tall enough to be digits, and
// the two take its place when the model reads both as digits with
// confidence (splitConfirm), each at least apartTall as tall as the
// candidate or its line's digits, and a 1 sure (touchOneSure), as a
// lone stroke of a letter reads as a 1 too. The extractor takes marks
// whose columns overlap for the pieces of one digit (a 5 and its bar, a
// 4 written in two strokes); two digits overlap so too where a 7's bar
// reaches over the 1 after it, or a sheet turned by 12° leans its digits
// into their neighbours' columns (../shared/photos2 so: "712" read as
// "2", "7123" as "723").
// In a photo, a candidate read as a digit with confidence is read apart
// too, and the parts kept when each reads more surely than the whole, as
// two digits that differ: a 7 whose bar leans over the 1 after it may
// read as a 7 at 0.97, and the 7 and the 1 apart at 0.99 (photos2 turned
// by 12°: 117 → 118 of 124); a marker's 1 with a pale core is two marks,
// its edges, and each a 1 read more surely than the whole (a crop of
// photos2 read "11"). A camera frame's budget leaves its confident
// candidates whole.
func (r *Reader) readApart() {
	rd := &r.r
	r.rebuild(func(i int) bool {
		c, res := &rd.Candidates[i], rd.Results[i]
		whole := sure(res)
		if whole && !r.photo {
			return false // a frame's budget: Apart looks at every mark
		}
		r.parts = r.ex.Apart(c, r.parts[:0])
		if len(r.parts) != 2 {
			return false
		}
		h := r.partHeight(i)
		prev := -1 // the class of the part before
		return r.adoptParts(func(part *extract.Digit, p model.Result) bool {
			if float32(part.Box.Dy()) < apartTall*h || p.Class == 1 && p.Confidence < touchOneSure {
				return false
			}
			if whole {
				// A whole read surely gives way only to parts read more
				// surely, and not to one digit twice: a marker's 1 with
				// a pale core is two marks, its edges, each a 1.
				if p.Confidence <= res.Confidence || p.Class == prev {
					return false
				}
				prev = p.Class
			}
			return true
		})
	})
}

// rebuild builds the candidates again in order: each that replace reports
// true for is replaced by what replace appended to r.cands, r.ress and
// r.probs, the others are kept; the new list is adopted when any was
// replaced.
func (r *Reader) rebuild(replace func(i int) bool) {
	rd := &r.r
	k := rd.Classes
	r.cands, r.ress, r.probs = r.cands[:0], r.ress[:0], r.probs[:0]
	changed := false
	for i := range rd.Candidates {
		if replace(i) {
			changed = true
			continue
		}
		r.cands = append(r.cands, rd.Candidates[i])
		r.ress = append(r.ress, rd.Results[i])
		r.probs = append(r.probs, rd.Probs[i*k:(i+1)*k]...)
	}
	if changed {
		r.adoptBuilt()
	}
}

// rejoin gives back their whole to the candidates that the extractor cut
// as digits that touch (extract.Extractor.CutFrom) when the model doubts a
// piece (reads it as not a digit, or with little confidence) and reads
// the whole as one digit with confidence (any digit, when the model reads
// every piece as not a digit: disownedWhole): a wide 0 whose stroke is faint
// on one side, or a 6 lying on its side, is as wide as two digits and
// open where the extractor cuts, and its pieces, a C and a ), are no
// digits. Pieces the model reads as digits with confidence stay cut.
// When the model calls the whole not a digit with confidence
// (notDigitWhole) and reads no piece as a digit with pieceSure, the pieces
// give way to the whole too, which the reading then drops: an m or an n
// among digits, cut in two, reads as two 7s, but whole as the letter it
// is. That holds whether or not a piece is doubted: an n's halves, a bar
// on a stem and a hook, read as a 7 and a 2 with 0.82 to 0.99 each. A
// piece read that surely keeps the cut: two digits that touch (a 2 and a
// 4 written into each other) may pass for no digit together.
func (r *Reader) rejoin() {
	rd := &r.r
	r.rejoined = r.rejoined[:0] // the cuts looked at
	for i := 0; i < len(rd.Candidates); i++ {
		w := r.ex.CutFrom(&rd.Candidates[i])
		if w == 0 || slices.Contains(r.rejoined, w) {
			continue
		}
		r.rejoined = append(r.rejoined, w)
		// A cut none of whose pieces is doubted can only be a letter's,
		// and not if a piece is sure: its whole need not be read.
		doubted := r.anyPiece(w, func(res model.Result) bool { return res.Class >= model.Digits || res.Confidence < doubt })
		if !doubted && r.surePiece(w) {
			continue
		}
		r.parts = r.ex.Uncut(&rd.Candidates[i], r.parts[:0])
		if len(r.parts) == 0 {
			continue
		}
		whole := r.clf.Classify(r.parts[0].Pixels[:])[0]
		need := float32(splitConfirm)
		if r.disowned(w) {
			need = disownedWhole
		}
		// A letter cut as digits that touch (an m as two 7s) gives way to
		// its whole too, which is no digit.
		letter := whole.Class >= model.Digits && whole.Confidence >= notDigitWhole && !r.surePiece(w)
		if !letter && (!doubted || whole.Class >= model.Digits || whole.Confidence < need) {
			continue
		}
		// The pieces of cut w give way to their whole.
		r.adoptWhole(func(j int) bool { return r.ex.CutFrom(&rd.Candidates[j]) == w }, &r.parts[0], whole, r.clf.Probs())
		i = -1 // the candidates moved: look again from the first
	}
}

// disownedWhole is the confidence a cut's whole needs when the model
// reads every piece of the cut as not a digit: the cut made nothing, and
// the whole is the better reading as long as it is a digit at all.
const disownedWhole = 0.5

// pieceSure is the confidence of a piece that keeps a cut however the
// model reads its whole.
const pieceSure = 0.99

// notDigitWhole is the confidence with which the model must call a cut's
// whole not a digit for the pieces, none of them sure, to give way to it.
const notDigitWhole = 0.9

// disowned reports whether the model reads every piece of cut w as not a
// digit.
func (r *Reader) disowned(w int) bool {
	return !r.anyPiece(w, func(res model.Result) bool { return res.Class < model.Digits })
}

// surePiece reports whether the model reads a piece of cut w as a digit
// with pieceSure confidence or more: two digits that touch, one of them
// written well, whose whole passes for no digit.
func (r *Reader) surePiece(w int) bool {
	return r.anyPiece(w, func(res model.Result) bool { return res.Class < model.Digits && res.Confidence >= pieceSure })
}

// anyPiece reports whether the reading of some piece of cut w satisfies f.
func (r *Reader) anyPiece(w int, f func(model.Result) bool) bool {
	rd := &r.r
	for i := range rd.Candidates {
		if r.ex.CutFrom(&rd.Candidates[i]) == w && f(rd.Results[i]) {
			return true
		}
	}
	return false
}

// adoptWhole replaces the candidates for which part reports true with
// whole, read as res with the class probabilities probs, at the first
// one's place.
func (r *Reader) adoptWhole(part func(i int) bool, whole *extract.Digit, res model.Result, probs []float32) {
	placed := false
	r.rebuild(func(i int) bool {
		if !part(i) {
			return false
		}
		if !placed {
			r.cands = append(r.cands, *whole)
			r.ress = append(r.ress, res)
			r.probs = append(r.probs, probs...)
			placed = true
		}
		return true
	})
}

// A second look at digits written narrow.
const (
	narrow  = 0.6 // of its height: a doubted candidate this wide or narrower gets a wider look
	widenBy = 1.3 // the look's stretch across
)

// lookWider reads each digit that the model doubts and that is written
// narrow (a 9 with a small loop, a 7 with a short bar: MNIST's scaling
// makes them as thin as a 1, and the model reads them as 1s) as the mean of
// two views: as extracted, and widened by widenBy (extract.Widen). A 1
// stays a 1 widened; a narrow 9 gets back the proportions of one. The look
// may change which digit a candidate is, not whether it is one: what the
// model calls not a digit is left to it, and a digit whose two views
// together say "not a digit" keeps its first reading.
func (r *Reader) lookWider() {
	rd := &r.r
	r.narrow, r.npx = r.narrow[:0], r.npx[:0]
	for i := range rd.Candidates {
		c := &rd.Candidates[i]
		res := rd.Results[i]
		if res.Class >= model.Digits || res.Confidence >= doubt || float32(c.Box.Dx()) > narrow*float32(c.Box.Dy()) {
			continue
		}
		r.narrow = append(r.narrow, i)
		r.npx = append(r.npx, c.Pixels[:]...)
		r.npx = append(r.npx, c.Pixels[:]...)
		extract.Widen((*[model.Size]uint8)(r.npx[len(r.npx)-model.Size:]), &c.Pixels, widenBy)
	}
	if len(r.narrow) == 0 {
		return
	}
	r.clf.Classify(r.npx)
	for n, i := range r.narrow {
		if m := r.clf.Mean(2*n, 2*n+2); m.Class < model.Digits {
			rd.Results[i] = m
			// The probabilities too, summed as Mean sums them.
			k, p := rd.Classes, r.clf.Probs()
			for c := range k {
				var sum float32
				for v := 2 * n; v < 2*n+2; v++ {
					sum += p[v*k+c]
				}
				rd.Probs[i*k+c] = sum / 2
			}
		}
	}
}

// A look at the top of 1s that reach far below their line, in heights of
// the line's digits.
const (
	tallOne = 1.5  // a 1 this tall may be a 9 or a 7 whose stem descends
	topBand = 1.15 // the rows of its top that are looked at

	// topConfirm is the confidence with which the top must read as
	// another digit. Lower than splitConfirm: the top is cut where the
	// line ends, not where the digit does, and a 9's loop on a stub of
	// its stem reads as a 9 at 0.8.
	topConfirm = 0.7

	// hugeOne is how many times as tall as the tallest other digit of its
	// line a 1 that reads as no other digit from its top must be to be no
	// digit. Against the tallest, not the median: one writer's 0s are a
	// third of her 6s' height, and her 1s 2.7 times her 0s.
	hugeOne = 2.5
)

// lookTop reads again the top of each 1 that reaches far below its line
// (tallOne line heights or more; the line's height is the median of its
// other digits read with confidence), as tall as the line's digits
// (extract.Extractor.Top), and takes that reading when it is another digit
// read with confidence (topConfirm). Writers who let the stem of a 9 or
// a 7 descend below the line make it twice as tall as its loop or its bar:
// scaled whole to MNIST's 20 pixels, the loop is a dot and the bar a tick,
// and the model reads a 1. The top of a long 1 is a 1. A 1 hugeOne times
// as tall as the tallest other digit of its line or more, whose top reads
// as no other digit, is no digit: a hand writes a 1 about as tall as its
// neighbours, but an integral sign or a bracket round lines is a long thin
// stroke the model reads as a 1.
func (r *Reader) lookTop() {
	rd := &r.r
	k := rd.Classes
	for i := range rd.Candidates {
		c := &rd.Candidates[i]
		if rd.Results[i].Class != 1 {
			continue
		}
		lh := r.lineHeight(c.Line, i)
		if lh == 0 || float32(c.Box.Dy()) < tallOne*lh {
			continue
		}
		if res, ok := r.readTop(c, lh); ok {
			rd.Results[i] = res
			copy(rd.Probs[i*k:(i+1)*k], r.clf.Probs())
			continue
		}
		if k > model.NotDigit && float32(c.Box.Dy()) >= hugeOne*r.tallest(c.Line, i) {
			r.notDigit(i)
		}
	}
}

// readTop reads the top of candidate c, as tall as its line's digits (lh),
// and returns the reading if it is a digit other than 1 read with
// confidence (topConfirm); the classifier's probabilities are then the
// top's.
func (r *Reader) readTop(c *extract.Digit, lh float32) (model.Result, bool) {
	r.parts = r.ex.Top(c, int(topBand*lh+0.5), r.parts[:0])
	if len(r.parts) == 0 {
		return model.Result{}, false
	}
	res := r.clf.Classify(r.parts[0].Pixels[:])[0]
	return res, res.Class < model.Digits && res.Class != 1 && res.Confidence >= topConfirm
}

// Adapting the share of non-digits to the frame.
const (
	// trainedPrior is the share of non-digits among candidates that the
	// model's NotDigit output was set for (train.Synth.Prior of the
	// presets that train the reading models).
	trainedPrior = 0.05
	// priorWeight is how many candidates' worth of belief the trained
	// prior keeps against a frame's own: a frame of three candidates
	// cannot say much about the share.
	priorWeight = 4
	// priorRounds bounds the estimate's iterations; it settles in a few.
	priorRounds = 20
	// priorRaised is how many times the trained share a frame's share
	// must be to be acted on: a page of digits estimates 5% to 8% from
	// the few marks the model half rejects, and is read as the model
	// reads it; a page of maths or a form estimates 30% or more.
	priorRaised = 2
)

// adaptPrior estimates the share of non-digits among this frame's
// candidates and, where it is well above the share the model was set for
// (priorRaised times), reads every candidate again at that share (the EM estimate of Saerens,
// Latinne and Decaestecker, "Adjusting the outputs of a classifier to new
// a priori probabilities", 2002, with the trained prior as priorWeight
// pseudo-candidates). A page of maths or a form holds more letters and
// symbols than digits, and there a parenthesis the model reads as a 1 at
// 0.6 is more likely a parenthesis; on a page of digits nothing changes.
// The share is only raised: on a page of digits, lowering it would turn
// the sheet's edges and fingers that the model doubts into digits (the
// neighbours of each candidate speak for it there: amongDigits).
func (r *Reader) adaptPrior() {
	rd := &r.r
	k, n := rd.Classes, len(rd.Candidates)
	if k <= model.NotDigit || n == 0 {
		return
	}
	odds0 := trainedPrior / (1 - trainedPrior)
	// notDigit is a candidate's probability of not being a digit at prior
	// share s.
	notDigit := func(i int, s float64) float64 {
		p := float64(rd.Probs[i*k+model.NotDigit])
		f := s / (1 - s) / odds0
		return f * p / (f*p + 1 - p)
	}
	// The share of non-digits among the candidates, at which the
	// candidates' probabilities, read at it, sum to it.
	share := trainedPrior
	var sum float64
	for range priorRounds {
		sum = 0
		for i := range n {
			sum += notDigit(i, share)
		}
		next := (sum + priorWeight*trainedPrior) / float64(n+priorWeight)
		done := math.Abs(next-share) < 1e-4
		share = next
		if done {
			break
		}
	}
	if share < priorRaised*trainedPrior {
		return
	}
	// Each candidate is read at the share of the others: its own evidence
	// is in its probabilities already.
	r.ndProb = r.ndProb[:0]
	for i := range n {
		r.ndProb = append(r.ndProb, notDigit(i, share))
	}
	for i := range n {
		others := (sum - r.ndProb[i] + priorWeight*trainedPrior) / float64(n-1+priorWeight)
		p := rd.Probs[i*k : (i+1)*k]
		if others <= trainedPrior || p[model.NotDigit] >= 1 {
			continue
		}
		nd := float32(notDigit(i, others))
		scale := (1 - nd) / (1 - p[model.NotDigit])
		for c := range p {
			p[c] *= scale
		}
		p[model.NotDigit] = nd
		rd.Results[i] = model.ResultOf(p)
	}
}

// amongDigitsOdds scales the odds that a candidate is not a digit for
// each of its neighbours on its line that is a digit read with confidence
// (both sides, or one at the line's end): a mark the model is unsure of,
// in a row of digits, is more likely a digit written oddly (an open-top
// 4, a 1 with a flag) than a letter, and more surely so between two
// digits than beside one.
const amongDigitsOdds = 0.5

// amongMark is a candidate that amongDigits reads again, and the odds by
// which it scales the candidate's odds of not being a digit.
type amongMark struct {
	i    int
	odds float32
}

// amongDigits reads again each candidate read as not a digit whose
// neighbours on its line are digits read with confidence, on both sides
// or on one at the line's end (a candidate alone on its line has no
// context): its probability of not being a digit is scaled by
// amongDigitsOdds for each such neighbour and its probabilities
// normalised again. The neighbours are judged by the readings before this
// pass, so that the order of the candidates does not matter.
func (r *Reader) amongDigits() {
	rd := &r.r
	k := rd.Classes
	if k <= model.NotDigit {
		return
	}
	// side reports whether candidate j, beside one on line, is a digit
	// read with confidence (1), something else (-1), or not on the line
	// (0: the line's end).
	side := func(j, line int) int {
		if j < 0 || j >= len(rd.Candidates) || rd.Candidates[j].Line != line {
			return 0
		}
		if rd.Results[j].Class < model.Digits && rd.Results[j].Confidence >= doubt {
			return 1
		}
		return -1
	}
	r.among = r.among[:0]
	for i := range rd.Candidates {
		line := rd.Candidates[i].Line
		a, b := side(i-1, line), side(i+1, line)
		if rd.Results[i].Class != model.NotDigit || a < 0 || b < 0 || a+b == 0 {
			continue
		}
		odds := float32(amongDigitsOdds)
		if a+b == 2 {
			odds *= amongDigitsOdds
		}
		r.among = append(r.among, amongMark{i, odds})
	}
	for _, m := range r.among {
		p := rd.Probs[m.i*k : (m.i+1)*k]
		p[model.NotDigit] *= m.odds
		var sum float32
		for _, v := range p {
			sum += v
		}
		for c := range p {
			p[c] /= sum
		}
		rd.Results[m.i] = model.ResultOf(p)
	}
}

// A mark that hangs below its line, in heights of the line's digits.
const (
	// hangTop and hangBottom are how far below the line's top and base a
	// mark's own top and bottom are when it hangs from the line. A digit
	// stands from the line's top to its base (a 7 or a 9 whose stem
	// descends reaches lower, but starts at the top; a digit written
	// small ends at the base), while a lowercase letter with a descender
	// (g, j, p, q, y) starts at the x-height, about half the line's
	// height down, and ends about as far below the base. A hand's digits
	// wander less: the development photos' hang by 0.26 at most (the
	// lesser of top and bottom), the generated scenes' by 0.34.
	hangTop    = 0.4
	hangBottom = 0.4
	// hangFar is how far below the line's top a mark's top may be and
	// still hang from the line: a mark a line's height down or more is
	// below the line (a digit of the next line taken into this one, a
	// piece of a symbol that spans lines), not a letter written on it.
	hangFar = 1
	// hangTall is the least height of a hanging mark: x-height and
	// descender together are about a digit's height, and a mark much
	// smaller (a subscript) is left alone.
	hangTall = 0.8
	// hangDigits is how many other digits of the line read with
	// confidence place its top and base: one gives no slope.
	hangDigits = 2
)

// lineFit holds the sums over a line's digits read with confidence from
// which its top and base are fitted along it (least squares on the boxes'
// centres): a tilted line's digits stand higher at one end.
type lineFit struct {
	n, sx, sxx, st, sb, sxt, sxb float64
}

// add adds box b to the sums with weight w: 1 to add it, -1 to take it
// out.
func (f *lineFit) add(b image.Rectangle, w float64) {
	x, t, u := float64(b.Min.X+b.Max.X)/2, float64(b.Min.Y), float64(b.Max.Y)
	f.n += w
	f.sx += w * x
	f.sxx += w * x * x
	f.st += w * t
	f.sb += w * u
	f.sxt += w * x * t
	f.sxb += w * x * u
}

// at returns the line's top and base at x; ok is false when fewer than
// hangDigits digits place them.
func (f *lineFit) at(x float64) (top, base float64, ok bool) {
	if f.n < hangDigits {
		return 0, 0, false
	}
	top, base = f.fitAt(x)
	return top, base, base > top
}

// fitAt returns the fitted top and base at x, of one box or more.
func (f *lineFit) fitAt(x float64) (top, base float64) {
	mx := f.sx / f.n
	top, base = f.st/f.n, f.sb/f.n
	if vx := f.sxx/f.n - mx*mx; vx >= 1 {
		top += (f.sxt/f.n - mx*top) / vx * (x - mx)
		base += (f.sxb/f.n - mx*base) / vx * (x - mx)
	}
	return top, base
}

// below returns how far below the fitted base the bottom of box b lies,
// at its middle.
func (f *lineFit) below(b image.Rectangle) float64 {
	_, base := f.fitAt(float64(b.Min.X+b.Max.X) / 2)
	return float64(b.Max.Y) - base
}

// sure reports whether result res is a digit read with confidence.
func sure(res model.Result) bool { return res.Class < model.Digits && res.Confidence >= doubt }

// dropHanging reads as not a digit every digit that hangs below its line:
// its top and its bottom both well below the line's top and base
// (hangTop, hangBottom), fitted along the line to its other digits read
// with confidence, and the mark about as tall as the line (hangTall).
// Such a mark is a lowercase letter with a descender: a y is an open-top
// 4 to the model, which must read a 4 written so and reads the y as one
// at 0.99 or more, but a hand writes a 4 from the line's top, not from
// half way down it. It runs after adaptPrior and amongDigits, so that the
// line is placed by the digits that the reading keeps (a maths line's
// brackets and integral signs, read as 1s before, placed it too low), and
// judges every candidate by the readings before this pass.
func (r *Reader) dropHanging() {
	rd := &r.r
	k := rd.Classes
	if k <= model.NotDigit {
		return
	}
	r.fits = r.fits[:0]
	for i := range rd.Candidates {
		if c := &rd.Candidates[i]; sure(rd.Results[i]) {
			for len(r.fits) <= c.Line {
				r.fits = append(r.fits, lineFit{})
			}
			r.fits[c.Line].add(c.Box, 1)
		}
	}
	for i := range rd.Candidates {
		c, res := &rd.Candidates[i], rd.Results[i]
		if res.Class >= model.Digits || c.Line >= len(r.fits) {
			continue
		}
		f := r.fits[c.Line] // a copy, without c itself
		if sure(res) {
			f.add(c.Box, -1)
		}
		top, base, ok := f.at(float64(c.Box.Min.X+c.Box.Max.X) / 2)
		lh := base - top
		dt, db := float64(c.Box.Min.Y)-top, float64(c.Box.Max.Y)-base
		if !ok || float64(c.Box.Dy()) < hangTall*lh || dt < hangTop*lh || dt >= hangFar*lh || db < hangBottom*lh {
			continue
		}
		r.notDigit(i)
	}
}

// Joining marks broken apart, in heights of the line's digits.
const (
	joinGap  = 0.25 // the widest gap between the two marks' boxes
	joinTall = 1.3  // the tallest the two may be together
	joinWide = 1.3  // and the widest, of their height together
)

// joinBroken reads as one each pair of neighbours on a line that the model
// reads as not digits, that nearly touch and that together are shaped and
// sized as the line's digits (extract.Extractor.Join), and takes the pair
// as that digit when the model reads it as one with confidence
// (splitConfirm): a digit written with a faint stroke that broke in two
// (a 5 and its bar, a 4's two strokes) is two marks the model rejects. The
// line's size is the median height of its digits read with confidence; a
// line without any is left alone, as is a mark the model reads as a digit.
func (r *Reader) joinBroken() {
	rd := &r.r
	k := rd.Classes
	if k <= model.NotDigit {
		return
	}
	for i := 0; i+1 < len(rd.Candidates); i++ {
		a, b := &rd.Candidates[i], &rd.Candidates[i+1]
		if a.Line != b.Line || rd.Results[i].Class != model.NotDigit || rd.Results[i+1].Class != model.NotDigit {
			continue
		}
		lh := r.lineHeight(a.Line, -1)
		u := a.Box.Union(b.Box)
		gap := max(b.Box.Min.X-a.Box.Max.X, a.Box.Min.X-b.Box.Max.X, 0)
		if lh == 0 || float32(gap) > joinGap*lh || float32(u.Dy()) > joinTall*lh || u.Dx() > int(joinWide*float32(u.Dy())) {
			continue
		}
		r.joinIfDigit(i, i+1)
	}
}

// joinIfDigit reads candidates i and j as one (extract.Extractor.Join)
// and, when the model reads them as a digit with confidence
// (splitConfirm), puts them in i's place as that digit.
func (r *Reader) joinIfDigit(i, j int) bool {
	rd := &r.r
	r.parts = r.ex.Join(&rd.Candidates[i], &rd.Candidates[j], r.parts[:0])
	if len(r.parts) == 0 {
		return false
	}
	res := r.clf.Classify(r.parts[0].Pixels[:])[0]
	if res.Class >= model.Digits || res.Confidence < splitConfirm {
		return false
	}
	r.adoptWhole(func(k int) bool { return k == i || k == j }, &r.parts[0], res, r.clf.Probs())
	return true
}

// Joining the stacked pieces of one digit.
const (
	stackOverlap = 0.5 // of the narrower: two marks overlapping this much along their line are not side by side
	stackGap     = 0.2 // of the taller: the widest gap between them, up and down
)

// joinStacked reads as one each pair of marks on a line that overlap along
// it by at least half the narrower (two digits of a line stand side by
// side; these stand one above the other) and nearly touch, and takes the
// pair as that digit when the model reads it as one with confidence
// (splitConfirm). A digit whose faint link broke (a 5's stem from its
// bowl, a 3's two arcs) is a top and a bottom, each of which may pass for
// a digit (a 1 above a 6), in a line that the pieces alone make as short
// as themselves, so that the extractor's width rules kept them apart. The
// pair must be shaped as a digit, and no taller than joinTall times the
// line's other digits read with confidence, if it has any: two digits of
// lines that came together are as tall as two.
func (r *Reader) joinStacked() {
	rd := &r.r
	// A tight crop holds one line: pieces the lines' rules put on two
	// (a 9 whose stem came off its loop) are looked at too.
	crop := r.photo && extract.TightCrop(r.frame.Size())
	for i := 0; i < len(rd.Candidates); i++ {
		for j := i + 1; j < len(rd.Candidates); j++ {
			a, b := &rd.Candidates[i], &rd.Candidates[j]
			if a.Line != b.Line && !crop {
				continue
			}
			ov := min(a.Box.Max.X, b.Box.Max.X) - max(a.Box.Min.X, b.Box.Min.X)
			vgap := max(b.Box.Min.Y-a.Box.Max.Y, a.Box.Min.Y-b.Box.Max.Y, 0)
			u := a.Box.Union(b.Box)
			if float32(ov) < stackOverlap*float32(min(a.Box.Dx(), b.Box.Dx())) ||
				float32(vgap) > stackGap*float32(max(a.Box.Dy(), b.Box.Dy())) ||
				u.Dx() > int(joinWide*float32(u.Dy())) {
				continue
			}
			if hs := r.lineHeights(a.Line, i, j); len(hs) > 0 && float32(u.Dy()) > joinTall*median(hs) {
				continue
			}
			if r.joinIfDigit(i, j) {
				j = i // the pair is one mark now, in i's place: look again from it
			}
		}
	}
}

// tallest returns the height of the tallest digit of line read with
// confidence, candidate except left out, 0 if there are none.
func (r *Reader) tallest(line, except int) float32 {
	hs := r.lineHeights(line, except, -1)
	if len(hs) == 0 {
		return 0
	}
	return float32(slices.Max(hs))
}

// lineHeight returns the median height of the digits of line read with
// confidence, candidate except left out (-1: none), 0 if there are none.
func (r *Reader) lineHeight(line, except int) float32 {
	hs := r.lineHeights(line, except, -1)
	if len(hs) == 0 {
		return 0
	}
	return median(hs)
}

// median returns the median of hs (the upper of the middle two), sorting
// hs.
func median(hs []int) float32 {
	slices.Sort(hs)
	return float32(hs[len(hs)/2])
}

// partHeight returns what the parts of candidate i are measured against
// when it is read apart or in pieces: its height, or its line's confident
// digits' median height where that is less. A 7 whose bar reaches over
// the 1 after it, or a pair leaning as a page seen at an angle leans
// them, makes a box taller than either digit.
func (r *Reader) partHeight(i int) float32 {
	c := &r.r.Candidates[i]
	h := float32(c.Box.Dy())
	if lh := r.lineHeight(c.Line, i); lh > 0 {
		h = min(h, lh)
	}
	return h
}

// lineHeights returns, in r.heights, the heights of the digits of line
// read with confidence, candidates except and except2 left out (-1: none).
func (r *Reader) lineHeights(line, except, except2 int) []int {
	rd := &r.r
	r.heights = r.heights[:0]
	for j := range rd.Candidates {
		if j != except && j != except2 && rd.Candidates[j].Line == line && rd.Results[j].Class < model.Digits && rd.Results[j].Confidence >= doubt {
			r.heights = append(r.heights, rd.Candidates[j].Box.Dy())
		}
	}
	return r.heights
}

// splitConfirmed cuts candidate c into parts and, when the model reads
// every part as a digit with confidence, appends them and their results
// to r.cands and r.ress.
func (r *Reader) splitConfirmed(c *extract.Digit, parts int) bool {
	r.parts = r.ex.Split(c, parts, r.parts[:0])
	return len(r.parts) >= 2 && r.adoptParts(nil)
}

// adoptParts reads r.parts and, when the model reads every part as a
// digit with confidence (splitConfirm) and keep, if not nil, keeps each,
// appends them and their readings to r.cands, r.ress and r.probs.
func (r *Reader) adoptParts(keep func(part *extract.Digit, res model.Result) bool) bool {
	r.ppx = r.ppx[:0]
	for i := range r.parts {
		r.ppx = append(r.ppx, r.parts[i].Pixels[:]...)
	}
	pr := r.clf.Classify(r.ppx)
	for j, p := range pr {
		if p.Class >= model.Digits || p.Confidence < splitConfirm || keep != nil && !keep(&r.parts[j], p) {
			return false
		}
	}
	r.cands = append(r.cands, r.parts...)
	r.ress = append(r.ress, pr...)
	r.probs = append(r.probs, r.clf.Probs()...)
	return true
}

// aloneShare is how much of a photo's width or height a candidate alone
// in it spans at least for the photo to be of that one digit.
const aloneShare = 0.2

// A close-up of one digit: its ink at least closeShare of the photo's
// height, and shaped as a digit (no wider than closeWide times its
// height); broken, in closeMax pieces at most.
const (
	closeShare = 0.4
	closeWide  = 1.5
	closeMax   = 6
)

// closeUp reports whether b, the box of a photo's ink, is a digit's seen
// close.
func (r *Reader) closeUp(b image.Rectangle) bool {
	return float32(b.Dy()) >= closeShare*float32(r.frame.Dy()) && float32(b.Dx()) <= closeWide*float32(b.Dy())
}

// readWhole reads a tight crop (a photo cut around one digit) in which the
// model read no digit as the one digit it holds: the crop's ink as one
// candidate (extract.Extractor.Whole: the extractor may have cut a wide 0
// in two, or kept a stroke apart), and, if the model calls that not a
// digit either, its likeliest digit, which its confidence marks Low. Asked
// to read a photo of one digit, a reader says which digit it most looks
// like rather than "no digit found". A larger photo (ReadPhoto) is one
// digit's too when it holds one candidate alone, at least aloneShare of
// the frame's width or height: a digit photographed close, which is read
// as it was found; and when all its ink together (extract's AllInk) is
// shaped as a digit seen close (closeUp), which is read as one: a blurred
// digit whose strokes broke into pieces none of which reads as a digit,
// or one taken for a frame round the specks of dirt inside it. Camera
// frames, and crops with no ink, are left as they are.
func (r *Reader) readWhole() {
	rd := &r.r
	for _, res := range rd.Results {
		if res.Class < model.Digits {
			return
		}
	}
	r.parts = r.ex.Whole(r.parts[:0])
	if len(r.parts) == 0 && r.photo && len(rd.Candidates) == 1 {
		b := rd.Candidates[0].Box
		if float32(b.Dx()) >= aloneShare*float32(r.frame.Dx()) || float32(b.Dy()) >= aloneShare*float32(r.frame.Dy()) {
			r.parts = append(r.parts, rd.Candidates[0])
		}
	}
	if len(r.parts) == 0 && r.photo && !r.deciding {
		if r.parts = r.ex.AllInk(r.parts[:0]); len(r.parts) > 0 && !r.closeUp(r.parts[0].Box) {
			r.parts = r.parts[:0]
		}
	}
	if len(r.parts) == 0 {
		return
	}
	res := r.clf.Classify(r.parts[0].Pixels[:])[0]
	r.probs = append(r.probs[:0], r.clf.Probs()...)
	if res.Class >= model.Digits {
		res = r.clf.LikeliestDigit(0)
		r.probs[model.NotDigit] = 0 // the reading says it is a digit
	}
	r.cands = append(r.cands[:0], r.parts[0])
	r.ress = append(r.ress[:0], res)
	r.adoptBuilt()
}

// readCloseUp reads a photo of one digit taken close, whose strokes broke
// into pieces (a blurred pen's lighter stretches fall under the
// threshold), as all its ink (extract's AllInk), and takes that digit
// instead of the pieces when the model reads it with confidence
// (splitConfirm). It looks at a photo (ReadPhoto, not while deciding which
// way up it is) of two to closeMax candidates, at most one of them read as
// a digit with confidence (a 5's bowl reads as a 2, a 2's neck as a 7),
// whose ink together is shaped as a digit seen close (closeUp). A close-up
// of a number reads its digits with confidence, and is left alone.
func (r *Reader) readCloseUp() {
	rd := &r.r
	if !r.photo || r.deciding || len(rd.Candidates) < 2 || len(rd.Candidates) > closeMax {
		return
	}
	var u image.Rectangle
	digits := 0
	for i := range rd.Candidates {
		u = u.Union(rd.Candidates[i].Box)
		if res := rd.Results[i]; res.Class < model.Digits && res.Confidence >= doubt {
			digits++
		}
	}
	if digits > 1 || !r.closeUp(u) {
		return
	}
	if r.parts = r.ex.AllInk(r.parts[:0]); len(r.parts) == 0 || !r.closeUp(r.parts[0].Box) {
		return
	}
	res := r.clf.Classify(r.parts[0].Pixels[:])[0]
	if res.Class >= model.Digits || res.Confidence < splitConfirm {
		return
	}
	r.adoptWhole(func(int) bool { return true }, &r.parts[0], res, r.clf.Probs())
}

// adoptBuilt makes the candidates, results and probabilities that revise
// or readWhole built (r.cands, r.ress, r.probs) the reading's; the old
// ones are built into next time (the reading is valid until the next Read).
func (r *Reader) adoptBuilt() {
	rd := &r.r
	rd.Candidates, r.cands = r.cands, rd.Candidates
	rd.Results, rd.Probs = r.ress, r.probs
	r.res, r.ress = r.ress, r.res
	r.prob, r.probs = r.probs, r.prob
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

// Printed lines, in the line's marks unless stated.
const (
	// printedMarks is the fewest marks of a printed line: a form's label
	// ("Account holder:") is longer, and so is no line a hand writes
	// level enough by chance.
	printedMarks = 7
	// printedLevel is the least share of a printed line's marks whose
	// bottoms lie on its baseline (a least-squares line through them,
	// fitted again without those far from the first), within a twentieth
	// of the median mark's height or a pixel: print is level to a pixel,
	// but for its descenders (g, p, y) and punctuation.
	printedLevel = 0.75
	// printedGap is the widest median gap between neighbouring marks, of
	// the median mark's height: a printed word's letters stand 0.08 to
	// 0.17 apart, while letters and symbols written among digits stand
	// 0.3 and more apart (the letters condition's level lines).
	printedGap = 0.25
)

// dropPrinted drops the digits that sit on the baseline of a printed
// line: a form's labels, a worksheet's instructions. A hand writes some
// letters as digits (o, s, l, b), and the model, not trained to reject
// those alone, reads a printed o as a 0 with 0.99; a line of print is
// told by its regularity, which no hand has: mostly marks that are no
// digits, printedMarks or more, level to a pixel (printedLevel) and close
// together (printedGap). Its digits on the baseline are taken for the
// letters they are; a mark off the baseline (a g read as a 9) is left as
// it was. A form's lines of print read 53 digits among about 260 marks
// without it (TestPrintedLines), none with it.
func (r *Reader) dropPrinted() {
	rd := &r.r
	if rd.Classes <= model.NotDigit {
		return
	}
	for i := 0; i < len(rd.Candidates); {
		j := i
		for j < len(rd.Candidates) && rd.Candidates[j].Line == rd.Candidates[i].Line {
			j++
		}
		if base, tol, ok := r.printedBaseline(i, j); ok {
			for q := i; q < j; q++ {
				if rd.Results[q].Class < model.Digits && math.Abs(base.below(rd.Candidates[q].Box)) <= tol {
					r.notDigit(q)
				}
			}
		}
		i = j
	}
}

// printedBaseline returns the baseline of the line of candidates i to j
// and the distance from it within which a mark lies on it, and reports
// whether the line is printed (dropPrinted).
func (r *Reader) printedBaseline(i, j int) (base lineFit, tol float64, ok bool) {
	rd := &r.r
	n := j - i
	if n < printedMarks {
		return base, 0, false
	}
	r.markHs, r.markGaps = r.markHs[:0], r.markGaps[:0]
	digits := 0
	for q := i; q < j; q++ {
		c := rd.Candidates[q].Box
		if rd.Results[q].Class < model.Digits {
			digits++
		}
		r.markHs = append(r.markHs, float64(c.Dy()))
		if q > i {
			r.markGaps = append(r.markGaps, float64(max(c.Min.X-rd.Candidates[q-1].Box.Max.X, 0)))
		}
	}
	if 2*digits >= n {
		return base, 0, false
	}
	slices.Sort(r.markHs)
	slices.Sort(r.markGaps)
	h := r.markHs[n/2]
	if r.markGaps[len(r.markGaps)/2] > printedGap*h {
		return base, 0, false
	}
	tol = max(1, h/20)
	// Fitted through every mark, then again through those near the first
	// fit: descenders and punctuation pull the first.
	cands := rd.Candidates[i:j]
	var all lineFit
	for _, c := range cands {
		all.add(c.Box, 1)
	}
	for _, c := range cands {
		if math.Abs(all.below(c.Box)) <= 3*tol {
			base.add(c.Box, 1)
		}
	}
	if base.n == 0 {
		base = all
	}
	level := 0
	for _, c := range cands {
		if math.Abs(base.below(c.Box)) <= tol {
			level++
		}
	}
	return base, tol, float64(level) >= printedLevel*float64(n)
}
