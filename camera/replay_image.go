package camera

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"image/jpeg"
	_ "image/png" // Register PNG for OpenImages.
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/edgeconv/edgeconv/camera/internal/jpegluma"
)

// OpenImages returns a Replay of the PNG or JPEG files at paths, in that
// order. They are decoded to grey now (colour images through the ITU-R 601
// luma weights of image/color.GrayModel, JPEG through its Y channel) and
// held in memory, so that Capture only copies: 100 frames of 640x480 take
// 30 MB. All images must have the same size.
func OpenImages(paths []string, o *ReplayOpts) (*Replay, error) {
	if len(paths) == 0 {
		return nil, errNoFrames
	}
	frames := make([]*image.Gray, len(paths))
	for i, p := range paths {
		g, err := readImage(p)
		if err != nil {
			return nil, err
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

// OpenDir returns a Replay of the .png, .jpg and .jpeg files (any case) in
// the folder dir, sorted by name; see OpenImages. Name frames 0000.png,
// 0001.png… so that the order is the recording's.
func OpenDir(dir string, o *ReplayOpts) (*Replay, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("camera: %w", err)
	}
	var paths []string
	for _, e := range ents { // os.ReadDir sorts by name.
		if !e.IsDir() && isImageFile(e.Name()) {
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

func isImageFile(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".png", ".jpg", ".jpeg":
		return true
	}
	return false
}

func readImage(path string) (*image.Gray, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("camera: %w", err)
	}
	defer f.Close()
	g, err := ReadGray(f)
	if err != nil {
		return nil, fmt.Errorf("camera: %s: %w", path, err)
	}
	// A copy: a decoded JPEG's luma shares its allocation with the colour
	// planes, and a Replay keeps its frames.
	return ToGray(g), nil
}

// maxImagePixels bounds the images ReadGray decodes: 100 megapixels, more
// than any phone photograph.
const maxImagePixels = 100_000_000

// ReadGray decodes a PNG or JPEG image (or any format registered with
// package image) from r into grey levels as GrayOf gives them. JPEG files
// are decoded luma only (camera/internal/jpegluma, about a fifth faster
// than image/jpeg for a colour photo), except the rare ones coded as RGB or
// CMYK. Images of more than 100 megapixels are refused before decoding.
func ReadGray(r io.Reader) (*image.Gray, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	// The size in the header first: a corrupt or hostile file must not
	// make the decoder allocate gigabytes.
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	// In 64 bits: 65535x65535 overflows a 32-bit int (GOARCH=arm).
	if int64(cfg.Width)*int64(cfg.Height) > maxImagePixels {
		return nil, fmt.Errorf("image is %dx%d, more than the %d megapixels edgeconv reads", cfg.Width, cfg.Height, maxImagePixels/1_000_000)
	}
	if len(data) >= 2 && data[0] == 0xFF && data[1] == 0xD8 {
		return decodeJPEGGray(data)
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	return GrayOf(img), nil
}

// decodeJPEGGray decodes a JPEG's grey levels: its luma alone through
// jpegluma or, for a file coded as RGB or CMYK, the whole image through
// image/jpeg and ToGray.
func decodeJPEGGray(data []byte) (*image.Gray, error) {
	g, err := jpegluma.DecodeGray(bytes.NewReader(data))
	if !errors.Is(err, jpegluma.ErrNotLuma) {
		return g, err
	}
	img, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	return ToGray(img), nil
}

// ToGray returns a grey copy of img with its origin at (0, 0), as a camera's
// Y plane would hold it: a JPEG's Y channel as it is, colour through the
// ITU-R 601 luma weights of image/color.GrayModel (the same values as
// draw.Draw into an *image.Gray). Grey and YCbCr images are copied plane by
// plane and RGBA images converted in one pass; draw.Draw's general path
// took 15 ms for a 1280x960 photo.
func ToGray(img image.Image) *image.Gray {
	b := img.Bounds()
	g := image.NewGray(image.Rectangle{Max: b.Size()})
	switch m := img.(type) {
	case *image.Gray:
		copyPlane(g, m.Pix[m.PixOffset(b.Min.X, b.Min.Y):], m.Stride, b.Dx(), b.Dy())
	case *image.YCbCr:
		copyPlane(g, m.Y[m.YOffset(b.Min.X, b.Min.Y):], m.YStride, b.Dx(), b.Dy())
	case *image.RGBA:
		rgbaToGray(g, m.Pix[m.PixOffset(b.Min.X, b.Min.Y):], m.Stride, b.Dx(), b.Dy())
	default:
		draw.Draw(g, g.Rect, img, b.Min, draw.Src)
	}
	return g
}

// GrayOf returns img's grey levels as ToGray does, but shares img's memory
// instead of copying where it can: a Gray image, or a YCbCr image's Y
// plane, whose bounds start at the origin. For a decoded photo that is used
// once (edgeconv read) it saves a frame-sized allocation and copy; a caller
// that keeps many frames should copy with ToGray, which lets the colour
// planes go.
func GrayOf(img image.Image) *image.Gray {
	switch m := img.(type) {
	case *image.Gray:
		if m.Rect.Min == (image.Point{}) {
			return m
		}
	case *image.YCbCr:
		if m.Rect.Min == (image.Point{}) {
			return &image.Gray{Pix: m.Y, Stride: m.YStride, Rect: m.Rect}
		}
	}
	return ToGray(img)
}

// rgbaToGray converts w×h premultiplied RGBA pixels to grey levels with
// color.GrayModel's arithmetic: the 16-bit channels weighted by 19595,
// 38470 and 7471 (sum 65536), rounded, the top 8 bits kept.
func rgbaToGray(dst *image.Gray, pix []byte, stride, w, h int) {
	for y := range h {
		src := pix[y*stride : y*stride+4*w]
		row := dst.Pix[y*dst.Stride : y*dst.Stride+w]
		for x := range row {
			p := src[4*x : 4*x+3 : 4*x+3]
			r, gr, bl := uint32(p[0])*0x101, uint32(p[1])*0x101, uint32(p[2])*0x101
			row[x] = uint8((19595*r + 38470*gr + 7471*bl + 1<<15) >> 24)
		}
	}
}
