// Copyright 2009 The Go Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package jpeg420

import (
	"image"
	"io"
)

// A FormatError reports that the input is not a valid JPEG.
type FormatError string

func (e FormatError) Error() string { return "invalid JPEG format: " + string(e) }

// An UnsupportedError reports that the input uses a valid but unimplemented JPEG feature.
type UnsupportedError string

func (e UnsupportedError) Error() string { return "unsupported JPEG feature: " + string(e) }

var errUnsupportedSubsamplingRatio = UnsupportedError("luma/chroma subsampling ratio")

// Component specification, specified in section B.2.2.
type component struct {
	h  int   // Horizontal sampling factor.
	v  int   // Vertical sampling factor.
	c  uint8 // Component identifier.
	tq uint8 // Quantization table destination selector.
}

const (
	dcTable = 0
	acTable = 1
	maxTc   = 1
	maxTh   = 3
	maxTq   = 3

	maxComponents = 4
)

const (
	sof0Marker = 0xc0 // Start Of Frame (Baseline Sequential).
	sof1Marker = 0xc1 // Start Of Frame (Extended Sequential).
	sof2Marker = 0xc2 // Start Of Frame (Progressive).
	dhtMarker  = 0xc4 // Define Huffman Table.
	rst0Marker = 0xd0 // ReSTart (0).
	rst7Marker = 0xd7 // ReSTart (7).
	soiMarker  = 0xd8 // Start Of Image.
	eoiMarker  = 0xd9 // End Of Image.
	sosMarker  = 0xda // Start Of Scan.
	dqtMarker  = 0xdb // Define Quantization Table.
	driMarker  = 0xdd // Define Restart Interval.
	comMarker  = 0xfe // COMment.
	// "APPlication specific" markers aren't part of the JPEG spec per se,
	// but in practice, their use is described at
	// https://www.sno.phy.queensu.ca/~phil/exiftool/TagNames/JPEG.html
	app0Marker  = 0xe0
	app1Marker  = 0xe1 // jpeg420: EXIF
	app14Marker = 0xee
	app15Marker = 0xef
)

// See https://www.sno.phy.queensu.ca/~phil/exiftool/TagNames/JPEG.html#Adobe
const (
	adobeTransformUnknown = 0
	adobeTransformYCbCr   = 1
	adobeTransformYCbCrK  = 2
)

// unzig maps from the zig-zag ordering to the natural ordering. For example,
// unzig[3] is the column and row of the fourth element in zig-zag order. The
// value is 16, which means first column (16%8 == 0) and third row (16/8 == 2).
var unzig = [blockSize]uint8{
	0, 1, 8, 16, 9, 2, 3, 10,
	17, 24, 32, 25, 18, 11, 4, 5,
	12, 19, 26, 33, 40, 48, 41, 34,
	27, 20, 13, 6, 7, 14, 21, 28,
	35, 42, 49, 56, 57, 50, 43, 36,
	29, 22, 15, 23, 30, 37, 44, 51,
	58, 59, 52, 45, 38, 31, 39, 46,
	53, 60, 61, 54, 47, 55, 62, 63,
}

// decoder is the state of one decode. jpeg420: it reads from a byte slice
// (data, pos) through a 64-bit bit reader (acc, n, pad) instead of an
// io.Reader, and stores into the planes of a caller's frame.
type decoder struct {
	data []byte
	pos  int // the next byte of data to read
	// acc holds n unread bits of entropy-coded data, most significant
	// first; the bits below them are zero. The last pad of the n bits are
	// not data but zeros appended past a marker or the end of the data:
	// consuming them (n < pad) means the scan was short.
	acc  uint64
	n    uint
	pad  uint
	stop bool // the bit reader reached a marker or the end of the data

	width, height int

	ri    int // Restart Interval.
	nComp int

	// As per section 4.5, there are four modes of operation (selected by the
	// SOF? markers): sequential DCT, progressive DCT, lossless and
	// hierarchical, although this implementation does not support the latter
	// two non-DCT modes. Sequential DCT is further split into baseline and
	// extended, as per section 4.11.
	baseline    bool
	progressive bool

	jfif                bool
	adobeTransformValid bool
	adobeTransform      uint8
	eobRun              uint16 // End-of-Band run, specified in section G.1.2.2.
	orientation         int    // jpeg420: from EXIF, 0 if none was read

	comp       [maxComponents]component
	progCoeffs [maxComponents][]block // Saved state between progressive-mode scans.
	huff       *huffTables
	quant      [maxTq + 1]block // Quantization tables, in zig-zag order.

	// jpeg420: the destination.
	opts    Options
	dst     *image.YCbCr
	planes  [3]plane // Y, Cb, Cr
	started bool     // the planes are set up (the first SOS was seen)
	written [3]bool  // a scan stored blocks of this component
}

// huffTables are the Huffman tables, DC and AC, by destination.
type huffTables [maxTc + 1][maxTh + 1]huffman

// reset prepares d for a new image, keeping its allocations.
func (d *decoder) reset(data []byte) {
	pc, huff := d.progCoeffs, d.huff
	if huff != nil { // nil before the first decode
		for i := range huff {
			for j := range huff[i] {
				// The fast tables are read without looking at nCodes:
				// clear them, so that an undefined table cannot act as
				// an old one.
				huff[i][j].nCodes = 0
				clear(huff[i][j].fast[:])
			}
		}
	}
	*d = decoder{data: data, huff: huff}
	for i := range pc {
		d.progCoeffs[i] = pc[i][:0]
	}
}

// errUnexpectedEOF is what image/jpeg returns for a file that ends early.
var errUnexpectedEOF = io.ErrUnexpectedEOF

// take returns the next n bytes of the data, or an error if the data ends
// first.
func (d *decoder) take(n int) ([]byte, error) {
	if n > len(d.data)-d.pos {
		return nil, errUnexpectedEOF
	}
	b := d.data[d.pos : d.pos+n]
	d.pos += n
	return b, nil
}

// ignore skips the next n bytes.
func (d *decoder) ignore(n int) error {
	_, err := d.take(n)
	return err
}

// Specified in section B.2.2.
func (d *decoder) processSOF(n int) error {
	if d.nComp != 0 {
		return FormatError("multiple SOF markers")
	}
	switch n {
	case 6 + 3*1: // Grayscale image.
		d.nComp = 1
	case 6 + 3*3: // YCbCr or RGB image.
		d.nComp = 3
	case 6 + 3*4: // YCbCrK or CMYK image.
		d.nComp = 4
	default:
		return UnsupportedError("number of components")
	}
	tmp, err := d.take(n)
	if err != nil {
		return err
	}
	// We only support 8-bit precision.
	if tmp[0] != 8 {
		return UnsupportedError("precision")
	}
	d.height = int(tmp[1])<<8 + int(tmp[2])
	d.width = int(tmp[3])<<8 + int(tmp[4])
	if int(tmp[5]) != d.nComp {
		return FormatError("SOF has wrong length")
	}

	for i := 0; i < d.nComp; i++ {
		d.comp[i].c = tmp[6+3*i]
		// Section B.2.2 states that "the value of C_i shall be different from
		// the values of C_1 through C_(i-1)".
		for j := 0; j < i; j++ {
			if d.comp[i].c == d.comp[j].c {
				return FormatError("repeated component identifier")
			}
		}

		d.comp[i].tq = tmp[8+3*i]
		if d.comp[i].tq > maxTq {
			return FormatError("bad Tq value")
		}

		hv := tmp[7+3*i]
		h, v := int(hv>>4), int(hv&0x0f)
		if h < 1 || 4 < h || v < 1 || 4 < v {
			return FormatError("luma/chroma subsampling ratio")
		}
		if h == 3 || v == 3 {
			return errUnsupportedSubsamplingRatio
		}
		switch d.nComp {
		case 1:
			// If a JPEG image has only one component, section A.2 says "this data
			// is non-interleaved by definition" and section A.2.2 says "[in this
			// case...] the order of data units within a scan shall be left-to-right
			// and top-to-bottom... regardless of the values of H_1 and V_1". Section
			// 4.8.2 also says "[for non-interleaved data], the MCU is defined to be
			// one data unit". Similarly, section A.1.1 explains that it is the ratio
			// of H_i to max_j(H_j) that matters, and similarly for V. For grayscale
			// images, H_1 is the maximum H_j for all components j, so that ratio is
			// always 1. The component's (h, v) is effectively always (1, 1): even if
			// the nominal (h, v) is (2, 1), a 20x5 image is encoded in three 8x8
			// MCUs, not two 16x8 MCUs.
			h, v = 1, 1

		case 3:
			// For YCbCr images, we only support 4:4:4, 4:4:0, 4:2:2, 4:2:0,
			// 4:1:1 or 4:1:0 chroma subsampling ratios. This implies that the
			// (h, v) values for the Y component are either (1, 1), (1, 2),
			// (2, 1), (2, 2), (4, 1) or (4, 2), and the Y component's values
			// must be a multiple of the Cb and Cr component's values. We also
			// assume that the two chroma components have the same subsampling
			// ratio.
			switch i {
			case 0: // Y.
				// We have already verified, above, that h and v are both
				// either 1, 2 or 4, so invalid (h, v) combinations are those
				// with v == 4.
				if v == 4 {
					return errUnsupportedSubsamplingRatio
				}
			case 1: // Cb.
				if d.comp[0].h%h != 0 || d.comp[0].v%v != 0 {
					return errUnsupportedSubsamplingRatio
				}
			case 2: // Cr.
				if d.comp[1].h != h || d.comp[1].v != v {
					return errUnsupportedSubsamplingRatio
				}
			}

		case 4:
			// For 4-component images (either CMYK or YCbCrK), we only support two
			// hv vectors: [0x11 0x11 0x11 0x11] and [0x22 0x11 0x11 0x22].
			switch i {
			case 0:
				if hv != 0x11 && hv != 0x22 {
					return errUnsupportedSubsamplingRatio
				}
			case 1, 2:
				if hv != 0x11 {
					return errUnsupportedSubsamplingRatio
				}
			case 3:
				if d.comp[0].h != h || d.comp[0].v != v {
					return errUnsupportedSubsamplingRatio
				}
			}
		}

		d.comp[i].h = h
		d.comp[i].v = v
	}
	return nil
}

// Specified in section B.2.4.1.
func (d *decoder) processDQT(n int) error {
loop:
	for n > 0 {
		n--
		x, err := d.take(1)
		if err != nil {
			return err
		}
		tq := x[0] & 0x0f
		if tq > maxTq {
			return FormatError("bad Tq value")
		}
		switch x[0] >> 4 {
		default:
			return FormatError("bad Pq value")
		case 0:
			if n < blockSize {
				break loop
			}
			n -= blockSize
			tmp, err := d.take(blockSize)
			if err != nil {
				return err
			}
			for i := range d.quant[tq] {
				d.quant[tq][i] = int32(tmp[i])
			}
		case 1:
			if n < 2*blockSize {
				break loop
			}
			n -= 2 * blockSize
			tmp, err := d.take(2 * blockSize)
			if err != nil {
				return err
			}
			for i := range d.quant[tq] {
				d.quant[tq][i] = int32(tmp[2*i])<<8 | int32(tmp[2*i+1])
			}
		}
	}
	if n != 0 {
		return FormatError("DQT has wrong length")
	}
	return nil
}

// Specified in section B.2.4.4.
func (d *decoder) processDRI(n int) error {
	if n != 2 {
		return FormatError("DRI has wrong length")
	}
	tmp, err := d.take(2)
	if err != nil {
		return err
	}
	d.ri = int(tmp[0])<<8 + int(tmp[1])
	return nil
}

func (d *decoder) processApp0Marker(n int) error {
	if n < 5 {
		return d.ignore(n)
	}
	tmp, err := d.take(n)
	if err != nil {
		return err
	}
	d.jfif = tmp[0] == 'J' && tmp[1] == 'F' && tmp[2] == 'I' && tmp[3] == 'F' && tmp[4] == '\x00'
	return nil
}

// processApp1Marker reads the EXIF orientation from the first APP1 segment
// that holds EXIF data. jpeg420: image/jpeg ignores APP1.
func (d *decoder) processApp1Marker(n int) error {
	seg, err := d.take(n)
	if err != nil {
		return err
	}
	if d.orientation == 0 {
		if o, ok := exifOrientation(seg); ok {
			d.orientation = o
		}
	}
	return nil
}

func (d *decoder) processApp14Marker(n int) error {
	if n < 12 {
		return d.ignore(n)
	}
	tmp, err := d.take(n)
	if err != nil {
		return err
	}
	if tmp[0] == 'A' && tmp[1] == 'd' && tmp[2] == 'o' && tmp[3] == 'b' && tmp[4] == 'e' {
		d.adobeTransformValid = true
		d.adobeTransform = tmp[11]
	}
	return nil
}

// config reads the headers up to the first scan.
func (d *decoder) config(data []byte) (Config, error) {
	d.reset(data)
	if err := d.markers(true); err != nil {
		return Config{}, err
	}
	o := d.orientation
	if o == 0 {
		o = 1
	}
	return Config{Width: d.width, Height: d.height, Orientation: o, Components: d.nComp,
		Supported: d.nComp == 1 || d.nComp == 3 && !d.isRGB()}, nil
}

// decode decodes data into dst.
func (d *decoder) decode(dst *image.YCbCr, data []byte, opts Options) error {
	d.reset(data)
	if d.huff == nil {
		d.huff = new(huffTables)
	}
	if opts.Orientation < 0 || opts.Orientation > 8 {
		return FormatError("bad orientation")
	}
	if opts.Orientation == 0 {
		opts.Orientation = 1
	}
	d.opts, d.dst = opts, dst
	if err := d.markers(false); err != nil {
		return err
	}
	if d.progressive {
		if err := d.reconstructProgressiveImage(); err != nil {
			return err
		}
	}
	if !d.started {
		return FormatError("missing SOS marker")
	}
	// image/jpeg leaves a component that no scan coded at zero.
	for c := range min(d.nComp, 3) {
		if !d.written[c] && (c == 0 || !opts.LumaOnly) {
			d.planes[c].fill(0)
		}
	}
	return nil
}

// markers processes the segments of the image until its end (EOI) or, if
// configOnly, its first scan.
func (d *decoder) markers(configOnly bool) error {
	// Check for the Start Of Image marker.
	tmp, err := d.take(2)
	if err != nil {
		return err
	}
	if tmp[0] != 0xff || tmp[1] != soiMarker {
		return FormatError("missing SOI marker")
	}

	// Process the remaining segments until the End Of Image marker.
	for {
		tmp, err := d.take(2)
		if err != nil {
			return err
		}
		t0, t1 := tmp[0], tmp[1]
		for t0 != 0xff {
			// Strictly speaking, this is a format error. However, libjpeg is
			// liberal in what it accepts. As of version 9, next_marker in
			// jdmarker.c treats this as a warning (JWRN_EXTRANEOUS_DATA) and
			// continues to decode the stream. We are therefore also liberal
			// in what we accept. Extraneous data is silently ignored.
			b, err := d.take(1)
			if err != nil {
				return err
			}
			t0, t1 = t1, b[0]
		}
		marker := t1
		if marker == 0 {
			// Treat "\xff\x00" as extraneous data.
			continue
		}
		for marker == 0xff {
			// Section B.1.1.2 says, "Any marker may optionally be preceded by any
			// number of fill bytes, which are bytes assigned code X'FF'".
			b, err := d.take(1)
			if err != nil {
				return err
			}
			marker = b[0]
		}
		if marker == eoiMarker { // End Of Image.
			break
		}
		if rst0Marker <= marker && marker <= rst7Marker {
			// Figures B.2 and B.16 of the specification suggest that restart markers should
			// only occur between Entropy Coded Segments and not after the final ECS.
			// However, some encoders may generate incorrect JPEGs with a final restart
			// marker. That restart marker will be seen here instead of inside the processSOS
			// method, and is ignored as a harmless error. Restart markers have no extra data,
			// so we check for this before we read the 16-bit length of the segment.
			continue
		}

		// Read the 16-bit length of the segment. The value includes the 2 bytes for the
		// length itself, so we subtract 2 to get the number of remaining bytes.
		tmp, err = d.take(2)
		if err != nil {
			return err
		}
		n := int(tmp[0])<<8 + int(tmp[1]) - 2
		if n < 0 {
			return FormatError("short segment length")
		}

		switch marker {
		case sof0Marker, sof1Marker, sof2Marker:
			d.baseline = marker == sof0Marker
			d.progressive = marker == sof2Marker
			err = d.processSOF(n)
		case dhtMarker:
			if configOnly {
				err = d.ignore(n)
			} else {
				err = d.processDHT(n)
			}
		case dqtMarker:
			if configOnly {
				err = d.ignore(n)
			} else {
				err = d.processDQT(n)
			}
		case sosMarker:
			if configOnly {
				if d.nComp == 0 {
					return FormatError("missing SOF marker")
				}
				return nil
			}
			err = d.processSOS(n)
		case driMarker:
			if configOnly {
				err = d.ignore(n)
			} else {
				err = d.processDRI(n)
			}
		case app0Marker:
			err = d.processApp0Marker(n)
		case app1Marker:
			err = d.processApp1Marker(n)
		case app14Marker:
			err = d.processApp14Marker(n)
		default:
			if app0Marker <= marker && marker <= app15Marker || marker == comMarker {
				err = d.ignore(n)
			} else if marker < 0xc0 { // See Table B.1 "Marker code assignments".
				err = FormatError("unknown marker")
			} else {
				err = UnsupportedError("unknown marker")
			}
		}
		if err != nil {
			return err
		}
	}
	if configOnly {
		return FormatError("missing SOS marker")
	}
	return nil
}

// isRGB reports whether a three-component image is stored as RGB rather
// than YCbCr.
func (d *decoder) isRGB() bool {
	if d.jfif {
		return false
	}
	if d.adobeTransformValid && d.adobeTransform == adobeTransformUnknown {
		// https://www.sno.phy.queensu.ca/~phil/exiftool/TagNames/JPEG.html#Adobe
		// says that 0 means Unknown (and in practice RGB) and 1 means YCbCr.
		return true
	}
	return d.comp[0].c == 'R' && d.comp[1].c == 'G' && d.comp[2].c == 'B'
}
