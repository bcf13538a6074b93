package jpeg420

import "encoding/binary"

// exifOrientation returns the orientation tag (0x0112) of IFD0 in the
// payload of an APP1 segment: "Exif\0\0", then a TIFF header (byte order
// "II" or "MM", 42, the offset of IFD0) and IFD0, whose 12-byte entries are
// tag, type, count and value. ok is false when the segment is not EXIF, the
// tag is absent or its value is not 1 to 8. Every offset is checked: the
// segment comes from the file.
func exifOrientation(seg []byte) (o int, ok bool) {
	const hdr = "Exif\x00\x00"
	if len(seg) < len(hdr)+8 || string(seg[:len(hdr)]) != hdr {
		return 0, false
	}
	tiff := seg[len(hdr):]
	var bo binary.ByteOrder
	switch string(tiff[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return 0, false
	}
	if bo.Uint16(tiff[2:]) != 42 {
		return 0, false
	}
	ifd := bo.Uint32(tiff[4:])
	if ifd < 8 || uint64(ifd)+2 > uint64(len(tiff)) {
		return 0, false
	}
	n := int(bo.Uint16(tiff[ifd:]))
	entries := tiff[ifd+2:]
	for i := 0; i < n && 12*i+12 <= len(entries); i++ {
		e := entries[12*i : 12*i+12]
		if bo.Uint16(e) != 0x0112 {
			continue
		}
		// Type SHORT (3), count 1: the value is in the first two bytes of
		// the value field.
		if bo.Uint16(e[2:]) != 3 || bo.Uint32(e[4:]) != 1 {
			return 0, false
		}
		v := int(bo.Uint16(e[8:]))
		if v < 1 || v > 8 {
			return 0, false
		}
		return v, true
	}
	return 0, false
}
