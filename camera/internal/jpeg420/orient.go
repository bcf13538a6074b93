package jpeg420

import "image"

// Orient stores src, a 4:2:0 frame as an image file holds it, into dst,
// turned upright as EXIF orientation o (1 to 8) says; dst's size is
// Config.Size(o) of src's. Both origins must have even coordinates. It is
// for frames that Decode did not produce, such as RGB-coded JPEGs decoded
// by image/jpeg, and turns them exactly as Decode would.
func Orient(dst, src *image.YCbCr, o int) error {
	w, h := src.Rect.Dx(), src.Rect.Dy()
	size := Config{Width: w, Height: h}.Size(o)
	if o < 1 || o > 8 || !frameOK(src, w, h) || !frameOK(dst, size.X, size.Y) {
		return ErrDstSize
	}
	cw, ch := (w+1)/2, (h+1)/2
	orientPlane(newPlane(dst.Y, dst.YStride, w, h, o), src.Y, src.YStride)
	orientPlane(newPlane(dst.Cb, dst.CStride, cw, ch, o), src.Cb, src.CStride)
	orientPlane(newPlane(dst.Cr, dst.CStride, cw, ch, o), src.Cr, src.CStride)
	return nil
}

// orientPlane stores the p.w×p.h plane src, whose rows are stride bytes
// apart, into p row by row.
func orientPlane(p plane, src []byte, stride int) {
	for y := range p.h {
		p.store(src[y*stride:y*stride+p.w], p.w, 0, y, p.w, 1)
	}
}
