package extract_test

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/edgeconv/edgeconv/extract"
	"github.com/edgeconv/edgeconv/internal/overlay"
	"github.com/edgeconv/edgeconv/internal/score"
)

// photoLabel is one photo of shared/photos/LABELS.tsv.
type photoLabel struct {
	file   string
	digits string
	rows   []string // label rows in reading order
}

// photosDir finds shared/photos beside the repository; "" when it is
// absent.
func photosDir() string { return score.FindShared("photos") }

// readPhotoLabels reads dir's LABELS.tsv; each photo's rows come from the
// "rows: a | b | c;" part of its notes.
func readPhotoLabels(t testing.TB, dir string) []photoLabel {
	labels, err := score.ReadLabels(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []photoLabel
	for _, sl := range labels {
		l := photoLabel{file: sl.File, digits: sl.Digits}
		notes := sl.Columns["notes"]
		if i := strings.Index(notes, "rows: "); i >= 0 {
			s := notes[i+len("rows: "):]
			if j := strings.Index(s, ";"); j >= 0 {
				s = s[:j]
			}
			for _, r := range strings.Split(s, "|") {
				l.rows = append(l.rows, strings.TrimSpace(r))
			}
		}
		out = append(out, l)
	}
	return out
}

// loadGray reads an image file and converts it to grey with BT.601 luma,
// as a camera's Y plane would carry it.
func loadGray(t testing.TB, path string) *image.Gray {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if g, ok := img.(*image.Gray); ok {
		return g
	}
	g := image.NewGray(img.Bounds())
	draw.Draw(g, g.Rect, img, img.Bounds().Min, draw.Src)
	return g
}

// debugDir is where the tests write debug images, from
// EDGECONV_CAMERA_DEBUG; "" disables them.
func debugDir() string { return os.Getenv("EDGECONV_CAMERA_DEBUG") }

var lineColors = []color.RGBA{
	{255, 0, 0, 255}, {0, 160, 0, 255}, {0, 0, 255, 255}, {220, 0, 220, 255},
	{0, 170, 170, 255}, {230, 120, 0, 255},
}

// writeDebug writes name-boxes.png (the frame with the digit boxes, one
// colour per line) and name-digits.png (the 28x28 images tiled, one row
// per line) into dir.
func writeDebug(t testing.TB, dir, name string, frame *image.Gray, digits []extract.Digit, labels []int) {
	if dir == "" {
		return
	}
	rgb := overlay.RGBA(frame)
	for _, d := range digits {
		overlay.Box(rgb, d.Box.Inset(-1), 1, lineColors[d.Line%len(lineColors)])
	}
	savePNG(t, filepath.Join(dir, name+"-boxes.png"), rgb)
	// Tiles: 2x scale, 60 px per cell (56 + margin), one row per line.
	lines, most := 0, 0
	count := map[int]int{}
	for _, d := range digits {
		lines = max(lines, d.Line+1)
		count[d.Line]++
		most = max(most, count[d.Line])
	}
	if lines == 0 {
		return
	}
	const cell = 60
	tile := image.NewRGBA(image.Rect(0, 0, cell*most, cell*lines))
	draw.Draw(tile, tile.Rect, image.NewUniform(color.RGBA{40, 40, 90, 255}), image.Point{}, draw.Src)
	col := map[int]int{}
	for _, d := range digits {
		x0, y0 := col[d.Line]*cell+2, d.Line*cell+2
		col[d.Line]++
		for y := 0; y < 56; y++ {
			for x := 0; x < 56; x++ {
				v := d.Pixels[(y/2)*28+x/2]
				tile.Set(x0+x, y0+y, color.RGBA{v, v, v, 255})
			}
		}
		// Centre marks at (14,14).
		tile.Set(x0+28, y0+28, color.RGBA{255, 0, 0, 255})
	}
	_ = labels
	savePNG(t, filepath.Join(dir, name+"-digits.png"), tile)
}

func savePNG(t testing.TB, path string, img image.Image) {
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// lineCounts returns the number of digits per line.
func lineCounts(digits []extract.Digit) []int {
	var n []int
	for _, d := range digits {
		for len(n) <= d.Line {
			n = append(n, 0)
		}
		n[d.Line]++
	}
	return n
}

// rowsMatch reports whether the found line counts fit the labelled rows,
// where a found line may hold several consecutive label rows (two columns
// of numbers side by side, as in 3_A4).
func rowsMatch(found []int, rows []string) bool {
	i := 0
	for _, n := range found {
		s := 0
		for s < n && i < len(rows) {
			s += len(rows[i])
			i++
		}
		if s != n {
			return false
		}
	}
	return i == len(rows)
}

// TestPhotos runs the extractor on the real photographs of shared/photos
// and checks what extraction alone decides: how many digits are found and
// whether the lines hold the labelled rows (a line may hold several rows
// side by side, as the two columns of 3_A4). It guards against
// regressions: at least 98% of the labelled digits found, no more than 2%
// extra, and the rows right on 6 of the 8 photos (the two others have rows
// whose digits touch). Reading them is package reading's TestPhotosRead.
func TestPhotos(t *testing.T) {
	dir := photosDir()
	if dir == "" {
		t.Skip("shared/photos not found beside the repository")
	}
	labels := readPhotoLabels(t, dir)
	ex := extract.NewExtractor(extract.Options{})
	var digits []extract.Digit
	total, found, rowsOK := 0, 0, 0
	for _, l := range labels {
		frame := loadGray(t, filepath.Join(dir, l.file))
		digits = ex.Extract(frame, digits)
		counts := lineCounts(digits)
		var want []string
		for _, r := range l.rows {
			want = append(want, fmt.Sprint(len(r)))
		}
		ok := rowsMatch(counts, l.rows)
		total += len(l.digits)
		found += len(digits)
		if ok {
			rowsOK++
		}
		t.Logf("%s: found %d of %d; per line %v, labelled rows %s; rows match %v",
			l.file, len(digits), len(l.digits), counts, strings.Join(want, "|"), ok)
		writeDebug(t, debugDir(), strings.TrimSuffix(l.file, ".png"), frame, digits, nil)
	}
	t.Logf("photos: found %d digits of %d labelled; %d of %d photos with the right rows", found, total, rowsOK, len(labels))
	if found*100 < total*98 || found*100 > total*102 {
		t.Errorf("found %d digits of %d labelled, want within 2%%", found, total)
	}
	if rowsOK < 6 {
		t.Errorf("%d of %d photos with the right rows, want 6 or more", rowsOK, len(labels))
	}
}
