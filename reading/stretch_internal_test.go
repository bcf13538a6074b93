package reading

import (
	"image"
	"testing"
)

// TestReadsMore checks when a faint photo's stretched reading counts as
// reading more than the photo did (readsMore): the digits read before,
// read alike, and a digit of their size where the photo held no mark.
func TestReadsMore(t *testing.T) {
	box := func(x int) image.Rectangle { return image.Rect(x, 10, x+20, 40) }
	sure := func(digit, x int) Digit { return Digit{Digit: digit, Confidence: 0.99, Box: box(x)} }
	kept := []Digit{sure(9, 0), sure(9, 30), {Digit: 8, Confidence: 0.4, Box: box(60)}}
	marks := []image.Rectangle{box(0), box(30), box(60), image.Rect(120, 0, 130, 60)}
	for _, c := range []struct {
		name string
		st   []Digit
		want bool
	}{
		{"a digit more where there was no mark", []Digit{sure(9, 1), sure(9, 30), sure(8, 60), sure(7, 90)}, true},
		{"the same digits", []Digit{sure(9, 0), sure(9, 30)}, false},
		{"a digit read before read as another", []Digit{sure(9, 0), sure(4, 30), sure(7, 90)}, false},
		{"a digit read before no longer sure", []Digit{sure(9, 0), {Digit: 9, Confidence: 0.5, Box: box(30)}, sure(7, 90)}, false},
		{"a digit read before moved off its box", []Digit{sure(9, 0), sure(9, 45), sure(7, 90)}, false},
		{"a doubted mark read surely", []Digit{sure(9, 0), sure(9, 30), sure(8, 60)}, false},
		{"a piece of a mark read as no digit", []Digit{sure(9, 0), sure(9, 30), {Digit: 1, Confidence: 0.99, Box: image.Rect(121, 20, 125, 50)}}, false},
		{"a speck", []Digit{sure(9, 0), sure(9, 30), {Digit: 1, Confidence: 0.99, Box: image.Rect(90, 10, 94, 20)}}, false},
		{"a doubted digit more", []Digit{sure(9, 0), sure(9, 30), {Digit: 7, Confidence: 0.5, Box: box(90)}}, false},
	} {
		if got := readsMore(&Reading{Digits: c.st}, kept, marks); got != c.want {
			t.Errorf("%s: readsMore = %v, want %v", c.name, got, c.want)
		}
	}
	if readsMore(&Reading{Digits: []Digit{sure(7, 90)}}, nil, nil) {
		t.Error("readsMore with no digit read before = true, want false")
	}
}
