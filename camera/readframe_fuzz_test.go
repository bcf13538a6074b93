package camera

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/jpeg"
	"image/png"
	"testing"
)

// FuzzReadFrame feeds arbitrary files to ReadFrame, which read, predict
// and the image replays decode photos with: PNG and JPEG headers of any
// size, EXIF, damaged data. Errors are fine, panics are not, and a frame
// it returns is within the size limit.
func FuzzReadFrame(f *testing.F) {
	small := image.NewGray(image.Rect(0, 0, 16, 12))
	for i := range small.Pix {
		small.Pix[i] = uint8(i * 3)
	}
	var j, p bytes.Buffer
	jpeg.Encode(&j, small, nil)
	png.Encode(&p, small)
	f.Add(j.Bytes())
	f.Add(p.Bytes())
	// The 65535x65535 PNG header and the 65500x65500 JPEG header of
	// issue 14.
	huge := bytes.Clone(p.Bytes())
	ihdr := bytes.Index(huge, []byte("IHDR"))
	binary.BigEndian.PutUint32(huge[ihdr+4:], 65535)
	binary.BigEndian.PutUint32(huge[ihdr+8:], 65535)
	binary.BigEndian.PutUint32(huge[ihdr+17:], crc32.ChecksumIEEE(huge[ihdr:ihdr+17]))
	f.Add(huge[:ihdr+21])
	hj := bytes.Clone(j.Bytes())
	sof := bytes.Index(hj, []byte{0xFF, 0xC0})
	hj[sof+5], hj[sof+6], hj[sof+7], hj[sof+8] = 0xFF, 0xDC, 0xFF, 0xDC
	f.Add(hj)
	f.Fuzz(func(t *testing.T, data []byte) {
		// A valid header of a large image decodes slowly: the fuzzer
		// looks for crashes, not for what the pixel limit allows.
		if cfg, _, err := image.DecodeConfig(bytes.NewReader(data)); err == nil && cfg.Width*cfg.Height > 1<<20 {
			return
		}
		frame, err := ReadFrame(bytes.NewReader(data))
		if err != nil {
			return
		}
		b := frame.Bounds()
		if b.Min != (image.Point{}) || int64(b.Dx())*int64(b.Dy()) > maxImagePixels || b.Empty() {
			t.Fatalf("frame %v", b)
		}
	})
}
