package extract

// Digit extraction: frame → digits. The stages live in
//
//	paper.go      paper brightness (background), ink thresholds
//	label.go      thresholding into ink runs, run labelling (union-find),
//	              ruled-line removal
//	group.go      components → lines → digit boxes (merge, split, tails),
//	              reading order
//	normalize.go  one digit box → a 28x28 MNIST-style image
//
// The package documentation (doc.go) describes them.

import (
	"image"
	"image/draw"
)

// Digit is one digit found in a frame.
type Digit struct {
	// Box is the digit's ink box in frame coordinates.
	Box image.Rectangle
	// Line is the index of the digit's line of text, 0 for the top line.
	Line int
	// Space reports that a gap wider than a typical digit separates this
	// digit from the previous one on its line (a word or number break).
	Space bool
	// Pixels is the MNIST-style image, 28x28 row-major bytes as MNIST
	// stores them: ink 255, paper 0.
	Pixels [784]uint8
}

// Options tunes an Extractor. The zero value picks every setting from the
// frame size.
type Options struct {
	// MinHeight is the smallest digit height in pixels; 0 means
	// max(8, shorter side/96).
	MinHeight int
	// MaxHeight is the largest digit height in pixels; 0 means four fifths
	// of the shorter side.
	MaxHeight int
	// Block is the side in pixels of the grid on which the paper's
	// brightness is estimated; 0 means shorter side/64, at least 4. It must
	// exceed the widest pen stroke divided by two.
	Block int
	// InkLow is how much darker than the paper (a fraction, 0..1) a pixel
	// must be to count as ink; 0 means 0.22, lowered for faint writing.
	InkLow float32
	// InkHigh is the darkening (0..1) that at least one pixel of a blob must
	// reach for the blob to count; 0 means 0.30, lowered for faint
	// writing.
	InkHigh float32
	// Stroke is the stroke width, in pixels of the 28x28 image, below which
	// thin strokes are thickened; 0 means 2.3, negative disables it.
	Stroke float32
}

// Default ink thresholds (fractions of the paper's brightness); faint
// writing lowers them (see adaptInk).
const (
	defaultInkLow  = 0.22
	defaultInkHigh = 0.30
)

// Extractor finds handwritten digits in grey frames. It holds the buffers
// of every stage, so one Extractor serves one goroutine; reuse it from frame
// to frame.
type Extractor struct {
	opts Options

	yView image.Gray // the Y plane of a YCbCr frame
	conv  image.Gray // other images converted to grey

	// Frame geometry of the current call.
	w, h            int
	minH, maxH, blk int
	blk0            int // the default block size for this frame size
	lastW, lastH    int // the previous frame's size
	lastBlk         int // and the block size it settled on
	inkLow, inkHigh float32
	stroke          float32
	bgw, bgh        int
	bg, bgTmp       []float32 // (bgh, bgw) paper brightness per block
	blkMin          []float32 // (bgh, bgw) darkest pixel per block
	colMax, colMin  []uint8   // (w) per column of a block row
	hbg             []float32 // (bgh, w) rows of bg interpolated across
	hLo, hHi        []uint16  // (bgh, w) their thresholds, 8.8 fixed point
	thrLo           []uint8   // (w) per-column ink thresholds of the current row
	hiA, hiB        []uint16  // the rows of hHi around it
	hiWy            uint32    // and the weight of hiB, /256
	runs            []run
	rowStart        []int32 // (h+1) index of each row's first run
	comps           []comp
	compOf          []int32 // per run root: component index
	order           []int32
	lines           []line
	cands           []cand
	tmpF            []float32
	proj, crossings []int32
	rowMask         []uint8
	bands           []band
	paths           []path
	pathX           []int16
	dpCost          []float32
	dpFrom          []int8
	colCnt          []int32
	crop, cropTmp   []float32
	mask            []uint8
	tapsX, tapsY    taps
	resampleTmp     []float32
}

// NewExtractor returns an Extractor with the given options.
func NewExtractor(opts Options) *Extractor {
	return &Extractor{opts: opts}
}

// Extract finds the digits of img and appends them to dst[:0] in reading
// order: lines top to bottom, digits left to right. Pass the previous
// result back as dst to reuse its storage.
//
// img is a camera frame, *image.YCbCr, or an *image.Gray; both are read in
// place. Any other image is converted to grey first, into a buffer the
// Extractor keeps.
func (e *Extractor) Extract(img image.Image, dst []Digit) []Digit {
	dst = dst[:0]
	frame := e.grey(img)
	b := frame.Bounds()
	if b.Dx() < 8 || b.Dy() < 8 {
		return dst
	}
	e.setup(b.Dx(), b.Dy())
	e.estimateBackground(frame)
	e.bands = e.bands[:0]
	e.labelRuns(frame)
	e.collectComponents()
	// Strokes wider than the closing can bridge (a marker seen from
	// close) lose their middle to the paper estimate: estimate again on
	// a coarser grid. A live camera sees the same scale frame after frame,
	// so the next frame starts from the grid this one settled on, and
	// returns to the finer grid when the strokes get thin again.
	for pass := 1; pass < 3 && e.opts.Block <= 0; pass++ {
		sw := e.strokeWidth()
		blk := e.blk
		switch {
		case sw > 1.2*float32(blk) && blk*2 <= min(e.w, e.h)/12:
			blk *= 2
		case blk > e.blk0 && sw < 0.5*float32(blk):
			blk = max(e.blk0, blk/2)
		}
		if blk == e.blk {
			break
		}
		e.resizeGrid(blk)
		e.estimateBackground(frame)
		e.labelRuns(frame)
		e.collectComponents()
	}
	e.lastW, e.lastH, e.lastBlk = e.w, e.h, e.blk
	if e.findRules() {
		// Ruled lines join the digits standing on them into one blob:
		// label again without them.
		e.labelRuns(frame)
		e.collectComponents()
	}
	if len(e.comps) == 0 {
		return dst
	}
	e.groupDigits()
	for i := range e.cands {
		c := &e.cands[i]
		if c.dead {
			continue
		}
		dst = append(dst, Digit{})
		d := &dst[len(dst)-1]
		d.Box = c.box.Add(b.Min)
		d.Line = int(c.line)
		d.Space = c.space
		e.normalize(frame, c, &d.Pixels)
	}
	return dst
}

// grey returns the grey levels of img: an *image.Gray as it is, the Y plane
// of an *image.YCbCr in place, anything else converted into e.conv.
func (e *Extractor) grey(img image.Image) *image.Gray {
	switch m := img.(type) {
	case *image.Gray:
		return m
	case *image.YCbCr:
		e.yView = image.Gray{Pix: m.Y, Stride: m.YStride, Rect: m.Rect}
		return &e.yView
	}
	b := img.Bounds()
	e.conv.Pix = grow(e.conv.Pix, b.Dx()*b.Dy())
	e.conv.Stride, e.conv.Rect = b.Dx(), b
	draw.Draw(&e.conv, b, img, b.Min, draw.Src)
	return &e.conv
}

// AppendText appends the text of digits, read as classes (one class 0-9
// per digit, in the same order), to dst: a newline between lines, a space
// where Space is set. Digits must be in Extract's order.
func AppendText(dst []byte, digits []Digit, classes []int) []byte {
	for i := range digits {
		if i > 0 {
			if digits[i].Line != digits[i-1].Line {
				dst = append(dst, '\n')
			} else if digits[i].Space {
				dst = append(dst, ' ')
			}
		}
		c := byte('?')
		if i < len(classes) && classes[i] >= 0 && classes[i] <= 9 {
			c = byte('0' + classes[i])
		}
		dst = append(dst, c)
	}
	return dst
}

// setup derives the per-frame parameters and sizes the buffers.
func (e *Extractor) setup(w, h int) {
	e.w, e.h = w, h
	short := min(w, h)
	o := e.opts
	e.minH = o.MinHeight
	if e.minH <= 0 {
		e.minH = max(8, short/96)
	}
	e.maxH = o.MaxHeight
	if e.maxH <= 0 {
		e.maxH = short * 4 / 5
	}
	e.blk = o.Block
	if e.blk <= 0 {
		e.blk = max(4, short/64)
		e.blk0 = e.blk
		if w == e.lastW && h == e.lastH && e.lastBlk > e.blk {
			e.blk = e.lastBlk
		}
	}
	e.inkLow = o.InkLow
	if e.inkLow <= 0 {
		e.inkLow = defaultInkLow
	}
	e.inkHigh = o.InkHigh
	if e.inkHigh <= 0 {
		e.inkHigh = defaultInkHigh
	}
	e.stroke = o.Stroke
	if e.stroke == 0 {
		e.stroke = 2.3
	}
	e.resizeGrid(e.blk)
	e.colMax = grow(e.colMax, w)
	e.colMin = grow(e.colMin, w)
	e.thrLo = grow(e.thrLo, w)
	e.rowStart = grow(e.rowStart, h+1)
	e.proj = grow(e.proj, w)
}

// resizeGrid sets the block size of the paper estimate and sizes its
// buffers.
func (e *Extractor) resizeGrid(blk int) {
	e.blk = blk
	e.bgw = (e.w + blk - 1) / blk
	e.bgh = (e.h + blk - 1) / blk
	e.bg = grow(e.bg, e.bgw*e.bgh)
	e.bgTmp = grow(e.bgTmp, e.bgw*e.bgh)
	e.blkMin = grow(e.blkMin, e.bgw*e.bgh)
	e.hbg = grow(e.hbg, e.bgh*e.w)
	e.hLo = grow(e.hLo, e.bgh*e.w)
	e.hHi = grow(e.hHi, e.bgh*e.w)
}

// strokeWidth returns the median length of the ink runs of the strong
// components (about the width of the pen's stroke), from a histogram of
// the lengths (capped at 255).
func (e *Extractor) strokeWidth() float32 {
	var hist [256]int32
	n := int32(0)
	for i := range e.runs {
		r := &e.runs[i]
		if e.comps[e.compOf[i]].strong {
			hist[min(r.x1-r.x0, 255)]++
			n++
		}
	}
	half := (n + 1) / 2
	for l, c := range hist {
		if half -= c; half <= 0 {
			return float32(l)
		}
	}
	return 0
}

// grow returns s resized to n elements, reallocating only when its capacity
// is too small. The contents are not preserved.
func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n, n+n/4)
	}
	return s[:n]
}
