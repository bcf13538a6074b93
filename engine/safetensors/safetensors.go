// Package safetensors reads and writes the safetensors file format: an
// 8-byte little-endian header length, a JSON header naming each tensor's
// dtype, shape and byte range, then the raw little-endian tensor data. Models
// saved this way open in the tools people already have (Python's safetensors,
// Hugging Face viewers).
//
// Files written here carry, in the header's "__metadata__", a CRC-32 (IEEE)
// of the data section, so that a damaged file is caught even where its
// structure still parses. Reading validates everything before returning: the
// header length, the JSON, every dtype, shape and byte range (in bounds,
// non-overlapping, covering the data exactly) and the checksum.
package safetensors

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"
	"slices"
	"sort"
	"strconv"

	"github.com/edgeconv/edgeconv/internal/atomicfile"
)

// Tensor is one named tensor: its dtype ("F32", "I32", "I8", "U8"), its shape
// and its raw little-endian bytes.
type Tensor struct {
	Name  string
	DType string
	Shape []int
	Data  []byte
}

// ChecksumKey is the metadata key under which Write stores the CRC-32 of the
// data section, as 8 hex digits.
const ChecksumKey = "crc32"

// Limits on what Read accepts, far above any model of this project, so that a
// corrupt header cannot make it allocate gigabytes.
const (
	maxHeader = 1 << 24
	maxData   = 1 << 30
)

// ErrFormat is wrapped by every error about a malformed or damaged file.
var ErrFormat = errors.New("safetensors: malformed file")

func dtypeSize(dt string) int {
	switch dt {
	case "F32", "I32", "U32":
		return 4
	case "I8", "U8":
		return 1
	case "I16", "F16", "BF16":
		return 2
	case "F64", "I64":
		return 8
	}
	return 0
}

type headerEntry struct {
	DType   string   `json:"dtype"`
	Shape   []int    `json:"shape"`
	Offsets [2]int64 `json:"data_offsets"`
}

// Write writes the tensors, in the given order, and the metadata to w. It
// adds the data checksum to the metadata it writes (not to meta).
func Write(w io.Writer, meta map[string]string, tensors []Tensor) error {
	header := make(map[string]any, len(tensors)+1)
	m := make(map[string]string, len(meta)+1)
	for k, v := range meta {
		m[k] = v
	}
	crc := crc32.NewIEEE()
	var off int64
	for _, t := range tensors {
		if t.Name == "__metadata__" || t.Name == "" {
			return fmt.Errorf("safetensors: invalid tensor name %q", t.Name)
		}
		if _, dup := header[t.Name]; dup {
			return fmt.Errorf("safetensors: duplicate tensor %q", t.Name)
		}
		if want := elements(t.Shape) * int64(dtypeSize(t.DType)); want != int64(len(t.Data)) || dtypeSize(t.DType) == 0 {
			return fmt.Errorf("safetensors: tensor %q: %d bytes do not fit dtype %s shape %v", t.Name, len(t.Data), t.DType, t.Shape)
		}
		shape := t.Shape
		if shape == nil {
			shape = []int{}
		}
		header[t.Name] = headerEntry{DType: t.DType, Shape: shape, Offsets: [2]int64{off, off + int64(len(t.Data))}}
		off += int64(len(t.Data))
		crc.Write(t.Data)
	}
	m[ChecksumKey] = fmt.Sprintf("%08x", crc.Sum32())
	header["__metadata__"] = m
	js, err := json.Marshal(header) // map keys come out sorted: the output is deterministic
	if err != nil {
		return err
	}
	// Pad the header with spaces so that the data starts 8-byte aligned, as
	// the reference implementation does.
	for len(js)%8 != 0 {
		js = append(js, ' ')
	}
	var n [8]byte
	binary.LittleEndian.PutUint64(n[:], uint64(len(js)))
	if _, err := w.Write(n[:]); err != nil {
		return err
	}
	if _, err := w.Write(js); err != nil {
		return err
	}
	for _, t := range tensors {
		if _, err := w.Write(t.Data); err != nil {
			return err
		}
	}
	return nil
}

func elements(shape []int) int64 {
	n := int64(1)
	for _, d := range shape {
		if d < 0 || d > maxData {
			return -1
		}
		n *= int64(d)
		if n > maxData {
			return -1
		}
	}
	return n
}

// Read reads a whole safetensors stream and validates it. Tensors come back
// in the order of their data. If the metadata has a checksum, it must match.
func Read(r io.Reader) (meta map[string]string, tensors []Tensor, err error) {
	var n [8]byte
	if _, err := io.ReadFull(r, n[:]); err != nil {
		return nil, nil, fmt.Errorf("%w: header length: %v", ErrFormat, truncated(err))
	}
	hlen := binary.LittleEndian.Uint64(n[:])
	if hlen < 2 || hlen > maxHeader {
		return nil, nil, fmt.Errorf("%w: header length %d out of range", ErrFormat, hlen)
	}
	js := make([]byte, hlen)
	if _, err := io.ReadFull(r, js); err != nil {
		return nil, nil, fmt.Errorf("%w: header: %v", ErrFormat, truncated(err))
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(bytes.TrimRight(js, " "), &raw); err != nil {
		return nil, nil, fmt.Errorf("%w: header JSON: %v", ErrFormat, err)
	}
	meta = map[string]string{}
	type entry struct {
		name string
		headerEntry
	}
	var entries []entry
	for name, msg := range raw {
		if name == "__metadata__" {
			if err := json.Unmarshal(msg, &meta); err != nil {
				return nil, nil, fmt.Errorf("%w: __metadata__ must map strings to strings: %v", ErrFormat, err)
			}
			continue
		}
		if name == "" {
			// Write refuses it too: a file must survive a round trip.
			return nil, nil, fmt.Errorf("%w: a tensor with an empty name", ErrFormat)
		}
		var e headerEntry
		dec := json.NewDecoder(bytes.NewReader(msg))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&e); err != nil {
			return nil, nil, fmt.Errorf("%w: tensor %q: %v", ErrFormat, name, err)
		}
		size := dtypeSize(e.DType)
		if size == 0 {
			return nil, nil, fmt.Errorf("%w: tensor %q: unknown dtype %q", ErrFormat, name, e.DType)
		}
		count := elements(e.Shape)
		if count < 0 {
			return nil, nil, fmt.Errorf("%w: tensor %q: shape %v out of range", ErrFormat, name, e.Shape)
		}
		if e.Offsets[0] < 0 || e.Offsets[1]-e.Offsets[0] != count*int64(size) {
			return nil, nil, fmt.Errorf("%w: tensor %q: byte range %v does not fit dtype %s shape %v", ErrFormat, name, e.Offsets, e.DType, e.Shape)
		}
		entries = append(entries, entry{name, e})
	}
	sort.Slice(entries, func(i, j int) bool {
		if entries[i].Offsets[0] != entries[j].Offsets[0] {
			return entries[i].Offsets[0] < entries[j].Offsets[0]
		}
		return entries[i].name < entries[j].name
	})
	var end int64
	for _, e := range entries {
		if e.Offsets[0] != end {
			return nil, nil, fmt.Errorf("%w: tensor %q starts at byte %d, want %d (gap or overlap)", ErrFormat, e.name, e.Offsets[0], end)
		}
		end = e.Offsets[1]
	}
	if end > maxData {
		return nil, nil, fmt.Errorf("%w: %d bytes of data, more than the %d allowed", ErrFormat, end, maxData)
	}
	data := make([]byte, end)
	if _, err := io.ReadFull(r, data); err != nil {
		return nil, nil, fmt.Errorf("%w: data: want %d bytes: %v", ErrFormat, end, truncated(err))
	}
	if extra, _ := io.Copy(io.Discard, io.LimitReader(r, 1)); extra != 0 {
		return nil, nil, fmt.Errorf("%w: data continues past the last tensor", ErrFormat)
	}
	if want, ok := meta[ChecksumKey]; ok {
		if got := fmt.Sprintf("%08x", crc32.ChecksumIEEE(data)); got != want {
			return nil, nil, fmt.Errorf("%w: data checksum %s, header says %s (file damaged)", ErrFormat, got, want)
		}
	}
	for _, e := range entries {
		tensors = append(tensors, Tensor{Name: e.name, DType: e.DType, Shape: e.Shape, Data: data[e.Offsets[0]:e.Offsets[1]:e.Offsets[1]]})
	}
	return meta, tensors, nil
}

func truncated(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return errors.New("file truncated")
	}
	return err
}

// WriteFile writes the tensors to path atomically: to a temporary file in the
// same directory, synced, then renamed over path, and the directory synced
// (atomicfile.Write), so that a crash, a power cut or a full disk never
// leaves a half-written file under the real name and a file written stays
// written; the temporary files of killed writers are removed.
func WriteFile(path string, meta map[string]string, tensors []Tensor) error {
	return atomicfile.Write(path, func(w io.Writer) error { return Write(w, meta, tensors) })
}

// ReadFile reads and validates the safetensors file at path.
func ReadFile(path string) (map[string]string, []Tensor, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	meta, ts, err := Read(bufio.NewReaderSize(f, 1<<16))
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return meta, ts, nil
}

// Load reads the file at path (ReadFile) and builds a T from it with from,
// whose error it prefixes with path: the LoadFile of a model format.
func Load[T any](path string, from func(meta map[string]string, tensors []Tensor) (T, error)) (T, error) {
	var zero T
	meta, ts, err := ReadFile(path)
	if err != nil {
		return zero, err
	}
	v, err := from(meta, ts)
	if err != nil {
		return zero, fmt.Errorf("%s: %w", path, err)
	}
	return v, nil
}

// Float32s returns the little-endian bytes of v.
func Float32s(v []float32) []byte {
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x))
	}
	return b
}

// ToFloat32s decodes little-endian float32 bytes into dst, which must have
// len(b)/4 elements.
func ToFloat32s(dst []float32, b []byte) {
	for i := range dst {
		dst[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
}

// Int32s returns the little-endian bytes of v.
func Int32s(v []int32) []byte {
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], uint32(x))
	}
	return b
}

// ToInt32s decodes little-endian int32 bytes into dst.
func ToInt32s(dst []int32, b []byte) {
	for i := range dst {
		dst[i] = int32(binary.LittleEndian.Uint32(b[4*i:]))
	}
}

// Find returns the data of the tensor named name, checking that it has the
// dtype and shape given: a model reader asks for each tensor its
// architecture needs this way. The error names the tensor and what is
// wrong; the caller says which model it is about.
func Find(tensors []Tensor, name, dtype string, shape ...int) ([]byte, error) {
	for i := range tensors {
		t := &tensors[i]
		if t.Name != name {
			continue
		}
		n := elements(shape)
		if t.DType != dtype || !slices.Equal(t.Shape, shape) || n < 0 || int64(len(t.Data)) != n*int64(dtypeSize(dtype)) {
			return nil, fmt.Errorf("tensor %q is %s %v, want %s %v", name, t.DType, t.Shape, dtype, shape)
		}
		return t.Data, nil
	}
	return nil, fmt.Errorf("no tensor %q", name)
}

// Meta returns the metadata value for key, or an error naming the key when
// it is missing.
func Meta(meta map[string]string, key string) (string, error) {
	v, ok := meta[key]
	if !ok {
		return "", fmt.Errorf("%w: metadata has no %q", ErrFormat, key)
	}
	return v, nil
}

// MetaInt returns the integer metadata value for key.
func MetaInt(meta map[string]string, key string) (int64, error) {
	v, err := Meta(meta, key)
	if err != nil {
		return 0, err
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%w: metadata %q = %q is not an integer", ErrFormat, key, v)
	}
	return n, nil
}
