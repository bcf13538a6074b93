package firmware

import (
	"image"
	"strconv"
	"time"

	"github.com/edgeconv/edgeconv/extract"
)

// DigitReading is one digit of a Reading.
type DigitReading struct {
	Digit int
	// Confidence is the digit's mean softmax probability over the frames
	// that made the reading stable.
	Confidence float32
	// Box is the digit's box in the latest of those frames.
	Box  image.Rectangle
	Line int
	// Space reports a word gap before the digit.
	Space bool
	// Low reports a confidence below the smoother's threshold.
	Low bool
}

// Reading is what the camera shows once it has been the same for a few
// frames: the digits in reading order.
type Reading struct {
	// Frame is the sequence number of the frame that made the reading
	// stable; Time is when it was captured.
	Frame uint64
	Time  time.Time
	// Text holds the digits, lines separated by '\n' and word gaps by ' '.
	Text []byte
	// Digits are the digits of Text in order.
	Digits []DigitReading
	// Confident reports that there is at least one digit and that none is
	// Low.
	Confident bool
}

// copyFrom makes r a deep copy of s, reusing r's storage.
func (r *Reading) copyFrom(s *Reading) {
	r.Frame, r.Time, r.Confident = s.Frame, s.Time, s.Confident
	r.Text = append(r.Text[:0], s.Text...)
	r.Digits = append(r.Digits[:0], s.Digits...)
}

// Clone returns a deep copy of r.
func (r *Reading) Clone() *Reading {
	c := &Reading{}
	c.copyFrom(r)
	return c
}

// Smoother turns per-frame guesses into stable readings: a text is reported
// once it has been read in K consecutive frames, with each digit's mean
// confidence over those frames.
type Smoother struct {
	// K is the number of consecutive frames a text must be read in.
	K int
	// MinConfidence is the confidence below which a digit is marked Low.
	MinConfidence float32

	cand    []byte    // the text of the current run of frames
	run     int       // frames in the current run
	confSum []float32 // per digit: confidence summed over the run
	current Reading   // the reported reading
	started bool      // a reading has been reported
}

// Update takes one frame's digits and guesses and reports whether the
// stable reading changed; Current returns it.
func (s *Smoother) Update(seq uint64, t time.Time, digits []extract.Digit, guesses []Guess) bool {
	k := max(1, s.K)
	n := len(s.cand)
	// Compare the frame's text with the run's, in place.
	same := true
	j := 0
	for i := range digits {
		d := &digits[i]
		if i > 0 {
			sep := byte(0)
			if d.Line != digits[i-1].Line {
				sep = '\n'
			} else if d.Space {
				sep = ' '
			}
			if sep != 0 {
				if j >= n || s.cand[j] != sep {
					same = false
				}
				j++
			}
		}
		if j >= n || s.cand[j] != byte('0'+guesses[i].Digit) {
			same = false
		}
		j++
	}
	if j != n {
		same = false
	}
	if !same {
		s.cand = appendText(s.cand[:0], digits, guesses)
		s.run = 0
		s.confSum = s.confSum[:0]
		for range digits {
			s.confSum = append(s.confSum, 0)
		}
	}
	s.run++
	for i := range guesses[:len(digits)] {
		s.confSum[i] += guesses[i].Confidence
	}
	if s.run < k {
		return false
	}
	changed := !s.started || string(s.current.Text) != string(s.cand)
	if !changed {
		return false
	}
	s.started = true
	r := &s.current
	r.Frame, r.Time = seq, t
	r.Text = append(r.Text[:0], s.cand...)
	r.Digits = r.Digits[:0]
	r.Confident = len(digits) > 0
	for i := range digits {
		c := s.confSum[i] / float32(s.run)
		low := c < s.MinConfidence
		if low {
			r.Confident = false
		}
		r.Digits = append(r.Digits, DigitReading{
			Digit: guesses[i].Digit, Confidence: c, Box: digits[i].Box,
			Line: digits[i].Line, Space: digits[i].Space, Low: low,
		})
	}
	return true
}

// Current returns the reported reading; it is valid until the next Update.
func (s *Smoother) Current() *Reading { return &s.current }

// appendText appends the text of a frame's guesses to dst.
func appendText(dst []byte, digits []extract.Digit, guesses []Guess) []byte {
	for i := range digits {
		if i > 0 {
			if digits[i].Line != digits[i-1].Line {
				dst = append(dst, '\n')
			} else if digits[i].Space {
				dst = append(dst, ' ')
			}
		}
		dst = append(dst, byte('0'+guesses[i].Digit))
	}
	return dst
}

// AppendJSON appends r as one JSON object (no newline) to dst. With
// withTime false the "time" member is left out, so that two runs over the
// same recording print the same bytes.
func (r *Reading) AppendJSON(dst []byte, withTime bool) []byte {
	dst = append(dst, '{')
	if withTime {
		dst = append(dst, `"time":"`...)
		dst = r.Time.UTC().AppendFormat(dst, "2006-01-02T15:04:05.000Z07:00")
		dst = append(dst, `",`...)
	}
	dst = append(dst, `"frame":`...)
	dst = strconv.AppendUint(dst, r.Frame, 10)
	dst = append(dst, `,"text":`...)
	dst = strconv.AppendQuote(dst, string(r.Text))
	dst = append(dst, `,"confident":`...)
	dst = strconv.AppendBool(dst, r.Confident)
	dst = append(dst, `,"digits":[`...)
	for i, d := range r.Digits {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, `{"digit":`...)
		dst = strconv.AppendInt(dst, int64(d.Digit), 10)
		dst = append(dst, `,"confidence":`...)
		dst = strconv.AppendFloat(dst, float64(d.Confidence), 'f', 3, 32)
		dst = append(dst, `,"box":[`...)
		for k, v := range [4]int{d.Box.Min.X, d.Box.Min.Y, d.Box.Max.X, d.Box.Max.Y} {
			if k > 0 {
				dst = append(dst, ',')
			}
			dst = strconv.AppendInt(dst, int64(v), 10)
		}
		dst = append(dst, `],"line":`...)
		dst = strconv.AppendInt(dst, int64(d.Line), 10)
		if d.Space {
			dst = append(dst, `,"space":true`...)
		}
		if d.Low {
			dst = append(dst, `,"low":true`...)
		}
		dst = append(dst, '}')
	}
	dst = append(dst, "]}"...)
	return dst
}

// AppendText appends r as one line for a terminal: the text with lines
// joined by " / ", low-confidence digits followed by '?', and the lowest
// confidence.
func (r *Reading) AppendText(dst []byte) []byte {
	dst = r.Time.Local().AppendFormat(dst, "15:04:05.000")
	dst = append(dst, "  "...)
	if len(r.Digits) == 0 {
		return append(dst, "(no digits)"...)
	}
	lowest := float32(1)
	for i, d := range r.Digits {
		if i > 0 {
			if d.Line != r.Digits[i-1].Line {
				dst = append(dst, " / "...)
			} else if d.Space {
				dst = append(dst, ' ')
			}
		}
		dst = append(dst, byte('0'+d.Digit))
		if d.Low {
			dst = append(dst, '?')
		}
		lowest = min(lowest, d.Confidence)
	}
	dst = append(dst, "  (min confidence "...)
	dst = strconv.AppendFloat(dst, float64(lowest), 'f', 2, 32)
	return append(dst, ')')
}
