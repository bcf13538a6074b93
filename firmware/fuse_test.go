package firmware

import (
	"image"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/edgeconv/edgeconv/extract"
	"github.com/edgeconv/edgeconv/model"
	"github.com/edgeconv/edgeconv/reading"
)

// mark is a candidate on a synthetic sheet: its class (model.NotDigit for
// something that is not a digit), its centre in sheet coordinates, its
// line, and a word break before it.
type mark struct {
	class int
	x, y  float64
	line  int
	space bool
}

// sheetOf lays text out as marks: lines 40 units apart, characters 20
// apart, a space leaving a gap; 'x' is a mark that is not a digit.
func sheetOf(text string) []mark {
	var ms []mark
	for l, row := range strings.Split(text, "\n") {
		x, space := 0.0, false
		for _, c := range row {
			switch c {
			case ' ':
				space = true
				x += 20
				continue
			case 'x':
				ms = append(ms, mark{class: model.NotDigit, x: x, y: float64(40 * l), line: l, space: space})
			default:
				ms = append(ms, mark{class: int(c - '0'), x: x, y: float64(40 * l), line: l, space: space})
			}
			x += 20
			space = false
		}
	}
	return ms
}

// view is how the camera sees a sheet in a frame: a similarity transform
// from sheet to frame coordinates (turn in radians).
type view struct{ x, y, scale, turn float64 }

func (v view) apply(x, y float64) (float64, float64) {
	c, s := math.Cos(v.turn)*v.scale, math.Sin(v.turn)*v.scale
	return c*x - s*y + v.x, s*x + c*y + v.y
}

// frameReading returns what a frame of marks seen through v reads: each
// mark as a 12x18 candidate (scaled), in reading order, with probability
// conf on its class (the rest spread over the others), except the marks
// for which skip returns true; misread maps a mark's index to the class
// read instead.
func frameReading(ms []mark, v view, conf float32, skip func(i int) bool, misread map[int]int) *reading.Reading {
	rd := &reading.Reading{Classes: model.NotDigit + 1}
	for i, m := range ms {
		if skip != nil && skip(i) {
			continue
		}
		x, y := v.apply(m.x, m.y)
		w, h := 12*v.scale, 18*v.scale
		box := image.Rect(int(math.Round(x-w/2)), int(math.Round(y-h/2)), int(math.Round(x+w/2)), int(math.Round(y+h/2)))
		class := m.class
		if c, ok := misread[i]; ok {
			class = c
		}
		rd.Candidates = append(rd.Candidates, extract.Digit{Box: box, Line: m.line, Space: m.space})
		rd.Results = append(rd.Results, model.Result{Class: class, Confidence: conf})
		for c := range rd.Classes {
			p := (1 - conf) / float32(rd.Classes-1)
			if c == class {
				p = conf
			}
			rd.Probs = append(rd.Probs, p)
		}
	}
	return rd
}

// addCandidate appends to rd one more candidate, at box on line, read as
// res with the probability prob(c) for each class c.
func addCandidate(rd *reading.Reading, box image.Rectangle, line int, res model.Result, prob func(c int) float32) {
	rd.Candidates = append(rd.Candidates, extract.Digit{Box: box, Line: line})
	rd.Results = append(rd.Results, res)
	for c := range rd.Classes {
		rd.Probs = append(rd.Probs, prob(c))
	}
}

// holdStill feeds f k frames of the sheet ms held still in view v, every
// digit read right with confidence conf, and returns the last fused
// reading.
func holdStill(f *Fuser, ms []mark, v view, conf float32, k int) *reading.Reading {
	var got *reading.Reading
	for range k {
		got = f.Update(frameReading(ms, v, conf, nil, nil), frame640)
	}
	return got
}

// wantFused fails t unless got, the reading fused at frame n, is text, from
// frame from on.
func wantFused(t *testing.T, n, from int, got *reading.Reading, text string) {
	t.Helper()
	if n >= from && string(got.Text) != text {
		t.Fatalf("frame %d: fused %q, want %q", n, got.Text, text)
	}
}

var frame640 = image.Rect(0, 0, 640, 480)

// TestFuserMotion moves a sheet of three lines between frames by known
// similarity transforms (a pan, a turn, a zoom, hand shake) and checks
// that the fuser's estimate of each frame's motion maps the sheet's marks
// where they went, and that the tracks follow them: no track is created
// after the first frame.
func TestFuserMotion(t *testing.T) {
	ms := sheetOf("31415926\n27182818\n16180339")
	rng := rand.New(rand.NewPCG(1, 2))
	f := &Fuser{}
	v := view{x: 200, y: 150, scale: 1}
	for n := range 40 {
		prev := v
		v.x += 6 + rng.NormFloat64()*3
		v.y += -2 + rng.NormFloat64()*3
		v.turn += 0.6 * math.Pi / 180
		v.scale *= 1.005
		rd := f.Update(frameReading(ms, v, 0.95, nil, nil), frame640)
		if n == 0 {
			continue
		}
		for _, m := range ms {
			px, py := prev.apply(m.x, m.y)
			ex, ey := f.lastMove.apply(float32(px), float32(py))
			gx, gy := v.apply(m.x, m.y)
			if d := math.Hypot(float64(ex)-gx, float64(ey)-gy); d > 1.5 {
				t.Fatalf("frame %d: the motion maps (%.1f, %.1f) to (%.1f, %.1f), want (%.1f, %.1f)", n, px, py, ex, ey, gx, gy)
			}
		}
		if f.nextID != uint64(len(ms)) {
			t.Fatalf("frame %d: %d tracks created for %d marks", n, f.nextID, len(ms))
		}
		if n >= 4 {
			if got, want := string(rd.Text), "31415926\n27182818\n16180339"; got != want {
				t.Fatalf("frame %d: fused %q, want %q", n, got, want)
			}
		}
	}
}

// TestFuserAssociation: two lines of the same digit, side by side, moved
// by nearly a digit's pitch between frames: the class likeness cannot
// tell the tracks apart, the motion estimate must.
func TestFuserAssociation(t *testing.T) {
	ms := sheetOf("11111111\n11111111")
	f := &Fuser{}
	v := view{x: 150, y: 150, scale: 1}
	var ids [maxTracks]uint64
	for n := range 12 {
		v.x += 17 // a digit's pitch is 20
		f.Update(frameReading(ms, v, 0.9, nil, nil), frame640)
		for i := range f.tracks {
			tr := &f.tracks[i]
			if !tr.alive {
				continue
			}
			if n > 0 && tr.id != ids[i] {
				t.Fatalf("frame %d: slot %d holds track %d, was %d", n, i, tr.id, ids[i])
			}
			ids[i] = tr.id
		}
	}
	if f.nextID != uint64(len(ms)) {
		t.Errorf("%d tracks created for %d marks", f.nextID, len(ms))
	}
}

// TestFuserMissedAndMisread: digits missed in some frames (one in every
// other frame, one in three frames in a row) and misread in a few stay
// in the fused reading, with their class.
func TestFuserMissedAndMisread(t *testing.T) {
	const text = "2024 0317\n555"
	ms := sheetOf(text)
	f := &Fuser{MinConfidence: 0.5}
	rng := rand.New(rand.NewPCG(3, 4))
	v := view{x: 100, y: 100, scale: 1.2}
	for n := range 30 {
		v.x += rng.NormFloat64() * 2
		v.y += rng.NormFloat64() * 2
		skip := func(i int) bool {
			return i == 2 && n%2 == 1 || i == 9 && n >= 10 && n < 13
		}
		misread := map[int]int{}
		if n%4 == 0 {
			misread[4] = 8 // 0 read as 8 in a frame out of four
		}
		if n == 11 {
			misread[0] = 7
			misread[8] = model.NotDigit
		}
		rd := f.Update(frameReading(ms, v, 0.9, skip, misread), frame640)
		if n < 4 {
			continue
		}
		if string(rd.Text) != text {
			t.Fatalf("frame %d: fused %q, want %q", n, rd.Text, text)
		}
		if rd.Digits[4].Digit != 0 || rd.Digits[9].Line != 1 || !rd.Digits[4].Space || n >= 8 && !rd.Confident {
			t.Fatalf("frame %d: fused digits %+v", n, rd.Digits)
		}
	}
}

// TestFuserSpurious: a candidate that shows in one frame, or in two frames
// apart, never enters the reading; nor does one seen three times while the
// sheet moved so fast that the frames were blurred.
func TestFuserSpurious(t *testing.T) {
	const text = "46\n73"
	ms := sheetOf(text)
	f := &Fuser{}
	v := view{x: 300, y: 200, scale: 1}
	for n := range 20 {
		rd := frameReading(ms, v, 0.95, nil, nil)
		spurious := func(x, y int, class int) {
			addCandidate(rd, image.Rect(x, y, x+12, y+18), 2, model.Result{Class: class, Confidence: 1}, func(c int) float32 {
				return float32(min(1, max(0, 1-abs32(float32(c-class)))))
			})
		}
		switch n {
		case 6:
			spurious(500, 400, 1)
		case 9, 12:
			spurious(100, 400, 7)
		}
		wantFused(t, n, 4, f.Update(rd, frame640), text)
	}
	// A fast pan: the same candidates, seen in every frame but blurred,
	// confirm only once they have the weight of a sharp frame or two.
	f.Reset()
	v = view{x: 100, y: 200, scale: 1}
	for n := range 6 {
		v.x += 12
		if got := f.Update(frameReading(ms, v, 0.95, nil, nil), frame640); n >= 1 && n < 4 && len(got.Digits) > 0 {
			t.Fatalf("frame %d of a fast pan: fused %q, want nothing yet", n, got.Text)
		}
	}
}

// TestFuserOcclusion: a finger (a candidate that is not a digit, moving
// over the sheet) covers three digits for a second while the camera
// shakes: they stay in the reading, and the finger never enters it.
func TestFuserOcclusion(t *testing.T) {
	const text = "8675309\n1234"
	ms := sheetOf(text)
	f := &Fuser{MinConfidence: 0.8} // as run's: the digits are read firmly
	rng := rand.New(rand.NewPCG(5, 6))
	v := view{x: 150, y: 150, scale: 1.3}
	for n := range 80 {
		v.x += rng.NormFloat64() * 1.5
		v.y += rng.NormFloat64() * 1.5
		covered := n >= 20 && n < 50
		rd := frameReading(ms, v, 0.95, func(i int) bool { return covered && i >= 2 && i <= 4 }, nil)
		if covered {
			// The finger: a blob read as not a digit, over the covered
			// digits, moving a little.
			x, y := v.apply(60, 0)
			x += float64(n%5) * 3
			addCandidate(rd, image.Rect(int(x)-30, int(y)-20, int(x)+30, int(y)+200), 0, model.Result{Class: model.NotDigit, Confidence: 0.9}, func(c int) float32 {
				if c == model.NotDigit {
					return 0.9
				}
				return 0.01
			})
		}
		wantFused(t, n, 4, f.Update(rd, frame640), text)
	}
}

// TestFuserWeakNotHeld: a shape read in five sharp frames as a 7 with
// probability 0.5 (not a digit the rest) is confirmed, but once it is gone
// it leaves the reading at once: only firm sightings hold a track unseen.
// The same shape read firmly is held for twice its five frames.
func TestFuserWeakNotHeld(t *testing.T) {
	const text = "46\n73"
	ms := sheetOf(text)
	for _, p7 := range []float32{0.5, 0.9} {
		f := &Fuser{MinConfidence: 0.8}
		v := view{x: 300, y: 200, scale: 1}
		for n := range 24 {
			rd := frameReading(ms, v, 0.95, nil, nil)
			if n >= 4 && n < 9 {
				addCandidate(rd, image.Rect(420, 230, 432, 248), 1, model.Result{Class: 7, Confidence: p7}, func(c int) float32 {
					switch c {
					case 7:
						return p7
					case model.NotDigit:
						return 1 - p7
					}
					return 0
				})
			}
			got := string(f.Update(rd, frame640).Text)
			want := text
			if n >= 6 && n < 9 || p7 > 0.8 && n >= 9 && n < 9+2*5 {
				want = "46\n737"
			}
			if n >= 4 && got != want {
				t.Fatalf("7 read at %.1f, frame %d: fused %q, want %q", p7, n, got, want)
			}
		}
	}
}

// TestFuserNotDigitBreaks: a candidate read as not a digit between two
// digits of a line is a break there, as in a frame's reading; one at the
// start of a line is not.
func TestFuserNotDigitBreaks(t *testing.T) {
	ms := sheetOf("12x34\nx56")
	f := &Fuser{}
	got := holdStill(f, ms, view{x: 100, y: 100, scale: 1}, 0.9, 6)
	if string(got.Text) != "12 34\n56" || !got.Digits[2].Space || got.Digits[4].Space || got.Digits[4].Line != 1 {
		t.Errorf("fused %q, digits %+v", got.Text, got.Digits)
	}
}

// TestFuserTilt: a sheet turned 20°, whose lines the frames read right:
// the fused reading orders them across the text's direction and the
// digits along it, though lines overlap in frame y.
func TestFuserTilt(t *testing.T) {
	const text = "123456789\n987654321\n55555"
	ms := sheetOf(text)
	f := &Fuser{}
	v := view{x: 150, y: 100, scale: 1, turn: 20 * math.Pi / 180}
	for n := range 10 {
		v.turn += 0.5 * math.Pi / 180
		wantFused(t, n, 4, f.Update(frameReading(ms, v, 0.9, nil, nil), frame640), text)
	}
}

// TestFuserNewSheet: a second sheet replaces the first in place (the
// camera still): the reading becomes the second sheet's within a few
// frames, never a mix of the two once it has.
func TestFuserNewSheet(t *testing.T) {
	a, b := sheetOf("1111\n2222\n3333"), sheetOf("45 67\n89 04\n56 78\n9")
	f := &Fuser{}
	v := view{x: 100, y: 100, scale: 1}
	got := holdStill(f, a, v, 0.95, 10)
	if string(got.Text) != "1111\n2222\n3333" {
		t.Fatalf("first sheet: fused %q", got.Text)
	}
	v = view{x: 115, y: 108, scale: 1.1}
	want := "45 67\n89 04\n56 78\n9"
	switched := -1
	for n := range 12 {
		got = f.Update(frameReading(b, v, 0.95, nil, nil), frame640)
		if string(got.Text) == want && switched < 0 {
			switched = n
		}
		if switched >= 0 && string(got.Text) != want {
			t.Fatalf("frame %d of the new sheet: fused %q after %q", n, got.Text, want)
		}
	}
	if switched < 0 || switched > 4 {
		t.Errorf("the new sheet read after %d frames, want at most 4; fused %q", switched, got.Text)
	}
	alive := 0
	for i := range f.tracks {
		if f.tracks[i].alive {
			alive++
		}
	}
	if alive != len(b) {
		t.Errorf("%d tracks alive, want the new sheet's %d", alive, len(b))
	}
}

// BenchmarkFuser times Update on a hand-held sheet of 60 digits in 6
// lines (a shaking, turning camera, a digit misread in every frame).
func BenchmarkFuser(b *testing.B) {
	ms := sheetOf("3141592653\n5897932384\n6264338327\n9502884197\n1693993751\n0582097494")
	frames := handHeld(64, 9, view{x: 100, y: 80, scale: 1.5}, 3, 0.005, func(n int, v view) *reading.Reading {
		return frameReading(ms, v, 0.9, nil, map[int]int{n % len(ms): 7})
	})
	f := &Fuser{}
	for _, rd := range frames {
		f.Update(rd, frame640)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		f.Update(frames[i%len(frames)], frame640)
	}
}

// handHeld films n frames with a hand-held camera: the view starts at v
// and moves by a normal random walk of about shake pixels and turn
// radians a frame; read returns what frame n reads through its view.
func handHeld(n int, seed uint64, v view, shake, turn float64, read func(n int, v view) *reading.Reading) []*reading.Reading {
	rng := rand.New(rand.NewPCG(seed, 10))
	var frames []*reading.Reading
	for k := range n {
		v.x += rng.NormFloat64() * shake
		v.y += rng.NormFloat64() * shake
		v.turn += rng.NormFloat64() * turn
		frames = append(frames, read(k, v))
	}
	return frames
}

// TestFuserSlant: small digits (10 px high) over the whole frame, seen at
// a slant that changes from frame to frame, so that the corners move by
// more than a digit's association gate beyond what one similarity
// explains: the tracks follow the digits (moved by their neighbours'
// motion), and no digit is read twice.
func TestFuserSlant(t *testing.T) {
	const text = "31415926535897932\n38462643383279502\n88419716939937510\n58209749445923078"
	ms := sheetOf(text)
	for i := range ms {
		ms[i].x *= 1.6 // digits 32 apart, lines 240: the sheet fills the frame
		ms[i].y *= 6
	}
	f := &Fuser{}
	v := view{x: 170, y: 40, scale: 0.55}
	rng := rand.New(rand.NewPCG(11, 12))
	for n := range 40 {
		// The slant changes by up to 8 px a frame in the corners, where
		// the association gate is 6 px and the digits 17 px apart.
		s := 0.04
		if n%4 >= 2 {
			s = -0.04
		}
		// Small digits are read unsurely: a third of them misread.
		misread := map[int]int{}
		for i := range ms {
			if rng.IntN(3) == 0 {
				misread[i] = rng.IntN(10)
			}
		}
		rd := frameReading(ms, v, 0.7, nil, misread)
		for i := range rd.Candidates {
			b := &rd.Candidates[i].Box
			cx, cy := float64(b.Min.X+b.Max.X)/2, float64(b.Min.Y+b.Max.Y)/2
			*b = b.Add(image.Pt(int(math.Round(s*(cy-240)*(cx-320)/300)), int(math.Round(s*(cx-320)*(cx-320)/300))))
		}
		wantFused(t, n, 12, f.Update(rd, frame640), text)
	}
}

// TestFuserDigitChanged: a digit crossed out and written again (read
// confidently as another class where the old one was) replaces the old
// one within a few frames, and the reading never holds both.
func TestFuserDigitChanged(t *testing.T) {
	ms := sheetOf("2718\n2818")
	f := &Fuser{}
	v := view{x: 200, y: 150, scale: 1.5}
	got := holdStill(f, ms, v, 0.95, 30)
	if string(got.Text) != "2718\n2818" {
		t.Fatalf("fused %q", got.Text)
	}
	changed := -1
	for n := range 12 {
		got = f.Update(frameReading(ms, v, 0.95, nil, map[int]int{1: 4}), frame640)
		switch string(got.Text) {
		case "2418\n2818":
			if changed < 0 {
				changed = n
			}
		case "2718\n2818":
			if changed >= 0 {
				t.Fatalf("frame %d: back to the old digit", n)
			}
		default:
			t.Fatalf("frame %d: fused %q", n, got.Text)
		}
	}
	if changed < 0 || changed > 5 {
		t.Errorf("the new digit read after %d frames, want at most 5", changed)
	}
}
