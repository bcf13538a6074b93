// Package scenegen renders test scenes for the digit extractor (package
// extract): MNIST test digits written as ink on paper, photographed under
// uneven light, with the ground truth (text in reading order, boxes,
// lines) of every scene, in RGB, as a camera's YCbCr 4:2:0 frame and as
// its grey Y plane.
//
// Generate draws scenes from a family (Params; Hard is everything at
// once). Conditions are the causes of misreading one at a time: coloured
// ink, pencil, hairline pen, marker, squared and ruled paper, tight crops,
// webcam frames, sheet edges with fingers, tilted lines, letters and maths
// symbols among the digits (in the handwriting fonts of package glyphs),
// small digits in a light ballpoint out of focus.
// Digits are drawn from their MNIST grey levels, or stroked along their
// skeleton with a round pen of any width (the skeleton of the glyph's ink
// from a third of full ink, so that MNIST's light stretches of stroke
// stay, with the cores of loops written so small they are filled, so that
// a 6 stays a 6 and not a stroke). Record films a sheet (a photo
// or a rendered scene) with a moving hand-held camera, for replayable
// recordings.
// Everything is drawn from a seeded random source, so a seed gives the
// same scenes every time.
//
// It reads the MNIST IDX files itself.
package scenegen

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// MNIST holds a set of 28x28 digit images and their labels.
type MNIST struct {
	N      int
	Images []uint8 // (N, 28, 28), 0 paper .. 255 ink
	Labels []uint8 // (N)
}

// Image returns image i as 784 row-major bytes.
func (m *MNIST) Image(i int) []uint8 { return m.Images[i*784 : i*784+784] }

// Data file names inside the data directory.
const (
	TestImages  = "t10k-images-idx3-ubyte.gz"
	TestLabels  = "t10k-labels-idx1-ubyte.gz"
	TrainImages = "train-images-idx3-ubyte.gz"
	TrainLabels = "train-labels-idx1-ubyte.gz"
)

// ErrNoData reports that the MNIST files are not where they are looked for.
var ErrNoData = errors.New("scenegen: MNIST files not found in data/mnist (run make data)")

// FindDataDir walks up from the working directory to the first
// data/mnist holding the test images; ErrNoData if there is none.
func FindDataDir() (string, error) {
	d, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		p := filepath.Join(d, "data", "mnist")
		if _, err := os.Stat(filepath.Join(p, TestImages)); err == nil {
			return p, nil
		}
		up := filepath.Dir(d)
		if up == d {
			return "", ErrNoData
		}
		d = up
	}
}

// LoadTest reads the MNIST test set (10,000 digits) from dir.
func LoadTest(dir string) (*MNIST, error) {
	return Load(filepath.Join(dir, TestImages), filepath.Join(dir, TestLabels))
}

// LoadTrain reads the MNIST training set (60,000 digits) from dir.
func LoadTrain(dir string) (*MNIST, error) {
	return Load(filepath.Join(dir, TrainImages), filepath.Join(dir, TrainLabels))
}

// Load reads an IDX image file and its IDX label file (gzip or raw).
func Load(imagesPath, labelsPath string) (*MNIST, error) {
	img, dims, err := readIDX(imagesPath, 0x803)
	if err != nil {
		return nil, err
	}
	if len(dims) != 3 || dims[1] != 28 || dims[2] != 28 {
		return nil, fmt.Errorf("scenegen: %s: images are %v, want Nx28x28", imagesPath, dims)
	}
	lab, ldims, err := readIDX(labelsPath, 0x801)
	if err != nil {
		return nil, err
	}
	if len(ldims) != 1 || ldims[0] != dims[0] {
		return nil, fmt.Errorf("scenegen: %s: %v labels for %d images", labelsPath, ldims, dims[0])
	}
	return &MNIST{N: dims[0], Images: img, Labels: lab}, nil
}

// readIDX reads an IDX file of unsigned bytes: a big-endian magic number
// (0x08 type, then the number of dimensions), the dimensions, the data.
func readIDX(path string, magic uint32) ([]uint8, []int, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, nil, fmt.Errorf("%w: %s", ErrNoData, path)
		}
		return nil, nil, err
	}
	defer f.Close()
	var r io.Reader = bufio.NewReader(f)
	if strings.HasSuffix(path, ".gz") {
		z, err := gzip.NewReader(r)
		if err != nil {
			return nil, nil, fmt.Errorf("scenegen: %s: %v", path, err)
		}
		defer z.Close()
		r = z
	}
	var m uint32
	if err := binary.Read(r, binary.BigEndian, &m); err != nil {
		return nil, nil, fmt.Errorf("scenegen: %s: %v", path, err)
	}
	if m != magic {
		return nil, nil, fmt.Errorf("scenegen: %s: magic %#x, want %#x", path, m, magic)
	}
	nd := int(m & 0xff)
	dims := make([]int, nd)
	total := 1
	for i := range dims {
		var d uint32
		if err := binary.Read(r, binary.BigEndian, &d); err != nil {
			return nil, nil, fmt.Errorf("scenegen: %s: %v", path, err)
		}
		if d == 0 || d > 1<<20 {
			return nil, nil, fmt.Errorf("scenegen: %s: bad dimension %d", path, d)
		}
		dims[i] = int(d)
		total *= int(d)
	}
	if total > 1<<28 {
		return nil, nil, fmt.Errorf("scenegen: %s: %d bytes is too large", path, total)
	}
	data := make([]uint8, total)
	if _, err := io.ReadFull(r, data); err != nil {
		return nil, nil, fmt.Errorf("scenegen: %s: %v", path, err)
	}
	return data, dims, nil
}
