// Package extract finds handwritten digits in frames and turns each into a
// 28x28 MNIST-style image.
//
// An Extractor turns a frame (a camera's YCbCr frame, a photograph, or a
// grey image) into MNIST-style digits in reading order: Extract returns a
// Digit per digit found, with its box in the frame, its line of text,
// whether a word gap precedes it, and its 28x28 image as MNIST stores its
// images, bytes with ink 255 on paper 0 (what the networks were trained on;
// package model classifies them). AppendText prints a reading with the
// same layout. The stages, in order:
//
// Ink plane. The stages look for ink in one grey plane. A colour frame's
// luma alone loses coloured ink (orange is nearly as bright as white paper),
// so each pixel's luma is darkened by how far its chroma lies from the
// paper's (per block of chroma samples, the mean chroma of its brightest
// samples, then the median over 5x5 blocks): |ΔCb| + |ΔCr|
// beyond a dead zone of 8 that holds the paper's noise, one grey level per
// level, and only as much as the luma under the chroma sample confirms a
// stroke (chroma is coarser than luma and bleeds onto the paper beside a
// stroke). Any dark or saturated ink then stands out from paper of any
// colour. A frame with no colour is read in place.
//
// Noise. A webcam in a dim room, or a phone at high ISO, speckles the
// paper with grain as dark as faint ink. The noise's deviation is
// estimated from the median response of a Laplacian-difference mask
// (Immerkær's estimator; the median leaves the strokes' edges out), on
// single pixels at about 16,384 places and on the means of 2x2 blocks at
// an eighth as many, the larger of the two: a JPEG encoder takes out the
// finest part of the grain, which the blocks still see. About 45 µs a
// 640x480 frame. Above 9 grey levels (clean photos measure 0.2 to 2.5,
// the phones' own denoising smooths them) the plane is smoothed by two
// passes of a 3x3 box, a Gaussian of about 1.15 pixels, before the stages
// below look at it.
//
// Paper. The paper's brightness is estimated on a grid of square blocks
// (Options.Block; by default a 64th of the frame's shorter side, at least
// 4 pixels): the brightest pixel of each block, sampled on every second
// pixel of every second row (ink is darker than paper, so any block with
// some paper in it sees the paper), then a closing of the grid (maximum,
// then minimum, over 3x3 blocks), which gives the blocks covered by a
// stroke their neighbours' paper while large dark areas, a shadow or the
// table beside the sheet, keep their edges. The grid is interpolated
// bilinearly, so lighting gradients, vignetting, soft shadows and
// coloured paper cancel. Strokes wider than the closing can bridge (a
// marker seen from close) would lose their middle: when the median stroke
// is wider than 1.2 blocks, the grid is doubled (at most twice) and the
// frame labelled again; a live camera sees the same scale frame after
// frame, so the next frame starts from the grid this one settled on, and
// goes back to the finer one when the strokes get thin again (Forget makes
// the next frame start afresh: photos that have nothing to do with one
// another).
//
// Steps of the paper (step.go). Interpolated between a bright block and a
// dark one, the grid lags behind a shadow's sharp edge, and a strip of
// "ink" along the edge would join the digits it touches into one blob off
// the paper. Where two neighbouring blocks of the sheet differ by 10% or
// more, the darker keeps 40% of the light or more and is no colour (a
// finger, a wooden table), and the three blocks beyond it are as dark
// (a shadow is wide; a thick stroke is not), the paper is followed pixel
// by pixel: a closing (maximum, then minimum) of the frame at half
// resolution over a square about two blocks wide, which fills strokes and
// keeps a wide area's edge where it is, read back as the darkest of the
// half-resolution pixels around each pixel. The thresholds of the pixels
// of those blocks come from it. Frames shorter than 320 pixels (crops of a
// few digits, whose dark blocks are thick strokes) keep the grid.
//
// Sharpening halos. Cameras sharpen what they deliver, lifting the paper
// beside every stroke into a bright ridge, which the brightest-pixel
// estimate takes for the paper there. The ridge is measured where strokes
// meet flat paper on about 48 rows (the median of its brightness over the
// paper's beyond it); when it is 6% or more, the estimate may fall by as
// much toward the grid opened (the least, then the greatest, over 3x3
// blocks) and closed, the paper of the blocks around the writing.
//
// Thresholds, with hysteresis. A pixel is ink when it is darker than the
// paper there by a fraction InkLow (0.22) and by at least 10 grey levels
// (so that sensor noise in dark areas is not ink); a blob of ink counts
// only if one of its pixels is darker by InkHigh (0.30) and 20 levels, so
// that smudges, paper texture and faint show-through are dropped while the
// anti-aliased edges of real strokes are kept. Faint writing (pencil, a
// dim or blurred picture) lowers both: from a histogram of each block's
// darkest pixel against its paper, over the sheet's paper only (blocks
// whose paper and whose neighbours' is at least 0.6 of the brightest: not
// the table around a sheet, nor the sheet's edge against it; nor, once the
// sheet's straight edges are found, which the thresholds wait for, what
// lies beyond them: a grey desk as bright as a shadow), the median
// is the noise of blank paper, the blocks clearly darker than it hold
// ink, and their 80th percentile is the typical stroke; InkLow becomes 0.4 of it (not below
// the noise plus 0.06, nor 0.08) and InkHigh half of it (blur takes more
// contrast from a thin stroke than from a thick one, so a blurred 1
// beside a 4 needs the lower seed). A blurred frame (focus, a downscaled
// photo, a shaken camera) spreads a thin stroke's ink, so that its thin
// parts fall under what its cores set: the strokes' sharpness lowers both
// factors by up to 0.1 between 0.55 and 0.4 of sharpness. It is the median
// over inked blocks (up to 8,192 pixels of them) of the largest step
// between pixels side by side against the block's contrast, or of pixels
// one above the other if that is smaller: a shaken camera blurs along its
// motion alone. A direction counts in a block only where its ink crosses
// it (inside an upright stroke the columns are flat). Sharp photos measure
// about 0.6 to 0.8, blurred by 2 px or shaken by 3 about 0.3. A noisy
// camera raises the 10 grey levels to its noise (the spread of blank
// blocks, at their 30th percentile, up to 40). Paper clipped to white
// and flat to the grey level (overexposed, or whitened by a scanning
// app) under writing washed out too has InkLow 0.08: no grain passes for
// ink there, and clipping left the strokes' thin parts far fainter than
// their cores. Only where the strokes' own blocks lie on that paper: a
// grey note, or a photo's crop, on a white page is not clipped, and its
// edge against the white would be ink. In a photo (SetPhoto) a
// lamp's glare, paper brighter than the sheet's median by 6% over a tile
// of 4x4 blocks and writing fainter than the frame's, gives that tile the
// thresholds of its own writing (fadeInk); a camera's frames, which have
// 2 ms, keep the frame's. A reader that reads a photo a second time may
// ask for thresholds raised to 0.45 and 0.6 of the typical stroke
// (SetInkRaised): the writing on the back of thin paper showing through,
// about half as dark as the front's and blurred, then stays paper instead
// of joining the digits it touches.
//
// Labelling. One pass over the pixels turns each row into runs of ink
// (the per-column thresholds are refreshed every fourth row; stretches of
// paper are skipped eight pixels at a time) and joins the runs that touch
// a run of the row above, 8-connected, with union-find (path halving; the
// run with the smallest index is the root, so one more pass gives every
// component its box, area, strength and second moments).
//
// A grid's net. With a few digits on squared paper, the grid's lines fill
// most of the inked blocks and the typical stroke is theirs: the grid
// becomes ink, one net over the frame. A component a quarter of the frame
// both ways, a fifth of its box filled at most, that half of its pixel
// rows cross four times or more (no digit does, nor a photo's rim on a
// table) is such a net (remeasureInk):
// where its blocks and the long thin pieces beside it are most of the
// inked blocks, pale (0.45 at the most), and the typical stroke is under
// twice their median darkness, the writing is measured again from the
// blocks off them and 1.5 times darker, and the frame is labelled again
// with the thresholds that gives. With none (a blank page) the default
// thresholds are taken, and a digit needs twice the lines' darkness.
//
// Ruled lines. Ruled and squared paper, underlines and the sheet's own
// edges join the digits on them into one blob. Lines are found among the
// components, level or upright: long, thin and straight, a least-squares
// line through the columns (rows) that hold only the line, fitted twice to
// leave out strokes beside it, running alone for 2.2 digit heights or more
// (so that no 1 and no 7's tail is one). Where no component of a digit's
// size stands apart (one row, every digit written across the same line),
// a level component half the frame wide is measured for the height of
// the digits on it (digitsAcross). A net of lines (ruled lines
// joined by a margin, a grid) gives its upright lines first and its level
// ones once those are erased; a line broken into pieces (a pale margin) is
// found from its pieces on one straight line (the 160 longest pieces: the
// search looks at every pair, and a frame of noise has thousands). The
// lines are erased as bands and the frame labelled again; where a stroke
// crosses a band, the ink on its two sides is joined again, so that a
// digit written across a line stays whole, and slivers of a blurred line
// left beside its band are not digits.
//
// Frames. A form gives each digit a box (separate boxes, or a comb: one
// frame split by dividers), whose sides are too short to be ruled lines
// and which, touching the digit or not, is a component no digit is. A
// component is a frame when its outermost ink lies along four straight
// lines (fitted from the outer quarter of each side, so that a digit
// poking out of its box or the next side of a turned box is left out)
// in 90% of the positions between their corners, the corners inked, the
// sides not bowed (a round 0's outermost ink is straight enough near the
// middle of each side, and its fitted corners are paper), drawn by a pen
// no wider than 15% of its shorter side. A comb's dividers are the
// upright lines inked from its top side to its bottom side (a 1 in its box
// stops short of both). The sides and dividers are erased as ruled lines
// are, but the ink on the two sides of a box's wall is not joined again:
// it is two boxes' digits.
//
// The sheet. A webcam sees the sheet and what is around it. The sheet is
// the largest region of the paper grid's blocks at least 0.3 of the
// brightest paper, joined where the brightness changes by less than a
// shadow's edge does; components off it, or mostly on its rim (its edge
// against the table), are not writing. Neither is, on the frame's edge, a
// digit the frame cuts (small against the frame), a solid area or band
// (the table, a shadow's edge), a net of lines, or the sheet's edge along
// the rim. A tight crop is all sheet (the blocks a thick marker covers are
// the digit, not a table), and what touches the edge of a tight crop, or
// of a photo that one number fills, is kept. A table about as bright as a
// shadow joins the sheet block by block; its edge is told from a
// shadow's by its shape (findEdges): seen from a side of the frame, a
// sharp rise from a flat, darker surface (or, in colour, one of another
// colour) to paper, on one straight line along at least 35% of the part
// of the side where a surface darker than the paper may meet it (a note
// on a desk spans a third of the frame's side), with no writing beyond
// it; what lies beyond it is off the sheet and out of the ink's measure. The
// ink plane's paper colour is then taken again on each side of the edges
// apart (paperBesideTable): beside a table of another colour the median
// over the blocks around took the table's colour for the paper's, most of
// all in the sheet's corners, and darkened the paper there as ink. The
// plane is made again, and the frame read again, when that moves the
// paper's colour on the sheet; a camera's next frame is made with the
// last frame's edges at once. A notebook's binding is no writing either
// (markBinding): six marks or more in a column at one side of all the
// writing, alike in size, their tops evenly spaced, each alone at its
// height, as a spiral's rings are.
//
// The text's direction. From each digit-sized component to its two
// nearest neighbours of similar size, the directions vote; their peak is
// the direction of the lines. Up to 14° the lines are read on coordinates
// sheared by their slope. Beyond, the digits' own lean (the median
// principal axis of the elongated ones, 1s, 7s, 4s) tells a sheet held at
// an angle (digits lean with the lines), which is read from the plane
// turned level, from digits written upright along a rising line, read
// sheared up to 25° and beyond that from the turned plane with each digit
// turned back as it is normalised. Boxes are mapped back to the frame.
// Whether sheared digits lean with their lines can be read the other way
// (SetOtherLean; LeanInDoubt tells when it mattered), for a caller with
// time to read a photo twice.
//
// Steps. A component at least twice as tall as wide whose frame beyond
// its ink, one, two and four stroke widths away (the lightest of the
// three), is lighter than the ink on one side only, in 70% of its rows,
// is off the paper: the edge of a table or a shadow that the sheet stage
// kept as paper, which a stroke (paper on both sides) is not. A digit that
// a shadow's edge crosses is dark on one side too, but its ink is far
// darker than the shadowed paper beside it, and the strip along an edge
// about as dark as what lies beyond it (shadowCrossed).
//
// Enclosures. A component more than 2.5 times as tall as the median digit
// that holds two or more line-seeding components whole inside its box is
// not writing to read: the outline of a sheet lying on a table (its
// shadowed edge, a step the paper grid lags behind), a circle round a
// number, a frame drawn round a sum. A digit holds no digits. What its own
// ink comes within a quarter of its height of is not held but a piece of
// the same strokes: the loose strokes of a big digit sketched in pencil.
// A ring round one digit (an answer circled) is 1.1 digits tall or more,
// holds one component of at least 0.4 of its height whole inside its box,
// has ink on all four sides of it, and keeps most of it more than a
// stroke's width from its ink (a sketch's strays lie along its strokes).
//
// Lines. Components tall enough (0.45 of the median height) seed lines of
// text: taken left to right, each joins the line whose span it overlaps
// most, by at least half the smaller height; a line's span follows its
// latest members, so slow drift and curved lines are followed; a member
// moves the span, and counts toward the line's slope, only within half the
// line's height of it (the stem of a 9 that descends far below the line
// dragged the slope down until the digits after it started a line of
// their own). The page's
// skew is the mean least-squares slope of the lines with three members or
// more, and the chaining is done again on coordinates straightened by it;
// lines that still overlap by half are merged. Smaller pieces join the
// line of the nearby main component whose span holds most of them.
//
// Pieces and touching digits. (On a sheet held at an angle and read
// sheared, "horizontally" is along the lines: a component's extent is that
// of its runs projected on the lines' direction, since a turned digit's box
// overlaps its neighbour's where its ink does not.) Blobs of a line that
// overlap horizontally
// (half of the narrower, the union no wider than 1.15 line heights) are
// the pieces of one digit (a 5 whose bar is detached, a broken stroke),
// and small fragments join the nearest digit of their line when they
// nearly touch it, or, for a bar beside a digit's top reaching out on one
// side, when they are a pen lift apart (0.45 line heights). A candidate that reaches well into the next line (the
// long tail of a 7 or a 9) is cut at the top of the lower line. A
// candidate too wide for one digit (wider than 1.15 line heights, than 1.7
// typical digit widths of its line, or than 1.4 times its own height) is
// split where the ink's vertical projection is lowest and crosses one
// thin stroke only, along a path from top to bottom, found by dynamic
// programming, that crosses as little ink as it can. The pieces remember
// the candidate they were cut from (CutFrom, Uncut): a 0 written wide and
// open where its stroke is faint meets the same rule, and a reader whose
// model calls the pieces no digits reads it whole. Digits written into
// each other, whose joint is no thin stroke, stay one candidate; a reader
// whose model rejects it can ask for the columns where a cut may fall
// (CutColumns: the local minima of the projection), cut there once
// (CutAt) and read each stretch between two cuts (Piece). Candidates too small
// for their line, and the edge of the sheet against a darker table, are
// dropped; lines are ordered top to bottom, digits left to right, and a
// gap wider than 2.5 times the line's median gap (and half a digit's
// height) marks a space.
//
// Faint marks. A digit whose ink is under 0.45 of the page's writing (the
// third darkest digit's mean darkness) is dropped: handwriting showing
// through from the back of the sheet, which the paper blurs and dims, and
// smudges. In a tight crop (up to 200 pixels) where no digit was grouped,
// all its ink is one digit: a photo cut around a digit holds a digit, and
// the model says whether it is one. Whole gives that digit on request,
// for a reader whose model read none of the crop's candidates as a digit,
// Join the ink of two neighbouring candidates as one, for a reader
// whose model rejects both (a digit whose faint stroke broke in two),
// Apart the two digit-sized marks a candidate was merged from, each with
// its own ink, for a reader whose model rejects the whole (a 7 whose bar
// reaches over the 1 after it), and Top a candidate's top rows alone, for
// a reader that sees a 1 reaching far below its line (a 9 or a 7 whose
// stem descends).
//
// MNIST normalisation. Each digit is rendered as MNIST was made: the
// darkness of its own ink relative to the paper (1 - pixel/paper; other
// ink in its box, a neighbour's stroke, is left out) with a one-pixel
// anti-aliased halo, mapped so that half of InkLow is 0 and 0.8 of the
// ink's mean darkness is 1 (MNIST strokes are saturated across most of
// their width); strokes thinner than MNIST's (Options.Stroke, 2.3 pixels
// at 28x28, measured as 2·area/perimeter) are thickened with a maximum
// filter, and strokes wider than it (a marker) thinned with a minimum
// filter by whole pixels, so that they stay at least MNIST's width (the
// model learned MNIST's strokes; a marker closes the loops of 6s, 8s and
// 9s into blobs it misreads); the longer side is scaled to 20 pixels (area averaging when
// shrinking, linear interpolation when enlarging), the centre of mass is
// placed at the centre of the 28x28 field, a small digit's stroke (10
// pixels tall or less: magnified, a 2-pixel pen is 6 pixels wide with its
// halo) still 2 pixels wider than MNIST's loses a pixel each side to a
// 3x3 minimum filter of the 28x28 field, and the brightest pixel is
// stretched to 255 (values rounded to bytes).
//
// The stages' state lives in one struct each (ink, paper, labels, sheet,
// rules, angle, group, norm), in the file of the same stage.
//
// Allocation and speed. An Extractor holds every buffer of every stage and
// grows them on the first frame of a given size; after that Extract
// allocates nothing (tested with testing.AllocsPerRun), and it reuses the
// dst slice it is given. An Extractor serves one goroutine. A 640x480
// frame with twenty-odd digits takes about a millisecond on one x86 core
// (BenchmarkExtract here, BenchmarkFrame in firmware). The scans over every
// pixel of the frame (the paper's column maxima and minima, the skips over
// paper, the threshold rows) run 32 bytes a step in AVX2 on amd64
// (bytes_amd64.s, generated by engine/_asm/extract) and eight a step in Go
// elsewhere and with -tags purego, with the same results.
//
// The tests here render scenes of MNIST test digits (internal/scenegen:
// rotation, perspective, shadows, coloured paper and ink, ruled lines,
// noise, JPEG), read the development photographs of ../shared/photos when
// present, and classify the crops with the embedded model (model.Default;
// EDGECONV_CAMERA_MODEL=FILE names another); scripts/camera-eval.sh and
// scripts/camera-photos.sh run them, and EDGECONV_CAMERA_DEBUG=DIR writes
// images of the boxes and crops. The evaluations of what `edgeconv read`
// reads, one condition per cause of misreading among them
// (TestConditionsRead), live in package reading.
package extract
