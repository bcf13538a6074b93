package reading_test

import (
	"bytes"
	"image"
	"image/jpeg"
	"math/rand/v2"
	"testing"

	"github.com/edgeconv/edgeconv/camera"
	"github.com/edgeconv/edgeconv/extract"
	"github.com/edgeconv/edgeconv/internal/benchmedian"
	"github.com/edgeconv/edgeconv/internal/scenegen"
	"github.com/edgeconv/edgeconv/internal/testscenes"
	"github.com/edgeconv/edgeconv/model/modeltest"
	"github.com/edgeconv/edgeconv/reading"
)

// BenchmarkRead times what `edgeconv read` does with one 1280x960 photo, on
// one goroutine (run with -cpu 1): decode the JPEG into a colour frame as
// read does (camera.ReadFrame), then read it as a photo (Reader.ReadPhoto,
// its second looks included) with a Reader over the embedded int8 model,
// the work of read minus printing: "all". The photo is a generated scene
// of MNIST test digits (the hard family: shadows, perspective, coloured
// ink and paper, blur) saved as a phone would, JPEG quality 90.
// Sub-benchmarks time the stages alone: decode, extract (the extractor
// alone), recognize (the classifier alone on the photo's digits), and
// frame: the decoded photo read once as run reads a camera's frame
// (Reader.Read). Each reports the median time per photo (median-ms) beside
// the mean (ns/op), and the digits found.
func BenchmarkRead(b *testing.B) {
	m := testscenes.MNIST(b)
	sc := scenegen.Generate(rand.New(rand.NewPCG(2026, 1128)), m, scenegen.Hard(1280, 960))
	var photo bytes.Buffer
	if err := jpeg.Encode(&photo, sc.RGB, &jpeg.Options{Quality: 90}); err != nil {
		b.Fatal(err)
	}
	r := newReader(b, modeltest.Default(b), reading.Options{MinConfidence: 0.8})
	frame := decodeFrame(b, photo.Bytes())
	rd := r.Read(frame)
	var px []uint8
	for _, c := range rd.Candidates {
		px = append(px, c.Pixels[:]...)
	}

	b.Run("decode", func(b *testing.B) {
		benchmedian.Run(b, func() { frame = decodeFrame(b, photo.Bytes()) })
	})
	b.Run("extract", func(b *testing.B) {
		ex := extract.NewExtractor(extract.Options{})
		var digits []extract.Digit
		benchmedian.Run(b, func() { digits = ex.Extract(frame, digits) })
		b.ReportMetric(float64(len(digits)), "digits")
	})
	b.Run("recognize", func(b *testing.B) {
		benchmedian.Run(b, func() { r.Classifier().Classify(px) })
	})
	b.Run("all", func(b *testing.B) {
		benchmedian.Run(b, func() { rd = r.ReadPhoto(decodeFrame(b, photo.Bytes())) })
		b.ReportMetric(float64(len(rd.Candidates)), "digits")
	})
	b.Run("frame", func(b *testing.B) {
		benchmedian.Run(b, func() { rd = r.Read(decodeFrame(b, photo.Bytes())) })
		b.ReportMetric(float64(len(rd.Candidates)), "digits")
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
