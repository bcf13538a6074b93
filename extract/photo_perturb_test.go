package extract_test

import (
	"fmt"
	"image"
	"math"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/image/draw"
	"golang.org/x/image/math/f64"

	"github.com/edgeconv/edgeconv/extract"
)

// perturb returns frame changed as another camera or another light would
// change it.
type perturb struct {
	name string
	fn   func(g *image.Gray, rng *rand.Rand) *image.Gray
}

var perturbs = []perturb{
	{"2x", func(g *image.Gray, _ *rand.Rand) *image.Gray { return scaleGray(g, 2) }},
	{"4x", func(g *image.Gray, _ *rand.Rand) *image.Gray { return scaleGray(g, 4) }},
	{"0.75x", func(g *image.Gray, _ *rand.Rand) *image.Gray { return scaleGray(g, 0.75) }},
	{"rot7", func(g *image.Gray, _ *rand.Rand) *image.Gray { return rotateGray(g, 7) }},
	{"rot-5", func(g *image.Gray, _ *rand.Rand) *image.Gray { return rotateGray(g, -5) }},
	{"dim", func(g *image.Gray, rng *rand.Rand) *image.Gray {
		// A dim room: 40% of the light, sensor noise, a side gradient.
		out := image.NewGray(g.Rect)
		w := g.Rect.Dx()
		for y := g.Rect.Min.Y; y < g.Rect.Max.Y; y++ {
			for x := g.Rect.Min.X; x < g.Rect.Max.X; x++ {
				l := 0.4 * (0.7 + 0.3*float64(x-g.Rect.Min.X)/float64(w))
				v := float64(g.GrayAt(x, y).Y)*l + rng.NormFloat64()*3
				out.SetGray(x, y, grayOf(v))
			}
		}
		return out
	}},
	{"blur", func(g *image.Gray, _ *rand.Rand) *image.Gray {
		// Out of focus: a 3x3 box blur, twice.
		return boxBlur(boxBlur(g))
	}},
}

func grayOf(v float64) (c struct{ Y uint8 }) {
	c.Y = uint8(math.Max(0, math.Min(255, v+0.5)))
	return
}

func scaleGray(g *image.Gray, s float64) *image.Gray {
	b := g.Bounds()
	out := image.NewGray(image.Rect(0, 0, int(float64(b.Dx())*s), int(float64(b.Dy())*s)))
	draw.CatmullRom.Scale(out, out.Rect, g, b, draw.Src, nil)
	return out
}

func rotateGray(g *image.Gray, deg float64) *image.Gray {
	b := g.Bounds()
	out := image.NewGray(b)
	// Fill with the frame's own border brightness, as a wider view would.
	for i := range out.Pix {
		out.Pix[i] = 70
	}
	a := deg * math.Pi / 180
	c, s := math.Cos(a), math.Sin(a)
	cx, cy := float64(b.Dx())/2, float64(b.Dy())/2
	m := f64.Aff3{c, -s, cx - c*cx + s*cy, s, c, cy - s*cx - c*cy}
	draw.BiLinear.Transform(out, m, g, b, draw.Src, nil)
	return out
}

func boxBlur(g *image.Gray) *image.Gray {
	b := g.Bounds()
	out := image.NewGray(b)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			var s, n int
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					p := image.Pt(x+dx, y+dy)
					if p.In(b) {
						s += int(g.GrayAt(p.X, p.Y).Y)
						n++
					}
				}
			}
			out.Pix[out.PixOffset(x, y)] = uint8(s / n)
		}
	}
	return out
}

// TestPhotosPerturbed runs the real photographs again under other scales,
// tilts, light and focus, and checks that the digit counts and rows hold.
func TestPhotosPerturbed(t *testing.T) {
	dir := photosDir()
	if dir == "" {
		t.Skip("shared/photos not found beside the repository")
	}
	if testing.Short() {
		t.Skip("skipped in -short mode")
	}
	labels := readPhotoLabels(t, dir)
	ex := extract.NewExtractor(extract.Options{})
	var digits []extract.Digit
	for _, p := range perturbs {
		rng := rand.New(rand.NewPCG(5, 6))
		total, found, rowsOK := 0, 0, 0
		var notes []string
		for _, l := range labels {
			frame := p.fn(loadGray(t, filepath.Join(dir, l.file)), rng)
			digits = ex.Extract(frame, digits)
			total += len(l.digits)
			found += min(len(digits), len(l.digits))
			ok := rowsMatch(lineCounts(digits), l.rows)
			if ok {
				rowsOK++
			} else {
				notes = append(notes, fmt.Sprintf("%s %v", strings.TrimSuffix(l.file, ".png"), lineCounts(digits)))
			}
			writeDebug(t, debugDir(), p.name+"-"+strings.TrimSuffix(l.file, ".png"), frame, digits, nil)
		}
		t.Logf("%-6s: %d of %d digits (capped per photo), rows right in %d of %d photos; %s",
			p.name, found, total, rowsOK, len(labels), strings.Join(notes, "; "))
		if found < total*95/100 {
			t.Errorf("%s: found %d of %d digits", p.name, found, total)
		}
	}
}
