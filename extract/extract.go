package extract

// Digit extraction: frame → digits. The stages live in
//
//	ink.go        the ink plane: luma darkened by chroma away from the paper's
//	noise.go      the noise estimate and smoothing of grainy frames
//	paper.go      paper brightness (background), ink thresholds
//	step.go       the paper followed across a shadow's sharp edge
//	halo.go       the paper beside strokes that a camera sharpened
//	sheet.go      the sheet in the frame, and what lies off it
//	label.go      thresholding into ink runs, run labelling (union-find)
//	rules.go      ruled and squared-paper lines taken out
//	frames.go     boxes drawn round digits taken off them
//	angle.go      the text's direction, the plane turned level
//	lines.go      components → lines of text
//	digits.go     lines → digit boxes (merge, split, tails), reading order
//	segment.go    cuts that a reader asks for
//	normalize.go  one digit box → a 28x28 MNIST-style image
//
// The package documentation (doc.go) describes them.

import (
	"image"
	"math"
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
	// Contrast is the mean darkness of the digit's ink against the paper
	// around it, from 0 (paper) to 1 (black on white), in the plane the
	// extractor looks for ink in (a coloured ink's chroma counts). A
	// reader compares it with the page's writing (show-through is
	// fainter).
	Contrast float32
	// Stroke is the width of the digit's strokes in pixels, about twice
	// its ink's area over its perimeter: a reader compares it with the
	// page's writing (a pen lying on the sheet is thicker).
	Stroke float32

	cand int32 // its candidate in the Extractor that found it, for Split
}

// Options tunes an Extractor. The zero value picks every setting from the
// frame size.
type Options struct {
	// MinHeight is the smallest digit height in pixels; 0 means
	// max(8, shorter side/96).
	MinHeight int
	// MaxHeight is the largest digit height in pixels; 0 means the frame's
	// height: a photo of a single digit may be filled by it.
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

	// The current frame: its size and the digit sizes looked for.
	w, h       int
	minH, maxH int
	stroke     float32
	photo      bool        // the frames are photos read on their own (SetPhoto)
	partOf     image.Point // the size of the frame the next frames are parts of (SetPartOf), or zero

	ink   inkStage     // the plane the stages read (ink.go)
	last  lastFrame    // the last Extract's plane and frame, for Split
	paper paperStage   // the paper's brightness and the ink thresholds (paper.go)
	step  stepStage    // the paper followed pixel by pixel across steps (step.go)
	lab   labels       // ink runs and their components (label.go)
	noise noiseStage   // the plane smoothed when the sensor's noise is high (noise.go)
	halo  haloStage    // sharpening halos (halo.go)
	sheet sheetStage   // where the sheet is (sheet.go)
	bind  bindingStage // a notebook's binding down its side (binding.go)
	edges edgeStage    // the sheet's straight edges against a table (edges.go)
	rules ruleStage    // ruled lines to erase (rules.go)
	angle angleStage   // the text's direction (angle.go)
	group groupStage   // lines and digit candidates (lines.go, digits.go)
	norm  normStage    // the 28x28 images (normalize.go)

	tmpF []float32 // scratch for medians and quantiles, any stage
}

// SetPartOf makes the next frames parts of a frame of the given size (the
// zero size: frames of their own): the sizes drawn from a frame's, the
// paper grid's block and the least digit height, are that frame's, so
// that a part is read at the scale the whole was. For a reader that reads
// part of a photo again (the marks it doubts, sharpened).
func (e *Extractor) SetPartOf(size image.Point) { e.partOf = size }

// NewExtractor returns an Extractor with the given options.
func NewExtractor(opts Options) *Extractor {
	return &Extractor{opts: opts}
}

// Extract finds the digits of img and appends them to dst[:0] in reading
// order: lines top to bottom, digits left to right. Pass the previous
// result back as dst to reuse its storage.
//
// img is a camera frame, *image.YCbCr, whose colour makes coloured ink as
// visible as black, or an *image.Gray; both are read in place. Any other
// image is converted to YCbCr first, into a buffer the Extractor keeps.
func (e *Extractor) Extract(img image.Image, dst []Digit) []Digit {
	dst = dst[:0]
	// Nothing of the last frame may outlive a frame too small to read:
	// Whole, Split, Join and CutAt work on what Extract leaves.
	e.lab.comps, e.group.cands = e.lab.comps[:0], e.group.cands[:0]
	e.group.segFor = -1
	frame := e.noise.smooth(e.inkPlane(img))
	b := frame.Bounds() // the frame's size; the plane's origin is (0, 0) for a YCbCr frame
	if b.Dx() < 8 || b.Dy() < 8 {
		return dst
	}
	e.angle.rot, e.angle.upright, e.angle.leanDoubt = rotation{}, 0, false
	last := [3]int{e.paper.lastW, e.paper.lastH, e.paper.lastBlk}
	e.locate(frame)
	if e.paperBesideTable() {
		// Located again from the grid this frame started from: the
		// coarser one the first pass may have settled on would be
		// coarsened again.
		e.paper.lastW, e.paper.lastH, e.paper.lastBlk = last[0], last[1], last[2]
		frame = e.noise.smooth(&e.ink.plane)
		e.locate(frame)
	}
	var skew float32
	lean := 0.0 // the digits' lean with the lines of a sheet held at an angle, read sheared
	if deg, ok := e.textAngle(); ok {
		tilted, known := e.writtenTilted(deg)
		switch {
		case math.Abs(deg) <= maxShear || !(tilted && known) && math.Abs(deg) <= maxUprightShear:
			// Read sheared: lines of a page's usual skew, and digits written
			// upright along a rising line (or too few to tell), which
			// stand apart there as they do on the sheet.
			skew = float32(math.Tan(deg * math.Pi / 180))
			leaning := tilted && known
			if known && math.Abs(deg) >= leanDoubtDeg {
				e.angle.leanDoubt = true
				leaning = leaning != e.angle.otherLean
			}
			if leaning {
				lean = deg
			}
		case tilted && known:
			// A sheet held at an angle: read from the plane turned level.
			frame = e.turn(frame, deg)
			e.locate(frame)
		default:
			// A line so steep that, sheared, its digits would stand above
			// one another: read from the plane turned level, and digits
			// written upright along it each turned back as it is
			// normalised.
			if !tilted {
				e.angle.upright = deg
			}
			frame = e.turn(frame, deg)
			e.locate(frame)
		}
	}
	if len(e.lab.comps) == 0 {
		return dst
	}
	e.projectComps(lean)
	e.groupDigits(frame, skew)
	if len(e.group.cands) == 0 && e.small() {
		e.wholeCrop()
	}
	e.last = lastFrame{plane: frame, origin: img.Bounds().Min, size: b.Size()}
	for i := range e.group.cands {
		if !e.group.cands[i].dead {
			dst = e.emit(int32(i), dst)
		}
	}
	return e.dropFaint(dst)
}

// SetPhoto tells the extractor whether the frames it is given are photos,
// each read on its own (true), or a camera's (false, the default). Only in
// a photo do the ink thresholds follow a lamp's glare region by region
// (fadeInk): in a camera's frames that work, 0.2 to 0.35 ms a frame on
// the benchmark's scenes, would come out of the frame budget.
func (e *Extractor) SetPhoto(photo bool) { e.photo = photo }

// Sharpness returns how sharp the last frame's strokes were (the
// steepest step across them against their contrast, the median over the
// inked blocks): about 0.6 to 0.8 in a sharp photo, 0.3 blurred by 2
// pixels; 1 when the frame held no writing to measure.
func (e *Extractor) Sharpness() float32 { return e.paper.sharp }

// Forget makes the next frame read as if it were the first: a live
// camera's frames start from the paper grid the last one settled on (a
// marker seen from close needs a coarser one) and from the sheet's edges
// it showed, which a photo that has nothing to do with the one before
// should not.
func (e *Extractor) Forget() {
	e.paper.lastW, e.paper.lastH, e.paper.lastBlk = 0, 0, 0
	e.edges.lines = e.edges.lines[:0]
}

// lastFrame is what Split needs of the last Extract: the plane its
// candidates were found in (the ink plane, or the plane turned level), and
// the frame's origin and size.
type lastFrame struct {
	plane  *image.Gray
	origin image.Point
	size   image.Point
}

// emit appends candidate i, normalised, to dst as a digit of the last
// Extract's frame, with its ink's contrast; it appends nothing for a
// candidate outside the frame (in the margin of a turned plane).
func (e *Extractor) emit(i int32, dst []Digit) []Digit {
	c := &e.group.cands[i]
	box := e.angle.rot.box(c.box, image.Rectangle{Max: e.last.size})
	if box.Empty() {
		return dst
	}
	dst = append(dst, Digit{})
	d := &dst[len(dst)-1]
	d.Box = box.Add(e.last.origin)
	d.Line = int(c.line)
	d.Space = c.space
	d.cand = i
	d.Contrast, d.Stroke = e.normalize(e.last.plane, c, &d.Pixels)
	return dst
}

// locate runs the stages that find the ink of frame: the paper's
// brightness, thresholding and labelling into components, with the paper
// grid coarsened for wide strokes and ruled lines erased.
func (e *Extractor) locate(frame *image.Gray) {
	b := frame.Bounds()
	e.setup(b.Dx(), b.Dy())
	e.estimatePaper(frame)
	e.rules.bands = e.rules.bands[:0]
	e.labelRuns(frame)
	e.collectComponents()
	// Strokes wider than the closing can bridge (a marker seen from
	// close) lose their middle to the paper estimate: estimate again on
	// a coarser grid. A live camera sees the same scale frame after frame,
	// so the next frame starts from the grid this one settled on, and
	// returns to the finer grid when the strokes get thin again.
	for pass := 1; pass < 3 && e.opts.Block <= 0; pass++ {
		sw := e.strokeWidth()
		blk := e.paper.blk
		switch {
		case sw > 1.2*float32(blk) && blk*2 <= min(e.w, e.h)/maxBlockDiv:
			blk *= 2
		case blk > e.paper.blk0 && sw < 0.5*float32(blk):
			blk = max(e.paper.blk0, blk/2)
		}
		if blk == e.paper.blk {
			break
		}
		e.resizeGrid(blk)
		e.estimatePaper(frame)
		e.labelRuns(frame)
		e.collectComponents()
	}
	e.paper.lastW, e.paper.lastH, e.paper.lastBlk = e.w, e.h, e.paper.blk
	if e.remeasureInk(frame) {
		e.labelRuns(frame)
		e.collectComponents()
	}
	// Ruled lines join the digits standing on them into one blob: label
	// again without them, and look again, for the lines of a net that
	// only show once its other lines are gone.
	for pass := 0; pass < maxRulePasses && e.findRules(); pass++ {
		e.labelRuns(frame)
		e.collectComponents()
	}
	e.markSheetEdges(frame)
}

// estimatePaper finds the paper's brightness and the ink thresholds on the
// paper grid, the sheet on it, and the steps of the sheet's brightness
// where the paper is followed pixel by pixel (a shadow's sharp edge).
func (e *Extractor) estimatePaper(frame *image.Gray) {
	e.estimateBackground(frame)
	e.findSheet()
	e.findEdges(frame)
	// The ink is measured once the sheet's edges are known: beyond them
	// lies no paper (markInkPaper).
	clear(e.paper.lineB)
	e.adaptInk(frame)
	e.thresholdRamps()
	e.findSteps(frame)
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
	if e.partOf.X > 0 && e.partOf.Y > 0 {
		short = min(e.partOf.X, e.partOf.Y)
	}
	o := e.opts
	e.minH = o.MinHeight
	if e.minH <= 0 {
		e.minH = max(8, short/96)
	}
	e.maxH = o.MaxHeight
	if e.maxH <= 0 {
		e.maxH = h
	}
	e.paper.blk = o.Block
	if e.paper.blk <= 0 {
		e.paper.blk = max(4, short/64)
		e.paper.blk0 = e.paper.blk
		if w == e.paper.lastW && h == e.paper.lastH && e.paper.lastBlk > e.paper.blk {
			e.paper.blk = e.paper.lastBlk
		}
	}
	e.paper.inkLow = o.InkLow
	if e.paper.inkLow <= 0 {
		e.paper.inkLow = defaultInkLow
	}
	e.paper.inkHigh = o.InkHigh
	if e.paper.inkHigh <= 0 {
		e.paper.inkHigh = defaultInkHigh
	}
	e.stroke = o.Stroke
	if e.stroke == 0 {
		e.stroke = 2.3
	}
	e.resizeGrid(e.paper.blk)
	e.paper.colMax = grow(e.paper.colMax, w)
	e.paper.colMin = grow(e.paper.colMin, w)
	e.paper.thrLo = grow(e.paper.thrLo, w)
	e.lab.rowStart = grow(e.lab.rowStart, h+1)
	e.group.proj = grow(e.group.proj, w)
}
