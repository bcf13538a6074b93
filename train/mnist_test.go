package train

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// realMNISTDir is where `make data` puts the files, seen from this package.
var realMNISTDir = filepath.Join("..", MNISTDir)

// idx builds an IDX file: the magic number, the dimensions, the data.
func idx(magic uint32, dims []uint32, data []byte) []byte {
	var b bytes.Buffer
	binary.Write(&b, binary.BigEndian, magic)
	binary.Write(&b, binary.BigEndian, dims)
	b.Write(data)
	return b.Bytes()
}

// gz compresses b with gzip.
func gz(b []byte) []byte {
	var out bytes.Buffer
	w := gzip.NewWriter(&out)
	w.Write(b)
	w.Close()
	return out.Bytes()
}

// testImages returns n images of rows x cols whose pixels count up from
// seed, and the IDX file holding them.
func testImages(n, rows, cols int, seed byte) (pixels, file []byte) {
	pixels = make([]byte, n*rows*cols)
	for i := range pixels {
		pixels[i] = seed + byte(i*7)
	}
	return pixels, idx(idxMagicImages, []uint32{uint32(n), uint32(rows), uint32(cols)}, pixels)
}

// testLabels returns the IDX file of labels.
func testLabels(labels ...byte) []byte {
	return idx(idxMagicLabels, []uint32{uint32(len(labels))}, labels)
}

func TestReadImages(t *testing.T) {
	pixels, file := testImages(3, 4, 5, 1)
	for _, c := range []struct {
		name string
		data []byte
	}{{"raw", file}, {"gzip", gz(file)}} {
		t.Run(c.name, func(t *testing.T) {
			got, n, rows, cols, err := ReadImages(bytes.NewReader(c.data))
			if err != nil {
				t.Fatal(err)
			}
			if n != 3 || rows != 4 || cols != 5 {
				t.Errorf("shape (%d, %d, %d), want (3, 4, 5)", n, rows, cols)
			}
			if !bytes.Equal(got, pixels) {
				t.Errorf("pixels differ")
			}
		})
	}
}

func TestReadLabels(t *testing.T) {
	want := []byte{5, 0, 4, 1, 9, 2}
	file := testLabels(want...)
	for _, c := range []struct {
		name string
		data []byte
	}{{"raw", file}, {"gzip", gz(file)}} {
		t.Run(c.name, func(t *testing.T) {
			got, err := ReadLabels(bytes.NewReader(c.data))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("labels %v, want %v", got, want)
			}
		})
	}
}

// TestReadErrors feeds broken files, raw and gzip-compressed, to ReadImages
// or ReadLabels and checks each error's message.
func TestReadErrors(t *testing.T) {
	_, images := testImages(3, 4, 5, 0)
	labels := testLabels(1, 2, 3)
	for _, c := range []struct {
		name   string
		labels bool // read with ReadLabels instead of ReadImages
		data   []byte
		want   []string // substrings of the error
		eof    bool     // the error wraps io.ErrUnexpectedEOF
	}{
		{name: "labels as images", data: labels,
			want: []string{"bad magic number 0x00000801 (a label file), want 0x00000803 for an image file"}},
		{name: "images as labels", labels: true, data: images,
			want: []string{"bad magic number 0x00000803 (an image file), want 0x00000801 for a label file"}},
		{name: "unknown magic", data: idx(0x12345678, []uint32{1, 1, 1}, []byte{0}),
			want: []string{"bad magic number 0x12345678, want 0x00000803"}},
		{name: "short bad magic", data: []byte{0, 0, 9, 9, 0},
			want: []string{"bad magic number 0x00000909"}},
		{name: "empty", data: nil, eof: true,
			want: []string{"truncated image header: got 0 of 16 bytes"}},
		{name: "header cut", data: images[:7], eof: true,
			want: []string{"truncated image header: got 7 of 16 bytes"}},
		{name: "label header cut", labels: true, data: labels[:6], eof: true,
			want: []string{"truncated label header: got 6 of 8 bytes"}},
		{name: "body cut", data: images[:16+50], eof: true,
			want: []string{"truncated image data: want 3 images (60 bytes), got 50 bytes (2 complete images)"}},
		{name: "label body cut", labels: true, data: labels[:len(labels)-1], eof: true,
			want: []string{"truncated label data: want 3 labels (3 bytes), got 2 bytes (2 complete labels)"}},
		{name: "trailing data", data: append(images[:len(images):len(images)], 0),
			want: []string{"unexpected data after the last of 3 images"}},
		{name: "zero images", data: idx(idxMagicImages, []uint32{0, 28, 28}, nil),
			want: []string{"image count 0 outside 1..16777216"}},
		{name: "zero labels", labels: true, data: testLabels(),
			want: []string{"label count 0 outside 1..16777216"}},
		{name: "zero rows", data: idx(idxMagicImages, []uint32{1, 0, 28}, nil),
			want: []string{"image size 0x28 outside 1..1024"}},
		{name: "zero cols", data: idx(idxMagicImages, []uint32{1, 28, 0}, nil),
			want: []string{"image size 28x0 outside 1..1024"}},
		{name: "huge rows", data: idx(idxMagicImages, []uint32{1, 1 << 31, 28}, nil),
			want: []string{"image size 2147483648x28 outside 1..1024"}},
		{name: "huge count", data: idx(idxMagicImages, []uint32{0xffffffff, 28, 28}, nil),
			want: []string{"image count 4294967295 outside 1..16777216"}},
		{name: "huge total", data: idx(idxMagicImages, []uint32{1 << 24, 1024, 1024}, nil),
			want: []string{"16777216 images of 1024x1024 is 17592186044416 bytes, more than the limit of 268435456"}},
		{name: "huge labels", labels: true, data: idx(idxMagicLabels, []uint32{1 << 30}, nil),
			want: []string{"label count 1073741824 outside 1..16777216"}},
		{name: "label 10", labels: true, data: testLabels(3, 10, 1),
			want: []string{"label 10 of sample 1 is above 9"}},
		{name: "label 255", labels: true, data: testLabels(255),
			want: []string{"label 255 of sample 0 is above 9"}},
	} {
		for _, compress := range []bool{false, true} {
			name := c.name + "/raw"
			data := c.data
			if compress {
				name = c.name + "/gzip"
				data = gz(data)
			}
			t.Run(name, func(t *testing.T) {
				var err error
				if c.labels {
					_, err = ReadLabels(bytes.NewReader(data))
				} else {
					_, _, _, _, err = ReadImages(bytes.NewReader(data))
				}
				checkErr(t, err, "train: ", c.want...)
				if got := errors.Is(err, io.ErrUnexpectedEOF); got != c.eof {
					t.Errorf("errors.Is(err, io.ErrUnexpectedEOF) = %v, want %v", got, c.eof)
				}
			})
		}
	}
}

// checkErr fails t unless err begins with prefix and contains every one of
// want.
func checkErr(t *testing.T, err error, prefix string, want ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want one containing %q", want)
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, prefix) {
		t.Errorf("error %q does not begin with %q", msg, prefix)
	}
	for _, w := range want {
		if !strings.Contains(msg, w) {
			t.Errorf("error %q does not contain %q", msg, w)
		}
	}
}

// TestReadGzipDamage checks that damage inside the gzip stream is reported.
func TestReadGzipDamage(t *testing.T) {
	_, images := testImages(10, 28, 28, 3)
	z := gz(images)

	bad := bytes.Clone(z)
	bad[len(bad)-6] ^= 0xff // the CRC-32 in the trailer
	_, _, _, _, err := ReadImages(bytes.NewReader(bad))
	checkErr(t, err, "train: ", "checksum")

	_, _, _, _, err = ReadImages(bytes.NewReader(z[:len(z)/2]))
	checkErr(t, err, "train: ", "truncated image")
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("error %q does not wrap io.ErrUnexpectedEOF", err)
	}

	garbage := append(bytes.Clone(z), "junk"...)
	_, _, _, _, err = ReadImages(bytes.NewReader(garbage))
	checkErr(t, err, "train: ")
}

// TestReadHugeHeaderAllocates checks that a header claiming gigabytes is
// rejected before anything that size is allocated.
func TestReadHugeHeaderAllocates(t *testing.T) {
	data := idx(idxMagicImages, []uint32{1 << 24, 1024, 1024}, []byte{1, 2, 3})
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, _, _, _, err := ReadImages(bytes.NewReader(data))
	runtime.ReadMemStats(&after)
	if err == nil {
		t.Fatal("no error")
	}
	if d := after.TotalAlloc - before.TotalAlloc; d > 1<<20 {
		t.Errorf("allocated %d bytes for a rejected header", d)
	}
	// Below the limit but far longer than the data: the error is a
	// truncation, found after allocating only what the header claims.
	data = idx(idxMagicImages, []uint32{100, 28, 28}, []byte{1, 2, 3})
	_, _, _, _, err = ReadImages(bytes.NewReader(data))
	checkErr(t, err, "train: ", "want 100 images (78400 bytes), got 3 bytes (0 complete images)")
}

// TestReadNamesFile checks that errors name the file read from.
func TestReadNamesFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "broken.idx")
	if err := os.WriteFile(path, testLabels(1, 2, 11), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	_, err = ReadLabels(f)
	checkErr(t, err, "train: "+path+": ", "label 11 of sample 2 is above 9")
}

// writeMNIST writes image and label files for split into dir under the
// official names, gzip-compressed.
func writeMNIST(t *testing.T, dir string, split Split, images, labels []byte) {
	t.Helper()
	imgFile, lblFile, _ := split.files()
	if images != nil {
		if err := os.WriteFile(filepath.Join(dir, imgFile.Name), gz(images), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if labels != nil {
		if err := os.WriteFile(filepath.Join(dir, lblFile.Name), gz(labels), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestLoadMNIST(t *testing.T) {
	dir := t.TempDir()
	trainPix, trainImg := testImages(4, 28, 28, 0)
	testPix, testImg := testImages(2, 28, 28, 100)
	writeMNIST(t, dir, Train, trainImg, testLabels(5, 0, 4, 1))
	writeMNIST(t, dir, Test, testImg, testLabels(7, 2))
	for _, c := range []struct {
		split  Split
		pixels []byte
		labels []byte
	}{
		{Train, trainPix, []byte{5, 0, 4, 1}},
		{Test, testPix, []byte{7, 2}},
	} {
		t.Run(c.split.String(), func(t *testing.T) {
			d, err := LoadMNIST(dir, c.split)
			if err != nil {
				t.Fatal(err)
			}
			if d.N != len(c.labels) || d.Rows != 28 || d.Cols != 28 {
				t.Errorf("N, Rows, Cols = %d, %d, %d; want %d, 28, 28", d.N, d.Rows, d.Cols, len(c.labels))
			}
			if !bytes.Equal(d.Images, c.pixels) || !bytes.Equal(d.Labels, c.labels) {
				t.Errorf("wrong images or labels")
			}
		})
	}
}

func TestLoadMNISTErrors(t *testing.T) {
	_, img3 := testImages(3, 28, 28, 0)

	t.Run("missing dir", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "nothing-here")
		_, err := LoadMNIST(dir, Train)
		checkErr(t, err, "train: ", "make data", filepath.Join(dir, MNISTFiles[0].Name))
		if !errors.Is(err, ErrNoData) || !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("error %q does not wrap ErrNoData and fs.ErrNotExist", err)
		}
	})
	t.Run("missing labels", func(t *testing.T) {
		dir := t.TempDir()
		writeMNIST(t, dir, Test, img3, nil)
		_, err := LoadMNIST(dir, Test)
		checkErr(t, err, "train: ", "make data", MNISTFiles[3].Name)
		if !errors.Is(err, ErrNoData) {
			t.Errorf("error %q does not wrap ErrNoData", err)
		}
	})
	t.Run("count mismatch", func(t *testing.T) {
		dir := t.TempDir()
		writeMNIST(t, dir, Train, img3, testLabels(1, 2))
		_, err := LoadMNIST(dir, Train)
		checkErr(t, err, "train: ",
			"train-images-idx3-ubyte.gz has 3 images but train-labels-idx1-ubyte.gz has 2 labels")
	})
	t.Run("bad file named", func(t *testing.T) {
		dir := t.TempDir()
		writeMNIST(t, dir, Train, testLabels(1, 2), testLabels(1, 2))
		_, err := LoadMNIST(dir, Train)
		checkErr(t, err, "train: "+filepath.Join(dir, MNISTFiles[0].Name)+": ", "bad magic number")
		if errors.Is(err, ErrNoData) {
			t.Errorf("a corrupt file wraps ErrNoData: %v", err)
		}
	})
	t.Run("unknown split", func(t *testing.T) {
		_, err := LoadMNIST(t.TempDir(), Split(7))
		checkErr(t, err, "train: ", "unknown split Split(7)")
	})
}

func TestVerifyMNISTMissingAndWrong(t *testing.T) {
	dir := t.TempDir()
	err := VerifyMNIST(dir)
	if !errors.Is(err, ErrNoData) {
		t.Fatalf("empty dir: error %v does not wrap ErrNoData", err)
	}
	checkErr(t, err, "train: ", "make data", MNISTFiles[0].Name, MNISTFiles[3].Name)

	path := filepath.Join(dir, MNISTFiles[1].Name)
	if err := os.WriteFile(path, []byte("not mnist"), 0o644); err != nil {
		t.Fatal(err)
	}
	err = VerifyMNISTFile(dir, MNISTFiles[1])
	checkErr(t, err, "train: ", "wrong sha256", path, "want "+MNISTFiles[1].SHA256)
	if !errors.Is(err, ErrChecksum) || errors.Is(err, ErrNoData) {
		t.Errorf("error %v: want ErrChecksum and not ErrNoData", err)
	}
}

func TestSubsetAndImage(t *testing.T) {
	pix, _ := testImages(5, 3, 2, 0)
	d := &Dataset{Images: pix, Labels: []byte{0, 1, 2, 3, 4}, N: 5, Rows: 3, Cols: 2}
	s := d.Subset(1, 4)
	if s.N != 3 || s.Rows != 3 || s.Cols != 2 || len(s.Images) != 18 || !bytes.Equal(s.Labels, []byte{1, 2, 3}) {
		t.Fatalf("Subset(1, 4) = %+v", s)
	}
	if !bytes.Equal(s.Image(0), pix[6:12]) || !bytes.Equal(d.Image(4), pix[24:30]) {
		t.Errorf("Image returns the wrong pixels")
	}
	if e := d.Subset(2, 2); e.N != 0 || len(e.Images) != 0 {
		t.Errorf("empty Subset = %+v", e)
	}
	// Appending to a subset must not overwrite the parent.
	_ = append(s.Labels, 99)
	if d.Labels[4] != 4 {
		t.Errorf("append to a Subset wrote into the parent")
	}
	for _, c := range []struct {
		name string
		fn   func()
		want string
	}{
		{"Subset(-1, 2)", func() { d.Subset(-1, 2) }, errSubsetRange},
		{"Subset(3, 2)", func() { d.Subset(3, 2) }, errSubsetRange},
		{"Subset(0, 6)", func() { d.Subset(0, 6) }, errSubsetRange},
		{"Image(5)", func() { d.Image(5) }, errImageIndex},
		{"Image(-1)", func() { d.Image(-1) }, errImageIndex},
	} {
		checkPanic(t, c.name, c.fn, c.want)
	}
}

// checkPanic fails t unless fn panics with want.
func checkPanic(t *testing.T, name string, fn func(), want string) {
	t.Helper()
	defer func() {
		t.Helper()
		if got := recover(); got != want {
			t.Errorf("%s: panic %v, want %q", name, got, want)
		}
	}()
	fn()
}

func TestBatch(t *testing.T) {
	pix, _ := testImages(6, 28, 28, 9)
	pix[0], pix[1] = 0, 255
	d := &Dataset{Images: pix, Labels: []byte{9, 8, 7, 6, 5, 4}, N: 6, Rows: 28, Cols: 28}
	idx := []int{0, 5, 2, 0}
	const guard = -1
	const labelGuard = 0xff
	dst := make([]float32, len(idx)*784+3)
	for i := range dst {
		dst[i] = guard
	}
	labels := []uint8{labelGuard, labelGuard, labelGuard, labelGuard, labelGuard}
	d.Batch(dst, labels, idx)
	for k, i := range idx {
		for j := 0; j < 784; j++ {
			want := float32(pix[i*784+j]) / 255
			if got := dst[k*784+j]; got != want {
				t.Fatalf("dst[%d] (sample %d, pixel %d) = %v, want %v", k*784+j, i, j, got, want)
			}
		}
	}
	if dst[0] != 0 || dst[1] != 1 {
		t.Errorf("pixels 0 and 255 map to %v and %v, want 0 and 1", dst[0], dst[1])
	}
	for i := len(idx) * 784; i < len(dst); i++ {
		if dst[i] != guard {
			t.Errorf("dst[%d] beyond the batch was written", i)
		}
	}
	if want := []uint8{9, 4, 7, 9, labelGuard}; string(labels) != string(want) {
		t.Errorf("labels %v, want %v", labels, want)
	}

	d.Batch(dst, nil, idx[:1]) // images only

	if n := testing.AllocsPerRun(100, func() { d.Batch(dst, labels, idx) }); n != 0 {
		t.Errorf("Batch allocates %v times per call", n)
	}

	for _, c := range []struct {
		name string
		fn   func()
		want string
	}{
		{"short dst", func() { d.Batch(dst[:784], labels, idx[:2]) }, errBatchDst},
		{"short labels", func() { d.Batch(dst, labels[:1], idx[:2]) }, errBatchLabels},
		{"index 6", func() { d.Batch(dst, labels, []int{1, 6}) }, errBatchIndex},
		{"index -1", func() { d.Batch(dst, labels, []int{-1}) }, errBatchIndex},
		{"bad dataset", func() {
			(&Dataset{Images: pix[:100], Labels: d.Labels, N: 6, Rows: 28, Cols: 28}).Batch(dst, labels, idx)
		}, errBatchOddSize},
	} {
		checkPanic(t, c.name, c.fn, c.want)
	}
}

// BenchmarkBatch gathers MNIST-sized batches of 100 shuffled samples.
func BenchmarkBatch(b *testing.B) {
	pix, _ := testImages(1000, 28, 28, 0)
	labels := make([]byte, 1000)
	d := &Dataset{Images: pix, Labels: labels, N: 1000, Rows: 28, Cols: 28}
	idx := make([]int, 100)
	for i := range idx {
		idx[i] = (i * 397) % 1000
	}
	dst := make([]float32, 100*784)
	lbl := make([]uint8, 100)
	b.SetBytes(100 * 784)
	b.ReportAllocs()
	for b.Loop() {
		d.Batch(dst, lbl, idx)
	}
}

// TestRealMNIST checks the files `make data` fetched.
func TestRealMNIST(t *testing.T) {
	if err := VerifyMNIST(realMNISTDir); err != nil {
		if errors.Is(err, ErrNoData) {
			t.Skipf("no MNIST data in %s (run `make data`): %v", realMNISTDir, err)
		}
		t.Fatal(err)
	}
	for _, c := range []struct {
		split Split
		n     int
		hist  [10]int
		first []byte
	}{
		{Train, 60000, [10]int{5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949},
			[]byte{5, 0, 4, 1, 9, 2, 1, 3, 1, 4}},
		{Test, 10000, [10]int{980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009},
			[]byte{7, 2, 1, 0, 4, 1, 4, 9, 5, 9}},
	} {
		t.Run(c.split.String(), func(t *testing.T) {
			d, err := LoadMNIST(realMNISTDir, c.split)
			if err != nil {
				t.Fatal(err)
			}
			if d.N != c.n || d.Rows != 28 || d.Cols != 28 || len(d.Images) != c.n*784 || len(d.Labels) != c.n {
				t.Fatalf("N, Rows, Cols = %d, %d, %d (%d pixels, %d labels); want %d, 28, 28",
					d.N, d.Rows, d.Cols, len(d.Images), len(d.Labels), c.n)
			}
			if !bytes.Equal(d.Labels[:10], c.first) {
				t.Errorf("first labels %v, want %v", d.Labels[:10], c.first)
			}
			var hist [10]int
			sum := 0
			for _, l := range d.Labels {
				hist[l]++
			}
			for _, h := range hist {
				sum += h
			}
			if hist != c.hist || sum != c.n {
				t.Errorf("label histogram %v (sum %d), want %v (sum %d)", hist, sum, c.hist, c.n)
			}
			var lo, hi uint8 = 255, 0
			for _, p := range d.Images {
				lo, hi = min(lo, p), max(hi, p)
			}
			if lo != 0 || hi != 255 {
				t.Errorf("pixels range over %d..%d, want 0..255", lo, hi)
			}
		})
	}
}
