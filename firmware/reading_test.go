package firmware

import (
	"encoding/json"
	"image"
	"strings"
	"testing"
	"time"

	"github.com/edgeconv/edgeconv/internal/jsonline"
	"github.com/edgeconv/edgeconv/reading"
)

// frameOf builds a frame's reading from a text such as "12 3\n4" and
// per-digit confidences.
func frameOf(text string, conf ...float32) *reading.Reading {
	rd := &reading.Reading{Text: []byte(text)}
	line, space := 0, false
	for _, c := range text {
		switch c {
		case '\n':
			line++
			continue
		case ' ':
			space = true
			continue
		}
		i := len(rd.Digits)
		cf := float32(0.99)
		if i < len(conf) {
			cf = conf[i]
		}
		rd.Digits = append(rd.Digits, reading.Digit{Digit: int(c - '0'), Confidence: cf,
			Box: image.Rect(10*i, 20*line, 10*i+8, 20*line+15), Line: line, Space: space})
		space = false
	}
	return rd
}

func TestSmoother(t *testing.T) {
	s := &Smoother{K: 3, MinConfidence: 0.8}
	steps := []struct {
		text    string
		conf    []float32
		changed bool
	}{
		{"12", nil, false},
		{"12", nil, false},
		{"12", nil, true}, // stable after 3 frames
		{"12", nil, false},
		{"17", nil, false}, // a flicker
		{"12", nil, false}, // run restarts: 1
		{"12", nil, false}, // 2
		{"12", nil, false}, // 3, but the same text: no change
		{"12\n3 4", []float32{0.9, 0.5, 0.99, 0.99}, false},
		{"12\n3 4", []float32{0.9, 0.6, 0.99, 0.99}, false},
		{"12\n3 4", []float32{0.9, 0.7, 0.99, 0.99}, true},
		{"", nil, false},
		{"", nil, false},
		{"", nil, true},
	}
	for i, st := range steps {
		if got := s.Update(uint64(i+1), time.Unix(int64(i), 0), frameOf(st.text, st.conf...)); got != st.changed {
			t.Fatalf("step %d (%q): changed %v, want %v", i, st.text, got, st.changed)
		}
		if !st.changed {
			continue
		}
		r := s.Current()
		if string(r.Text) != st.text || r.Frame != uint64(i+1) {
			t.Errorf("step %d: reading %q at frame %d", i, r.Text, r.Frame)
		}
	}
	// The reading of step 10: digit 1 averaged 0.6, marked low.
	s2 := &Smoother{K: 3, MinConfidence: 0.8}
	for _, c := range []float32{0.5, 0.6, 0.7} {
		s2.Update(1, time.Time{}, frameOf("12\n3 4", 0.9, c, 0.99, 0.99))
	}
	r := s2.Current()
	if r.Confident || !r.Digits[1].Low || r.Digits[0].Low || !r.Digits[3].Space || r.Digits[2].Line != 1 {
		t.Errorf("reading %+v", r)
	}
	if c := r.Digits[1].Confidence; c < 0.599 || c > 0.601 {
		t.Errorf("mean confidence %v, want 0.6", c)
	}
	var js jsonline.Reading
	b := r.AppendJSON(nil, false)
	if strings.Contains(string(b), `"time"`) {
		t.Errorf("time in %s", b)
	}
	if err := json.Unmarshal(b, &js); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	if js.Text != "12\n3 4" || js.Confident || !js.Digits[1].Low || !js.Digits[3].Space || js.Digits[1].Box != [4]int{10, 0, 18, 15} {
		t.Errorf("JSON %s", b)
	}
	if got := string(r.AppendText(nil)); !strings.HasSuffix(got, "12? / 3 4  (min confidence 0.60)") {
		t.Errorf("text line %q", got)
	}
}
