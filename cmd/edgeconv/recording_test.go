package main

import (
	"context"
	"fmt"
	"image"
	_ "image/jpeg"
	_ "image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/edgeconv/edgeconv/internal/jsonline"
	"github.com/edgeconv/edgeconv/internal/scenegen"
	"github.com/edgeconv/edgeconv/internal/score"
)

// The figures of TestRunRecordings that run must reach, over all the
// recordings (a little under today's: 98.0% and 74.4% on the rendered
// scene and the four photos' twelve recordings; the misread digits are
// the reader's, on one photo, which no fusion mends). The aim (issue 12):
// the settled reading is the sheet's digits, and the reading is right in
// every frame once the sheet is still.
const (
	// minSettledRight is the digits right of the reading run settles on
	// (the last one it reports).
	minSettledRight = 0.95
	// minStillFramesRight is the fraction of the still frames (the last
	// 40% of each recording) at which the reported reading is right.
	minStillFramesRight = 0.70
)

// recordingSheet is a sheet to film and its digits in reading order.
type recordingSheet struct {
	name, digits string
	sheet        image.Image
}

// The development photos that are filmed, when they are beside the
// repository: two A4 sheets, a phone photo in blue ballpoint, a webcam
// frame.
var recordedPhotos = []string{
	"photos/6_A4.png", "photos/4_A4.png", "photos2/sparsha/img.jpg",
	"photos2/guerrantif/img-20210104-215724.png",
}

// recordingSheets returns a rendered scene of MNIST digits (when the data
// is there) and the development photos found beside the repository.
func recordingSheets(t *testing.T) []recordingSheet {
	var out []recordingSheet
	if dir, err := scenegen.FindDataDir(); err == nil {
		m, err := scenegen.LoadTest(dir)
		if err != nil {
			t.Fatal(err)
		}
		sc := scenegen.Generate(rand.New(rand.NewPCG(12, 5)), m, scenegen.CleanSheet(800, 600))
		out = append(out, recordingSheet{"scene", sc.Want(), sc.RGB})
	}
	if testing.Short() {
		return out
	}
	labels := map[string]string{}
	var shared string
	for _, set := range []string{"photos", "photos2"} {
		dir := score.FindShared(set)
		if dir == "" {
			continue
		}
		shared = filepath.Dir(dir)
		ls, err := score.ReadLabels(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range ls {
			labels[set+"/"+l.File] = l.Digits
		}
	}
	for _, p := range recordedPhotos {
		digits, ok := labels[p]
		if !ok {
			continue
		}
		f, err := os.Open(filepath.Join(shared, filepath.FromSlash(p)))
		if err != nil {
			t.Fatal(err)
		}
		img, _, err := image.Decode(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		name := strings.TrimSuffix(strings.ReplaceAll(p, "/", "-"), filepath.Ext(p))
		out = append(out, recordingSheet{name, digits, img})
	}
	return out
}

// stableReadings returns, for each frame, the text reported once k
// frames in a row read it ("" before any): readings is each frame's own.
func stableReadings(readings []string, k int) []string {
	out := make([]string, len(readings))
	cur, run := "", 0
	for i, r := range readings {
		if i > 0 && r == readings[i-1] {
			run++
		} else {
			run = 1
		}
		if run >= k {
			cur = r
		}
		out[i] = cur
	}
	return out
}

// frameReadings returns the reading run reports at each of n frames from
// its JSON lines: a line holds from its frame (numbered from 1) until the
// next; "" before the first.
func frameReadings(lines []jsonline.Reading, n int) []string {
	out := make([]string, n)
	k := -1
	for i := range out {
		for k+1 < len(lines) && int(lines[k+1].Frame) <= i+1 {
			k++
		}
		if k >= 0 {
			out[i] = lines[k].Text
		}
	}
	return out
}

// recordingCase is a recording to make: a sheet filmed with some of
// scenegen's stresses, and, when the camera swaps sheets, the sheet it
// starts on.
type recordingCase struct {
	name   string
	first  *recordingSheet // the sheet before the swap, or nil
	sheet  recordingSheet  // the sheet the camera holds still over
	params scenegen.RecordParams
	seed   uint64
}

// recordingCases returns a steady-handed recording of each sheet (90
// frames) and, unless -short, longer recordings (120
// frames) of some of them under stresses that a steady hand spares: a
// shaking hand, a sheet turned 20° while the camera moves, a finger
// resting over digits for a second, a sheet held further away by a shaking
// hand (small digits, some read differently from frame to frame, and
// lines mixed up while it moves), a second sheet replacing the first.
func recordingCases(sheets []recordingSheet) []recordingCase {
	// 90 frames, -short too: in 60 the finger leaves 9 frames before
	// the 24 still ones, and what it was read as in the frames it passed
	// (a 6, confirmed) is still held for 10 frames of them.
	frames := 90
	var out []recordingCase
	byName := map[string]*recordingSheet{}
	for i := range sheets {
		s := &sheets[i]
		byName[s.name] = s
		out = append(out, recordingCase{name: s.name, sheet: *s, seed: uint64(i) + 1,
			params: scenegen.RecordParams{Frames: frames, JPEG: 85}})
	}
	if testing.Short() {
		return out
	}
	stress := func(name, sheet string, seed uint64, p scenegen.RecordParams) {
		if s := byName[sheet]; s != nil {
			p.Frames, p.JPEG = 120, 85
			out = append(out, recordingCase{name: name + "-" + sheet, sheet: *s, params: p, seed: seed})
		}
	}
	stress("shake3", "photos-6_A4", 11, scenegen.RecordParams{Shake: 3})
	stress("turn20", "photos-4_A4", 12, scenegen.RecordParams{Turn: 20, Shake: 1.5})
	stress("cover", "photos2-sparsha-img", 13, scenegen.RecordParams{Cover: true})
	stress("far", "photos-6_A4", 14, scenegen.RecordParams{Zoom: 0.6, Shake: 2})
	stress("far-noisy", "photos-4_A4", 17, scenegen.RecordParams{Zoom: 0.6, Shake: 2, Noise: 2})
	stress("turn20-cover", "photos2-guerrantif-img-20210104-215724", 15, scenegen.RecordParams{Turn: 20, Cover: true})
	if a, b := byName["photos-6_A4"], byName["photos2-sparsha-img"]; a != nil && b != nil {
		out = append(out, recordingCase{name: "swap-" + a.name + "-to-" + b.name, first: a, sheet: *b, seed: 16,
			params: scenegen.RecordParams{Frames: 120, JPEG: 85, Next: b.sheet}})
	}
	return out
}

// recordingResult is what TestRunRecordings measured on one recording.
type recordingResult struct {
	done                bool
	settled, unfused    score.Counts // the last reading reported, fused and not
	frames, right       int          // frames, and those at which the reported reading was right
	still, stillRight   int          // the same over the still frames
	stillUnfused        int          // still frames right without fusion
	raw, rawStill       int          // frames, still frames, at which each frame's own reading was right
	settle              int          // frames from the first still one to the last reported reading
	settledRight        bool         // the last reading is the sheet's digits
	lastText, unfusedTx string
}

// TestRunRecordings films sheets with a moving hand-held camera
// (scenegen.Record at 640x480, 30 fps, JPEG as a webcam's, real chroma;
// see recordingCases) and runs `edgeconv run --source REC.y4m --json
// --no-time --listen off` on each recording: fused (as run is), and
// --no-fuse --stable 1 (each frame's own reading), from which what
// --no-fuse reported with --stable 3 (the text read alone in 3 frames in a
// row, as run was) is computed. For each it reports
// the reading run settles on (the last it reports) against the sheet's
// digits, the frames at which the reported reading is the sheet's (all
// frames, and the still ones at the end), and how long after the first
// still frame the reading settled. The recordings are made at test time
// from a rendered scene and, when they are beside the repository, from
// development photos (never committed); -short films the scene only. A
// second run of the first recording must print the same lines.
func TestRunRecordings(t *testing.T) {
	sheets := recordingSheets(t)
	if len(sheets) == 0 {
		t.Skip("no MNIST data (make data) and no shared photos")
	}
	dir := t.TempDir()
	cases := recordingCases(sheets)
	results := make([]recordingResult, len(cases))
	t.Run("films", func(t *testing.T) {
		for i, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				t.Parallel()
				results[i] = filmAndRun(t, dir, c, i == 0)
			})
		}
	})
	const fps = 30
	var settled, unfused score.Counts
	var frames, right, still, stillRight, stillUnfused, raw, rawStill, late int
	var table strings.Builder
	fmt.Fprintf(&table, "  %-52s %6s | %-14s %9s %9s %7s | %-14s %9s | %9s %9s\n", "recording", "digits",
		"fused: settled", "frames", "still", "settle", "unfused", "still", "raw", "raw still")
	for i, c := range cases {
		r := &results[i]
		if !r.done {
			continue
		}
		settled.Add(r.settled)
		unfused.Add(r.unfused)
		frames += r.frames
		right += r.right
		still += r.still
		stillRight += r.stillRight
		stillUnfused += r.stillUnfused
		raw += r.raw
		rawStill += r.rawStill
		settle := "never"
		if r.settledRight {
			settle = fmt.Sprintf("%+.2fs", float64(r.settle)/fps)
		}
		if !r.settledRight || r.settle > fps {
			late++
		}
		fmt.Fprintf(&table, "  %-52s %6d | %-14s %4d/%4d %4d/%4d %7s | %-14s %4d/%4d | %4d/%4d %4d/%4d\n", c.name, len(c.sheet.digits),
			fmt.Sprintf("%d (%.1f%%)", r.settled.Right, 100*r.settled.RightRate()), r.right, r.frames, r.stillRight, r.still, settle,
			fmt.Sprintf("%d (%.1f%%)", r.unfused.Right, 100*r.unfused.RightRate()), r.stillUnfused, r.still,
			r.raw, r.frames, r.rawStill, r.still)
	}
	rate := func(k, of int) float64 { return float64(k) / float64(max(of, 1)) }
	t.Logf("recordings (settle: from the first still frame to the reading run settled on, at %d fps):\n%s"+
		"  fused: settled readings %v; frames right %.1f%%, still frames right %.1f%%; %d settled over a second after the first still frame, or wrong\n"+
		"  unfused: settled readings %v; still frames right %.1f%%\n"+
		"  each frame alone: frames right %.1f%%, still frames right %.1f%%",
		fps, table.String(), settled, 100*rate(right, frames), 100*rate(stillRight, still), late,
		unfused, 100*rate(stillUnfused, still), 100*rate(raw, frames), 100*rate(rawStill, still))
	if settled.RightRate() < minSettledRight {
		t.Errorf("settled readings: %.1f%% of the digits right, want >= %.0f%%", 100*settled.RightRate(), 100*minSettledRight)
	}
	if r := rate(stillRight, still); r < minStillFramesRight {
		t.Errorf("still frames: %.1f%% right, want >= %.0f%%", 100*r, 100*minStillFramesRight)
	}
	if settled.Right < unfused.Right || stillRight < stillUnfused {
		t.Errorf("fused: %d digits settled right, %d still frames right; unfused: %d and %d", settled.Right, stillRight, unfused.Right, stillUnfused)
	}
}

// filmAndRun films c into dir and runs run on it, fused, unfused and
// frame by frame; twice fused when again is set, which must print the
// same.
func filmAndRun(t *testing.T, dir string, c recordingCase, again bool) recordingResult {
	n := c.params.Frames
	path := filepath.Join(dir, c.name+".y4m")
	rng := rand.New(rand.NewPCG(c.seed, 0x7ec))
	film := c.sheet.sheet
	if c.first != nil {
		film = c.first.sheet // c.params.Next is c.sheet's
	}
	if err := scenegen.WriteRecording(path, rng, film, c.params); err != nil {
		t.Fatal(err)
	}
	runOnce := func(flags ...string) (string, []jsonline.Reading) {
		args := append([]string{"run", "--source", path, "--json", "--no-time", "--listen", "off"}, flags...)
		code, stdout, stderr := edgeconv(t, context.Background(), args...)
		if code != 0 {
			t.Fatalf("run %q: exit %d: %s", flags, code, stderr)
		}
		if !strings.Contains(stderr, fmt.Sprintf("%d frames (%d captured, 0 dropped", n, n)) {
			t.Fatalf("run %q did not replay the %d frames: %s", flags, n, stderr)
		}
		if strings.TrimSpace(stdout) == "" {
			return stdout, nil
		}
		return stdout, parseRunLines(t, stdout)
	}
	out, lines := runOnce()
	if again {
		if out2, _ := runOnce(); out2 != out {
			t.Errorf("two runs printed different lines:\n%s\nand\n%s", out, out2)
		}
	}
	_, raw := runOnce("--no-fuse", "--stable", "1")
	perFrame := frameReadings(raw, n)
	// Without fusion, what --stable 3 reports: the text read alone in 3
	// frames in a row (as firmware.Smoother decides on a reading's text).
	before := stableReadings(perFrame, 3)
	want := func(f int) string {
		if c.first != nil && c.params.Phase(f).Sheet == 0 {
			return c.first.digits
		}
		return c.sheet.digits
	}
	last := func(lines []jsonline.Reading) string {
		if len(lines) == 0 {
			return ""
		}
		return lines[len(lines)-1].Text
	}
	lastOf := func(readings []string) string { return readings[len(readings)-1] }
	right := func(readings []string, onlyStill bool) (k, of int) {
		for f, r := range readings {
			if onlyStill && !c.params.Phase(f).Still {
				continue
			}
			of++
			if d, _ := score.Digits(r); d == want(f) {
				k++
			}
		}
		return k, of
	}
	var r recordingResult
	r.done = true
	r.lastText, r.unfusedTx = last(lines), lastOf(before)
	got, _ := score.Digits(r.lastText)
	r.settled = score.Reading(got, c.sheet.digits)
	gotBefore, _ := score.Digits(r.unfusedTx)
	r.unfused = score.Reading(gotBefore, c.sheet.digits)
	reported := frameReadings(lines, n)
	r.right, r.frames = right(reported, false)
	r.stillRight, r.still = right(reported, true)
	r.stillUnfused, _ = right(before, true)
	r.raw, _ = right(perFrame, false)
	r.rawStill, _ = right(perFrame, true)
	if r.settledRight = got == c.sheet.digits; r.settledRight {
		r.settle = int(lines[len(lines)-1].Frame) - 1 - (n - r.still)
	}
	if c.first != nil {
		// The first sheet must have been read while it was in view.
		seen := false
		for f, rd := range reported {
			if d, _ := score.Digits(rd); d == c.first.digits && c.params.Phase(f).Sheet == 0 {
				seen = true
			}
		}
		if !seen {
			t.Errorf("the first sheet (%s) was never read", c.first.name)
		}
	}
	t.Logf("settled on %q: %v, %d frames from the first still one; reported reading right in %d of %d frames, %d of %d still frames; "+
		"unfused: settled on %q, %d still frames right; each frame's own reading right in %d of %d frames, %d still",
		r.lastText, r.settled, r.settle, r.right, r.frames, r.stillRight, r.still, r.unfusedTx, r.stillUnfused, r.raw, r.frames, r.rawStill)
	return r
}
