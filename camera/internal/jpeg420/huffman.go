// Copyright 2009 The Go Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package jpeg420

import "encoding/binary"

// maxCodeLength is the maximum (inclusive) number of bits in a Huffman code.
const maxCodeLength = 16

// maxNCodes is the maximum (inclusive) number of codes in a Huffman tree.
const maxNCodes = 256

// lutBits is the number of bits the look-up tables decode at once.
// jpeg420: 9, image/jpeg has 8; codes of 9 bits are common in AC tables.
const lutBits = 9

// huffman is a Huffman decoder, specified in section C.
type huffman struct {
	// length is the number of codes in the tree.
	nCodes int32
	// lut is the look-up table for the next lutBits bits in the bit-stream.
	// The high 8 bits of the uint16 are the encoded value. The low 8 bits
	// are the code length, or 0 if the code is longer than lutBits.
	lut [1 << lutBits]uint16
	// fast is, for AC decoding, the look-up table of whole coefficients:
	// where the next lutBits bits hold a code whose value has a non-zero
	// size s and the s bits of the coefficient after it, the entry is
	// coefficient<<16 | run<<8 | (code length + s); otherwise 0.
	// jpeg420: image/jpeg has no such table.
	fast [1 << lutBits]int32
	// vals are the decoded values, sorted by their encoding.
	vals [maxNCodes]uint8
	// minCodes[i] is the minimum code of length i+1, or -1 if there are no
	// codes of that length.
	minCodes [maxCodeLength]int32
	// maxCodes[i] is the maximum code of length i+1, or -1 if there are no
	// codes of that length.
	maxCodes [maxCodeLength]int32
	// valsIndices[i] is the index into vals of minCodes[i].
	valsIndices [maxCodeLength]int32
}

// errShortHuffmanData means that a scan needed more bits than its data
// holds.
var errShortHuffmanData = FormatError("short Huffman data")

// refill tops the bit reader up to at least 57 bits: eight bytes at a time
// where none of them is 0xFF, else byte by byte, removing the stuffed zero
// after a 0xFF. At a marker (0xFF followed by anything but 0) or the end of
// the data it stops reading and appends zeros, counted in pad.
// jpeg420: replaces image/jpeg's byte-at-a-time fill and ensureNBits.
func (d *decoder) refill() {
	for d.n <= 56 {
		if d.stop {
			d.pad += 64 - d.n
			d.n = 64
			return
		}
		if d.pos+8 <= len(d.data) {
			v := binary.BigEndian.Uint64(d.data[d.pos:])
			// No byte of v is 0xFF: no byte of ^v is zero.
			if (^v-0x0101010101010101)&v&0x8080808080808080 == 0 {
				k := (64 - d.n) >> 3 // whole bytes that fit
				v &^= 1<<(64-8*k) - 1
				d.acc |= v >> d.n
				d.n += 8 * k
				d.pos += int(k)
				continue
			}
		}
		if d.pos >= len(d.data) {
			d.stop = true
			continue
		}
		c := d.data[d.pos]
		if c == 0xff {
			if d.pos+1 >= len(d.data) || d.data[d.pos+1] != 0 {
				d.stop = true // a marker: leave it for the caller
				continue
			}
			d.pos += 2
		} else {
			d.pos++
		}
		d.acc |= uint64(c) << (56 - d.n)
		d.n += 8
	}
}

// resetBits empties the bit reader, at the start of a scan and after a
// restart marker.
func (d *decoder) resetBits() {
	d.acc, d.n, d.pad, d.stop = 0, 0, 0, false
}

// overread reports whether the bits consumed went past the data.
func (d *decoder) overread() bool {
	return d.n < d.pad
}

// receiveExtend is the composition of RECEIVE and EXTEND, specified in section
// F.2.2.1.
func (d *decoder) receiveExtend(t uint8) int32 {
	if d.n < uint(t) {
		d.refill()
	}
	x := int32(d.acc >> (64 - uint(t)) & (1<<t - 1)) // 0 for t == 0
	d.acc <<= t
	d.n -= uint(t)
	if x < 1<<t>>1 {
		x += ((-1) << t) + 1
	}
	return x
}

// processDHT processes a Define Huffman Table marker, and initializes a huffman
// struct from its contents. Specified in section B.2.4.2.
func (d *decoder) processDHT(n int) error {
	for n > 0 {
		if n < 17 {
			return FormatError("DHT has wrong length")
		}
		tmp, err := d.take(17)
		if err != nil {
			return err
		}
		tc := tmp[0] >> 4
		if tc > maxTc {
			return FormatError("bad Tc value")
		}
		th := tmp[0] & 0x0f
		// The baseline th <= 1 restriction is specified in table B.5.
		if th > maxTh || (d.baseline && th > 1) {
			return FormatError("bad Th value")
		}
		h := &d.huff[tc][th]

		// Read nCodes and h.vals (and derive h.nCodes).
		// nCodes[i] is the number of codes with code length i.
		// h.nCodes is the total number of codes.
		h.nCodes = 0
		var nCodes [maxCodeLength]int32
		for i := range nCodes {
			nCodes[i] = int32(tmp[i+1])
			h.nCodes += nCodes[i]
		}
		if h.nCodes == 0 {
			return FormatError("Huffman table has zero length")
		}
		if h.nCodes > maxNCodes {
			return FormatError("Huffman table has excessive length")
		}
		n -= int(h.nCodes) + 17
		if n < 0 {
			return FormatError("DHT has wrong length")
		}
		vals, err := d.take(int(h.nCodes))
		if err != nil {
			return err
		}
		copy(h.vals[:], vals)

		// Derive minCodes, maxCodes, and valsIndices.
		// jpeg420: a table with more codes of some length than that
		// length can hold is refused, as libjpeg does; image/jpeg builds
		// a table that decodes such codes in a way of its own.
		var c, index int32
		for i, n := range nCodes {
			if n == 0 {
				h.minCodes[i] = -1
				h.maxCodes[i] = -1
				h.valsIndices[i] = -1
			} else {
				h.minCodes[i] = c
				h.maxCodes[i] = c + n - 1
				h.valsIndices[i] = index
				c += n
				index += n
			}
			if c > 1<<(i+1) {
				h.nCodes = 0
				return FormatError("bad Huffman table")
			}
			c <<= 1
		}

		// Derive the look-up tables.
		clear(h.lut[:])
		clear(h.fast[:])
		var x, code uint32
		for i := uint32(0); i < lutBits; i++ {
			code <<= 1
			for j := int32(0); j < nCodes[i]; j++ {
				// The codeLength is 1+i, so shift code by lutBits-(1+i)
				// to calculate the high bits for every lutBits-bit
				// sequence whose codeLength's high bits matches code.
				base := code << (lutBits - 1 - i)
				val := h.vals[x]
				lutValue := uint16(val)<<8 | uint16(1+i)
				for k := uint32(0); k < 1<<(lutBits-1-i); k++ {
					h.lut[base|k] = lutValue
					if r, s := uint32(val>>4), uint32(val&15); s != 0 && 1+i+s <= lutBits {
						// The s bits after the code are the
						// coefficient's, as receiveExtend reads them.
						bits := int32(k>>(lutBits-1-i-s)) & (1<<s - 1)
						if bits < 1<<s>>1 {
							bits += (-1 << s) + 1
						}
						h.fast[base|k] = bits<<16 | int32(r)<<8 | int32(1+i+s)
					}
				}
				code++
				x++
			}
		}
	}
	return nil
}

// decodeHuffman returns the next Huffman-coded value from the bit-stream,
// decoded according to h.
func (d *decoder) decodeHuffman(h *huffman) (uint8, error) {
	if h.nCodes == 0 {
		return 0, FormatError("uninitialized Huffman table")
	}
	if d.n < maxCodeLength {
		d.refill()
	}
	if v := h.lut[d.acc>>(64-lutBits)]; v != 0 {
		n := v & 0xff
		d.acc <<= n
		d.n -= uint(n)
		return uint8(v >> 8), nil
	}
	// Codes longer than lutBits, in canonical order.
	code := int32(d.acc >> (64 - maxCodeLength))
	for i := lutBits; i < maxCodeLength; i++ {
		c := code >> (maxCodeLength - 1 - i)
		if c <= h.maxCodes[i] {
			d.acc <<= uint(i + 1)
			d.n -= uint(i + 1)
			return h.vals[h.valsIndices[i]+c-h.minCodes[i]], nil
		}
	}
	return 0, FormatError("bad Huffman code")
}

func (d *decoder) decodeBit() bool {
	if d.n == 0 {
		d.refill()
	}
	ret := d.acc>>63 != 0
	d.acc <<= 1
	d.n--
	return ret
}

func (d *decoder) decodeBits(n int32) uint32 {
	if d.n < uint(n) {
		d.refill()
	}
	ret := uint32(d.acc>>(64-uint(n))) & (1<<uint(n) - 1) // 0 for n == 0
	d.acc <<= uint(n)
	d.n -= uint(n)
	return ret
}
