// Package jsonline decodes output of one JSON object a line, as the tests
// of the loop (firmware) and of the command line (read --json, run --json)
// check it, and declares the reading's line once: what firmware.Printer
// prints (firmware.Reading.AppendJSON).
package jsonline

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// Reading is a reading's line: run --json prints one each time the
// reading changes.
type Reading struct {
	Time      time.Time // left out with --no-time
	Frame     uint64
	Text      string
	Confident bool
	Digits    []Digit
}

// Digit is one digit of a Reading.
type Digit struct {
	Digit      int
	Confidence float64
	Box        [4]int // x0, y0, x1, y1 (exclusive)
	Line       int
	Space, Low bool
}

// Decode decodes the lines of out, one T each, failing tb on a line that
// is not one.
func Decode[T any](tb testing.TB, out string) []T {
	tb.Helper()
	var vs []T
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var v T
		if err := json.Unmarshal([]byte(l), &v); err != nil {
			tb.Fatalf("not a JSON line: %q: %v", l, err)
		}
		vs = append(vs, v)
	}
	return vs
}
