package dashboard

import (
	"fmt"
	"image/color"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/edgeconv/edgeconv/internal/atomicfile"
	"github.com/edgeconv/edgeconv/train"
)

// The report's files, in its folder.
const (
	CurvesFile  = "curves.png"        // accuracy and cross-entropy, training batches and test set
	DistFile    = "distributions.png" // each layer's weights and biases over time
	DigitsFile  = "digits.png"        // the last grid of test digits
	JSONFile    = "history.json"      // the History
	CSVFile     = "history.csv"       // the curves
	CompareFile = "compare.png"       // Compare's chart
)

// The charts' colours, as the page draws them.
var (
	trainColour  = color.RGBA{127, 179, 213, 255}
	testColour   = color.RGBA{230, 126, 34, 255}
	layerColours = []color.RGBA{{31, 119, 180, 255}, {44, 160, 44, 255}, {148, 103, 189, 255}, {214, 39, 40, 255},
		{140, 86, 75, 255}, {227, 119, 194, 255}, {23, 190, 207, 255}, {188, 189, 34, 255}}
	// runColours tell Compare's runs apart.
	runColours = []color.RGBA{{214, 39, 40, 255}, {31, 119, 180, 255}, {44, 160, 44, 255}, {148, 103, 189, 255}}
)

// WriteReport writes the pictures and the history of a run into dir
// (made if needed), each file atomically: CurvesFile, DistFile,
// DigitsFile (when grid has digits; test is the test set they come
// from), JSONFile and CSVFile.
func WriteReport(dir string, h *History, grid Grid, test *train.Dataset) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := h.WriteJSON(filepath.Join(dir, JSONFile)); err != nil {
		return err
	}
	if err := h.WriteCSV(filepath.Join(dir, CSVFile)); err != nil {
		return err
	}
	acc, loss := curvePlots(h.Name, []*History{h}, nil)
	if err := savePlots(filepath.Join(dir, CurvesFile), [][]*plot.Plot{{acc, loss}}, 1100, 420); err != nil {
		return err
	}
	if len(h.Layers) > 0 && len(h.Dist) > 0 {
		rows := [][]*plot.Plot{make([]*plot.Plot, len(h.Layers)), make([]*plot.Plot, len(h.Layers))}
		for i, name := range h.Layers {
			rows[0][i] = distPlot(h, i, true, "weights · layer "+name)
			rows[1][i] = distPlot(h, i, false, "biases · layer "+name)
		}
		if err := savePlots(filepath.Join(dir, DistFile), rows, 260*vg.Length(len(h.Layers)), 420); err != nil {
			return err
		}
	}
	if len(grid.Tiles) > 0 && test != nil {
		img := DrawGrid(grid, test)
		return atomicfile.Write(filepath.Join(dir, DigitsFile), func(w io.Writer) error { return png.Encode(w, img) })
	}
	return nil
}

// Compare draws the curves of several runs (named by names) on one
// chart, accuracy beside cross-entropy, and writes it to path atomically.
func Compare(path string, names []string, runs []*History) error {
	if len(runs) > len(runColours) {
		return fmt.Errorf("dashboard: at most %d runs on one chart", len(runColours))
	}
	acc, loss := curvePlots("", runs, names)
	return savePlots(path, [][]*plot.Plot{{acc, loss}}, 1100, 440)
}

// curvePlots returns the accuracy and the cross-entropy plots of runs: one
// run in the training and test colours, several in a colour each (the
// test curve solid, the training one faint).
func curvePlots(title string, runs []*History, names []string) (acc, loss *plot.Plot) {
	acc, loss = plot.New(), plot.New()
	acc.Title.Text, loss.Title.Text = "accuracy", "cross-entropy loss"
	if title != "" {
		acc.Title.Text = title + ": accuracy"
	}
	// A log scale needs points, all above 0 (a run stopped before its
	// first point has none).
	points, positive := 0, true
	for _, h := range runs {
		for _, p := range h.Train {
			points, positive = points+1, positive && p.Loss > 0
		}
		for _, p := range h.Test {
			points, positive = points+1, positive && p.Loss > 0
		}
	}
	logLoss := points > 0 && positive
	if logLoss {
		loss.Y.Scale, loss.Y.Tick.Marker = plot.LogScale{}, plot.LogTicks{Prec: -1}
	}
	for _, p := range []*plot.Plot{acc, loss} {
		p.X.Label.Text = "iteration"
		p.Legend.Top = p == loss
		p.Add(plotter.NewGrid())
	}
	for r, h := range runs {
		var trainC, testC color.Color = trainColour, testColour
		name := ""
		if len(runs) > 1 {
			c := runColours[r]
			testC, trainC = c, color.NRGBA{c.R, c.G, c.B, 90}
			name = names[r] + ": "
		}
		var tAcc, tLoss, eAcc, eLoss plotter.XYs
		for _, p := range h.Train {
			tAcc, tLoss = appendXY(tAcc, p.Iter, p.Accuracy), appendXY(tLoss, p.Iter, p.Loss)
		}
		for _, p := range h.Test {
			eAcc, eLoss = appendXY(eAcc, p.Iter, p.Accuracy), appendXY(eLoss, p.Iter, p.Loss)
		}
		for _, c := range []struct {
			p          *plot.Plot
			train, tst plotter.XYs
		}{{acc, tAcc, eAcc}, {loss, tLoss, eLoss}} {
			addLine(c.p, c.train, trainC, 1, name+"training batches")
			addLine(c.p, c.tst, testC, 2, name+"test set")
		}
	}
	// After the lines, whose Add widens the axis to their data; the
	// lines are clipped to it.
	acc.Y.Min, acc.Y.Max = zoom(runs), 1
	return acc, loss
}

// zoom is the bottom of the accuracy axis, as the page zooms it: a little
// below the lowest test accuracy and the bulk (from the tenth percentile)
// of the training batches', so that the last tenths of a percent show;
// 0 without evaluations.
func zoom(runs []*History) float64 {
	low, tested := 1.0, false
	for _, h := range runs {
		for _, p := range h.Test {
			low, tested = min(low, p.Accuracy), true
		}
		train := make([]float64, len(h.Train))
		for i, p := range h.Train {
			train[i] = p.Accuracy
		}
		if len(train) > 0 {
			slices.Sort(train)
			low = min(low, train[len(train)/10])
		}
	}
	if !tested {
		return 0
	}
	return max(0, low-0.01)
}

// addLine adds a line of xys, if it has points, with its legend entry.
func addLine(p *plot.Plot, xys plotter.XYs, c color.Color, width vg.Length, legend string) {
	if len(xys) == 0 {
		return
	}
	l, err := plotter.NewLine(xys)
	if err != nil {
		return // the recorder keeps out what NewLine refuses (NaN, infinities)
	}
	l.Color, l.Width = c, width
	p.Add(l)
	p.Legend.Add(legend, l)
}

// distPlot draws layer i's weights (or biases) over time as the codelab
// does: the band between boundaries k and Buckets-k for each k, faintly
// filled, so that the middle is the darkest.
func distPlot(h *History, i int, weights bool, title string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font.Size = vg.Points(10)
	p.X.Label.Text = "iteration"
	c := layerColours[i%len(layerColours)]
	fill := color.NRGBA{c.R, c.G, c.B, 56}
	at := func(d DistPoint, k int) float64 {
		if weights {
			return float64(d.Weights[i][k])
		}
		return float64(d.Biases[i][k])
	}
	for k := 0; k < (Buckets+1)/2; k++ {
		ring := make(plotter.XYs, 0, 2*len(h.Dist))
		for _, d := range h.Dist {
			ring = append(ring, plotter.XY{X: float64(d.Iter), Y: at(d, k)})
		}
		for j := len(h.Dist) - 1; j >= 0; j-- {
			ring = append(ring, plotter.XY{X: float64(h.Dist[j].Iter), Y: at(h.Dist[j], Buckets-k)})
		}
		poly, err := plotter.NewPolygon(ring)
		if err != nil {
			continue
		}
		poly.Color, poly.LineStyle.Width = fill, 0
		p.Add(poly)
	}
	return p
}

// savePlots draws rows of plots on one w×h (points) PNG at path,
// atomically.
func savePlots(path string, rows [][]*plot.Plot, w, h vg.Length) error {
	img := vgimg.New(w, h)
	dc := draw.New(img)
	tiles := draw.Tiles{Rows: len(rows), Cols: len(rows[0]), PadX: vg.Millimeter * 4, PadY: vg.Millimeter * 4,
		PadTop: vg.Millimeter * 2, PadBottom: vg.Millimeter * 2, PadLeft: vg.Millimeter * 2, PadRight: vg.Millimeter * 2}
	canvases := plot.Align(rows, tiles, dc)
	for r, row := range rows {
		for c, p := range row {
			if p != nil {
				p.Draw(canvases[r][c])
			}
		}
	}
	return atomicfile.Write(path, func(out io.Writer) error {
		_, err := vgimg.PngCanvas{Canvas: img}.WriteTo(out)
		return err
	})
}

// appendXY appends (iter, v).
func appendXY(xys plotter.XYs, iter int, v float64) plotter.XYs {
	return append(xys, plotter.XY{X: float64(iter), Y: v})
}
