package firmware

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/edgeconv/edgeconv/camera"
)

// BenchmarkFrame times one 640x480 frame → recognised digits on one
// goroutine (run with -cpu 1 for one core): scene00 has 17 digits, scene03
// 23. It reports the median of the per-frame times beside the mean
// (ns/op), and the digits per frame.
func BenchmarkFrame(b *testing.B) {
	for i, sc := range loadScenes(b) {
		name := sceneNames[i]
		b.Run(name+"/extract", func(b *testing.B) {
			ex := camera.NewExtractor(camera.Options{})
			ds := ex.Extract(sc.img, nil)
			benchMedian(b, func() { ds = ex.Extract(sc.img, ds) })
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
				ds := camera.NewExtractor(camera.Options{}).Extract(sc.img, nil)
				gs := make([]Guess, len(ds))
				benchMedian(b, func() { rec.Recognize(ds, gs) })
				b.ReportMetric(float64(len(ds)), "digits")
			})
			b.Run(name+"/"+kind, func(b *testing.B) {
				l, err := New(Options{Source: staticSource{sc.img}, Recognizer: rec})
				if err != nil {
					b.Fatal(err)
				}
				var seq uint64
				benchMedian(b, func() {
					seq++
					l.Step(sc.img, seq, time.Now(), 0)
				})
				b.ReportMetric(float64(l.Stats().Digits), "digits")
			})
		}
	}
}

// benchMedian runs fn b.N times and reports the median time per call.
func benchMedian(b *testing.B, fn func()) {
	b.ReportAllocs()
	times := make([]time.Duration, 0, 1024)
	fn() // warm up: buffers sized for the frame
	b.ResetTimer()
	for b.Loop() {
		t := time.Now()
		fn()
		if len(times) < cap(times) {
			times = append(times, time.Since(t))
		}
	}
	slices.Sort(times)
	if len(times) > 0 {
		b.ReportMetric(float64(times[len(times)/2])/1e6, "median-ms")
	}
}
