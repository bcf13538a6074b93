// Package jpegluma decodes the luma (Y) plane of a JPEG image and nothing
// else: it is Go's image/jpeg decoder (Go 1.26, BSD licence, see LICENSE)
// with the inverse DCT of the chroma blocks left out. The chroma
// coefficients must still be Huffman-decoded to find the next block, but
// their dequantisation, IDCT and storage, a third of the blocks of a 4:2:0
// photo and most of a decode's time, are skipped.
//
// Why a fork: edgeconv reads digits from grey levels only, a camera's Y
// plane, and decoding a 1280x960 colour photo with image/jpeg took about
// 13 ms, more than extracting and recognising its digits together. No
// maintained pure-Go decoder offers a luma-only mode.
//
// Changes from image/jpeg, each marked "jpegluma" in the code: DecodeGray
// is the only entry point; the encoder, the forward DCT, Decode,
// DecodeConfig, the CMYK and RGB conversions and the image.RegisterFormat
// call are removed; scans skip reconstructing components other than the
// first; CMYK/YCCK and RGB-coded files, whose first component is not the
// luma, return ErrNotLuma, and callers decode them with image/jpeg.
package jpegluma

import (
	"errors"
	"image"
	"io"
)

// ErrNotLuma is returned for JPEG files whose first component is not the
// luma (CMYK, YCCK and RGB-coded files).
var ErrNotLuma = errors.New("jpegluma: the image is not stored as grey or YCbCr")

// DecodeGray reads a JPEG image from r and returns its luma: for a grey
// file the image, for a YCbCr file its Y plane, with the bounds at the
// origin. The values are those image/jpeg decodes into the Y plane.
func DecodeGray(r io.Reader) (*image.Gray, error) {
	var d decoder
	img, err := d.decode(r, false)
	if err != nil {
		return nil, err
	}
	switch m := img.(type) {
	case *image.Gray:
		return m, nil
	case *image.YCbCr:
		return &image.Gray{Pix: m.Y, Stride: m.YStride, Rect: m.Rect}, nil
	}
	return nil, ErrNotLuma
}
