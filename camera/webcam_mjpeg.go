package camera

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"sync"

	"github.com/edgeconv/edgeconv/camera/internal/jpeg420"
)

// mjpegDecoder decodes MJPEG frames into frames.
//
// Many webcams send JPEGs without Huffman tables (the AVI1 convention of
// Motion-JPEG: the decoder is to use the example tables of ITU T.81 Annex
// K.3). The decoder inserts the standard tables before the start of scan
// when a frame has none.
type mjpegDecoder struct {
	scratch []byte // the frame with tables inserted, reused
	dec     jpeg420.Decoder
}

var errNotJPEG = errors.New("camera: MJPEG frame is not a JPEG")

// decode decodes the JPEG in data into dst, whose size must be the frame's.
// It allocates nothing once scratch has grown, except for the rare frames
// coded as RGB, which go through image/jpeg.
func (m *mjpegDecoder) decode(dst *image.YCbCr, data []byte) error {
	sos, hasDHT, size, err := scanJPEG(data)
	if err != nil {
		return err
	}
	// Check the size from the frame header before decoding, so that a
	// corrupt frame cannot make a decoder allocate a huge image.
	if err := checkDst(dst, size.X, size.Y); err != nil {
		return err
	}
	if !hasDHT {
		dht := standardDHT()
		m.scratch = append(append(append(m.scratch[:0], data[:sos]...), dht...), data[sos:]...)
		data = m.scratch
	}
	// A video frame's orientation is the camera's: EXIF is not looked at.
	err = m.dec.Decode(dst, data, jpeg420.Options{})
	if errors.Is(err, jpeg420.ErrUnsupportedColour) {
		var img image.Image
		if img, err = jpeg.Decode(bytes.NewReader(data)); err == nil {
			err = CopyFrame(dst, ToFrame(img))
		}
	}
	if err != nil {
		return fmt.Errorf("camera: MJPEG frame: %w", err)
	}
	return nil
}

// scanJPEG walks the marker segments of a JPEG up to its first start of
// scan, returning the offset of that SOS marker, whether a Huffman table
// (DHT) came before it, and the image size from the frame header (SOFn).
func scanJPEG(data []byte) (sos int, hasDHT bool, size image.Point, err error) {
	if len(data) < 4 || data[0] != 0xFF || data[1] != 0xD8 {
		return 0, false, size, errNotJPEG
	}
	i := 2
	for i+4 <= len(data) {
		if data[i] != 0xFF {
			return 0, false, size, fmt.Errorf("%w: no marker at byte %d", errNotJPEG, i)
		}
		m := data[i+1]
		switch {
		case m == 0xFF: // Fill byte.
			i++
			continue
		case m == 0xDA:
			if size == (image.Point{}) {
				return 0, false, size, fmt.Errorf("%w: no frame header", errNotJPEG)
			}
			return i, hasDHT, size, nil
		case m == 0xC4:
			hasDHT = true
		case m >= 0xC0 && m <= 0xCF && m != 0xC8 && m != 0xCC: // SOFn.
			if i+9 > len(data) {
				return 0, false, size, fmt.Errorf("%w: short frame header", errNotJPEG)
			}
			size = image.Point{int(data[i+7])<<8 | int(data[i+8]), int(data[i+5])<<8 | int(data[i+6])}
		case m == 0x01 || (m >= 0xD0 && m <= 0xD7):
			i += 2
			continue
		}
		n := int(data[i+2])<<8 | int(data[i+3])
		if n < 2 {
			return 0, false, size, fmt.Errorf("%w: bad segment length at byte %d", errNotJPEG, i)
		}
		i += 2 + n
	}
	return 0, false, size, fmt.Errorf("%w: no start of scan", errNotJPEG)
}

var stdDHT struct {
	once sync.Once
	seg  []byte
}

// standardDHT returns a DHT segment with the four tables of ITU T.81 Annex
// K.3. It takes them from what image/jpeg's encoder writes, which are those
// tables, rather than restating 420 bytes of constants.
func standardDHT() []byte {
	stdDHT.once.Do(func() {
		var b bytes.Buffer
		img := image.NewRGBA(image.Rect(0, 0, 8, 8)) // Colour: all 4 tables.
		if err := jpeg.Encode(&b, img, nil); err != nil {
			panic("camera: encoding a JPEG: " + err.Error())
		}
		data := b.Bytes()
		for i := 2; i+4 <= len(data) && data[i+1] != 0xDA; {
			n := int(data[i+2])<<8 | int(data[i+3])
			if data[i+1] == 0xC4 {
				stdDHT.seg = append(stdDHT.seg, data[i:i+2+n]...)
			}
			i += 2 + n
		}
	})
	return stdDHT.seg
}
