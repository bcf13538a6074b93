// Package score compares the digits read from an image with the digits it
// holds: the two digit strings are aligned by edit distance, and each
// labelled digit is read right, misread (a substitution) or missed (a
// deletion); read digits aligned with nothing are spurious. `edgeconv eval
// --photos` and the reading tests of packages extract and reading score
// with it.
//
// It also reads LABELS.tsv, the labels of a folder of photos.
package score

import (
	"fmt"
	"strings"
)

// Outcome is what became of one aligned position.
type Outcome byte

// The outcomes, with the mark that Alignment.Marks uses for each.
const (
	Right    Outcome = '='
	Misread  Outcome = 'x'
	Missed   Outcome = '-'
	Spurious Outcome = '+'
)

// Step is one position of an alignment: a labelled digit and the digit
// read for it. Want is 0 for a spurious digit, Got is 0 for a missed one.
type Step struct {
	Want, Got byte
	Outcome   Outcome
}

// Align aligns got (the digits read) with want (the label) with the fewest
// edits, preferring matches, and returns the steps in order. Both are
// strings of digits; other bytes compare as they are.
func Align(got, want string) []Step {
	n, m := len(got), len(want)
	// d[i*(m+1)+j]: edits to turn got[:i] into want[:j].
	w := m + 1
	d := make([]int, (n+1)*w)
	for i := 0; i <= n; i++ {
		d[i*w] = i
	}
	for j := 0; j <= m; j++ {
		d[j] = j
	}
	for i := 1; i <= n; i++ {
		for j := 1; j <= m; j++ {
			sub := d[(i-1)*w+j-1]
			if got[i-1] != want[j-1] {
				sub++
			}
			d[i*w+j] = min(sub, d[(i-1)*w+j]+1, d[i*w+j-1]+1)
		}
	}
	steps := make([]Step, 0, max(n, m))
	for i, j := n, m; i > 0 || j > 0; {
		switch {
		case i > 0 && j > 0 && got[i-1] == want[j-1] && d[i*w+j] == d[(i-1)*w+j-1]:
			steps = append(steps, Step{want[j-1], got[i-1], Right})
			i, j = i-1, j-1
		case i > 0 && j > 0 && d[i*w+j] == d[(i-1)*w+j-1]+1:
			steps = append(steps, Step{want[j-1], got[i-1], Misread})
			i, j = i-1, j-1
		case i > 0 && d[i*w+j] == d[(i-1)*w+j]+1:
			steps = append(steps, Step{0, got[i-1], Spurious})
			i--
		default:
			steps = append(steps, Step{want[j-1], 0, Missed})
			j--
		}
	}
	for a, b := 0, len(steps)-1; a < b; a, b = a+1, b-1 {
		steps[a], steps[b] = steps[b], steps[a]
	}
	return steps
}

// Counts tallies the outcomes of one or more readings.
type Counts struct {
	Labelled int `json:"labelled"` // digits in the labels
	Read     int `json:"read"`     // digits read
	Right    int `json:"right"`
	Misread  int `json:"misread"`
	Missed   int `json:"missed"`
	Spurious int `json:"spurious"`
}

// Count tallies the outcomes of an alignment.
func Count(steps []Step) Counts {
	var c Counts
	for _, s := range steps {
		if s.Want != 0 {
			c.Labelled++
		}
		if s.Got != 0 {
			c.Read++
		}
		switch s.Outcome {
		case Right:
			c.Right++
		case Misread:
			c.Misread++
		case Missed:
			c.Missed++
		case Spurious:
			c.Spurious++
		}
	}
	return c
}

// Reading aligns got with want and tallies the outcomes.
func Reading(got, want string) Counts { return Count(Align(got, want)) }

// Add adds o's tallies to c.
func (c *Counts) Add(o Counts) {
	c.Labelled += o.Labelled
	c.Read += o.Read
	c.Right += o.Right
	c.Misread += o.Misread
	c.Missed += o.Missed
	c.Spurious += o.Spurious
}

// RightRate is the fraction of the labelled digits read right (1 when there
// are none and nothing was read).
func (c Counts) RightRate() float64 {
	if c.Labelled == 0 {
		if c.Spurious == 0 {
			return 1
		}
		return 0
	}
	return float64(c.Right) / float64(c.Labelled)
}

// SpuriousRate is the number of spurious digits per labelled digit.
func (c Counts) SpuriousRate() float64 {
	return float64(c.Spurious) / float64(max(c.Labelled, 1))
}

// String reads like "13 of 14 digits right (92.86%), 1 misread, 0 missed,
// 0 spurious (0.00%)".
func (c Counts) String() string {
	return fmt.Sprintf("%d of %d digits right (%.2f%%), %d misread, %d missed, %d spurious (%.2f%%)",
		c.Right, c.Labelled, 100*c.RightRate(), c.Misread, c.Missed, c.Spurious, 100*c.SpuriousRate())
}

// Alignment is an alignment drawn as three strings of equal length, one
// column per step: the label and the reading with '-' in the gaps, and a
// mark per column (an Outcome).
type Alignment struct {
	Want  string `json:"label"`
	Got   string `json:"read"`
	Marks string `json:"marks"`
}

// Draw draws steps in columns. breaks, when not nil, holds for each read
// digit whether a new line (or word) of the reading starts at it: a space
// is put in all three strings before that column, so that the rows follow
// the reading's layout. Spaces are not put before the first column.
func Draw(steps []Step, breaks []bool) Alignment {
	var want, got, marks strings.Builder
	k := 0 // read digits so far
	for i, s := range steps {
		if s.Got != 0 {
			if i > 0 && k < len(breaks) && breaks[k] {
				want.WriteByte(' ')
				got.WriteByte(' ')
				marks.WriteByte(' ')
			}
			k++
		}
		want.WriteByte(orGap(s.Want))
		got.WriteByte(orGap(s.Got))
		marks.WriteByte(byte(s.Outcome))
	}
	return Alignment{want.String(), got.String(), marks.String()}
}

func orGap(b byte) byte {
	if b == 0 {
		return '-'
	}
	return b
}

// Digits returns the digits of a reading's text (lines and word gaps
// dropped) and, for each, whether it starts a new line or word.
func Digits(text string) (digits string, breaks []bool) {
	var b strings.Builder
	brk := false
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c < '0' || c > '9' {
			brk = b.Len() > 0
			continue
		}
		b.WriteByte(c)
		breaks = append(breaks, brk)
		brk = false
	}
	return b.String(), breaks
}
