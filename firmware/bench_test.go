package firmware

import (
	"strings"
	"testing"
	"time"

	"github.com/edgeconv/edgeconv/extract"
	"github.com/edgeconv/edgeconv/internal/benchmedian"
)

// BenchmarkFrame times one 640x480 frame → recognised digits on one
// goroutine (run with -cpu 1 for one core): scene00 has 17 digits, scene03
// 23. It reports the median of the per-frame times beside the mean
// (ns/op), and the digits per frame.
func BenchmarkFrame(b *testing.B) {
	for i, sc := range loadScenes(b) {
		name := sceneNames[i]
		b.Run(name+"/extract", func(b *testing.B) {
			ex := extract.NewExtractor(extract.Options{})
			ds := ex.Extract(sc.img, nil)
			benchmedian.Run(b, func() { ds = ex.Extract(sc.img, ds) })
			b.ReportMetric(float64(len(ds)), "digits")
		})
		seen := map[string]bool{}
		for _, float := range []bool{true, false} {
			rec, err := LoadRecognizer("", float)
			if err != nil {
				b.Fatal(err)
			}
			f := strings.Fields(rec.String())
			kind := f[len(f)-1] // float32 or int8
			if seen[kind] {
				continue // no int8 model embedded
			}
			seen[kind] = true
			b.Run(name+"/recognize-"+kind, func(b *testing.B) {
				ds := extract.NewExtractor(extract.Options{}).Extract(sc.img, nil)
				gs := make([]Guess, len(ds))
				benchmedian.Run(b, func() { rec.Recognize(ds, gs) })
				b.ReportMetric(float64(len(ds)), "digits")
			})
			b.Run(name+"/"+kind, func(b *testing.B) {
				l, err := New(Options{Source: staticSource{sc.img}, Recognizer: rec})
				if err != nil {
					b.Fatal(err)
				}
				var seq uint64
				benchmedian.Run(b, func() {
					seq++
					l.Step(sc.img, seq, time.Now(), 0)
				})
				b.ReportMetric(float64(l.Stats().Digits), "digits")
			})
		}
	}
}
