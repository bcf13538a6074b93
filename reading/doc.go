// Package reading turns a frame into a reading: the digits it shows, in
// reading order, each with its class, confidence, box, line and word
// break, and their text. A Reader joins one extract.Extractor (frame →
// 28x28 digit images) and one model.Classifier; `edgeconv read`, the
// firmware's camera loop behind `edgeconv run`, `edgeconv predict` and
// `edgeconv eval --photos` all read through it, so they read the same
// digits the same way.
//
// With a model that has the NotDigit class (model.NotDigit), candidates
// classified as not a digit are dropped from the digits and the text, and
// a dropped candidate between two digits of a line marks a break there, as
// a wide gap does; the Reading keeps every candidate and its class for
// debug images and the live preview, with every candidate's class
// probabilities (the evidence the camera loop fuses over frames, see
// firmware.Fuser). Digits whose confidence is below
// Options.MinConfidence are marked Low and kept.
//
// The model gets a second look where the extractor was unsure, in this
// order:
//   - rejoin: the pieces of a candidate the extractor cut as digits that
//     touch are read whole (extract.Extractor.Uncut) when the model doubts
//     a piece and reads the whole as one digit with confidence (a wide 0
//     open where its stroke is faint is cut into a C and a mirrored C);
//   - revise: a doubted wide candidate is cut in two or three
//     (extract.Extractor.Split) and replaced by its parts when each reads
//     as a digit with confidence;
//   - readApart: a candidate read as not a digit, or doubted, that the
//     extractor made of two marks tall enough to be digits, whose columns
//     overlap, is read as the two (extract.Extractor.Apart), and replaced
//     by them when each reads as a digit with confidence and is about as
//     tall as the candidate (a 7 whose bar reaches over the 1 after it;
//     the digits of a turned sheet leaning into their neighbours'
//     columns); in a photo, a candidate read with confidence too, when
//     its two parts are different digits each read more surely;
//   - lookWider: a doubted narrow digit is read as the mean of two views,
//     as extracted and widened (a 9 with a small loop scaled as thin as a
//     1);
//   - lookTop: a 1 that reaches far below its line (1.5 times its
//     digits' height) is read again from its top, as tall as the line's
//     digits (extract.Extractor.Top), and is the digit that reads (a 9 or
//     a 7 whose stem descends, scaled whole, is as thin as a 1); one 2.5
//     times as tall as its line's tallest digit whose top reads as no
//     other digit is no digit (an integral sign);
//   - adaptPrior: where the frame's own share of non-digits, estimated
//     from its candidates, is well above the share the model was set for
//     (a page of maths or a form), each candidate is read again at the
//     share of the others;
//   - readTouching: in a photo of digits, a mark read as not a digit, as
//     tall as its line's digits and wide enough for two, is cut at the
//     columns of least ink (extract.Extractor.CutColumns, CutAt, Piece),
//     and the pieces that read most surely as digits, two or more, take
//     its place (digits written into each other);
//   - amongDigits: a candidate read as not a digit beside digits read with
//     confidence on its line (on both sides, or on one at the line's end)
//     is read again with the odds of "not a digit" halved for each such
//     neighbour, quartered between two (an open-top 4 the model doubts,
//     in a row of digits, is likelier a 4 than a letter);
//   - dropHanging: a digit whose top and bottom both hang well below its
//     line, as placed by the line's other confident digits, is no digit
//     (a y, which the model reads as an open-top 4);
//   - joinBroken: two neighbours the model rejects that together are
//     shaped as the line's digits are read as one
//     (extract.Extractor.Join), and replaced by it when it reads as a
//     digit with confidence (a 5 whose faint stroke broke in two);
//   - joinStacked: two marks of a line (of any two lines in a tight crop,
//     which holds one) that overlap along it by half the narrower, one
//     above the other, are read as one the same way, the model's readings
//     of the pieces aside (a 3 whose faint link broke reads as a 7 above a
//     5; a 9's loop and its loose stem as a 0 over a 1);
//   - readWhole: a tight crop (a photo cut around one digit) in which no
//     digit was read is read as one digit (extract.Extractor.Whole), its
//     likeliest digit if need be, marked Low; so is a photo (ReadPhoto)
//     whose one candidate spans a fifth of it or more, or whose ink
//     together (extract.Extractor.AllInk) is shaped as a digit and spans
//     0.4 of its height: a digit photographed close;
//   - readCloseUp: a photo of a few pieces, at most one read as a digit
//     with confidence, whose ink together is shaped as a digit seen close
//     is read as all its ink (extract.Extractor.AllInk), and taken as that
//     digit when the model reads it with confidence (a blurred 5 photographed
//     close broke into a bar and a bowl read as a 2);
//   - dropCutNeighbours: in a tight crop (extract.TightCrop), a digit that
//     touches the left or right side is a neighbour the crop cut through
//     when the farthest digit beside it, on whatever line, stands clear of
//     the other side, or is much taller (the stem of a 4 beside a 2 reads
//     as a 1); so is one that touches any side and is much shorter than a
//     confident digit apart from it (a sliver in a corner);
//   - dropFaintLines: on a page with clear writing (three digits or more
//     read with confidence), a line whose every mark is fainter than 0.7
//     of that writing's contrast (extract.Digit.Contrast) and none of
//     which reads as a digit with confidence is dropped (writing showing
//     through from the back of the sheet: dimmed, blurred and mirrored,
//     its strokes read as doubtful 1s, 7s and 2s);
//   - dropPrinted: a line of print (seven marks or more, mostly no
//     digits, their bottoms level to a pixel, close together) drops the
//     digits on its baseline: a form's labels, whose o, s and l the model
//     reads as 0, 5 and 1;
//   - dropObjects: a 1 twice as thick as the page's writing
//     (extract.Digit.Stroke) and 1.3 times as tall is a pen or a pencil
//     lying on the sheet, or a piece of one.
//
// A camera's frames follow one another, and the Extractor starts each
// from what the last one settled on; Forget makes the next frame read as
// if it were the first. ReadPhoto reads a photo on its own that way, which
// read, predict and eval --photos do; a photo of two grey levels only (a
// scanner's black and white) with its luma averaged over 3x3 pixels
// first, the grey of its strokes' edges given back; where the photo may
// show light marks on a dark ground (white on black, as MNIST's digits
// and many drawing demos are), it reads it with its luma inverted too and
// keeps the reading whose digits are the surer. A photo in which fewer than three quarters
// of the candidates read as confident digits may be sideways or upside
// down with no orientation in its file: ReadPhoto reads it turned by each
// quarter too, keeps a turn that reads clearly more (turnPoor, turnLead,
// turnMore), or mirrored, as a webcam app may save its picture, when its
// candidates' images read clearly better mirrored and the mirror reads
// eight confident digits or more (mirrorToTry, mirrorMin), and gives the
// boxes in the photo as it came. A photo whose lines slope by 6° or more, read sheared,
// is read again with its digits' lean taken the other way (a sheet turned,
// or digits written upright on a slope: extract.Extractor.SetOtherLean),
// and that reading kept when it holds two more confident digits
// (readOtherLean). A photo under 40 pixels on its longer side (a
// thumbnail, a digit cut out at MNIST's size) is read enlarged, and one
// whose digits are under 16 pixels tall is read enlarged too, keeping
// that reading when it holds more confident digits; one too
// thin to read, or one that reads no digit as it is (a digit cut to its
// ink, touching every side), is read again inside a margin of its ground;
// so is one that reads a single small digit while ink reaching three
// edges or four was set aside (extract.Extractor.EdgeFilling: such a
// digit beside a stray mark), keeping that reading when it is one sure
// digit that fills the photo. A photo that reads poorly (fewer than three
// quarters of its candidates confident digits) is read once more, as it
// is, with the ink thresholds raised toward its writing's typical stroke
// (extract.Extractor.SetInkRaised), and that reading kept when it holds
// more confident digits, two at least, three quarters of its candidates,
// and reads as surely as a clean photo: the writing on the back of thin
// paper, showing through, no longer joins the digits it touches
// (readRaised). A blurred photo of digits (its strokes'
// sharpness, extract.Extractor.Sharpness, under 0.45) holding a mark the
// model is not sure of, wide enough for two digits, is read once more with
// its luma unsharp-masked, and each such mark that reading finds two or
// more sure digits in, side by side, takes them: two digits that blur
// joined (readSharpened). A faint photo (its luma spans under half the
// levels) is read once more with its luma's contrast doubled
// (stretchLuma, readStretched) when it reads no digit (a pencil's digit in
// a thumbnail, grey on grey), or when most of its candidates are under a
// quarter darker than their paper (a veil of light over the lens, fog, a
// washed-out scan), under which the extractor's absolute ink floors cut
// the strokes' thin parts away. The stretched reading is kept when it
// finds one candidate, a sure digit at least half the photo's height; or
// two more confident digits and three at least (a photo that read none
// must be a page, 240 pixels or more each way); or, for faint writing,
// every confident digit read before, alike, and one more of their size
// where the photo held no mark.
//
// Read takes any image.Image: a camera's *image.YCbCr frame (whose colour
// makes coloured ink as visible as black) and an *image.Gray are read in
// place (extract.Extractor.Extract); read and predict decode files into
// such frames (camera.ReadFrame). After the
// first frames of a size it allocates nothing (tested with
// testing.AllocsPerRun); BenchmarkRead times what `edgeconv read` does
// with a photo.
package reading
