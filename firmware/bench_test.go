package firmware

import (
	"testing"
	"time"

	"github.com/edgeconv/edgeconv/extract"
	"github.com/edgeconv/edgeconv/internal/benchmedian"
	"github.com/edgeconv/edgeconv/model"
	"github.com/edgeconv/edgeconv/model/modeltest"
	"github.com/edgeconv/edgeconv/reading"
)

// BenchmarkFrame times one 640x480 frame → recognised digits on one
// goroutine (run with -cpu 1 for one core): scene00 has 17 digits, scene03
// 23. SCENE/extract is the extractor alone, SCENE/recognize-KIND the
// classifier alone on the frame's digits, SCENE/KIND a whole loop step
// (reading, fusion, smoothing, no outputs) with the embedded model run in KIND,
// int8 or float32 (dequantised). It reports the median of the per-frame
// times beside the mean (ns/op), and the digits per frame.
func BenchmarkFrame(b *testing.B) {
	m := modeltest.Default(b)
	for _, sc := range loadScenes(b) {
		name := sc.name
		ds := extract.NewExtractor(extract.Options{}).Extract(sc.img, nil)
		b.Run(name+"/extract", func(b *testing.B) {
			ex := extract.NewExtractor(extract.Options{})
			ds := ex.Extract(sc.img, nil)
			benchmedian.Run(b, func() { ds = ex.Extract(sc.img, ds) })
			b.ReportMetric(float64(len(ds)), "digits")
		})
		var px []uint8
		for _, d := range ds {
			px = append(px, d.Pixels[:]...)
		}
		for _, float := range []bool{true, false} {
			r, err := reading.New(m, reading.Options{Classifier: model.Options{Float: float}, MinConfidence: 0.8})
			if err != nil {
				b.Fatal(err)
			}
			kind := r.Classifier().Precision().String()
			b.Run(name+"/recognize-"+kind, func(b *testing.B) {
				benchmedian.Run(b, func() { r.Classifier().Classify(px) })
				b.ReportMetric(float64(len(ds)), "digits")
			})
			b.Run(name+"/"+kind, func(b *testing.B) {
				l, err := New(Options{Source: staticSource{sc.img}, Reader: r})
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
			r.Close()
		}
	}
}
