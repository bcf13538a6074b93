package extract_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/edgeconv/edgeconv/extract"
	"github.com/edgeconv/edgeconv/internal/scenegen"
	"github.com/edgeconv/edgeconv/internal/score"
)

// The targets of every condition: digits read right, of the digits in the
// scenes, and spurious digits, per digit in the scenes.
const (
	conditionRight    = 0.98
	conditionSpurious = 0.01
)

// TestConditionsRead reads scenes rendered under each of
// scenegen.Conditions (coloured ink, pencil, hairline pen, marker, squared
// and ruled paper, tight crops, webcam frames, sheet edges with fingers,
// tilted lines, letters among digits) with the embedded model, extraction and recognition
// together, the frames given as YCbCr 4:2:0 as a camera delivers them. It
// prints a table of the digits read right and spurious per condition, and
// each condition is a subtest that fails below the targets: at least 98%
// right and at most 1% spurious. About 1,000 digits per condition; -short
// reads about 200.
func TestConditionsRead(t *testing.T) {
	m := loadTestMNIST(t)
	clf := testModel(t)
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
	ex := extract.NewExtractor(extract.Options{})
	var digits []extract.Digit
	for ci, cond := range scenegen.Conditions {
		t.Run(cond.Name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(ci)+1, 0xc0d))
			r := row{name: cond.Name}
			shown := 0
			for r.c.Labelled < want {
				sc := cond.Render(rng, m, 640, 480)
				if len(sc.Digits) == 0 {
					continue
				}
				digits = ex.Extract(sc.YCbCr, digits)
				classes := clf.readAll(digits)
				got := digitString(classes)
				s := score.Reading(got, sc.Want())
				r.c.Add(s)
				if s.Right < s.Labelled || s.Spurious > 0 {
					name := fmt.Sprintf("cond-%s-%03d", cond.Name, r.scenes)
					if shown < 3 {
						a := score.Draw(score.Align(got, sc.Want()), nil)
						t.Logf("%s: %v\n  label %s\n  read  %s\n        %s", name, s, a.Want, a.Got,
							strings.ReplaceAll(a.Marks, string(score.Right), " "))
						shown++
					}
					writeDebug(t, debugDir(), name, sc.Gray, digits, classes)
					if debugDir() != "" {
						savePNG(t, debugDir()+"/"+name+".png", sc.RGB)
					}
				}
				r.scenes++
			}
			rows = append(rows, r)
			t.Logf("%s: %d scenes, %v", cond.Name, r.scenes, r.c)
			if r.c.RightRate() < conditionRight {
				t.Errorf("%s: %.2f%% of the digits read right, want >= %.0f%%", cond.Name, 100*r.c.RightRate(), 100*conditionRight)
			}
			if r.c.SpuriousRate() > conditionSpurious {
				t.Errorf("%s: %.2f%% spurious digits, want <= %.0f%%", cond.Name, 100*r.c.SpuriousRate(), 100*conditionSpurious)
			}
		})
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s, targets %.0f%% right and %.0f%% spurious:\n", clf.c, 100*conditionRight, 100*conditionSpurious)
	fmt.Fprintf(&b, "  %-9s %6s %6s %8s %7s %6s %8s %9s\n", "condition", "scenes", "digits", "right", "misread", "missed", "spurious", "")
	for _, r := range rows {
		mark := ""
		if r.c.RightRate() < conditionRight || r.c.SpuriousRate() > conditionSpurious {
			mark = "below target"
		}
		fmt.Fprintf(&b, "  %-9s %6d %6d %7.2f%% %7d %6d %7.2f%%  %s\n", r.name, r.scenes, r.c.Labelled,
			100*r.c.RightRate(), r.c.Misread, r.c.Missed, 100*r.c.SpuriousRate(), mark)
	}
	t.Log(b.String())
}
