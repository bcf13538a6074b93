package reading_test

// The reading evaluations: extraction and the embedded model together,
// through a Reader, as `edgeconv read` and `run` read. Set
// EDGECONV_CAMERA_MODEL to a model file (relative to the repository) to
// evaluate another model, and EDGECONV_CAMERA_DEBUG to a folder to get the
// frames that were not read right with their candidates drawn.

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/edgeconv/edgeconv/camera"
	"github.com/edgeconv/edgeconv/internal/overlay"
	"github.com/edgeconv/edgeconv/internal/scenegen"
	"github.com/edgeconv/edgeconv/internal/score"
	"github.com/edgeconv/edgeconv/internal/testscenes"
	"github.com/edgeconv/edgeconv/model"
	"github.com/edgeconv/edgeconv/reading"
	xdraw "golang.org/x/image/draw"
)

var (
	evalOnce  sync.Once
	evalModel *model.Model
	evalErr   error
)

// evalReader returns a Reader over the model of the evaluations: the
// embedded one, or the file EDGECONV_CAMERA_MODEL names.
func evalReader(t testing.TB) *reading.Reader {
	evalOnce.Do(func() {
		evalModel, evalErr = model.Default()
		if path := os.Getenv("EDGECONV_CAMERA_MODEL"); path != "" {
			if !filepath.IsAbs(path) {
				path = filepath.Join("..", path) // tests run in reading/
			}
			evalModel, evalErr = model.Open(path)
		}
	})
	if evalErr != nil {
		t.Fatal(evalErr)
	}
	return newReader(t, evalModel, reading.Options{MinConfidence: 0.8})
}

// digitsOf returns the digits of a reading, in order, as a string.
func digitsOf(rd *reading.Reading) string {
	b := make([]byte, 0, len(rd.Digits))
	for _, d := range rd.Digits {
		b = append(b, byte('0'+d.Digit))
	}
	return string(b)
}

// countMarksRead counts, by mark and digit ("D→0"), the letters and
// symbols of scene sc that rd read as a digit: each digit read is put to
// the mark its box overlaps most, if it overlaps one more than any digit.
func countMarksRead(counts map[string]int, sc *scenegen.Scene, rd *reading.Reading) {
	for _, d := range rd.Digits {
		mark, best := "", 0
		for _, m := range sc.Marks {
			if a := d.Box.Intersect(m.Rect()); a.Dx()*a.Dy() > best {
				mark, best = m.Rune, a.Dx()*a.Dy()
			}
		}
		for _, t := range sc.Digits {
			if a := d.Box.Intersect(t.Rect()); a.Dx()*a.Dy() >= best {
				mark = ""
			}
		}
		if mark != "" {
			counts[fmt.Sprintf("%s→%d", mark, d.Digit)]++
		}
	}
}

// mostCommon lists the n largest counts, largest first.
func mostCommon(counts map[string]int, n int) string {
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if counts[keys[i]] != counts[keys[j]] {
			return counts[keys[i]] > counts[keys[j]]
		}
		return keys[i] < keys[j]
	})
	var b strings.Builder
	for i, k := range keys[:min(n, len(keys))] {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s %d", k, counts[k])
	}
	return b.String()
}

// The targets of every scene condition (issue "Reading in the wild"):
// digits read right, of the digits in the scenes, and spurious digits, per
// digit in the scenes. The table marks the conditions below them.
const (
	conditionRight    = 0.98
	conditionSpurious = 0.01
)

// The floors under which a condition fails: guards against regression, a
// little under what the embedded model reads today (97.8% to 99.7% right;
// -short's 200 digits a condition vary more). Letters among digits are
// the exception in spurious digits: a handwritten D, y or Y, a parenthesis
// pass for 0, 4 or 1 to the model (3.2% today, 5.0% with -short; 2.9% and
// 4.5% before a mark between two digits read surely had its odds of not
// being a digit quartered, not halved, an f, a c and a parenthesis; 3.3%
// before an n whose halves both read as digits gave way to its whole,
// 3.9% and 5.0% before a y hanging below its line was taken as no digit,
// 5.1% before an m or an n cut as two touching digits gave way to its
// whole),
// and the floor holds that level until the classifier knows them.
const (
	floorRight, floorRightShort                     = 0.96, 0.95
	floorSpurious, floorSpuriousShort               = 0.01, 0.02
	floorLettersSpurious, floorLettersSpuriousShort = 0.04, 0.055
)

// floors returns the least share of digits right and the most spurious
// digits under which condition name fails.
func floors(name string) (right, spurious float64) {
	right, spurious = floorRight, floorSpurious
	if testing.Short() {
		right, spurious = floorRightShort, floorSpuriousShort
	}
	if name == "letters" {
		spurious = floorLettersSpurious
		if testing.Short() {
			spurious = floorLettersSpuriousShort
		}
	}
	return right, spurious
}

// conditionNamed returns the scene generator's condition name.
func conditionNamed(t *testing.T, name string) scenegen.Condition {
	t.Helper()
	cond, err := scenegen.ConditionNamed(name)
	if err != nil {
		t.Fatal(err)
	}
	return cond
}

// shortened returns n, or short under -short.
func shortened(n, short int) int {
	if testing.Short() {
		return short
	}
	return n
}

// readPages renders n 640x480 pages of the condition named cond from m,
// drawn from src, and reads each as a camera frame with the evaluations'
// Reader: page gives the frame to read and the digits it holds.
func readPages(t *testing.T, cond string, m *scenegen.MNIST, src rand.Source, n int, page func(*scenegen.Scene) (*image.YCbCr, string)) score.Counts {
	r, c := evalReader(t), conditionNamed(t, cond)
	rng := rand.New(src)
	var counts score.Counts
	for range n {
		frame, want := page(c.Render(rng, m, 640, 480))
		counts.Add(score.Reading(digitsOf(r.Read(frame)), want))
	}
	return counts
}

// TestPencilBesidePrint reads pages of the pencil condition with a
// printed black mark above the writing (a dashed bar, 200x8 pixels, like
// a worksheet's heading), as camera frames. The ink thresholds come from
// the typical stroke among the inked blocks, and a mark that dark must
// not pull them up to itself: a rule that made the thresholds follow the
// darkest blocks when the typical ones were pale (for a few digits on
// squared paper, DESIGN.md) read these pages 44.8% right instead of
// 98.6%. One bar must leave the pages at 97% right or more; three bars,
// which already cost about 12 points, are logged.
func TestPencilBesidePrint(t *testing.T) {
	m := testscenes.MNIST(t)
	for _, bars := range []int{1, 3} {
		c := readPages(t, "pencil", m, rand.NewPCG(5, 0xd4), shortened(20, 8), func(sc *scenegen.Scene) (*image.YCbCr, string) {
			top := sc.RGB.Rect.Dy()
			for _, d := range sc.Digits {
				top = min(top, d.Box[1])
			}
			// The scene is rendered afresh: the bars go on its own RGB.
			img := sc.RGB
			for k := range bars {
				y0 := 4 + 12*k
				if y0+8 >= top-4 {
					break // no room above the writing
				}
				for y := y0; y < y0+8; y++ {
					for x := 40; x < 240; x++ {
						if x/12%2 == 0 {
							img.Set(x, y, color.RGBA{20, 20, 20, 255})
						}
					}
				}
			}
			return camera.ToFrame(img), sc.Want()
		})
		t.Logf("pencil pages, printed bars above the writing: %d; %v", bars, c)
		if bars == 1 && c.RightRate() < 0.97 {
			t.Errorf("pencil pages with a printed bar: %v; want 97%% right or more", c)
		}
	}
}

// TestFewDigitsOnSquaredPaper reads pages of the grid condition on which
// only one digit in ten is written (the others left blank), as camera
// frames, and blank pages of squared paper. With a few digits on it, a
// grid's lines fill most of the inked blocks, and thresholds measured on
// them made the whole grid ink: it held the digits that touched it, and
// its pieces read as 1s (89.7% right, 8.6% spurious digits). The grid is
// now told by the net it makes, and the writing measured apart
// (extract's remeasureInk): at least 92% right, at most 2% spurious
// (93.7% and 0.6% now). Blank pages are logged: a grid pale enough to stay
// out of a net still leaves pieces over the default thresholds (141
// digits over 30 pages before, 90 now).
func TestFewDigitsOnSquaredPaper(t *testing.T) {
	m := testscenes.MNIST(t)
	pages := shortened(30, 12)
	for _, keep := range []int{10, 0} {
		few := &scenegen.MNIST{N: m.N, Images: slices.Clone(m.Images), Labels: m.Labels}
		written := func(i int) bool { return keep > 0 && i%keep == 0 }
		for i := range few.N {
			if !written(i) {
				clear(few.Image(i))
			}
		}
		c := readPages(t, "grid", few, rand.NewPCG(7, 0x5a), pages, func(sc *scenegen.Scene) (*image.YCbCr, string) {
			var want []byte
			for _, d := range sc.Digits {
				if written(d.Index) {
					want = append(want, byte('0'+d.Digit))
				}
			}
			return sc.YCbCr, string(want)
		})
		if keep == 0 {
			t.Logf("blank squared pages: %d digits read on %d pages", c.Spurious, pages)
			continue
		}
		t.Logf("squared pages, one digit in %d written: %v", keep, c)
		if c.RightRate() < 0.92 || c.SpuriousRate() > 0.02 {
			t.Errorf("a few digits on squared paper: %v; want 92%% right or more and 2%% spurious or less", c)
		}
	}
}

// TestConditionsRead reads scenes rendered under each of
// scenegen.Conditions (coloured ink, pencil, hairline pen, marker, squared
// and ruled paper, tight crops, webcam frames, sheet edges with fingers,
// tilted lines, letters among the digits, forms' boxes, a dim room's
// noise), the frames given as YCbCr 4:2:0
// as a camera delivers them. It prints a table of the digits read right
// and spurious per condition against the targets (at least 98% right and
// at most 1% spurious), and each condition is a subtest that fails below
// its floor (floors). About 1,000 digits per condition; -short reads about
// 200.
func TestConditionsRead(t *testing.T) {
	m := testscenes.MNIST(t)
	r := evalReader(t)
	want := 1000
	if testing.Short() {
		want = 200
	}
	type row struct {
		name   string
		scenes int
		c      score.Counts
	}
	var rows []row
	for ci, cond := range scenegen.Conditions {
		t.Run(cond.Name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(ci)+1, 0xc0d))
			rw := row{name: cond.Name}
			shown := 0
			marksRead := map[string]int{} // "D→0": marks read as a digit
			for rw.c.Labelled < want {
				sc := cond.Render(rng, m, 640, 480)
				if len(sc.Digits) == 0 {
					continue
				}
				rd := r.ReadPhoto(sc.YCbCr) // each scene is a photo of its own
				checkProbs(t, rd)
				got := digitsOf(rd)
				if cond.Name == "crop" && got == "" {
					// A photo cut around one digit reads a digit, never
					// "no digit found".
					t.Errorf("cond-crop-%03d: no digit read in a tight crop of a %s", rw.scenes, sc.Want())
				}
				s := score.Reading(got, sc.Want())
				rw.c.Add(s)
				countMarksRead(marksRead, sc, rd)
				if s.Right < s.Labelled || s.Spurious > 0 {
					name := fmt.Sprintf("cond-%s-%03d", cond.Name, rw.scenes)
					if shown < 3 {
						a := score.Draw(score.Align(got, sc.Want()), nil)
						t.Logf("%s: %v\n  label %s\n  read  %s\n        %s", name, s, a.Want, a.Got,
							strings.ReplaceAll(a.Marks, string(score.Right), " "))
						shown++
					}
					writeDebug(t, name, sc.RGB, rd)
				}
				rw.scenes++
			}
			rows = append(rows, rw)
			t.Logf("%s: %d scenes, %v", cond.Name, rw.scenes, rw.c)
			if len(marksRead) > 0 {
				t.Logf("%s: letters and symbols read as digits: %s", cond.Name, mostCommon(marksRead, 12))
			}
			right, spurious := floors(cond.Name)
			if rw.c.RightRate() < right {
				t.Errorf("%s: %.2f%% of the digits read right, below the floor of %.0f%%", cond.Name, 100*rw.c.RightRate(), 100*right)
			}
			if rw.c.SpuriousRate() > spurious {
				t.Errorf("%s: %.2f%% spurious digits, above the floor of %.0f%%", cond.Name, 100*rw.c.SpuriousRate(), 100*spurious)
			}
		})
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s, targets %.0f%% right and %.0f%% spurious:\n", r.Classifier(), 100*conditionRight, 100*conditionSpurious)
	fmt.Fprintf(&b, "  %-9s %6s %6s %8s %7s %6s %8s %9s\n", "condition", "scenes", "digits", "right", "misread", "missed", "spurious", "")
	for _, rw := range rows {
		mark := ""
		if rw.c.RightRate() < conditionRight || rw.c.SpuriousRate() > conditionSpurious {
			mark = "below target"
		}
		fmt.Fprintf(&b, "  %-9s %6d %6d %7.2f%% %7d %6d %7.2f%%  %s\n", rw.name, rw.scenes, rw.c.Labelled,
			100*rw.c.RightRate(), rw.c.Misread, rw.c.Missed, 100*rw.c.SpuriousRate(), mark)
	}
	t.Log(b.String())
}

// TestGeneratedScenesRead reads generated scenes of MNIST test digits (the
// hard family: shadows, perspective, coloured ink and paper, ruled lines)
// and scores the text digit by digit against the targets (98% right, 1%
// spurious); it fails under generatedFloorRight or over 1% spurious. The
// full set is 100 scenes at 640x480 and 10 at 1280x960 (about 6,900
// digits); -short reads 20 scenes at 640x480.
func TestGeneratedScenesRead(t *testing.T) {
	m := testscenes.MNIST(t)
	r := evalReader(t)
	sizes := []struct{ w, h, n int }{{640, 480, 100}, {1280, 960, 10}}
	if testing.Short() {
		sizes = sizes[:1]
		sizes[0].n = 20
	}
	var all score.Counts
	for _, sz := range sizes {
		rng := rand.New(rand.NewPCG(uint64(sz.w)+1, 2027))
		var st score.Counts
		for i := 0; i < sz.n; i++ {
			sc := scenegen.Generate(rng, m, scenegen.Hard(sz.w, sz.h))
			rd := r.Read(sc.YCbCr)
			want := strings.ReplaceAll(strings.ReplaceAll(sc.Text, "\n", ""), " ", "")
			s := score.Reading(digitsOf(rd), want)
			st.Add(s)
			if s.Right < s.Labelled || s.Spurious > 0 {
				name := fmt.Sprintf("read%dx%d-%03d", sz.w, sz.h, i)
				t.Logf("%s: %v\n  want %q\n  got  %q", name, s, sc.Text, rd.Text)
				writeDebug(t, name, sc.RGB, rd)
			}
		}
		t.Logf("%dx%d, %d scenes: %v", sz.w, sz.h, sz.n, st)
		all.Add(st)
	}
	t.Logf("%s: %v (target: %.0f%% right, %.0f%% spurious)", r.Classifier(), all, 100*conditionRight, 100*conditionSpurious)
	if all.RightRate() < generatedFloorRight {
		t.Errorf("%.2f%% of the digits read right, below the floor of %.0f%%", 100*all.RightRate(), 100*generatedFloorRight)
	}
	if all.SpuriousRate() > floorSpurious {
		t.Errorf("%.2f%% spurious digits, above the floor of %.0f%%", 100*all.SpuriousRate(), 100*floorSpurious)
	}
}

// generatedFloorRight guards the generated scenes against regression, a
// little under the 97.6% read today.
const generatedFloorRight = 0.97

// photoSets are the development photographs beside the repository, and
// the least share of their digits that must be read right and the most
// spurious digits (per labelled digit): guards against regressions, not
// targets; the work is judged on other people's photos.
var photoSets = []struct {
	dir             string
	right, spurious float64
}{
	{"photos", 0.97, 0.01},
	{"photos2", 0.97, 0.06},
}

// TestPhotosRead reads the development photographs (../shared/photos and
// ../shared/photos2, when present) as `edgeconv read` does, decoding with
// camera.ReadFrame, and reports per photo and per set the digits read
// right, misread, missed and spurious, aligned with LABELS.tsv.
func TestPhotosRead(t *testing.T) {
	r := evalReader(t)
	found := false
	for _, set := range photoSets {
		dir, labels := sharedSet(t, set.dir)
		if dir == "" {
			continue
		}
		found = true
		var all score.Counts
		for _, l := range labels {
			frame := readLabelled(t, dir, l.File)
			rd := r.ReadPhoto(frame) // as read and eval --photos do
			checkProbs(t, rd)
			s := score.Reading(digitsOf(rd), l.Digits)
			all.Add(s)
			t.Logf("%s: %v\n  want %s\n  got  %s", l.File, s, l.Digits, strings.ReplaceAll(string(rd.Text), "\n", " | "))
			if s.Right < s.Labelled || s.Spurious > 0 {
				writeDebug(t, set.dir+"-"+strings.ReplaceAll(l.File, "/", "_"), frame, rd)
			}
		}
		t.Logf("%s, %s: %v", set.dir, r.Classifier(), all)
		if all.RightRate() < set.right {
			t.Errorf("%s: %.1f%% of the digits read right, want >= %.0f%%", set.dir, 100*all.RightRate(), 100*set.right)
		}
		if all.SpuriousRate() > set.spurious {
			t.Errorf("%s: %.1f%% spurious digits, want <= %.0f%%", set.dir, 100*all.SpuriousRate(), 100*set.spurious)
		}
	}
	if !found {
		t.Skip("../shared/photos not found beside the repository")
	}
}

// readLabelled decodes the photo file of a LABELS.tsv in dir as `read`
// does (camera.ReadFrame).
// sharedSet returns the folder of the photo set ../shared/name and its
// labels, or "" when it is not beside the repository.
func sharedSet(t *testing.T, name string) (string, []score.Label) {
	t.Helper()
	dir := score.FindShared(name)
	if dir == "" {
		return "", nil
	}
	labels, err := score.ReadLabels(dir)
	if err != nil {
		t.Fatal(err)
	}
	return dir, labels
}

func readLabelled(t *testing.T, dir, file string) *image.YCbCr {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, filepath.FromSlash(file)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	frame, err := camera.ReadFrame(f)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return frame
}

// filmedFloor is the least share of the filmed photos' digits
// (TestFilmedPhotosRead) read right.
const filmedFloor = 0.92

// TestFilmedPhotosRead films each photo of ../shared/photos (when present)
// with a webcam held further away (scenegen.Record at 640x480, JPEG 85,
// 10 frames: the sheet at zoom 0.45, 0.55 and 0.65 of the frame, the
// sensor's noise ×1 and ×2, a dark table around it) and reads the last,
// still frame as run reads a camera's: digits 10 to 25 pixels tall, one writer's small
// 0s at 5 to 10. It fails under filmedFloor of the digits right or over
// 1% spurious; -short skips it.
func TestFilmedPhotosRead(t *testing.T) {
	if testing.Short() {
		t.Skip("films 48 recordings")
	}
	dir, labels := sharedSet(t, "photos")
	if dir == "" {
		t.Skip("../shared/photos not found beside the repository")
	}
	r := evalReader(t)
	var all score.Counts
	for li, l := range labels {
		sheet := readLabelled(t, dir, l.File)
		for zi, zoom := range []float64{0.45, 0.55, 0.65} {
			for _, noise := range []float64{1, 2} {
				p := scenegen.RecordParams{Frames: 10, JPEG: 85, Zoom: zoom, Noise: noise}
				rng := rand.New(rand.NewPCG(uint64(li), uint64(10*zi)+uint64(noise)))
				var got string
				err := scenegen.Record(rng, sheet, p, func(frame *image.YCbCr, fi scenegen.FrameInfo) error {
					if fi.Index == p.Frames-1 {
						r.Forget()
						rd := r.Read(frame)
						checkProbs(t, rd)
						got = digitsOf(rd)
						if s := score.Reading(got, l.Digits); s.Right < s.Labelled || s.Spurious > 0 {
							writeDebug(t, fmt.Sprintf("filmed-z%.2f-n%.0f-%s", zoom, noise, strings.ReplaceAll(l.File, "/", "_")), frame, rd)
						}
					}
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
				s := score.Reading(got, l.Digits)
				all.Add(s)
				t.Logf("%s at zoom %.2f, noise ×%.0f: %v", l.File, zoom, noise, s)
			}
		}
	}
	t.Logf("filmed photos, %s: %v", r.Classifier(), all)
	if all.RightRate() < filmedFloor {
		t.Errorf("%.1f%% of the digits read right, want >= %.0f%%", 100*all.RightRate(), 100*filmedFloor)
	}
	if all.SpuriousRate() > 0.01 {
		t.Errorf("%.1f%% spurious digits, want <= 1%%", 100*all.SpuriousRate())
	}
}

// writeDebug writes frame with the reading's candidates boxed (green: a
// digit, grey: not a digit) to EDGECONV_CAMERA_DEBUG/name.png, when set.
func writeDebug(t testing.TB, name string, frame image.Image, rd *reading.Reading) {
	dir := os.Getenv("EDGECONV_CAMERA_DEBUG")
	if dir == "" {
		return
	}
	rgb := overlay.RGBA(frame)
	for i, c := range rd.Candidates {
		col := color.RGBA{0, 170, 0, 255}
		if rd.Results[i].Class >= model.Digits {
			col = color.RGBA{140, 140, 140, 255}
		}
		overlay.Box(rgb, c.Box.Inset(-1), 1, col)
	}
	f, err := os.Create(filepath.Join(dir, name+".png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, rgb); err != nil {
		t.Fatal(err)
	}
}

// TestPhotosChangedRead reads the development photos (when present) as
// other cameras and hands may give them, each set with a floor of digits
// read right:
//   - turned, as a scanner or a program that drops EXIF might hand them
//     over, with no orientation in the file: ../shared/photos a quarter
//     clockwise, photos2 three quarters. ReadPhoto turns them back by what
//     reads; a reading that looks at all the ink of a photo as one digit
//     must not decide it, or a page of sideways digits, merged, reads as
//     one confident digit and is never turned (photos2 read 72 digits so,
//     88 before and after); and both sets turned a half, upside down, as a
//     scanner fed the sheet the wrong way round gives it: a page's 0s, 1s
//     and 8s read either way, so ../shared/photos read 210 of 241 until
//     how surely the digits read (fit) decided a half turn too, and 237
//     since; photos2, a few digits each and maths, 74 and 77;
//   - turned by a few degrees (turnedBy), as a phone or a webcam held at
//     an angle to the sheet sees it, the corners a dark table: photos2,
//     webcam frames that the sheet fills, turned by 12° has the sheet's
//     edges run into the frame's sides, and the strip that the paper
//     grid's lag makes ink along an edge was read as a 1 that took a
//     line's height (108 of 124) until extract's stepEdge looked at it
//     within four stroke widths of the frame's side too (115); its digits,
//     leaning into their neighbours' columns, were taken for pieces of
//     one until the reader read such marks apart (readApart: 117), and
//     118 since it reads apart a 7 whose bar leans over the 1 after it
//     when the model reads the two as one 7 too, surely but less so than
//     each apart.
//     ../shared/photos turned by 12° reads 235: 232 while extract's
//     followFade let the sheet flow on into the flat grey table beside a
//     dim edge of the photo;
//   - seen at an angle (inPerspective), as a phone held over the sheet
//     but not square above it sees it: the top edge narrowed by 12% and
//     20% of the width on each side, columns converging and the far rows
//     squeezed, the corners beside the top a dark table. ../shared/photos
//     reads 234 and 229, photos2 123 and 118. What they lose is mostly
//     the narrowing's: digits it brings together that touch (a 5 and a 7
//     read as one 7) or that the extractor takes for the pieces of one,
//     a 7 leaning over the 1 after it; read apart (readApart), the 1
//     under the bar was shorter than the whole by more than apartTall
//     allowed (233 and 228 while the parts were measured against the
//     whole alone, not against the line's digits too);
//   - under a shadow across them (underShadow): half the light beyond a
//     slanted edge, with ramps of 2 and 6 pixels. photos2, webcam frames of
//     a few digits, read 94 and 103 of its 124 digits before the extractor
//     followed the paper across steps (extract's step stage), 121 and 122
//     with it, 123 and 123 since; ../shared/photos reads 229 and 235 of
//     241 either way. Taken for a table's edge (extract's findEdges), the
//     shadow's hid a line of thin ballpoint writing: photos2 read 117 and
//     121 until the writing beyond an edge was looked for on every line
//     across it (writtenBeyond);
//   - dimmed across (dimmedAcross), from all the light at the left edge
//     to 35% and 20% of it at the right, as a page is with a hand or a
//     phone between it and the lamp: photos2 read 116 (22 spurious) and
//     108 (12 spurious) while its lit side, lighter than the ground of
//     the whole photo, passed for light marks on a dark ground and the
//     photo was read inverted (lightOnDark: localMarks); 121 (6) and 110
//     (5) then, the dim side under the sheet's floor; 124 and 123 since
//     the sheet follows light that falls off gradually (extract's
//     followFade);
//   - shaken (shaken): a camera that moved by 5 pixels (../shared/photos,
//     594x410, digits about 20 pixels tall) or 8 (photos2, 640x480) while
//     it took the picture, across or upright. Before the strokes'
//     sharpness was taken in each direction apart (extract's
//     inkSharpness), the thresholds stayed a still photo's and the
//     smeared strokes fell apart: ../shared/photos read 177 and 221,
//     photos2 118 and 121 (9 and 12 spurious); then 205 and 230, 120 and
//     124 (5 and 8 spurious); across 214 since a photo's thresholds
//     follow glare (extract's fadeInk);
//   - with the page's own writing showing through from the back of the
//     sheet (showingThrough), mirrored and blurred, at a third and a half
//     of its darkness: ../shared/photos, ballpoint on A4, reads 237 and
//     235; photos2, thick marker seen close, 113 (10 spurious) and 81. At a
//     half, the blurred strokes from the back touch the front's and join
//     them into one component, which no digit is (extract's dropFaint
//     only drops what stands apart); photos2 116 and 82, then 120 (7
//     spurious) and 107 since a photo that reads poorly is read again
//     with the thresholds raised toward its writing's typical stroke
//     (Reader.readRaised);
//   - on yellow, pink and blue paper (onPaper: each channel scaled by the
//     paper's reflectance, ink and paper alike), where the ink lies closer
//     to the paper in colour than on white: ../shared/photos reads 235, 236
//     and 234, photos2 124 each time (5 spurious, as on white). The faint
//     digits of ../shared/photos are what is lost: blue ballpoint on blue
//     paper keeps its darkness but not its colour against the paper;
//   - before white (onTable: a white border a tenth of the photo wide
//     on each side), a sheet darker than what is around it:
//     ../shared/photos reads 235 (3 spurious), photos2 122 (11 spurious);
//     photos2 read 116 before the ink was measured on the paper the
//     writing is on, not on the white (extract's writingPaper): a dim
//     webcam sheet read 2 of its 9 digits;
//   - on a table (onTable: a border a tenth of the photo wide on each
//     side), grey (100) and wooden (150, 100, 60). A grey table at two
//     thirds of the paper's brightness passes for a shadow block by
//     block, and light wood for the vignetted paper beside it, and the
//     strip along the table's edge became ink that broke lines written
//     along a diagonal: ../shared/photos read 232 and 233, photos2 116
//     and 120 (12 spurious digits on the wood) until the extractor took
//     what lies beyond the sheet's straight edges off the sheet (extract's
//     findEdges): 235 and 235, 123 and 121 (5 spurious); photos2 on the
//     wood lost a corner's 3 and 8 and a 4 to the paper's colour taken
//     from the wood around them until the ink plane took it on the
//     sheet's side of those edges (extract's paperBesideTable): 124 (6
//     spurious), the grey table 123 (8 spurious); since the ink is
//     measured on the sheet's side of its edges alone (extract's
//     markInkPaper), 123 (7 spurious; a 3 read on a line of its own) and
//     123 (7 spurious);
//   - on a desk seen from above (onTable: a border 0.4 of the photo wide
//     on each side, the sheet a third of the frame), grey and wooden:
//     photos2 read 111 and 118 while the desk, which fills most of the
//     frame, set the typical paper and the ink thresholds and the sheet's
//     edges, a third of each side, were not found; 119 (14 spurious, a
//     line of the writing showing through that the thresholds measured
//     on the sheet now find) and 123 (5 spurious) since the edges are
//     found along the lines that may cross them (extract's edgeHold) and
//     the ink is measured on the sheet alone;
//   - on a pale grey desk (200, a border a quarter wide), brighter than
//     the dim webcam sheets: photos2 read 120 (8 spurious) while the
//     desk's flat white set the ink's measure; 123 (13 spurious: the
//     writing on the back of a sheet, showing through) since a desk
//     brighter than the writing's paper and bare of marks is left out
//     of it (extract's writingPaper);
//   - under a lamp's glare (underGlare, the spot right of the centre):
//     ../shared/photos reads 233, photos2 108; 224 and 103 before a
//     photo's ink thresholds followed glare tile by tile (extract's
//     fadeInk);
//   - scaled down (scaledDown) to a half and a third, as an app that
//     shrinks a photo or a page photographed from further away gives
//     them: ../shared/photos reads 230 and 215 (digits 5 to 10 pixels tall
//     at a third), photos2 123 at a third. At a third it read 197 before
//     ReadPhoto read photos of small digits enlarged too;
//   - saved again as JPEG (reencoded), as a messaging app or an editor
//     saves a photo it passes on, at qualities 95, 90, 75 and 50:
//     ../shared/photos reads 237, 235, 231 and 231, photos2 124 each
//     time. What ../shared/photos loses are digits the model reads on a
//     knife's edge in the photo as it is: an open-top 4 whose bar crosses
//     its stem (not a digit at 0.53 to 0.71, a 4 at 0.45 to 0.55), and
//     pairs of digits that touch (a 6 and a 2 read as one 4 at 0.80, a
//     4's bar and two 0s); JPEG's ringing moves them either way.
func TestPhotosChangedRead(t *testing.T) {
	if testing.Short() {
		t.Skip("reads the development photos sixty-eight times")
	}
	r := evalReader(t)
	turn := func(q int) func(*image.YCbCr) image.Image {
		return func(frame *image.YCbCr) image.Image { return quarterTurn(frame, q) }
	}
	inBlackAndWhite := func(frame *image.YCbCr) image.Image { return blackAndWhite(frame, 0.55) }
	mirrored := func(down bool) func(*image.YCbCr) image.Image {
		return func(frame *image.YCbCr) image.Image { return mirror(frame, down) }
	}
	shadow := func(light, ramp float64) func(*image.YCbCr) image.Image {
		return func(frame *image.YCbCr) image.Image { return underShadow(frame, light, ramp) }
	}
	shake := func(n int, upright bool) func(*image.YCbCr) image.Image {
		return func(frame *image.YCbCr) image.Image { return shaken(frame, n, upright) }
	}
	through := func(share float32) func(*image.YCbCr) image.Image {
		return func(frame *image.YCbCr) image.Image { return showingThrough(frame, share) }
	}
	// Paper's reflectance in red, green and blue.
	paper := func(r, g, b float32) func(*image.YCbCr) image.Image {
		return func(frame *image.YCbCr) image.Image { return onPaper(frame, [3]float32{r, g, b}) }
	}
	yellow, pink, blue := paper(1, 0.9, 0.5), paper(1, 0.78, 0.82), paper(0.66, 0.85, 1)
	glare := func(frame *image.YCbCr) image.Image { return underGlare(frame) }
	veil := func(share float64) func(*image.YCbCr) image.Image {
		return func(frame *image.YCbCr) image.Image { return veiled(frame, share) }
	}
	desk := func(c color.RGBA, border float64) func(*image.YCbCr) image.Image {
		return func(frame *image.YCbCr) image.Image { return onTable(frame, c, border) }
	}
	table := func(c color.RGBA) func(*image.YCbCr) image.Image { return desk(c, 0.1) }
	white := table(color.RGBA{255, 255, 255, 255})
	tilt := func(deg float64) func(*image.YCbCr) image.Image {
		return func(frame *image.YCbCr) image.Image { return turnedBy(frame, deg) }
	}
	bright := func(gain float32) func(*image.YCbCr) image.Image {
		return func(frame *image.YCbCr) image.Image { return overexposed(frame, gain) }
	}
	across := func(far float64) func(*image.YCbCr) image.Image {
		return func(frame *image.YCbCr) image.Image { return dimmedAcross(frame, far) }
	}
	shrunk := func(n int) func(*image.YCbCr) image.Image {
		return func(frame *image.YCbCr) image.Image { return scaledDown(frame, n) }
	}
	angle := func(narrow float64) func(*image.YCbCr) image.Image {
		return func(frame *image.YCbCr) image.Image { return inPerspective(frame, narrow) }
	}
	jpegAt := func(q int) func(*image.YCbCr) image.Image {
		return func(frame *image.YCbCr) image.Image { return reencoded(t, frame, q) }
	}
	// The rows whose spurious digits have a ceiling too: turned by 12°,
	// photos2's page of maths (5∫exdx) read mirrored as six digits before
	// a mirror needed eight (mirrorMin): 12 spurious digits instead of 7.
	maxSpurious := map[string]int{"photos2 on a wooden table": 8, "photos2 turned by 12°": 8}
	for _, c := range []struct {
		set, how string
		change   func(*image.YCbCr) image.Image
		right    int // of the digits, at least
	}{
		{"photos", "saved again as JPEG, quality 95", jpegAt(95), 234},
		{"photos", "saved again as JPEG, quality 90", jpegAt(90), 232},
		{"photos", "saved again as JPEG, quality 75", jpegAt(75), 228},
		{"photos", "saved again as JPEG, quality 50", jpegAt(50), 228},
		{"photos2", "saved again as JPEG, quality 90", jpegAt(90), 121},
		{"photos2", "saved again as JPEG, quality 75", jpegAt(75), 121},
		{"photos2", "saved again as JPEG, quality 50", jpegAt(50), 121},
		{"photos", "turned a quarter", turn(1), 237},
		{"photos2", "turned three quarters", turn(3), 88},
		{"photos", "turned a half", turn(2), 235},
		{"photos", "mirrored, as a webcam app may save it", mirrored(false), 237},
		{"photos2", "mirrored, as a webcam app may save it", mirrored(false), 35},
		{"photos", "mirrored top for bottom", mirrored(true), 237},
		{"photos", "in black and white, one bit a pixel, as a scanner's B&W", inBlackAndWhite, 234},
		{"photos", "turned by 8°", tilt(8), 232},
		{"photos", "turned by 12°", tilt(12), 234},
		{"photos", "turned by 15°", tilt(15), 228},
		{"photos", "turned by -12°", tilt(-12), 231},
		{"photos2", "turned by 12°", tilt(12), 117},
		{"photos2", "turned a half", turn(2), 75},
		{"photos", "seen at an angle, the top 12% narrower a side", angle(0.12), 232},
		{"photos", "seen at an angle, the top 20% narrower a side", angle(0.2), 227},
		{"photos2", "seen at an angle, the top 12% narrower a side", angle(0.12), 121},
		{"photos2", "seen at an angle, the top 20% narrower a side", angle(0.2), 116},
		{"photos", "under a shadow, 2-pixel ramp", shadow(0.5, 2), 231},
		{"photos", "under a shadow, 6-pixel ramp", shadow(0.5, 6), 237},
		{"photos2", "under a shadow, 2-pixel ramp", shadow(0.5, 2), 124},
		{"photos2", "under a shadow, 6-pixel ramp", shadow(0.5, 6), 124},
		{"photos", "under a shadow leaving 40% of the light, 6-pixel ramp", shadow(0.4, 6), 232},
		{"photos2", "under a shadow leaving 40% of the light, 6-pixel ramp", shadow(0.4, 6), 124},
		{"photos", "shaken 5 pixels across", shake(5, false), 210},
		{"photos", "shaken 5 pixels upright", shake(5, true), 226},
		{"photos2", "shaken 8 pixels across", shake(8, false), 117},
		{"photos2", "shaken 8 pixels upright", shake(8, true), 121},
		{"photos", "showing through a third", through(1.0 / 3), 235},
		{"photos", "showing through a half", through(0.5), 230},
		{"photos2", "showing through a third", through(1.0 / 3), 117},
		{"photos2", "showing through a half", through(0.5), 104},
		{"photos", "on yellow paper", yellow, 232},
		{"photos2", "on yellow paper", yellow, 121},
		{"photos", "on pink paper", pink, 233},
		{"photos2", "on pink paper", pink, 121},
		{"photos", "on blue paper", blue, 231},
		{"photos2", "on blue paper", blue, 121},
		{"photos", "before white", white, 231},
		{"photos2", "before white", white, 119},
		{"photos", "on a grey table", table(color.RGBA{100, 100, 100, 255}), 233},
		{"photos2", "on a grey table", table(color.RGBA{100, 100, 100, 255}), 121},
		{"photos", "on a wooden table", table(color.RGBA{150, 100, 60, 255}), 234},
		{"photos2", "on a wooden table", table(color.RGBA{150, 100, 60, 255}), 123},
		{"photos2", "on a grey desk, a border of 0.4", desk(color.RGBA{100, 100, 100, 255}, 0.4), 116},
		{"photos2", "on a wooden desk, a border of 0.4", desk(color.RGBA{150, 100, 60, 255}, 0.4), 121},
		{"photos2", "on a pale grey desk, a border of a quarter", desk(color.RGBA{200, 200, 200, 255}, 0.25), 121},
		{"photos", "under a lamp's glare", glare, 230},
		{"photos2", "under a lamp's glare", glare, 105},
		{"photos", "through a veil of 0.85", veil(0.85), 232},
		{"photos", "through a veil of 0.8", veil(0.8), 230},
		{"photos2", "through a veil of 0.85", veil(0.85), 109},
		{"photos2", "through a veil of 0.8", veil(0.8), 112},
		{"photos", "overexposed, 4/3 the light", bright(4.0 / 3), 233},
		{"photos", "overexposed, 3/2 the light", bright(1.5), 233},
		{"photos", "overexposed, 5/3 the light", bright(5.0 / 3), 215},
		{"photos2", "overexposed, 3/2 the light", bright(1.5), 121},
		{"photos2", "dimmed across to 35%", across(0.35), 122},
		{"photos2", "dimmed across to 20%", across(0.2), 120},
		{"photos", "at half the size", shrunk(2), 227},
		{"photos", "at a third of the size", shrunk(3), 212},
		{"photos2", "at a third of the size", shrunk(3), 120},
	} {
		all, ok := readSetChanged(t, r, c.set, c.change)
		if !ok {
			continue
		}
		t.Logf("%s %s: %v", c.set, c.how, all)
		if all.Right < c.right {
			t.Errorf("%s %s: %d digits right, want %d or more", c.set, c.how, all.Right, c.right)
		}
		if most, ok := maxSpurious[c.set+" "+c.how]; ok && all.Spurious > most {
			t.Errorf("%s %s: %d spurious digits, want %d or fewer", c.set, c.how, all.Spurious, most)
		}
	}
}

// reencoded returns frame saved as a JPEG of quality q and decoded as
// edgeconv read decodes a file (camera.ReadFrame).
func reencoded(t *testing.T, frame *image.YCbCr, q int) image.Image {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, frame, &jpeg.Options{Quality: q}); err != nil {
		t.Fatal(err)
	}
	out, err := camera.ReadFrame(&buf)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// readSetChanged reads each photo of the labelled development set
// (../shared/NAME) as change makes it, and tallies its digits against the
// labels; ok is false when the set is not beside the repository.
func readSetChanged(t *testing.T, r *reading.Reader, name string, change func(*image.YCbCr) image.Image) (all score.Counts, ok bool) {
	t.Helper()
	dir, labels := sharedSet(t, name)
	if dir == "" {
		return all, false
	}
	for _, l := range labels {
		all.Add(score.Reading(digitsOf(r.ReadPhoto(camera.ToFrame(change(readLabelled(t, dir, l.File))))), l.Digits))
	}
	return all, true
}

// TestPhotoCropsRead cuts tight crops out of the development photos (when
// present), as someone would who sends one digit of a sheet: around each
// digit that the whole photo reads with confidence 0.95 or more, twice,
// with margins of -2% to 35% of the digit's size drawn for each side, so
// that a crop may cut the digit's edge or take a sliver of a neighbour,
// and once cut to its box, its ink touching every side. Each crop is read
// as a photo of its own, and should read that digit alone (the photo's
// reading is the label: this measures the crops, not the photo); a crop
// that reads no digit at all fails the test. It fails under cropFloor
// right or over cropSpurious spurious digits; -short skips it. 1,023 of
// 1,041 right and 15 spurious; then 1,026 and 13; now 1,030 and 10, since
// a thick marker's crop coarsens its paper grid (extract's strokeWidth).
// Cut to their boxes, 16 of the 347 digits read no digit (large ones of
// photos2, 80 to 250 pixels wide, whose ink reached three edges of the
// frame), and so did one crop with margins (a 0 of 16x21 pixels), until a
// photo that reads nothing was read again inside a margin. The first crop
// of a 1 cut to its ink, 6 pixels wide, once panicked.
func TestPhotoCropsRead(t *testing.T) {
	if testing.Short() {
		t.Skip("reads about 700 crops")
	}
	r := evalReader(t)
	rng := rand.New(rand.NewPCG(1, 2))
	var all score.Counts
	for _, set := range photoSets {
		dir, labels := sharedSet(t, set.dir)
		for _, l := range labels {
			frame := readLabelled(t, dir, l.File)
			rd := r.ReadPhoto(frame)
			var wanted []reading.Digit
			for _, d := range rd.Digits {
				if d.Confidence >= 0.95 {
					wanted = append(wanted, d)
				}
			}
			for _, d := range wanted {
				b := d.Box
				for k := range 3 {
					m := func(size int) int { return int((rng.Float64()*0.37 - 0.02) * float64(size)) }
					if k == 2 {
						m = func(int) int { return 0 } // cut to the ink
					}
					c := image.Rect(b.Min.X-m(b.Dx()), b.Min.Y-m(b.Dy()), b.Max.X+m(b.Dx()), b.Max.Y+m(b.Dy())).Intersect(frame.Rect)
					crop := frame.SubImage(c).(*image.YCbCr)
					got := digitsOf(r.ReadPhoto(camera.ToFrame(crop)))
					s := score.Reading(got, fmt.Sprint(d.Digit))
					all.Add(s)
					if got == "" {
						t.Errorf("%s, the %d at %v cut at %v: no digit read in a photo of one", l.File, d.Digit, b, c)
					} else if s.Right < 1 || s.Spurious > 0 {
						t.Logf("%s, the %d at %v cut at %v: read %q", l.File, d.Digit, b, c, got)
					}
				}
			}
		}
	}
	checkCuts(t, "crops", all, cropFloor, cropSpurious)
}

// TestSmallPhotos reads photos of one digit a few tens of pixels tall, as
// thumbnails, MNIST-sized cut-outs and messaging apps make them: every
// digit that the development photos (when present) read with confidence
// 0.95 or more, cut with margins of 0, 15% and 30% of its size, scaled
// (BiLinear) so that its longer side is 20 or 28 pixels and saved as a
// JPEG of quality 80; and MNIST's first 1,000 test digits as 28x28 photos,
// white on black as MNIST stores them and black on white. Each reads
// alone. Before ReadPhoto enlarged photos under enlargeBelow pixels, the
// cut-outs read 1,892 of 2,082 (66 read no digit at all, 33 spurious);
// enlarged, 2,002 (16 read none, 44 spurious, most of them 1s 2 pixels
// wide read as two); now 2,002 (17 read none, 27 spurious: what the
// padding's margin alone held, and slivers at a tight crop's sides, are
// no digits); now 2,011 (5 read none), since a faint photo that reads
// nothing is read again with its contrast doubled (stretchLuma). MNIST's
// read 985 and 988 of 1,000, now 988 and 990. It
// fails under smallRight right or over smallSpurious spurious; -short
// skips the development photos.
func TestSmallPhotos(t *testing.T) {
	r := evalReader(t)
	m := testscenes.MNIST(t)
	for _, inverted := range []bool{false, true} {
		var c score.Counts
		for i := range 1000 {
			px := slices.Clone(m.Image(i))
			if inverted {
				for j := range px {
					px[j] = 255 - px[j]
				}
			}
			g := &image.Gray{Pix: px, Stride: 28, Rect: image.Rect(0, 0, 28, 28)}
			c.Add(score.Reading(digitsOf(r.ReadPhoto(camera.ToFrame(g))), fmt.Sprint(m.Labels[i])))
		}
		how := "white on black"
		if inverted {
			how = "black on white"
		}
		t.Logf("MNIST 28x28, %s: %v", how, c)
		if c.RightRate() < smallMNISTRight {
			t.Errorf("MNIST 28x28, %s: %v; want %.0f%% right or more", how, c, 100*smallMNISTRight)
		}
	}
	if testing.Short() {
		return
	}
	var all score.Counts
	for _, set := range photoSets {
		dir, labels := sharedSet(t, set.dir)
		for _, l := range labels {
			frame := readLabelled(t, dir, l.File)
			// A Reading lives until the next Read: the digits are copied.
			for _, d := range slices.Clone(r.ReadPhoto(frame).Digits) {
				if d.Confidence < 0.95 {
					continue
				}
				b := d.Box
				for _, margin := range []float64{0, 0.15, 0.3} {
					mx, my := int(margin*float64(b.Dx())), int(margin*float64(b.Dy()))
					c := image.Rect(b.Min.X-mx, b.Min.Y-my, b.Max.X+mx, b.Max.Y+my).Intersect(frame.Rect)
					for _, side := range []int{20, 28} {
						small := thumbnail(t, frame.SubImage(c), side)
						got := digitsOf(r.ReadPhoto(camera.ToFrame(small)))
						s := score.Reading(got, fmt.Sprint(d.Digit))
						all.Add(s)
						if s.Right < 1 || s.Spurious > 0 {
							t.Logf("%s, the %d at %v cut at %v, %d pixels: read %q", l.File, d.Digit, b, c, side, got)
						}
					}
				}
			}
		}
	}
	checkCuts(t, "small photos", all, smallRight, smallSpurious)
}

// TestBlankPhotoCrops cuts crops out of the development photos (when
// present) where they hold no candidate, 30 to 280 pixels wide, and
// scales half of them down to 20 to 40 pixels: photos of blank paper,
// its shading, the sheet's edge and the table. It counts those that read
// a digit with confidence 0.8 or more, and fails over blankSure of them:
// 21 of 634 before ReadPhoto read a faint photo that reads nothing with
// its contrast doubled (stretchLuma), 30 since; doubled without its
// guards, 65.
func TestBlankPhotoCrops(t *testing.T) {
	if testing.Short() {
		t.Skip("reads about 600 crops")
	}
	r := evalReader(t)
	rng := rand.New(rand.NewPCG(3, 4))
	crops, sure := 0, 0
	for _, set := range photoSets {
		dir, labels := sharedSet(t, set.dir)
		for _, l := range labels {
			frame := readLabelled(t, dir, l.File)
			var marks []image.Rectangle
			for _, c := range r.ReadPhoto(frame).Candidates {
				marks = append(marks, c.Box.Inset(-6))
			}
		crop:
			for range 60 {
				w := 30 + rng.IntN(250)
				h := w * (80 + rng.IntN(60)) / 100
				if w >= frame.Rect.Dx() || h >= frame.Rect.Dy() {
					continue
				}
				x := frame.Rect.Min.X + rng.IntN(frame.Rect.Dx()-w)
				y := frame.Rect.Min.Y + rng.IntN(frame.Rect.Dy()-h)
				c := image.Rect(x, y, x+w, y+h)
				for _, m := range marks {
					if m.Overlaps(c) {
						continue crop
					}
				}
				var img image.Image = frame.SubImage(c)
				if rng.IntN(2) == 0 {
					img = thumbnail(t, img, 20+rng.IntN(20))
				}
				crops++
				for _, d := range r.ReadPhoto(camera.ToFrame(img)).Digits {
					if d.Confidence >= 0.8 {
						sure++
						t.Logf("%s, blank at %v (%v pixels): read a %d with %.3f", l.File, c, img.Bounds().Size(), d.Digit, d.Confidence)
						break
					}
				}
			}
		}
	}
	if crops == 0 {
		t.Skip("../shared/photos and photos2 not found beside the repository")
	}
	t.Logf("%d of %d blank crops read a digit with confidence 0.8", sure, crops)
	if float64(sure) > blankSure*float64(crops) {
		t.Errorf("%d of %d blank crops read a digit with confidence 0.8; want at most %.1f%%", sure, crops, 100*blankSure)
	}
}

// blankSure is the largest share of blank crops (TestBlankPhotoCrops) that
// may read a digit with confidence: 4.7% now.
const blankSure = 0.055

// checkCuts logs all, what a test read of the digits it cut out of the
// development photos, and fails the test under right or over spurious; it
// skips the test when the photos are not beside the repository.
func checkCuts(t *testing.T, what string, all score.Counts, right, spurious float64) {
	t.Helper()
	if all.Labelled == 0 {
		t.Skip("../shared/photos and photos2 not found beside the repository")
	}
	t.Logf("%s: %v", what, all)
	if all.RightRate() < right || all.SpuriousRate() > spurious {
		t.Errorf("%s: %v; want %.0f%% right or more and %.1f%% spurious or fewer", what, all, 100*right, 100*spurious)
	}
}

// thumbnail returns img scaled so that its longer side is side pixels,
// through a JPEG of quality 80.
func thumbnail(t *testing.T, img image.Image, side int) image.Image {
	t.Helper()
	b := img.Bounds()
	w, h := side, side
	if b.Dx() > b.Dy() {
		h = max(1, b.Dy()*side/b.Dx())
	} else {
		w = max(1, b.Dx()*side/b.Dy())
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	xdraw.BiLinear.Scale(dst, dst.Rect, img, b, xdraw.Src, nil)
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, dst, &jpeg.Options{Quality: 80}); err != nil {
		t.Fatal(err)
	}
	out, err := jpeg.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// The least share of the small photos (TestSmallPhotos) read right, and
// the most spurious digits (1.30% now, 2.02% before tight crops dropped
// slivers at any side); and of MNIST's 28x28 digits in each polarity.
const (
	smallRight      = 0.95
	smallSpurious   = 0.015
	smallMNISTRight = 0.98
)

// The least share of the crops (TestPhotoCropsRead) read right, and the
// most spurious digits (0.96% now; 1.25% while a thick marker's crop
// could keep a paper grid too fine for its strokes).
const (
	cropFloor    = 0.97
	cropSpurious = 0.011
)
