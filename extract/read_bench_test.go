package extract_test

import (
	"bytes"
	"image"
	"image/jpeg"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/edgeconv/edgeconv/camera"
	"github.com/edgeconv/edgeconv/extract"
	"github.com/edgeconv/edgeconv/firmware"
	"github.com/edgeconv/edgeconv/internal/benchmedian"
	"github.com/edgeconv/edgeconv/internal/scenegen"
)

// BenchmarkRead times what `edgeconv read` does with one 1280x960 photo, on
// one goroutine (run with -cpu 1): decode the JPEG into a colour frame,
// extract the digits and recognise them all with the embedded int8 model,
// which is the work of read minus printing. The photo
// is a generated scene of MNIST test digits (the hard family: shadows,
// perspective, coloured ink and paper) saved as a phone would, JPEG quality
// 90. Sub-benchmarks time the stages alone. Each reports the median time per
// photo (median-ms) beside the mean (ns/op), and the digits found.
func BenchmarkRead(b *testing.B) {
	m := loadTestMNIST(b)
	sc := scenegen.Generate(rand.New(rand.NewPCG(2026, 1128)), m, scenegen.Hard(1280, 960))
	var photo bytes.Buffer
	if err := jpeg.Encode(&photo, sc.RGB, &jpeg.Options{Quality: 90}); err != nil {
		b.Fatal(err)
	}
	rec, err := firmware.LoadRecognizer("", false)
	if err != nil {
		b.Fatal(err)
	}
	ex := extract.NewExtractor(extract.Options{})
	frame := decodeFrame(b, photo.Bytes())
	digits := ex.Extract(frame, nil)
	guesses := make([]firmware.Guess, len(digits))

	b.Run("decode", func(b *testing.B) {
		benchmedian.Run(b, func() { frame = decodeFrame(b, photo.Bytes()) })
	})
	b.Run("extract", func(b *testing.B) {
		benchmedian.Run(b, func() { digits = ex.Extract(frame, digits) })
		b.ReportMetric(float64(len(digits)), "digits")
	})
	b.Run("recognize", func(b *testing.B) {
		benchmedian.Run(b, func() { rec.Recognize(digits, guesses) })
	})
	b.Run("all", func(b *testing.B) {
		benchmedian.Run(b, func() {
			f := decodeFrame(b, photo.Bytes())
			digits = ex.Extract(f, digits)
			guesses = slices.Grow(guesses[:0], len(digits))[:len(digits)]
			rec.Recognize(digits, guesses)
		})
		b.ReportMetric(float64(len(digits)), "digits")
	})
}

// decodeFrame decodes an image file's bytes into a frame as `edgeconv read`
// does.
func decodeFrame(b *testing.B, data []byte) *image.YCbCr {
	f, err := camera.ReadFrame(bytes.NewReader(data))
	if err != nil {
		b.Fatal(err)
	}
	return f
}
