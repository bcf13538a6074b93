package firmware

import (
	"strconv"
	"time"

	"github.com/edgeconv/edgeconv/reading"
)

// Reading is what the camera shows once it has been the same for a few
// frames: the digits in reading order.
type Reading struct {
	// Frame is the sequence number of the frame that made the reading
	// stable; Time is when it was captured.
	Frame uint64
	Time  time.Time
	// Text holds the digits, lines separated by '\n' and word gaps by ' '.
	Text []byte
	// Digits are the digits of Text in order. A digit's Confidence is its
	// mean over the frames that made the reading stable, and its Box is
	// the one in the latest of them.
	Digits []reading.Digit
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

// Smoother turns per-frame readings into stable ones: a text is reported
// once it has been read in K consecutive frames, with each digit's mean
// confidence over those frames.
type Smoother struct {
	// K is the number of consecutive frames a text must be read in.
	K int
	// MinConfidence is the mean confidence below which a digit is marked
	// Low.
	MinConfidence float32

	cand    []byte    // the text of the current run of frames
	run     int       // frames in the current run
	confSum []float32 // per digit: confidence summed over the run
	current Reading   // the reported reading
	started bool      // a reading has been reported
}

// Update takes one frame's reading and reports whether the stable reading
// changed; Current returns it.
func (s *Smoother) Update(seq uint64, t time.Time, rd *reading.Reading) bool {
	k := max(1, s.K)
	if string(rd.Text) != string(s.cand) {
		s.cand = append(s.cand[:0], rd.Text...)
		s.run = 0
		s.confSum = s.confSum[:0]
		for range rd.Digits {
			s.confSum = append(s.confSum, 0)
		}
	}
	s.run++
	for i, d := range rd.Digits {
		s.confSum[i] += d.Confidence
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
	r.Digits = append(r.Digits[:0], rd.Digits...)
	r.Confident = len(r.Digits) > 0
	for i := range r.Digits {
		d := &r.Digits[i]
		d.Confidence = s.confSum[i] / float32(s.run)
		d.Low = d.Confidence < s.MinConfidence
		if d.Low {
			r.Confident = false
		}
	}
	return true
}

// Current returns the reported reading; it is valid until the next Update.
func (s *Smoother) Current() *Reading { return &s.current }

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
