package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"hash/crc32"
	"image"
	"image/jpeg"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/edgeconv/edgeconv/engine"
	"github.com/edgeconv/edgeconv/engine/enginetest"
	"github.com/edgeconv/edgeconv/engine/safetensors"
	"github.com/edgeconv/edgeconv/train"
)

// hostileFiles writes the files of issue 14 into dir: model files whose
// architecture claims far more parameters than they hold (float32, int8,
// checkpoint: 114 bytes asked every command for 1.1 TB), models not shaped
// for digits (28x28x3 input, 8x8 input, 2 classes; as models and as
// checkpoints), and image headers of 65535x65535 (PNG) and 65500x65500
// (JPEG). It returns the models' and the images' paths.
func hostileFiles(t *testing.T, dir string) (models, images []string) {
	t.Helper()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	header := func(format, arch string) []byte {
		h, _ := json.Marshal(map[string]any{"__metadata__": map[string]string{
			engine.FormatKey: format, engine.VersionKey: "1", engine.ArchKey: arch}})
		return append(binary.LittleEndian.AppendUint64(nil, uint64(len(h))), h...)
	}
	net := func(format, arch string) []byte {
		meta, ts := enginetest.Net(t, arch, 1).SafeTensors()
		meta[engine.FormatKey] = format
		var b bytes.Buffer
		if err := safetensors.Write(&b, meta, ts); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	for _, f := range []string{"edgeconv-float32", "edgeconv-int8", "edgeconv-checkpoint"} {
		kind := strings.TrimPrefix(f, "edgeconv-")
		models = append(models,
			write("bomb-"+kind+".safetensors", header(f, "input 4096x4096x1; dense 16384")),
			write("wide-"+kind+".safetensors", header(f, "conv 1x1 1024 s1; dense 200; dense 10")))
	}
	for _, f := range []string{"edgeconv-float32", "edgeconv-checkpoint"} {
		kind := strings.TrimPrefix(f, "edgeconv-")
		models = append(models,
			write("rgb-"+kind+".safetensors", net(f, "input 28x28x3; conv 3x3 4 s2 relu; dense 10")),
			write("small-"+kind+".safetensors", net(f, "input 8x8x1; dense 10")),
			write("two-"+kind+".safetensors", net(f, "conv 3x3 4 s2 relu; dense 2")))
	}
	small := image.NewGray(image.Rect(0, 0, 16, 16))
	var p, j bytes.Buffer
	png.Encode(&p, small)
	jpeg.Encode(&j, small, nil)
	pd := p.Bytes()
	ihdr := bytes.Index(pd, []byte("IHDR"))
	binary.BigEndian.PutUint32(pd[ihdr+4:], 65535)
	binary.BigEndian.PutUint32(pd[ihdr+8:], 65535)
	binary.BigEndian.PutUint32(pd[ihdr+17:], crc32.ChecksumIEEE(pd[ihdr:ihdr+17]))
	jd := j.Bytes()
	sof := bytes.Index(jd, []byte{0xFF, 0xC0})
	jd[sof+5], jd[sof+6], jd[sof+7], jd[sof+8] = 0xFF, 0xDC, 0xFF, 0xDC
	images = append(images, write("huge.png", pd[:ihdr+21]), write("huge.jpg", jd))
	return models, images
}

// hostileCommands returns every command line that opens one of the files:
// each command that loads models with each model, and each that decodes
// images with each image; and command lines whose batch needs far more
// memory than there is.
func hostileCommands(t *testing.T, dir string, data bool) [][]string {
	models, images := hostileFiles(t, dir)
	digit := filepath.Join("..", "..", "camera", "testdata", "images", "0000.png")
	out := filepath.Join(dir, "out.safetensors")
	var cmds [][]string
	for _, m := range models {
		cmds = append(cmds,
			[]string{"predict", "--model", m, digit},
			[]string{"read", "--model", m, digit},
			[]string{"bench", "--model", m, "--duration", "10ms", "--rounds", "1"},
			[]string{"run", "--model", m, "--source", digit, "--listen", "off"})
		if data {
			cmds = append(cmds,
				[]string{"eval", "--model", m, "--data", dataDir, "--negatives", "0", "--style", "0"},
				[]string{"quantize", "--model", m, "--out", out, "--data", dataDir},
				[]string{"train", "--resume", m, "--data", dataDir, "--out", out, "--quiet"})
		}
	}
	// Sizes from the command line whose plan would not fit in memory.
	cmds = append(cmds, []string{"bench", "--preset", "seed99", "--batch", "50000000", "--duration", "10ms", "--rounds", "1"})
	if data {
		cmds = append(cmds, []string{"train", "--spec", "conv 3x3 16384 s1; conv 3x3 1 s4; dense 10", "--batch", "60000",
			"--iterations", "1", "--data", dataDir, "--out", out, "--quiet"})
	}
	for _, img := range images {
		cmds = append(cmds,
			[]string{"predict", img},
			[]string{"read", img},
			[]string{"run", "--source", img, "--listen", "off"})
	}
	return cmds
}

// TestHostileInput runs every command on the hostile files of issue 14:
// each must exit 1 with one line on stderr, before it allocates anything of
// the size the file claims.
func TestHostileInput(t *testing.T) {
	data := train.VerifyMNIST(dataDir) == nil
	for _, args := range hostileCommands(t, t.TempDir(), data) {
		code, stdout, stderr := edgeconv(t, context.Background(), args...)
		if code != 1 || stdout != "" || !strings.HasPrefix(stderr, "edgeconv: ") || strings.Count(stderr, "\n") != 1 {
			t.Errorf("edgeconv %s: exit %d, stdout %q, stderr %q; want 1 and one line", strings.Join(args, " "), code, stdout, stderr)
		}
	}
}

// TestHostileInputAddressSpace is TestHostileInput on the binary under a
// 4 GiB address-space limit (prlimit --as), as a Pi's memory would be: an
// allocation of the claimed size would kill it with "fatal error: out of
// memory", exit 2 and a hundred lines.
func TestHostileInputAddressSpace(t *testing.T) {
	prlimit, err := exec.LookPath("prlimit")
	if err != nil {
		t.Skip("needs prlimit (util-linux)")
	}
	dir, exe := nativeEdgeconv(t, "builds the binary")
	for _, args := range hostileCommands(t, dir, train.VerifyMNIST(dataDir) == nil) {
		cmd := exec.Command(prlimit, append([]string{"--as=4294967296", exe}, args...)...)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		code := cmd.ProcessState.ExitCode()
		if err != nil && code < 0 {
			t.Fatalf("%s: %v", strings.Join(args, " "), err)
		}
		if code != 1 || stdout.Len() != 0 || !strings.HasPrefix(stderr.String(), "edgeconv: ") || strings.Count(stderr.String(), "\n") != 1 {
			t.Errorf("edgeconv %s: exit %d, stdout %q, stderr %.300q; want 1 and one line", strings.Join(args, " "), code, stdout.String(), stderr.String())
		}
		// With -v, the figures of the closing note.
		t.Logf("exit %d: edgeconv %s\n\t%s", code, strings.Join(args[:min(len(args), 3)], " "), strings.TrimSpace(stderr.String()))
	}
}
