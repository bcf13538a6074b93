package score

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestReading(t *testing.T) {
	for _, c := range []struct {
		got, want                        string
		right, misread, missed, spurious int
	}{
		{"123", "123", 3, 0, 0, 0},
		{"1723", "123", 3, 0, 0, 1},
		{"13", "123", 2, 0, 1, 0},
		{"183", "123", 2, 1, 0, 0},
		{"", "12", 0, 0, 2, 0},
		{"45", "", 0, 0, 0, 2},
		{"", "", 0, 0, 0, 0},
		{"9123", "1234", 3, 0, 1, 1},
	} {
		s := Reading(c.got, c.want)
		if s.Right != c.right || s.Misread != c.misread || s.Missed != c.missed || s.Spurious != c.spurious ||
			s.Labelled != len(c.want) || s.Read != len(c.got) {
			t.Errorf("Reading(%q, %q) = %+v", c.got, c.want, s)
		}
	}
}

func TestAlignDraw(t *testing.T) {
	got, breaks := Digits("12 4\n67")
	if got != "12467" || len(breaks) != 5 || !breaks[2] || !breaks[3] || breaks[0] || breaks[1] || breaks[4] {
		t.Fatalf("Digits: %q %v", got, breaks)
	}
	a := Draw(Align(got, "123467"), breaks)
	// The missed 3 stays before the word gap at the 4.
	want := Alignment{Want: "123 4 67", Got: "12- 4 67", Marks: "==- = =="}
	if a != want {
		t.Errorf("Draw = %+v, want %+v", a, want)
	}
	a = Draw(Align("1827", "127"), nil)
	if a != (Alignment{Want: "1-27", Got: "1827", Marks: "=+=="}) {
		t.Errorf("Draw = %+v", a)
	}
	c := Reading("1827", "127")
	if c.RightRate() != 1 || c.SpuriousRate() != 1.0/3 || !strings.Contains(c.String(), "3 of 3 digits right") {
		t.Errorf("%+v: %v", c, c)
	}
	if r := (Counts{}).RightRate(); r != 1 {
		t.Errorf("empty RightRate %v", r)
	}
}

func TestParseLabels(t *testing.T) {
	ls, err := ParseLabels(strings.NewReader("file\tdigits\tnotes\n\na/b.png\t0123\tx\r\nc.jpg\t\t\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(ls) != 2 || ls[0].File != "a/b.png" || ls[0].Digits != "0123" || ls[0].Columns["notes"] != "x" ||
		ls[0].Line != 3 || ls[1].Digits != "" {
		t.Errorf("%+v", ls)
	}
	for _, bad := range []string{
		"",
		"name\tdigits\n",
		"file\tdigits\nx.png\n",
		"file\tdigits\nx.png\t12a\n",
		"file\tdigits\n../x.png\t12\n",
		"file\tdigits\n\t12\n",
	} {
		if _, err := ParseLabels(strings.NewReader(bad)); err == nil {
			t.Errorf("ParseLabels(%q) accepted", bad)
		}
	}
}

// FuzzParseLabels feeds arbitrary LABELS.tsv files (eval --photos) to
// ParseLabels: errors are fine, panics are not, and every label it accepts
// names a file inside the folder and holds digits only.
func FuzzParseLabels(f *testing.F) {
	f.Add("file\tdigits\tnote\n1_A4.jpg\t0123\tfirst\n\nsub/2.png\t\t\n")
	f.Add("digits\tfile\r\n7\t../x.jpg\r\n")
	f.Fuzz(func(t *testing.T, text string) {
		labels, err := ParseLabels(strings.NewReader(text))
		if err != nil {
			return
		}
		for _, l := range labels {
			if l.File == "" || !filepath.IsLocal(filepath.FromSlash(l.File)) || strings.Trim(l.Digits, "0123456789") != "" {
				t.Fatalf("label %+v", l)
			}
		}
	})
}
