package main

import (
	"context"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"

	"github.com/edgeconv/edgeconv/camera"
	"github.com/edgeconv/edgeconv/internal/atomicfile"
	"github.com/edgeconv/edgeconv/internal/overlay"
	"github.com/edgeconv/edgeconv/model"
	"github.com/edgeconv/edgeconv/reading"
)

func init() {
	commands = append(commands, &Command{
		Name:      "read",
		UsageLine: "edgeconv read [--model FILE] [--json] [--debug DIR] IMAGE|FOLDER...",
		Short:     "read the handwritten digits in photos",
		Long: `
Read finds every handwritten digit in each photo (JPEG, PNG, WebP, TIFF,
BMP or GIF; a folder: the photos in it, by name; - reads standard input),
recognises it, and prints the digits line by line, left to right, with
each digit's box (x0,y0)-(x1,y1) in pixels and its confidence.
A JPEG is turned upright as its EXIF orientation says (phones store photos
taken sideways as the sensor saw them); boxes are in the upright photo.
A photo with no orientation in its file (a scanner's, or one a program
stripped) that reads few digits, or reads them less surely than upside
down, is read turned too, and the turn that reads best is kept; boxes are
in the photo as it came.
Digits are looked for as dark or coloured marks on paper, and in a photo
that is mostly dark also as light marks on a dark ground (white on black,
chalk on a board); a PNG drawn on a transparent canvas is read as if laid
on white paper (on black, if what is drawn is light).
Digits below --min-confidence are marked with '?' after them in the digit
list and "low_confidence": true in JSON; they are kept in the text. A model
with the not-a-digit class drops what it calls not a digit (a letter, a
symbol) from the digits and the text.

--json prints one JSON object per file, one per line. --debug DIR writes,
for each file, the photo with the boxes and digits drawn on it
(NAME.boxes.png; grey boxes marked x for what is not a digit) and the 28x28
images the model saw (NAME.crops.png).

--model defaults to the model embedded in the program.
`,
		SetFlags: func(fs *flag.FlagSet) func(context.Context, Env, []string) error {
			o := &readOptions{}
			fs.StringVar(&o.model, "model", "", "model file, float32 or int8 (default: the embedded model)")
			fs.BoolVar(&o.json, "json", false, "print one JSON object per file")
			fs.StringVar(&o.debug, "debug", "", "write annotated images and crops to this directory")
			fs.Float64Var(&o.minConfidence, "min-confidence", 0.8, "digits below this probability are marked as uncertain")
			return o.run
		},
	})
}

type readOptions struct {
	model, debug  string
	json          bool
	minConfidence float64
}

// readDigit is one digit of read's --json output.
type readDigit struct {
	Digit         int     `json:"digit"`
	Confidence    float64 `json:"confidence"`
	LowConfidence bool    `json:"low_confidence"`
	Box           [4]int  `json:"box"` // x0, y0, x1, y1 (exclusive)
	Line          int     `json:"line"`
}

// readReport is read's --json output for one file.
type readReport struct {
	File   string      `json:"file"`
	Text   string      `json:"text"` // lines separated by "\n", number breaks by " "
	Digits []readDigit `json:"digits"`
	Width  int         `json:"width"`
	Height int         `json:"height"`
}

func (o *readOptions) run(ctx context.Context, env Env, args []string) error {
	if len(args) == 0 {
		return usagef("no images given")
	}
	if !(o.minConfidence >= 0 && o.minConfidence <= 1) {
		return usagef("--min-confidence is between 0 and 1")
	}
	m, err := openModel(o.model)
	if err != nil {
		return err
	}
	r, err := reading.New(m, reading.Options{MinConfidence: float32(o.minConfidence)})
	if err != nil {
		return err
	}
	defer r.Close()
	if o.debug != "" {
		if err := os.MkdirAll(o.debug, 0o755); err != nil {
			return err
		}
	}
	if args, err = imagesOf(args); err != nil {
		return err
	}
	failed := 0
	for _, name := range args {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		rep, frame, rd, err := readFile(r, name, env.Stdin)
		if err != nil && len(args) == 1 {
			return fmt.Errorf("%s: %w", name, err) // one line, as from any command
		}
		if err != nil {
			fmt.Fprintf(env.Stderr, "edgeconv: %s: %v\n", name, err)
			failed++
			continue
		}
		if o.json {
			if err := writeJSONLine(env.Stdout, rep); err != nil {
				return err
			}
		} else {
			printReading(env.Stdout, rep)
		}
		if o.debug != "" {
			if err := writeDebug(o.debug, name, frame, rd); err != nil {
				return err
			}
		}
	}
	if failed > 0 {
		return exitError{1, fmt.Errorf("%d of %d files could not be read", failed, len(args))}
	}
	return nil
}

// readFile decodes the image file name ("-": stdin) into a frame and reads
// it with r. It returns read's report, the frame and the reading, which is
// valid until r reads again. Eval --photos reads its photos through it too.
func readFile(r *reading.Reader, name string, stdin io.Reader) (readReport, *image.YCbCr, *reading.Reading, error) {
	frame, err := readFrame(name, stdin)
	if err != nil {
		return readReport{}, nil, nil, err
	}
	rd := r.ReadPhoto(frame) // each photo on its own, light marks on a dark ground too
	rep := report(rd, frame.Rect)
	rep.File = name
	return rep, frame, rd, nil
}

// report turns a reading of a frame with the given bounds into read's
// output, boxes relative to the frame's corner.
func report(rd *reading.Reading, bounds image.Rectangle) readReport {
	rep := readReport{Text: string(rd.Text), Digits: []readDigit{}, Width: bounds.Dx(), Height: bounds.Dy()}
	for _, d := range rd.Digits {
		b := d.Box.Sub(bounds.Min)
		rep.Digits = append(rep.Digits, readDigit{Digit: d.Digit, Confidence: float64(d.Confidence),
			LowConfidence: d.Low, Box: [4]int{b.Min.X, b.Min.Y, b.Max.X, b.Max.Y}, Line: d.Line})
	}
	return rep
}

func printReading(w io.Writer, rep readReport) {
	fmt.Fprintf(w, "%s: %d digits\n", rep.File, len(rep.Digits))
	for _, line := range strings.Split(rep.Text, "\n") {
		if line != "" {
			fmt.Fprintf(w, "  %s\n", line)
		}
	}
	for _, d := range rep.Digits {
		mark := ""
		if d.LowConfidence {
			mark = "?  low confidence"
		}
		fmt.Fprintf(w, "    %d  %5.1f%%  line %d  (%d,%d)-(%d,%d)%s\n", d.Digit, 100*d.Confidence, d.Line,
			d.Box[0], d.Box[1], d.Box[2], d.Box[3], mark)
	}
}

func writeJSONLine(w io.Writer, v any) error {
	return jsonEncoder(w).Encode(v)
}

// imagesOf returns args with each folder among them replaced by the image
// files in it (camera.ImageExts), in name order: a folder of photos is
// what a phone's or a scanner's export gives. A folder without any is an
// error, so that a wrong folder does not read as nothing to do.
func imagesOf(args []string) ([]string, error) {
	var out []string
	for _, name := range args {
		fi, err := os.Stat(name)
		if name == "-" || err != nil || !fi.IsDir() {
			out = append(out, name) // read says what is wrong with it
			continue
		}
		entries, err := os.ReadDir(name)
		if err != nil {
			return nil, err
		}
		n := len(out)
		for _, e := range entries {
			if !e.IsDir() && camera.IsImageFile(e.Name()) {
				out = append(out, filepath.Join(name, e.Name()))
			}
		}
		if len(out) == n {
			return nil, fmt.Errorf("%s: a folder with no images in it (%s)", name, strings.Join(camera.ImageExts, " "))
		}
	}
	return out, nil
}

// readFrame decodes an image file (or stdin for "-") into a frame as a
// camera delivers it, upright by its EXIF orientation (camera.ReadFrame).
func readFrame(name string, stdin io.Reader) (*image.YCbCr, error) {
	var r io.Reader = stdin
	if name != "-" {
		if camera.IsVideoFile(name) {
			return nil, fmt.Errorf("a video: edgeconv run --source %s reads it frame by frame", name)
		}
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	return camera.ReadFrame(r)
}

// writeDebug writes the annotated frame and the crops the model saw: every
// candidate the extractor found, with its class ("x": not a digit).
func writeDebug(dir, name string, img *image.YCbCr, rd *reading.Reading) error {
	base := strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))
	if name == "-" {
		base = "stdin"
	}
	frame := overlay.RGBA(img)
	labels := make([]string, len(rd.Candidates))
	digit := 0
	for i, c := range rd.Candidates {
		col, label := color.RGBA{140, 140, 150, 255}, "x"
		if rd.Results[i].Class < model.Digits {
			d := rd.Digits[digit]
			digit++
			col, label = color.RGBA{0, 200, 0, 255}, fmt.Sprintf("%d", d.Digit)
			if d.Low {
				col, label = color.RGBA{230, 0, 0, 255}, label+"?"
			}
		}
		labels[i] = label
		r := c.Box.Inset(-2)
		overlay.Box(frame, r, 2, col)
		drawText(frame, r.Min.X, r.Min.Y-2, label, col)
	}
	if err := savePNG(filepath.Join(dir, base+".boxes.png"), frame); err != nil {
		return err
	}
	// The crops, 10 per row, each with its reading underneath.
	const per, cell = 10, 28
	rows := max(1, (len(rd.Candidates)+per-1)/per)
	sheet := image.NewRGBA(image.Rect(0, 0, per*(cell+4), rows*(cell+16)))
	draw.Draw(sheet, sheet.Rect, image.NewUniform(color.RGBA{40, 40, 60, 255}), image.Point{}, draw.Src)
	for i, c := range rd.Candidates {
		x0, y0 := (i%per)*(cell+4)+2, (i/per)*(cell+16)+2
		for p, g := range c.Pixels {
			sheet.Set(x0+p%cell, y0+p/cell, color.RGBA{g, g, g, 255})
		}
		drawText(sheet, x0+8, y0+cell+12, labels[i], color.RGBA{255, 255, 0, 255})
	}
	return savePNG(filepath.Join(dir, base+".crops.png"), sheet)
}

func drawText(img *image.RGBA, x, y int, s string, c color.Color) {
	d := &font.Drawer{Dst: img, Src: image.NewUniform(c), Face: basicfont.Face7x13, Dot: fixed.P(x, max(y, 11))}
	d.DrawString(s)
}

// savePNG writes img to path atomically.
func savePNG(path string, img image.Image) error {
	return atomicfile.Write(path, func(w io.Writer) error { return png.Encode(w, img) })
}
