// Package jpeg420 decodes a JPEG image straight into a caller's 4:2:0
// *image.YCbCr frame, the frame type of package camera, turned upright by
// its EXIF orientation if asked. It is Go's image/jpeg decoder (Go 1.26,
// BSD licence, see LICENSE) reworked for speed and for a destination that
// the caller owns, so that a reused Decoder allocates nothing for a
// baseline image.
//
// # What it produces
//
// The Y plane, and for 4:2:0 files the Cb and Cr planes, hold exactly the
// samples image/jpeg decodes. Files with other chroma subsampling are
// brought to 4:2:0 as their blocks are stored: each 4:2:0 sample is the
// rounded mean, (a+b+c+d+2)>>2, of the decoded chroma samples of the four
// pixels it covers (4:4:4 averages 2x2 samples, 4:2:2 and 4:1:1 two rows,
// 4:4:0 two columns; 4:1:0 copies). Grey files get neutral chroma, 128.
// Options.LumaOnly decodes the Y plane alone and fills the chroma with 128:
// the chroma blocks are still Huffman-decoded, to find the next block, but
// not dequantised, transformed or stored.
//
// RGB-, CMYK- and YCCK-coded files, rare outside print, return
// ErrUnsupportedColour, and callers decode them with image/jpeg.
//
// # Orientation
//
// Phones store a photo as the sensor saw it and record in EXIF (tag 0x0112
// of IFD0, in an APP1 segment) how to turn it. DecodeConfig reports the
// orientation, 1 to 8 as EXIF numbers them (1 when absent or invalid), and
// Options.Orientation makes Decode store each block where it belongs in the
// upright frame: no second pass over the image. A block is turned on the
// stack and stored as 8 rows of 8 bytes, so that a photo turned a quarter
// costs about 6% more to decode than an upright one. For odd widths or heights
// that are mirrored, the chroma planes are mirrored as planes, which moves
// the chroma of the last row or column by one pixel: 4:2:0 cannot pair
// those pixels otherwise. Orient applies the same transform to a whole
// frame, for images decoded by other means.
//
// # Speed
//
// Changes from image/jpeg that make it faster, all exact (tests compare
// every plane with image/jpeg's on Go's own test images and by fuzzing):
//
//   - The data is a byte slice, not an io.Reader, and the bit reader keeps
//     64 bits, refilled eight bytes at a time where no 0xFF byte (a stuffed
//     byte or a marker) is among them.
//   - Huffman codes are looked up 9 bits at a time, and an AC coefficient
//     whose code and magnitude bits fit in those 9 bits, most of them, is
//     decoded in one look-up.
//   - Coefficients are dequantised as they are decoded, not in a pass over
//     the 64 of a block.
//   - The inverse DCT skips the row transform of rows that are all zero and
//     the column transform when only the first row holds coefficients (a
//     flat block, typical of paper and of chroma), which gives the same
//     values; its column pass level-shifts and clamps straight into bytes.
//
// Hostile input: a file's size comes from its header, and the caller is
// expected to check it (DecodeConfig) before it allocates a frame; Decode
// writes only into the frame it is given and refuses one of another size.
// Corrupt entropy-coded data is read as zeros past its end, like libjpeg,
// but an image whose scans need bits past their end is an error, as in
// image/jpeg.
package jpeg420

import (
	"errors"
	"image"
)

// ErrUnsupportedColour is returned for JPEG files coded as RGB, CMYK or
// YCCK, which callers decode with image/jpeg.
var ErrUnsupportedColour = errors.New("jpeg420: the image is not stored as grey or YCbCr")

// ErrDstSize is returned by Decode for a destination that is not a 4:2:0
// frame of the image's size (after orientation).
var ErrDstSize = errors.New("jpeg420: destination is not a 4:2:0 frame of the image's size")

// Config is what DecodeConfig reads from a JPEG's headers.
type Config struct {
	// Width and Height are the size as stored, before orientation.
	Width, Height int
	// Orientation is the EXIF orientation, 1 to 8; 1 (upright) when the
	// file has none or an invalid one.
	Orientation int
	// Components is 1 for grey files, 3 for YCbCr and RGB, 4 for CMYK and
	// YCCK.
	Components int
	// Supported is true for grey and YCbCr files, which Decode decodes;
	// for the others it returns ErrUnsupportedColour.
	Supported bool
}

// Size returns the size of the upright image that orientation o gives:
// width and height swap for orientations 5 to 8.
func (c Config) Size(o int) image.Point {
	if o >= 5 && o <= 8 {
		return image.Point{c.Height, c.Width}
	}
	return image.Point{c.Width, c.Height}
}

// Options controls Decode.
type Options struct {
	// Orientation turns the image as EXIF orientation 1 to 8 says; 0 and 1
	// store it as it is.
	Orientation int
	// LumaOnly decodes the Y plane alone and fills the chroma planes with
	// 128.
	LumaOnly bool
}

// Decoder decodes JPEG images. Its zero value is ready to use; reusing one
// keeps its tables and buffers, so that decoding baseline images allocates
// nothing. A Decoder is not safe for concurrent use.
type Decoder struct {
	d decoder
}

// DecodeConfig reads the size, the colour model and the EXIF orientation
// from data's headers, without decoding the image.
func DecodeConfig(data []byte) (Config, error) {
	var d decoder
	return d.config(data)
}

// Decode decodes the JPEG image in data into dst, a 4:2:0 frame whose size
// is the image's after opts.Orientation (see Config.Size); the origin of
// dst.Rect must have even coordinates. When it returns an error, dst holds
// part of the image.
func (dec *Decoder) Decode(dst *image.YCbCr, data []byte, opts Options) error {
	return dec.d.decode(dst, data, opts)
}
