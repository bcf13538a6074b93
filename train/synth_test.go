package train

import (
	"crypto/sha256"
	"encoding/hex"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"runtime"
	"slices"
	"testing"
	"time"
)

// TestSynthDeterministic checks that the synthetic samples are a function
// of the seed and the index alone: any worker count renders the same
// bytes, a held-out set differs from the training one, another seed gives
// other images, and (on amd64, where the float operations are not fused)
// the bytes match a recorded hash, so a change to the generator is seen.
func TestSynthDeterministic(t *testing.T) {
	s := Synth{Negatives: 150, Digits: 50}
	a, err := Synthesize(s, 3, 1)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Synthesize(s, 3, 3)
	if string(a.Images) != string(b.Images) || string(a.Labels) != string(b.Labels) {
		t.Fatal("one and three workers rendered different samples")
	}
	c, _ := Synthesize(s, 4, 2)
	if string(a.Images) == string(c.Images) {
		t.Error("seeds 3 and 4 rendered the same samples")
	}
	h, _ := HeldOutNegatives(150, 3, 2)
	if string(h.Images) == string(a.Images[:150*784]) {
		t.Error("the held-out negatives are the training ones")
	}
	sum := sha256.Sum256(append(append([]byte(nil), a.Images...), a.Labels...))
	got := hex.EncodeToString(sum[:])
	if runtime.GOARCH == "amd64" && got != synthGolden {
		t.Errorf("samples hash to %s, want %s: if the generator changed on purpose, update synthGolden "+
			"(and retrain the embedded model)", got, synthGolden)
	}
}

const synthGolden = "84e56ce9680e8551854863dc917eba5a09623b1df2fa15e709dccbee9b11ada0"

// TestSynthMNISTStyle checks that every sample is rendered as the
// extractor presents a candidate: the longer side of the ink about 20
// pixels, the centre of mass at the centre, the brightest pixel full ink,
// strokes no thinner than the extractor leaves them; and the labels:
// negatives NotDigit, style digits every digit.
func TestSynthMNISTStyle(t *testing.T) {
	ds, err := Synthesize(Synth{Negatives: 400, Digits: 300}, 5, 2)
	if err != nil {
		t.Fatal(err)
	}
	var digits [10]int
	for i := range ds.N {
		img := ds.Image(i)
		label := ds.Labels[i]
		if (i < 400) != (label == NotDigit) {
			t.Fatalf("sample %d has label %d", i, label)
		}
		if label < 10 {
			digits[label]++
		}
		x0, y0, x1, y1 := 28, 28, 0, 0
		var peak uint8
		var s, sx, sy float64
		for p, v := range img {
			peak = max(peak, v)
			x, y := p%28, p/28
			s += float64(v)
			sx += float64(v) * (float64(x) + 0.5)
			sy += float64(v) * (float64(y) + 0.5)
			if v >= 64 {
				x0, y0, x1, y1 = min(x0, x), min(y0, y), max(x1, x+1), max(y1, y+1)
			}
		}
		if peak != 255 {
			t.Errorf("sample %d: brightest pixel %d, want 255", i, peak)
		}
		if L := max(x1-x0, y1-y0); L < 17 || L > 24 {
			t.Errorf("sample %d: ink %dx%d, want a longer side of about 20", i, x1-x0, y1-y0)
		}
		// Ink cut off at the border moves the centre a little.
		if cx, cy := sx/s, sy/s; math.Hypot(cx-14, cy-14) > 1.5 {
			t.Errorf("sample %d: centre of mass (%.1f, %.1f), want (14, 14)", i, cx, cy)
		}
	}
	for d, n := range digits {
		if n < 10 {
			t.Errorf("only %d style digits %d of 300", n, d)
		}
	}
}

// TestLooksLikeOne checks the guard that keeps 1s out of the negatives on
// MNIST: it must catch most 1s and almost nothing else.
func TestLooksLikeOne(t *testing.T) {
	test := loadOrSkip(t, Test)
	var hits, total [10]int
	var img [784]float32
	for i := range 3000 {
		test.Batch(img[:], nil, []int{i})
		d := test.Labels[i]
		total[d]++
		if looksLikeOne(&img) {
			hits[d]++
		}
	}
	others, otherTotal := 0, 0
	for d := range 10 {
		if d != 1 {
			others += hits[d]
			otherTotal += total[d]
		}
	}
	t.Logf("1s caught: %d of %d; other digits: %d of %d", hits[1], total[1], others, otherTotal)
	if float64(hits[1]) < 0.6*float64(total[1]) || float64(others) > 0.01*float64(otherTotal) {
		t.Errorf("the guard caught %d of %d 1s and %d of %d other digits", hits[1], total[1], others, otherTotal)
	}
}

// TestSynthFontsDisjoint checks that the held-out sets measure fonts that
// training does not see.
func TestSynthFontsDisjoint(t *testing.T) {
	for _, f := range append(slices.Clone(heldOutlineFonts), heldStrokeFonts...) {
		if slices.Contains(trainOutlineFonts, f) || slices.Contains(trainStrokeFonts, f) {
			t.Errorf("%s is both a training and a held-out font", f)
		}
	}
	if _, err := loadSynthFonts(); err != nil {
		t.Fatal(err)
	}
}

// TestSynthSheet writes a contact sheet of synthetic samples to the PNG
// named by EDGECONV_SYNTH_SHEET, for a person to look at: negatives in
// the top half, style digits (labelled by a mark per digit) below.
func TestSynthSheet(t *testing.T) {
	out := os.Getenv("EDGECONV_SYNTH_SHEET")
	if out == "" {
		t.Skip("EDGECONV_SYNTH_SHEET not set")
	}
	const per, rows = 30, 20
	start := time.Now()
	ds, err := Synthesize(Synth{Negatives: per * rows / 2, Digits: per * rows / 2}, 1, 2)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d samples in %v", ds.N, time.Since(start))
	if held := os.Getenv("EDGECONV_SYNTH_HELDOUT"); held != "" {
		a, _ := HeldOutNegatives(per*rows/2, 1, 2)
		b, _ := HeldOutDigits(per*rows/2, 1, 2)
		ds, _ = Concat(a, b)
	}
	img := image.NewRGBA(image.Rect(0, 0, per*30, rows*36))
	for i := range ds.N {
		x0, y0 := (i%per)*30, (i/per)*36
		for p, v := range ds.Image(i) {
			img.Set(x0+p%28, y0+p/28, color.Gray{v})
		}
		l := int(ds.Labels[i])
		for k := 0; k <= l; k++ {
			img.Set(x0+2*k, y0+31, color.RGBA{255, 200, 0, 255})
		}
	}
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
}
