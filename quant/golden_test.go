package quant

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/edgeconv/edgeconv/train"
)

var update = flag.Bool("update", false, "retrain the small network and rewrite testdata/small.int8.safetensors and testdata/golden.txt")

const (
	goldenFile   = "testdata/golden.txt"
	goldenImages = 2000
)

// goldenLogits runs the plan over the first goldenImages test images and
// returns the SHA-256 of their int32 logits (little-endian) and the
// accuracy.
func goldenLogits(q *Network, ds *train.Dataset, batch, workers int) (string, int) {
	p := NewPlan(q, batch, workers)
	defer p.Close()
	h := sha256.New()
	size, classes := q.InputSize(), q.Classes()
	correct := 0
	var buf [4]byte
	for s := 0; s < goldenImages; s += batch {
		n := min(batch, goldenImages-s)
		lg := p.Forward(ds.Images[s*size:], n)
		for k := range n {
			if Argmax(lg[k*classes:(k+1)*classes]) == int(ds.Labels[s+k]) {
				correct++
			}
		}
		for _, v := range lg {
			binary.LittleEndian.PutUint32(buf[:], uint32(v))
			h.Write(buf[:])
		}
	}
	return hex.EncodeToString(h.Sum(nil)), correct
}

// TestGolden proves bit-exactness: the committed int8 model gives logits
// with the committed hash on every architecture (amd64, arm64 with and
// without the dot-product extension, purego), for every batch size and
// worker count. go test -run TestGolden -update regenerates both files.
func TestGolden(t *testing.T) {
	test := loadMNIST(t, train.Test)
	if *update {
		net := trainSmall(t)
		q, err := Quantize(net, calibSamples(loadMNIST(t, train.Train), 500), Options{Method: MinMax})
		if err != nil {
			t.Fatal(err)
		}
		if err := q.SaveFile(fixture); err != nil {
			t.Fatal(err)
		}
		sum, correct := goldenLogits(q, test, 100, 1)
		text := fmt.Sprintf("# SHA-256 of the int32 logits (little-endian) of %s on the first %d MNIST test images; %d correct\n%s\n",
			fixture, goldenImages, correct, sum)
		if err := os.WriteFile(goldenFile, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	q := loadFixture(t)
	b, err := os.ReadFile(goldenFile)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	want := lines[len(lines)-1]
	for _, c := range []struct{ batch, workers int }{{100, 1}, {1, 1}, {37, 2}, {250, 3}} {
		got, correct := goldenLogits(q, test, c.batch, c.workers)
		if got != want {
			t.Errorf("batch %d workers %d: logits hash %s, want %s (%d correct)", c.batch, c.workers, got, want, correct)
		}
		if correct < goldenImages*9/10 {
			t.Errorf("batch %d workers %d: only %d of %d correct", c.batch, c.workers, correct, goldenImages)
		}
	}
}
