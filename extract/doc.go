// Package extract finds handwritten digits in frames and turns each into a
// 28x28 MNIST-style image.
//
// An Extractor turns a grey frame (a camera's Y plane, or a photograph
// converted with BT.601 luma) into MNIST-style digits in reading order:
// Extract returns a Digit per digit found, with its box in the frame, its
// line of text, whether a word gap precedes it, and its 28x28 image as
// MNIST stores its images, bytes with ink 255 on paper 0 (what the networks
// were trained on; package model classifies them). AppendText prints a
// reading with the same layout. The stages, in order:
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
// goes back to the finer one when the strokes get thin again.
//
// Thresholds, with hysteresis. A pixel is ink when it is darker than the
// paper there by a fraction InkLow (0.22) and by at least 10 grey levels
// (so that sensor noise in dark areas is not ink); a blob of ink counts
// only if one of its pixels is darker by InkHigh (0.30) and 20 levels, so
// that smudges, paper texture and faint show-through are dropped while the
// anti-aliased edges of real strokes are kept. Faint writing (pencil, a
// dim or blurred picture) lowers both: from a histogram of each block's
// darkest pixel against its paper, the median is the noise of blank
// paper, the blocks clearly darker than it hold ink, and their 80th
// percentile is the typical stroke; InkLow becomes half of it (not below
// the noise plus 0.06, nor 0.08) and InkHigh three quarters.
//
// Labelling. One pass over the pixels turns each row into runs of ink
// (the per-column thresholds are refreshed every fourth row; stretches of
// paper are skipped eight pixels at a time) and joins the runs that touch
// a run of the row above, 8-connected, with union-find (path halving; the
// run with the smallest index is the root, so one more pass gives every
// component its box, area and strength). Ruled lines, underlines and
// straight edges, which join the digits standing on them into one blob,
// are found among the components (long, thin and straight: a least-squares
// line through the columns that hold only the line, fitted twice to leave
// out strokes beside it), erased as bands, and the frame labelled again.
//
// Lines. Components tall enough (0.45 of the median height) seed lines of
// text: taken left to right, each joins the line whose span it overlaps
// most, by at least half the smaller height; a line's span follows its
// latest members, so slow drift and curved lines are followed. The page's
// skew is the mean least-squares slope of the lines with three members or
// more, and the chaining is done again on coordinates straightened by it;
// lines that still overlap by half are merged. Smaller pieces join the
// line of the nearby main component whose span holds most of them.
//
// Pieces and touching digits. Blobs of a line that overlap horizontally
// (half of the narrower, the union no wider than 1.15 line heights) are
// the pieces of one digit (a 5 whose bar is detached, a broken stroke),
// and small fragments join the nearest digit of their line when they
// nearly touch it. A candidate that reaches well into the next line (the
// long tail of a 7 or a 9) is cut at the top of the lower line. A
// candidate too wide for one digit (wider than 1.15 line heights, than 1.7
// typical digit widths of its line, or than 1.4 times its own height) is
// split where the ink's vertical projection is lowest and crosses one
// thin stroke only, along a path from top to bottom, found by dynamic
// programming, that crosses as little ink as it can. Candidates too small
// for their line, and the edge of the sheet against a darker table, are
// dropped; lines are ordered top to bottom, digits left to right, and a
// gap wider than 2.5 times the line's median gap (and half a digit's
// height) marks a space.
//
// MNIST normalisation. Each digit is rendered as MNIST was made: the
// darkness of its own ink relative to the paper (1 - pixel/paper; other
// ink in its box, a neighbour's stroke, is left out) with a one-pixel
// anti-aliased halo, mapped so that half of InkLow is 0 and 0.8 of the
// ink's mean darkness is 1 (MNIST strokes are saturated across most of
// their width); strokes thinner than MNIST's (Options.Stroke, 2.3 pixels
// at 28x28, measured as 2·area/perimeter) are thickened with a maximum
// filter; the longer side is scaled to 20 pixels (area averaging when
// shrinking, linear interpolation when enlarging), the centre of mass is
// placed at the centre of the 28x28 field, and the brightest pixel is
// stretched to 255 (values rounded to bytes).
//
// Allocation and speed. An Extractor holds every buffer of every stage and
// grows them on the first frame of a given size; after that Extract
// allocates nothing (tested with testing.AllocsPerRun), and it reuses the
// dst slice it is given. An Extractor serves one goroutine. A 640x480
// frame with twenty-odd digits takes about a millisecond on one x86 core
// (BenchmarkExtract here, BenchmarkFrame in firmware).
//
// The evaluations in the tests render scenes of MNIST test digits
// (internal/scenegen: rotation, perspective, shadows, coloured
// paper and ink, ruled lines, noise, JPEG), read the photographs of
// ../shared/photos when present, and read both with the embedded model
// (model.Default; EDGECONV_CAMERA_MODEL=FILE names another);
// scripts/camera-eval.sh and scripts/camera-photos.sh run them, and
// EDGECONV_CAMERA_DEBUG=DIR writes images of the boxes and crops.
package extract
