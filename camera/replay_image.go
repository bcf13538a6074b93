package camera

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/draw"
	_ "image/gif" // The formats ReadFrame reads besides JPEG: ImageExts.
	"image/jpeg"
	_ "image/png"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	_ "golang.org/x/image/bmp"
	_ "golang.org/x/image/tiff" // scanners' format
	_ "golang.org/x/image/webp" // the web's, and some phones'

	"github.com/edgeconv/edgeconv/camera/internal/jpeg420"
)

// ImageExts are the extensions (lower case) of the image files that
// ReadFrame decodes, and that a folder replay or a --source plays.
var ImageExts = []string{".png", ".jpg", ".jpeg", ".webp", ".tif", ".tiff", ".bmp", ".gif"}

// maxReplayBytes bounds the frames a replay of image files holds in
// memory: 512 MiB, 1,100 frames of 640x480.
var maxReplayBytes = 512 << 20 // a variable for the tests

// OpenImages returns a Replay of the image files at paths (ImageExts), in that
// order. They are decoded now, as ReadFrame does, and held in memory, so
// that Capture only copies: 100 frames of 640x480 take 46 MB; more than
// 512 MiB of frames is an error. All images must have the same size
// (after EXIF orientation).
func OpenImages(paths []string, o *ReplayOpts) (*Replay, error) {
	if len(paths) == 0 {
		return nil, errNoFrames
	}
	frames := make([]*image.YCbCr, len(paths))
	total := 0
	for i, p := range paths {
		g, err := readImage(p)
		if err != nil {
			return nil, err
		}
		if total += len(g.Y) + len(g.Cb) + len(g.Cr); total > maxReplayBytes {
			return nil, fmt.Errorf("camera: %s: the images up to %s take more than the %d MiB a replay holds", paths[0], p, maxReplayBytes>>20)
		}
		if i > 0 && g.Rect.Size() != frames[0].Rect.Size() {
			s, s0 := g.Rect.Size(), frames[0].Rect.Size()
			return nil, fmt.Errorf("%w: %s is %dx%d, %s is %dx%d", ErrSize, p, s.X, s.Y, paths[0], s0.X, s0.Y)
		}
		frames[i] = g
	}
	r, err := NewFrames(frames, o)
	if err != nil {
		return nil, err
	}
	r.name = paths[0]
	if len(paths) > 1 {
		r.name = fmt.Sprintf("%s (+%d)", paths[0], len(paths)-1)
	}
	return r, nil
}

// OpenDir returns a Replay of the image files (ImageExts, any case) in
// the folder dir, sorted by name; see OpenImages. Name frames 0000.png,
// 0001.png… so that the order is the recording's.
func OpenDir(dir string, o *ReplayOpts) (*Replay, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("camera: %w", err)
	}
	var paths []string
	for _, e := range ents { // os.ReadDir sorts by name.
		if !e.IsDir() && IsImageFile(e.Name()) {
			paths = append(paths, filepath.Join(dir, e.Name()))
		}
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("%w: %s", errEmptyDir, dir)
	}
	r, err := OpenImages(paths, o)
	if err != nil {
		return nil, err
	}
	r.name = dir
	return r, nil
}

// IsImageFile reports whether name has one of ImageExts.
func IsImageFile(name string) bool {
	return slices.Contains(ImageExts, strings.ToLower(filepath.Ext(name)))
}

func readImage(path string) (*image.YCbCr, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("camera: %w", err)
	}
	defer f.Close()
	frame, err := ReadFrame(f)
	if err != nil {
		return nil, fmt.Errorf("camera: %s: %w", path, err)
	}
	return frame, nil
}

// maxImagePixels bounds the images ReadFrame decodes: 100 megapixels, more
// than any phone photograph.
const maxImagePixels = 100_000_000

// maxImageBytes bounds the files ReadFrame reads: 512 MiB, more than a
// 100-megapixel JPEG or PNG takes unless it is built to be large.
const maxImageBytes = 512 << 20

// ReadFrame decodes a JPEG, PNG, WebP, TIFF, BMP or GIF image (or any
// format registered with package image) from r into a new 4:2:0 frame with its origin at (0, 0),
// as a camera would deliver it.
//
// JPEG files are decoded straight into the frame by
// camera/internal/jpeg420, luma and chroma as image/jpeg decodes them
// (chroma subsampled otherwise than 4:2:0 is averaged down to it), and
// turned upright as their EXIF orientation says, so that a phone photo
// taken sideways is read the right way up. The rare files coded as RGB or
// CMYK go through image/jpeg. Other images are converted as ToFrame does.
// Images of more than 100 megapixels are refused from their header,
// before anything of their size is allocated, and files of more than 512
// MiB as they are read. A file in another format is an error that says
// which formats are read (and, for a phone's HEIF or AVIF photo, how to
// get a JPEG).
func ReadFrame(r io.Reader) (*image.YCbCr, error) {
	data, err := readAll(r)
	if err != nil {
		return nil, err
	}
	if len(data) > maxImageBytes {
		return nil, fmt.Errorf("image file of more than %d MiB", maxImageBytes>>20)
	}
	if len(data) >= 2 && data[0] == 0xFF && data[1] == 0xD8 {
		return decodeJPEG(data)
	}
	// The size in the header first: a corrupt or hostile file must not
	// make the decoder allocate gigabytes.
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if errors.Is(err, image.ErrFormat) {
		return nil, unknownFormat(data)
	}
	if err != nil {
		return nil, err
	}
	if err := checkPixels(cfg.Width, cfg.Height); err != nil {
		return nil, err
	}
	img, format, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	if format == "webp" {
		fullRange(img)
	}
	return ToFrame(img), nil
}

// fullRange stretches the planes of a lossy WebP, as golang.org/x/image/webp
// decodes it, from the video range VP8 codes them in (luma 16 to 235,
// chroma 16 to 240, BT.601 as libwebp's yuv.h has it) to the full range
// that image.YCbCr means (golang/go#40173): read as they are, black was
// grey 16 and white 235, a picture of paper some 14% flatter than its
// PNG. A lossless WebP decodes to NRGBA and is left as it is.
func fullRange(img image.Image) {
	var ycc *image.YCbCr
	switch m := img.(type) {
	case *image.YCbCr:
		ycc = m
	case *image.NYCbCrA:
		ycc = &m.YCbCr
	default:
		return
	}
	var luma, chroma [256]uint8
	for v := range 256 {
		luma[v] = uint8(min(max(math.Round(float64(v-16)*255/219), 0), 255))
		chroma[v] = uint8(min(max(math.Round(float64(v-128)*255/224)+128, 0), 255))
	}
	for i, v := range ycc.Y {
		ycc.Y[i] = luma[v]
	}
	for i, v := range ycc.Cb {
		ycc.Cb[i] = chroma[v]
	}
	for i, v := range ycc.Cr {
		ycc.Cr[i] = chroma[v]
	}
}

// unknownFormat is ReadFrame's error for a file in no format it decodes:
// which formats it does, and for HEIF and AVIF, which phones save (an
// iPhone's "High Efficiency" photos), how to get a JPEG. Their codecs,
// HEVC and AV1, have no decoder in Go without cgo, which the static Pi
// binary cannot have.
func unknownFormat(data []byte) error {
	// An ISO base media file opens with a box of type "ftyp" and its
	// major brand.
	if len(data) >= 12 && string(data[4:8]) == "ftyp" {
		switch brand := string(data[8:12]); brand {
		case "heic", "heix", "heim", "heis", "hevc", "hevx", "mif1", "msf1", "avif", "avis":
			name := "a HEIF (HEIC)"
			if brand[:2] == "av" {
				name = "an AVIF"
			}
			return fmt.Errorf("%s image, which edgeconv does not decode: convert it to JPEG or PNG "+
				"(heif-convert from Debian's libheif-examples, or ImageMagick's convert), or have the phone save JPEG "+
				"(on an iPhone: Settings, Camera, Formats, Most Compatible)", name)
		}
	}
	return fmt.Errorf("not an image in a format edgeconv decodes (JPEG, PNG, WebP, TIFF, BMP or GIF)")
}

// readAll reads r to its end, or to one byte past maxImageBytes. A reader
// that knows its length (an *os.File of a regular file, a *bytes.Reader)
// is read into a buffer of that size, in one allocation: io.ReadAll's
// growing buffer allocated and copied 0.45 MB for a 1280x960 JPEG.
func readAll(r io.Reader) ([]byte, error) {
	size := int64(-1)
	switch v := r.(type) {
	case interface{ Len() int }:
		size = int64(v.Len())
	case interface{ Stat() (fs.FileInfo, error) }:
		if fi, err := v.Stat(); err == nil && fi.Mode().IsRegular() {
			size = fi.Size()
		}
	}
	lr := io.LimitReader(r, maxImageBytes+1)
	if size < 0 || size > maxImageBytes {
		return io.ReadAll(lr)
	}
	// MinRead spare bytes: ReadFrom meets the end without growing.
	buf := bytes.NewBuffer(make([]byte, 0, int(size)+bytes.MinRead))
	_, err := buf.ReadFrom(lr)
	return buf.Bytes(), err
}

// checkPixels refuses images of more than maxImagePixels, and empty ones
// (a JPEG may give a height of 0, which image/jpeg decodes as an empty
// image).
func checkPixels(w, h int) error {
	if w <= 0 || h <= 0 {
		return fmt.Errorf("image is %dx%d: no pixels", w, h)
	}
	// In 64 bits: 65535x65535 overflows a 32-bit int (GOARCH=arm).
	if int64(w)*int64(h) > maxImagePixels {
		return fmt.Errorf("image is %dx%d, more than the %d megapixels edgeconv reads", w, h, maxImagePixels/1_000_000)
	}
	return nil
}

// decodeJPEG decodes a JPEG file upright into a new frame: through jpeg420,
// or for a file coded as RGB or CMYK through image/jpeg, ToFrame and
// jpeg420.Orient.
func decodeJPEG(data []byte) (*image.YCbCr, error) {
	cfg, err := jpeg420.DecodeConfig(data)
	if err != nil {
		return nil, err
	}
	if err := checkPixels(cfg.Width, cfg.Height); err != nil {
		return nil, err
	}
	size := cfg.Size(cfg.Orientation)
	if cfg.Supported {
		frame := newFrame(size.X, size.Y)
		var dec jpeg420.Decoder
		if err := dec.Decode(frame, data, jpeg420.Options{Orientation: cfg.Orientation}); err != nil {
			return nil, err
		}
		return frame, nil
	}
	img, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	stored := ToFrame(img)
	if cfg.Orientation == 1 {
		return stored, nil
	}
	frame := newFrame(size.X, size.Y)
	if err := jpeg420.Orient(frame, stored, cfg.Orientation); err != nil {
		return nil, err
	}
	return frame, nil
}

// ToFrame returns a new 4:2:0 frame with img's picture and its origin at
// (0, 0). Luma is that of image/color.GrayModel (the ITU-R 601 weights;
// for a YCbCr image its Y samples as they are); each chroma sample is
// computed from the mean colour of its 2x2 pixels (for a YCbCr image, the
// rounded mean of their chroma samples), pixels past an odd edge repeating
// the last row or column. Grey images get neutral chroma, 128. Gray, YCbCr
// and RGBA images are converted in one pass; others are drawn into an
// RGBA image first (image/draw's general path took 15 ms for a 1280x960
// photo). An image with transparent pixels (a digit drawn in a paint
// program or on an HTML canvas, saved as PNG) is first laid over a plain
// backdrop that its marks stand out on: see onBackdrop.
func ToFrame(img image.Image) *image.YCbCr {
	if o, ok := img.(interface{ Opaque() bool }); ok && !o.Opaque() {
		img = onBackdrop(img)
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	f := newFrame(w, h)
	switch m := img.(type) {
	case *image.Gray:
		copyPlane(f.Y, f.YStride, m.Pix[m.PixOffset(b.Min.X, b.Min.Y):], m.Stride, w, h)
		fillChroma(f)
	case *image.YCbCr:
		if m.SubsampleRatio == image.YCbCrSubsampleRatio420 && b.Min.X&1 == 0 && b.Min.Y&1 == 0 {
			copyFrame(f, m)
			break
		}
		ycbcrToFrame(f, m)
	case *image.RGBA:
		rgbaToFrame(f, m.Pix[m.PixOffset(b.Min.X, b.Min.Y):], m.Stride)
	default:
		rgba := image.NewRGBA(image.Rectangle{Max: b.Size()})
		draw.Draw(rgba, rgba.Rect, img, b.Min, draw.Src)
		rgbaToFrame(f, rgba.Pix, rgba.Stride)
	}
	return f
}

// onBackdrop returns img, which has transparent pixels, laid over a plain
// backdrop, in a new opaque RGBA image with its origin at (0, 0). The
// backdrop is white when what img shows is dark on the whole (its luma
// weighted by opacity under half), black otherwise: a program that saves
// dark strokes on a transparent canvas means them on paper, and one that
// saves light strokes means them on a dark ground. Read as they are
// stored, with the transparent pixels black, dark strokes on a transparent
// canvas vanished ("no digit found").
func onBackdrop(img image.Image) *image.RGBA {
	b := img.Bounds()
	rgba := image.NewRGBA(image.Rectangle{Max: b.Size()})
	draw.Draw(rgba, rgba.Rect, img, b.Min, draw.Src)
	// The pixels are premultiplied: a colour's luma times its opacity.
	var luma, opacity uint64
	for i := 0; i+3 < len(rgba.Pix); i += 4 {
		p := rgba.Pix[i : i+4 : i+4]
		luma += uint64(19595*uint32(p[0])+38470*uint32(p[1])+7471*uint32(p[2])) >> 8
		opacity += uint64(p[3])
	}
	back := uint32(255)
	if luma > opacity<<7 { // mean luma (luma/256 of 255 per opacity) over half
		back = 0
	}
	for i := 0; i+3 < len(rgba.Pix); i += 4 {
		p := rgba.Pix[i : i+4 : i+4]
		clear := 255 - uint32(p[3])
		for c := range 3 {
			p[c] += uint8((back*clear + 127) / 255)
		}
		p[3] = 255
	}
	return rgba
}

// ycbcrToFrame converts m, a YCbCr image of another subsampling or at an
// odd origin, into f, a frame of its size.
func ycbcrToFrame(f *image.YCbCr, m *image.YCbCr) {
	b := m.Rect
	w, h := b.Dx(), b.Dy()
	for y := range h {
		copy(f.Y[y*f.YStride:y*f.YStride+w], m.Y[m.YOffset(b.Min.X, b.Min.Y+y):])
	}
	cw, ch := chromaSize(w, h)
	for q := range ch {
		y0, y1 := b.Min.Y+2*q, b.Min.Y+min(2*q+1, h-1)
		for p := range cw {
			x0, x1 := b.Min.X+2*p, b.Min.X+min(2*p+1, w-1)
			c00, c10, c01, c11 := m.COffset(x0, y0), m.COffset(x1, y0), m.COffset(x0, y1), m.COffset(x1, y1)
			f.Cb[q*f.CStride+p] = uint8((int(m.Cb[c00]) + int(m.Cb[c10]) + int(m.Cb[c01]) + int(m.Cb[c11]) + 2) >> 2)
			f.Cr[q*f.CStride+p] = uint8((int(m.Cr[c00]) + int(m.Cr[c10]) + int(m.Cr[c01]) + int(m.Cr[c11]) + 2) >> 2)
		}
	}
}

// rgbaToFrame converts premultiplied RGBA pixels, rows stride bytes apart,
// into f, a frame of their size. Luma has color.GrayModel's arithmetic:
// the 16-bit channels weighted by 19595, 38470 and 7471 (sum 65536),
// rounded, the top 8 bits kept. Chroma is color.RGBToYCbCr's of the sum
// of the 2x2 pixels' channels, scaled by a quarter and rounded in the same
// shift, and clamped.
func rgbaToFrame(f *image.YCbCr, pix []byte, stride int) {
	w, h := f.Rect.Dx(), f.Rect.Dy()
	for y := range h {
		src := pix[y*stride : y*stride+4*w]
		row := f.Y[y*f.YStride : y*f.YStride+w]
		for x := range row {
			p := src[4*x : 4*x+3 : 4*x+3]
			r, g, b := uint32(p[0])*0x101, uint32(p[1])*0x101, uint32(p[2])*0x101
			row[x] = uint8((19595*r + 38470*g + 7471*b + 1<<15) >> 24)
		}
	}
	cw, ch := chromaSize(w, h)
	for q := range ch {
		r0 := pix[2*q*stride:]
		r1 := pix[min(2*q+1, h-1)*stride:]
		for p := range cw {
			x0, x1 := 8*p, 4*min(2*p+1, w-1)
			r := int32(r0[x0]) + int32(r0[x1]) + int32(r1[x0]) + int32(r1[x1])
			g := int32(r0[x0+1]) + int32(r0[x1+1]) + int32(r1[x0+1]) + int32(r1[x1+1])
			bl := int32(r0[x0+2]) + int32(r0[x1+2]) + int32(r1[x0+2]) + int32(r1[x1+2])
			// color.RGBToYCbCr: cb = (-11056r - 21712g + 32768b + 257<<15) >> 16,
			// here on sums of 4, so >> 18 and 4 times the offset.
			cb := (-11056*r - 21712*g + 32768*bl + 4*257<<15) >> 18
			cr := (32768*r - 27440*g - 5328*bl + 4*257<<15) >> 18
			f.Cb[q*f.CStride+p] = uint8(min(max(cb, 0), 255))
			f.Cr[q*f.CStride+p] = uint8(min(max(cr, 0), 255))
		}
	}
}
