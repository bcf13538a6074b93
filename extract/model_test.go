package extract_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/edgeconv/edgeconv/extract"
	"github.com/edgeconv/edgeconv/internal/scenegen"
	"github.com/edgeconv/edgeconv/internal/score"
	"github.com/edgeconv/edgeconv/model"
)

var (
	modelOnce sync.Once
	clfModel  *modelClassifier
	modelErr  error
)

// testModel returns the classifier of the evaluations, loaded once: the
// model compiled into the program (int8), or the model file named by
// EDGECONV_CAMERA_MODEL (float32 or int8).
func testModel(t testing.TB) *modelClassifier {
	modelOnce.Do(func() {
		m, err := model.Default()
		if path := os.Getenv("EDGECONV_CAMERA_MODEL"); path != "" {
			if !filepath.IsAbs(path) {
				path = filepath.Join("..", path) // tests run in extract/
			}
			m, err = model.Open(path)
		}
		if err != nil {
			modelErr = err
			return
		}
		c, err := m.NewClassifier(model.Options{})
		if err != nil {
			modelErr = err
			return
		}
		clfModel = &modelClassifier{c: c}
	})
	if modelErr != nil {
		t.Fatal(modelErr)
	}
	return clfModel
}

// modelClassifier is a Classifier over a model.Classifier.
type modelClassifier struct {
	c  *model.Classifier
	px []uint8
}

func (m *modelClassifier) Classify(p *[784]uint8) (int, float32) {
	r := m.c.Classify(p[:])[0]
	return r.Class, r.Confidence
}

// readAll classifies digits and returns the classes.
func (m *modelClassifier) readAll(digits []extract.Digit) []int {
	m.px = m.px[:0]
	for i := range digits {
		m.px = append(m.px, digits[i].Pixels[:]...)
	}
	out := make([]int, len(digits))
	for i, r := range m.c.Classify(m.px) {
		out[i] = r.Class
	}
	return out
}

// digitString returns the classes as a string of digits, leaving out the
// candidates the model calls not a digit (class 10), as a reading does.
func digitString(classes []int) string {
	b := make([]byte, 0, len(classes))
	for _, c := range classes {
		if c <= 9 {
			b = append(b, byte('0'+c))
		}
	}
	return string(b)
}

// TestGeneratedScenesRead reads generated scenes of MNIST test digits with
// the real model, extraction and recognition together, and scores the
// text digit by digit: at least 98% of the digits read right and at most
// 1% spurious. The full set is 100 scenes at 640x480 and 10 at 1280x960
// (about 6,900 digits); -short reads 20 scenes at 640x480.
func TestGeneratedScenesRead(t *testing.T) {
	m := loadTestMNIST(t)
	clf := testModel(t)
	sizes := []struct{ w, h, n int }{{640, 480, 100}, {1280, 960, 10}}
	if testing.Short() {
		sizes = sizes[:1]
		sizes[0].n = 20
	}
	ex := extract.NewExtractor(extract.Options{})
	var digits []extract.Digit
	var all score.Counts
	for _, sz := range sizes {
		rng := rand.New(rand.NewPCG(uint64(sz.w)+1, 2027))
		var st score.Counts
		for i := 0; i < sz.n; i++ {
			sc := scenegen.Generate(rng, m, scenegen.Hard(sz.w, sz.h))
			digits = ex.Extract(sc.Gray, digits)
			classes := clf.readAll(digits)
			want := strings.ReplaceAll(strings.ReplaceAll(sc.Text, "\n", ""), " ", "")
			s := score.Reading(digitString(classes), want)
			st.Add(s)
			if s.Right < s.Labelled || s.Spurious > 0 {
				name := fmt.Sprintf("read%dx%d-%03d", sz.w, sz.h, i)
				got := string(extract.AppendText(nil, digits, classes))
				t.Logf("%s: %v\n  want %q\n  got  %q", name, s, sc.Text, got)
				writeDebug(t, debugDir(), name, sc.Gray, digits, classes)
				if debugDir() != "" {
					savePNG(t, filepath.Join(debugDir(), name+".png"), sc.Gray)
				}
			}
		}
		t.Logf("%dx%d, %d scenes: %v", sz.w, sz.h, sz.n, st)
		all.Add(st)
	}
	t.Logf("%s: %v", clf.c, all)
	if all.RightRate() < 0.98 {
		t.Errorf("%.2f%% of the digits read right, want >= 98%%", 100*all.RightRate())
	}
	if all.SpuriousRate() > 0.01 {
		t.Errorf("%.2f%% spurious digits, want <= 1%%", 100*all.SpuriousRate())
	}
}

// TestPhotosRead reads the real photographs of shared/photos with the
// model and reports, per photo and in all, the digits read right (the
// text aligned digit by digit with the labels). It guards against
// regressions only: the photos are few.
func TestPhotosRead(t *testing.T) {
	dir := photosDir()
	if dir == "" {
		t.Skip("shared/photos not found beside the repository")
	}
	clf := testModel(t)
	ex := extract.NewExtractor(extract.Options{})
	var digits []extract.Digit
	var all score.Counts
	for _, l := range readPhotoLabels(t, dir) {
		frame := loadGray(t, filepath.Join(dir, l.file))
		digits = ex.Extract(frame, digits)
		classes := clf.readAll(digits)
		s := score.Reading(digitString(classes), l.digits)
		all.Add(s)
		got := strings.ReplaceAll(string(extract.AppendText(nil, digits, classes)), "\n", " | ")
		t.Logf("%s: %v\n  want %s\n  got  %s", l.file, s, strings.Join(l.rows, " | "), got)
	}
	t.Logf("photos, %s: %v", clf.c, all)
	if all.RightRate() < 0.90 {
		t.Errorf("photos: %.1f%% of the digits read right, want >= 90%%", 100*all.RightRate())
	}
}
