// Package glyphs renders the letters, symbols and digits of fonts as grey
// ink images of any size: the one thing that the training of the
// not-a-digit class (train) and the test scenes with letters among the
// digits (internal/scenegen) need from fonts.
//
// A Font is an outline font (TrueType or OpenType, through
// golang.org/x/image/font/sfnt) or a Hershey stroke font (the .jhf files
// of Debian's hershey-fonts-data: single-stroke glyphs, which look
// hand-drawn when drawn with a round pen). Font.Glyph returns a rune's
// shape in em units (1 em = 1.0, y down, the pen's origin at (0, 0) on the
// baseline): the outline's closed contours, flattened to polygons, or the
// strokes' polylines. A Glyph can also be built by hand (filled polygons
// and pen strokes), which is how callers draw shapes that no font has.
//
// Glyph.Draw renders a glyph under an affine map into an *image.Alpha
// (ink coverage, 0 paper to 255 full ink), keeping the maximum with what
// the image holds. It works from the distance of each pixel's centre to
// the nearest edge or stroke, so every stroke width is drawn
// anti-aliased: a stroke font's pen has any width, from a hairline to a
// marker, and an outline glyph can be made bolder or thinner by moving its
// outline in or out. Glyph.Map moves every point through a function, for
// distortions an affine map cannot make (the wobble of a hand).
//
// # Embedded fonts
//
// Embedded returns a font compiled into the package by its file name
// (Names lists them; folder fonts/, each with its licence): handwriting fonts from Debian's packages under
// the SIL Open Font License and Hershey stroke fonts under their own
// permissive licence (LICENSE-*.txt there), about 600 kB in all. The Go
// fonts of golang.org/x/image/font/gofont, for printed text, are loaded
// from that module with ParseOutline.
package glyphs
