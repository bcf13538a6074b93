package firmware

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/edgeconv/edgeconv/extract"
)

// TestRecognizers: the embedded model is int8; its int8 run, its
// dequantised float32 run and the digits' true labels agree on the scenes.
func TestRecognizers(t *testing.T) {
	i8, err := LoadRecognizer("", false)
	if err != nil {
		t.Fatal(err)
	}
	f32, err := LoadRecognizer("", true)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(i8.String(), " int8") || !strings.HasSuffix(f32.String(), " float32") {
		t.Errorf("recognizers %q and %q", i8, f32)
	}
	ex := extract.NewExtractor(extract.Options{})
	var ds []extract.Digit
	for _, sc := range loadScenes(t) {
		ds = ex.Extract(sc.img, ds)
		want := strings.ReplaceAll(sc.text, "\n", "")
		if len(ds) != len(want) {
			t.Fatalf("%d digits found for %q", len(ds), want)
		}
		// More digits than a batch, to cover the batching.
		many := append(append(append([]extract.Digit(nil), ds...), ds...), ds...)
		g8, g32 := make([]Guess, len(many)), make([]Guess, len(many))
		i8.Recognize(many, g8)
		f32.Recognize(many, g32)
		for i := range many {
			w := int(want[i%len(ds)] - '0')
			if g8[i].Digit != w || g32[i].Digit != w {
				t.Errorf("digit %d: int8 %+v, float32 %+v, want %d", i, g8[i], g32[i], w)
			}
			if d := g8[i].Confidence - g32[i].Confidence; d > 0.05 || d < -0.05 {
				t.Errorf("digit %d: confidence int8 %v, float32 %v", i, g8[i].Confidence, g32[i].Confidence)
			}
		}
	}
}

func TestLoadRecognizerErrors(t *testing.T) {
	if _, err := LoadRecognizer(filepath.Join(t.TempDir(), "none.safetensors"), false); err == nil {
		t.Error("a missing file loaded")
	}
	bad := filepath.Join(t.TempDir(), "bad.safetensors")
	os.WriteFile(bad, []byte("not a model"), 0o644)
	if _, err := LoadRecognizer(bad, true); err == nil || !strings.Contains(err.Error(), "bad.safetensors") {
		t.Errorf("a malformed file: %v", err)
	}
}
