package train

import (
	"bufio"
	"compress/gzip"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/edgeconv/edgeconv/model"
)

// MNIST files: names, checksums and where they live.

// MNISTDir is the directory, relative to the repository root, that `make data`
// fills with the four MNIST files.
const MNISTDir = "data/mnist"

// MNISTFile names one of the four official MNIST files and its checksum.
type MNISTFile struct {
	Name   string // file name inside the data directory, e.g. "train-images-idx3-ubyte.gz"
	SHA256 string // lower-case hex SHA-256 of the gzip-compressed file
}

// MNISTFiles lists the four official MNIST files, gzip-compressed as
// distributed, in the order train images, train labels, test images, test
// labels. The files are md5-identical to the originals; the checksums are
// those recorded in the design document. Treat it as read-only.
var MNISTFiles = [4]MNISTFile{
	{"train-images-idx3-ubyte.gz", "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609"},
	{"train-labels-idx1-ubyte.gz", "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c"},
	{"t10k-images-idx3-ubyte.gz", "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6"},
	{"t10k-labels-idx1-ubyte.gz", "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"},
}

// ErrNoData is wrapped by the errors of LoadMNIST and VerifyMNIST when the
// data directory or one of its files does not exist. Its message tells the
// user how to get the data.
var ErrNoData = errors.New("train: MNIST data not found (run `make data`)")

// ErrChecksum is wrapped by the errors of VerifyMNIST when a file's SHA-256
// differs from MNISTFiles.
var ErrChecksum = errors.New("train: MNIST file has the wrong sha256")

// Split selects the training or the test part of MNIST.
type Split int

// The two MNIST splits.
const (
	Train Split = iota // the 60,000 training images
	Test               // the 10,000 test images
)

// String returns "train" or "test".
func (s Split) String() string {
	switch s {
	case Train:
		return "train"
	case Test:
		return "test"
	}
	return fmt.Sprintf("Split(%d)", int(s))
}

// files returns the image and label files of the split.
func (s Split) files() (images, labels MNISTFile, ok bool) {
	switch s {
	case Train:
		return MNISTFiles[0], MNISTFiles[1], true
	case Test:
		return MNISTFiles[2], MNISTFiles[3], true
	}
	return MNISTFile{}, MNISTFile{}, false
}

// VerifyMNISTFile checks that dir holds f with the right SHA-256. A missing
// file gives an error wrapping ErrNoData (and fs.ErrNotExist); a wrong
// checksum gives one wrapping ErrChecksum. Both name the file.
func VerifyMNISTFile(dir string, f MNISTFile) error {
	path := filepath.Join(dir, f.Name)
	got, err := FileSHA256(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("%w: %w", ErrNoData, err)
		}
		return fmt.Errorf("train: %w", err)
	}
	if got != f.SHA256 {
		return fmt.Errorf("%w: %s: got %s, want %s", ErrChecksum, path, got, f.SHA256)
	}
	return nil
}

// VerifyMNIST checks that dir holds the four MNIST files with the right
// checksums (see VerifyMNISTFile). It reports every bad file, joined.
func VerifyMNIST(dir string) error {
	var errs []error
	for _, f := range MNISTFiles {
		if err := VerifyMNISTFile(dir, f); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// FileSHA256 returns the lower-case hex SHA-256 of the file at path.
func FileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// The dataset.

// Dataset holds MNIST-style greyscale images and their labels in memory.
// Pixels are 0 (background) to 255 (ink), as stored in the files.
type Dataset struct {
	Images []uint8 // (N, Rows, Cols) row-major
	Labels []uint8 // (N), digits 0..9
	N      int     // number of samples
	Rows   int     // image height, 28 for MNIST
	Cols   int     // image width, 28 for MNIST
}

// Panic values for programming errors in Dataset's methods.
const (
	errSubsetRange  = "train: Dataset.Subset range out of bounds"
	errImageIndex   = "train: Dataset.Image index out of range"
	errBatchDst     = "train: Dataset.Batch dst shorter than len(idx)*Rows*Cols"
	errBatchLabels  = "train: Dataset.Batch labels shorter than idx"
	errBatchIndex   = "train: Dataset.Batch sample index out of range"
	errBatchOddSize = "train: Dataset.Batch on a dataset whose Images length is not N*Rows*Cols"
)

// LoadMNIST reads the images and labels of split from dir, which holds the
// gzip-compressed files listed in MNISTFiles (uncompressed files under the
// same names are read too). It checks the format, not the checksums (see
// VerifyMNIST). If dir or a file is missing, the error wraps ErrNoData.
func LoadMNIST(dir string, split Split) (*Dataset, error) {
	imgFile, lblFile, ok := split.files()
	if !ok {
		return nil, fmt.Errorf("train: LoadMNIST: unknown split %v", split)
	}
	images, n, rows, cols, err := readIDXFile(dir, imgFile.Name, readImages)
	if err != nil {
		return nil, err
	}
	labels, nl, _, _, err := readIDXFile(dir, lblFile.Name, readLabels)
	if err != nil {
		return nil, err
	}
	if n != nl {
		return nil, fmt.Errorf("train: %s: %s has %d images but %s has %d labels",
			dir, imgFile.Name, n, lblFile.Name, nl)
	}
	return &Dataset{Images: images, Labels: labels, N: n, Rows: rows, Cols: cols}, nil
}

// readIDXFile opens dir/name and runs read on it, naming the file in errors.
func readIDXFile(dir, name string, read func(io.Reader) ([]uint8, int, int, int, error)) ([]uint8, int, int, int, error) {
	path := filepath.Join(dir, name)
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, 0, 0, 0, fmt.Errorf("%w: %w", ErrNoData, err)
		}
		return nil, 0, 0, 0, fmt.Errorf("train: %w", err)
	}
	defer f.Close()
	data, n, rows, cols, err := read(f)
	if err != nil {
		return nil, 0, 0, 0, fmt.Errorf("train: %s: %w", path, err)
	}
	return data, n, rows, cols, nil
}

// Subset returns samples [i, j) as a Dataset that shares memory with d. It
// panics if 0 <= i <= j <= d.N does not hold.
func (d *Dataset) Subset(i, j int) *Dataset {
	if i < 0 || j < i || j > d.N {
		panic(errSubsetRange)
	}
	size := d.Rows * d.Cols
	return &Dataset{
		Images: d.Images[i*size : j*size : j*size],
		Labels: d.Labels[i:j:j],
		N:      j - i,
		Rows:   d.Rows,
		Cols:   d.Cols,
	}
}

// Image returns sample i's pixels, (Rows, Cols) row-major, sharing memory
// with d.
func (d *Dataset) Image(i int) []uint8 {
	if uint(i) >= uint(d.N) {
		panic(errImageIndex)
	}
	size := d.Rows * d.Cols
	return d.Images[i*size : (i+1)*size : (i+1)*size]
}

// Batch gathers the samples idx[0], idx[1], … into a training batch: their
// pixels, divided by 255, go to dst as (len(idx), Rows, Cols, 1) NHWC
// float32, and their labels to labels[:len(idx)]. labels may be nil when only
// the images are wanted. dst may be longer than needed; the rest is left
// alone. Batch allocates nothing. It panics if dst or labels is too short or
// an index is out of range.
func (d *Dataset) Batch(dst []float32, labels []uint8, idx []int) {
	size := d.Rows * d.Cols
	if len(d.Images) != d.N*size || len(d.Labels) < d.N {
		panic(errBatchOddSize)
	}
	if len(dst) < len(idx)*size {
		panic(errBatchDst)
	}
	if labels != nil && len(labels) < len(idx) {
		panic(errBatchLabels)
	}
	for k, i := range idx {
		if uint(i) >= uint(d.N) {
			panic(errBatchIndex)
		}
		model.ScalePixels(dst[k*size:(k+1)*size], d.Images[i*size:(i+1)*size])
		if labels != nil {
			labels[k] = d.Labels[i]
		}
	}
}

// IDX decoding.

// IDX magic numbers: two zero bytes, the element type (0x08 = uint8), the
// number of dimensions.
const (
	idxMagicImages = 0x00000803 // uint8, 3 dimensions (N, rows, cols)
	idxMagicLabels = 0x00000801 // uint8, 1 dimension (N)
)

// Sanity limits checked before allocating, so that a corrupt header cannot
// make the reader allocate gigabytes. MNIST needs 60,000 × 28 × 28 = 47 MB.
const (
	maxIDXItems = 1 << 24 // samples per file
	maxIDXDim   = 1 << 10 // image rows or columns
	maxIDXBytes = 1 << 28 // 256 MiB of pixels
)

// ReadImages reads an IDX image file (magic 0x00000803: uint8 pixels, shape
// (n, rows, cols)) from r, gzip-compressed or raw, and returns the pixels
// (n, rows, cols) row-major. It rejects a wrong magic number, zero or absurdly
// large dimensions, a truncated file and data after the last image. Errors
// begin "train: " and name the file when r is an *os.File.
func ReadImages(r io.Reader) (images []uint8, n, rows, cols int, err error) {
	images, n, rows, cols, err = readImages(r)
	if err != nil {
		return nil, 0, 0, 0, wrapReadErr(r, err)
	}
	return images, n, rows, cols, nil
}

// ReadLabels reads an IDX label file (magic 0x00000801: uint8 labels, shape
// (n)) from r, gzip-compressed or raw, and returns the labels. Besides the
// checks of ReadImages, it rejects labels above 9.
func ReadLabels(r io.Reader) ([]uint8, error) {
	labels, _, _, _, err := readLabels(r)
	if err != nil {
		return nil, wrapReadErr(r, err)
	}
	return labels, nil
}

// wrapReadErr prefixes err with the package name and, if r has one, the file
// name.
func wrapReadErr(r io.Reader, err error) error {
	if f, ok := r.(interface{ Name() string }); ok {
		return fmt.Errorf("train: %s: %w", f.Name(), err)
	}
	return fmt.Errorf("train: %w", err)
}

// readImages is ReadImages without the error prefix.
func readImages(r io.Reader) ([]uint8, int, int, int, error) {
	dims, body, err := readIDXHeader(r, idxMagicImages, "image")
	if err != nil {
		return nil, 0, 0, 0, err
	}
	n, rows, cols := dims[0], dims[1], dims[2]
	if rows == 0 || cols == 0 || rows > maxIDXDim || cols > maxIDXDim {
		return nil, 0, 0, 0, fmt.Errorf("image size %dx%d outside 1..%d", rows, cols, maxIDXDim)
	}
	if total := uint64(n) * uint64(rows) * uint64(cols); total > maxIDXBytes {
		return nil, 0, 0, 0, fmt.Errorf("%d images of %dx%d is %d bytes, more than the limit of %d",
			n, rows, cols, total, maxIDXBytes)
	}
	size := int(rows) * int(cols)
	images := make([]uint8, int(n)*size)
	if err := readIDXBody(body, images, size, "image"); err != nil {
		return nil, 0, 0, 0, err
	}
	return images, int(n), int(rows), int(cols), nil
}

// readLabels is ReadLabels without the error prefix; it returns n, 0, 0 as
// the shape so that it has readImages' signature.
func readLabels(r io.Reader) ([]uint8, int, int, int, error) {
	dims, body, err := readIDXHeader(r, idxMagicLabels, "label")
	if err != nil {
		return nil, 0, 0, 0, err
	}
	labels := make([]uint8, dims[0])
	if err := readIDXBody(body, labels, 1, "label"); err != nil {
		return nil, 0, 0, 0, err
	}
	for i, l := range labels {
		if l > 9 {
			return nil, 0, 0, 0, fmt.Errorf("label %d of sample %d is above 9", l, i)
		}
	}
	return labels, len(labels), 0, 0, nil
}

// readIDXHeader detects gzip, reads and checks the magic number and the
// dimensions (1 or 3 of them, from the magic) and returns them with the
// reader positioned at the data. The item count must be 1..maxIDXItems.
func readIDXHeader(r io.Reader, magic uint32, what string) (dims []uint32, body io.Reader, err error) {
	br := bufio.NewReaderSize(r, 64<<10)
	if head, _ := br.Peek(2); len(head) == 2 && head[0] == 0x1f && head[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, nil, fmt.Errorf("gzip header: %w", err)
		}
		body = zr
	} else {
		body = br
	}
	ndim := int(magic & 0xff)
	var hdr [4 + 4*3]byte
	want := 4 + 4*ndim
	got, err := io.ReadFull(body, hdr[:want])
	if err != nil {
		if got >= 4 && binary.BigEndian.Uint32(hdr[:4]) != magic {
			return nil, nil, badMagic(binary.BigEndian.Uint32(hdr[:4]), magic)
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return nil, nil, fmt.Errorf("truncated %s header: got %d of %d bytes: %w",
				what, got, want, io.ErrUnexpectedEOF)
		}
		return nil, nil, fmt.Errorf("reading the %s header: %w", what, err)
	}
	if m := binary.BigEndian.Uint32(hdr[:4]); m != magic {
		return nil, nil, badMagic(m, magic)
	}
	dims = make([]uint32, ndim)
	for i := range dims {
		dims[i] = binary.BigEndian.Uint32(hdr[4+4*i:])
	}
	if dims[0] == 0 || dims[0] > maxIDXItems {
		return nil, nil, fmt.Errorf("%s count %d outside 1..%d", what, dims[0], maxIDXItems)
	}
	return dims, body, nil
}

// badMagic describes a wrong magic number, naming the kind of file found when
// it is a known one. want is idxMagicImages or idxMagicLabels.
func badMagic(got, want uint32) error {
	article := func(m uint32) string {
		switch m {
		case idxMagicImages:
			return "an image file"
		case idxMagicLabels:
			return "a label file"
		}
		return ""
	}
	kind := ""
	if a := article(got); a != "" {
		kind = " (" + a + ")"
	}
	return fmt.Errorf("bad magic number 0x%08x%s, want 0x%08x for %s", got, kind, want, article(want))
}

// readIDXBody fills data from body, itemSize bytes per item, and then checks
// that body ends there (which also makes gzip verify its checksum).
func readIDXBody(body io.Reader, data []uint8, itemSize int, what string) error {
	got, err := io.ReadFull(body, data)
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return fmt.Errorf("truncated %s data: want %d %ss (%d bytes), got %d bytes (%d complete %ss): %w",
			what, len(data)/itemSize, what, len(data), got, got/itemSize, what, io.ErrUnexpectedEOF)
	}
	if err != nil {
		return fmt.Errorf("reading %s data after %d of %d bytes: %w", what, got, len(data), err)
	}
	var one [1]byte
	switch k, err := io.ReadFull(body, one[:]); {
	case k > 0:
		return fmt.Errorf("unexpected data after the last of %d %ss", len(data)/itemSize, what)
	case err != io.EOF:
		return fmt.Errorf("after the last %s: %w", what, err)
	}
	return nil
}
