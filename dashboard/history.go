package dashboard

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/edgeconv/edgeconv/internal/atomicfile"
)

// Buckets is the number of equal-count slices a layer's weights (or
// biases) are cut into, as the codelab's tensorflowvisu.py does
// (HISTOGRAM_BUCKETS = 7): a distribution is their Buckets+1 boundaries,
// from the smallest value to the largest, and is drawn as nested bands
// around the median.
const Buckets = 7

// Dist is the distribution of a set of values: the boundaries of Buckets
// equal-count slices, Dist[0] the smallest value and Dist[Buckets] the
// largest.
type Dist [Buckets + 1]float32

// History is the record of a training run: what the dashboard draws and
// the report writes.
type History struct {
	Name       string `json:"name"` // the preset, or "custom"
	Arch       string `json:"arch"` // the network's spec
	Iterations int    `json:"iterations"`
	Batch      int    `json:"batch"`
	// Layers names each layer of the network ("1 conv 6x6 6"): the
	// distributions are in this order.
	Layers []string     `json:"layers"`
	Train  []TrainPoint `json:"train"`
	Test   []TestPoint  `json:"test"`
	Dist   []DistPoint  `json:"dist"`
}

// TrainPoint summarises the training batches since the previous point.
type TrainPoint struct {
	Iter         int     `json:"iteration"`
	Accuracy     float64 `json:"accuracy"`      // fraction of the batches' samples classified correctly
	Loss         float64 `json:"loss"`          // mean cross-entropy of the batches
	LR           float64 `json:"learning_rate"` // at the point's last step
	ImagesPerSec float64 `json:"images_per_second"`
}

// TestPoint is an evaluation on the test set.
type TestPoint struct {
	Iter     int     `json:"iteration"`
	Accuracy float64 `json:"accuracy"`
	Loss     float64 `json:"loss"`
}

// DistPoint is the distribution of each layer's weights and biases at an
// iteration.
type DistPoint struct {
	Iter    int    `json:"iteration"`
	Weights []Dist `json:"weights"`
	Biases  []Dist `json:"biases"`
}

// Truncate drops the points after iteration iter: a run resumed from a
// checkpoint older than its history continues from the checkpoint.
func (h *History) Truncate(iter int) {
	h.Train = slices.DeleteFunc(h.Train, func(p TrainPoint) bool { return p.Iter > iter })
	h.Test = slices.DeleteFunc(h.Test, func(p TestPoint) bool { return p.Iter > iter })
	h.Dist = slices.DeleteFunc(h.Dist, func(p DistPoint) bool { return p.Iter > iter })
}

// HistoryPath is where the history of the run whose checkpoint is at
// ckpt is kept: beside it, ".history.json" for ".safetensors".
func HistoryPath(ckpt string) string {
	return strings.TrimSuffix(ckpt, ".safetensors") + ".history.json"
}

// WriteJSON writes h to path as JSON, atomically.
func (h *History) WriteJSON(path string) error {
	return atomicfile.Write(path, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", " ")
		return enc.Encode(h)
	})
}

// ErrNoHistory is wrapped by ReadHistory's error when the file does not
// exist.
var ErrNoHistory = errors.New("dashboard: no history")

// ReadHistory reads a history written by WriteJSON; path may also be a
// report's folder (its history.json).
func ReadHistory(path string) (*History, error) {
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		path = path + string(os.PathSeparator) + "history.json"
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s", ErrNoHistory, path)
	}
	if err != nil {
		return nil, err
	}
	h := new(History)
	if err := json.Unmarshal(b, h); err != nil {
		return nil, fmt.Errorf("dashboard: %s: %w", path, err)
	}
	for _, d := range h.Dist {
		if len(d.Weights) != len(h.Layers) || len(d.Biases) != len(h.Layers) {
			return nil, fmt.Errorf("dashboard: %s: distributions at iteration %d have %d and %d layers, the network %d", path, d.Iter, len(d.Weights), len(d.Biases), len(h.Layers))
		}
	}
	return h, nil
}

// WriteCSV writes the curves to path as CSV, atomically: one row per
// iteration with a training point or an evaluation, the columns without a
// value at that iteration left empty.
func (h *History) WriteCSV(path string) error {
	return atomicfile.Write(path, func(w io.Writer) error {
		cw := csv.NewWriter(w)
		cw.Write([]string{"iteration", "train_accuracy", "train_loss", "test_accuracy", "test_loss", "learning_rate", "images_per_second"})
		f := func(v float64) string { return strconv.FormatFloat(v, 'g', 6, 64) }
		i, j := 0, 0
		for i < len(h.Train) || j < len(h.Test) {
			row := make([]string, 7)
			iter := 0
			switch {
			case j == len(h.Test) || i < len(h.Train) && h.Train[i].Iter < h.Test[j].Iter:
				iter = h.Train[i].Iter
			default:
				iter = h.Test[j].Iter
			}
			row[0] = strconv.Itoa(iter)
			if i < len(h.Train) && h.Train[i].Iter == iter {
				p := h.Train[i]
				row[1], row[2], row[5], row[6] = f(p.Accuracy), f(p.Loss), f(p.LR), f(p.ImagesPerSec)
				i++
			}
			if j < len(h.Test) && h.Test[j].Iter == iter {
				row[3], row[4] = f(h.Test[j].Accuracy), f(h.Test[j].Loss)
				j++
			}
			cw.Write(row)
		}
		cw.Flush()
		return cw.Error()
	})
}

// distOf sets d to the distribution of v, sorting a copy in scratch (at
// least len(v)) to find it. An empty v gives zeros.
func distOf(d *Dist, v, scratch []float32) {
	if len(v) == 0 {
		*d = Dist{}
		return
	}
	scratch = scratch[:len(v)]
	copy(scratch, v)
	slices.Sort(scratch)
	n := len(scratch)
	for k := range d {
		d[k] = scratch[k*(n-1)/Buckets]
	}
}
