package safetensors

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

func TestRoundTripAndInterop(t *testing.T) {
	tensors := []Tensor{
		{Name: "b", DType: "F32", Shape: []int{2, 2}, Data: Float32s([]float32{1, -2, 3.5, 0})},
		{Name: "a", DType: "I8", Shape: []int{3}, Data: []byte{0x80, 0, 0x7f}},
		{Name: "s", DType: "I32", Shape: []int{}, Data: Int32s([]int32{-7})},
	}
	var buf bytes.Buffer
	if err := Write(&buf, map[string]string{"format": "test"}, tensors); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	// The header length is little-endian and the data starts 8-byte
	// aligned, as the reference implementation writes it.
	if n := int(b[0]) | int(b[1])<<8; (8+n)%8 != 0 || !bytes.HasPrefix(b[8:], []byte(`{"__metadata__":{"crc32":"`)) {
		t.Errorf("header: %q", b[:40])
	}
	meta, got, err := Read(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if meta["format"] != "test" || meta[ChecksumKey] == "" {
		t.Errorf("metadata %v", meta)
	}
	for i, want := range tensors {
		g := got[i]
		if g.Name != want.Name || g.DType != want.DType || !bytes.Equal(g.Data, want.Data) || len(g.Shape) != len(want.Shape) {
			t.Errorf("tensor %d: %+v, want %+v", i, g, want)
		}
	}
	f := make([]float32, 4)
	ToFloat32s(f, got[0].Data)
	if f[2] != 3.5 {
		t.Errorf("float decode %v", f)
	}
}

func TestReadRejects(t *testing.T) {
	header := func(js string) []byte {
		b := []byte{byte(len(js)), 0, 0, 0, 0, 0, 0, 0}
		return append(b, js...)
	}
	cases := map[string][]byte{
		"empty":          nil,
		"huge header":    {0, 0, 0, 0, 1, 0, 0, 0},
		"bad json":       header(`{"a":`),
		"unknown dtype":  append(header(`{"a":{"dtype":"Q4","shape":[1],"data_offsets":[0,1]}}`), 0),
		"size mismatch":  append(header(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}`), 0, 0, 0, 0),
		"gap":            append(header(`{"a":{"dtype":"U8","shape":[1],"data_offsets":[1,2]}}`), 0, 0),
		"short data":     append(header(`{"a":{"dtype":"U8","shape":[4],"data_offsets":[0,4]}}`), 0, 0),
		"trailing data":  append(header(`{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}`), 0, 0),
		"negative shape": append(header(`{"a":{"dtype":"U8","shape":[-1],"data_offsets":[0,1]}}`), 0),
		"bad checksum":   append(header(`{"__metadata__":{"crc32":"00000000"},"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}`), 1),
	}
	for name, b := range cases {
		if _, _, err := Read(bytes.NewReader(b)); !errors.Is(err, ErrFormat) {
			t.Errorf("%s: error %v, want ErrFormat", name, err)
		}
	}
}

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "m.safetensors")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A failing write (an invalid tensor) leaves the old file and no
	// temporary file behind.
	err := WriteFile(path, nil, []Tensor{{Name: "x", DType: "F32", Shape: []int{2}, Data: []byte{1}}})
	if err == nil || !strings.Contains(err.Error(), "do not fit") {
		t.Fatalf("invalid tensor: %v", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "old" {
		t.Error("a failed write replaced the file")
	}
	if err := WriteFile(path, nil, []Tensor{{Name: "x", DType: "U8", Shape: []int{1}, Data: []byte{9}}}); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	info, _ := os.Stat(path)
	if len(entries) != 1 || info.Mode().Perm() != 0o644 {
		t.Errorf("after WriteFile: %d entries, mode %v", len(entries), info.Mode())
	}
	if _, ts, err := ReadFile(path); err != nil || ts[0].Data[0] != 9 {
		t.Errorf("ReadFile: %v", err)
	}
}

func TestFind(t *testing.T) {
	ts := []Tensor{
		{Name: "w", DType: "F32", Shape: []int{2, 3}, Data: make([]byte, 24)},
		{Name: "q", DType: "I8", Shape: []int{4}, Data: make([]byte, 3)}, // short
	}
	if b, err := Find(ts, "w", "F32", 2, 3); err != nil || len(b) != 24 {
		t.Errorf("Find w: %d bytes, %v", len(b), err)
	}
	for _, c := range []struct {
		name, dtype string
		shape       []int
		want        string
	}{
		{"x", "F32", []int{1}, `no tensor "x"`},
		{"w", "I32", []int{2, 3}, `tensor "w" is F32 [2 3], want I32 [2 3]`},
		{"w", "F32", []int{3, 2}, `tensor "w" is F32 [2 3], want F32 [3 2]`},
		{"q", "I8", []int{4}, `tensor "q" is I8 [4], want I8 [4]`},
	} {
		if _, err := Find(ts, c.name, c.dtype, c.shape...); err == nil || err.Error() != c.want {
			t.Errorf("Find(%q, %s, %v) = %v, want %q", c.name, c.dtype, c.shape, err, c.want)
		}
	}
}

func TestLoad(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.safetensors")
	if err := WriteFile(path, map[string]string{"k": "v"}, []Tensor{{Name: "w", DType: "F32", Shape: []int{1}, Data: Float32s([]float32{2})}}); err != nil {
		t.Fatal(err)
	}
	value := func(meta map[string]string, ts []Tensor) (float32, error) {
		b, err := Find(ts, "w", "F32", 1)
		if err != nil {
			return 0, err
		}
		v := make([]float32, 1)
		ToFloat32s(v, b)
		return v[0], nil
	}
	if v, err := Load(path, value); err != nil || v != 2 {
		t.Errorf("Load = %v, %v; want 2", v, err)
	}
	missing := func(meta map[string]string, ts []Tensor) (float32, error) {
		_, err := Find(ts, "x", "F32", 1)
		return 1, err
	}
	if v, err := Load(path, missing); err == nil || v != 0 || err.Error() != path+`: no tensor "x"` {
		t.Errorf("Load with a missing tensor = %v, %v", v, err)
	}
	if _, err := Load(path+".none", value); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Load of no file: %v", err)
	}
}

// TestWriteFileRemovesStale: temporary files that a killed writer left
// (issue 14: kill -9 during training left ".…tmp…" files that nothing
// removed) go when the file is next written; those of a live writer and of
// other files stay.
func TestWriteFileRemovesStale(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no test for a running process")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "m.safetensors")
	// A process ID that is not running: a child that has exited (true(1),
	// not the test binary, which cannot run itself under qemu-user).
	truePath, err := exec.LookPath("true")
	if err != nil {
		t.Skip("no true(1) to make an exited process")
	}
	cmd := exec.Command(truePath)
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	dead := cmd.Process.Pid
	stale := []string{
		".m.safetensors.tmp123456789",                     // an older version's name
		".m.safetensors.tmp" + strconv.Itoa(dead) + "-42", // a killed writer's
	}
	kept := []string{
		".m.safetensors.tmp" + strconv.Itoa(os.Getppid()) + "-7", // a running writer's
		".m.safetensors.tmpx.tmp1-2",                             // not a temporary name of WriteFile's
		".other.safetensors.tmp1",                                // another file's
		"m.safetensors.tmp1",
	}
	for _, n := range append(append([]string{}, stale...), kept...) {
		if err := os.WriteFile(filepath.Join(dir, n), []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := WriteFile(path, nil, []Tensor{{Name: "x", DType: "U8", Shape: []int{1}, Data: []byte{9}}}); err != nil {
		t.Fatal(err)
	}
	for _, n := range stale {
		if _, err := os.Stat(filepath.Join(dir, n)); !os.IsNotExist(err) {
			t.Errorf("%s: not removed (%v)", n, err)
		}
	}
	for _, n := range append(kept, "m.safetensors") {
		if _, err := os.Stat(filepath.Join(dir, n)); err != nil {
			t.Errorf("%s: %v", n, err)
		}
	}
}

// FuzzRead feeds arbitrary bytes to Read: errors are fine, panics are not,
// and what it accepts is written back and read again the same.
func FuzzRead(f *testing.F) {
	var b bytes.Buffer
	if err := Write(&b, map[string]string{"format": "x"}, []Tensor{
		{Name: "a", DType: "F32", Shape: []int{2}, Data: Float32s([]float32{1, 2})},
		{Name: "b", DType: "I8", Shape: []int{3, 1}, Data: []byte{1, 2, 3}}}); err != nil {
		f.Fatal(err)
	}
	f.Add(b.Bytes())
	f.Add([]byte("\x02\x00\x00\x00\x00\x00\x00\x00{}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		meta, ts, err := Read(bytes.NewReader(data))
		if err != nil {
			return
		}
		var b bytes.Buffer
		if err := Write(&b, meta, ts); err != nil {
			t.Fatalf("Write of what Read accepted: %v", err)
		}
		meta2, ts2, err := Read(&b)
		if err != nil || len(meta2) < len(meta) || len(ts2) != len(ts) {
			t.Fatalf("read back: %v", err)
		}
		for i := range ts {
			if ts[i].Name != ts2[i].Name || !bytes.Equal(ts[i].Data, ts2[i].Data) {
				t.Fatalf("tensor %d differs after writing", i)
			}
		}
	})
}
