//go:build !race

package jpeg420

import (
	"image"
	"testing"
)

// TestDecodeAllocs: a reused Decoder allocates nothing for baseline images.
func TestDecodeAllocs(t *testing.T) {
	for _, data := range [][]byte{noisyJPEG(t, 320, 240, 90), mustRead(t, "testdata/video-005.gray.jpeg"), mustRead(t, "testdata/video-001.q50.444.jpeg")} {
		cfg, err := DecodeConfig(data)
		if err != nil {
			t.Fatal(err)
		}
		dst := image.NewYCbCr(image.Rect(0, 0, cfg.Width, cfg.Height), image.YCbCrSubsampleRatio420)
		var dec Decoder
		if err := dec.Decode(dst, data, Options{}); err != nil {
			t.Fatal(err)
		}
		if n := testing.AllocsPerRun(10, func() { dec.Decode(dst, data, Options{}) }); n != 0 {
			t.Errorf("%dx%d: %v allocations per decode, want 0", cfg.Width, cfg.Height, n)
		}
	}
}
