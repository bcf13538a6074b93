// Command record writes a replayable Y4M recording (640x480, 4:2:0 with
// its chroma) of a sheet filmed by a hand-held camera that slides it into
// view, pans, zooms, turns and tilts, drifts in exposure and white
// balance, is passed over by a finger and then holds still
// (scenegen.Record). The sheet is a photo, or a scene of MNIST digits
// rendered on the spot (-scene), whose digits it prints. -shake, -turn,
// -zoom, -noise, -cover and -next make it harder (scenegen.RecordParams):
// a shakier hand, a sheet turned further, a camera further away, a noisier
// sensor, a finger resting over digits for a second, a second sheet
// replacing the first; -table lays the sheet on a table of that colour.
//
//	go run ./internal/scenegen/cmd/record -photo sheet.jpg -out rec.y4m
//	go run ./internal/scenegen/cmd/record -scene -seed 3 -out rec.y4m
//	go run ./internal/scenegen/cmd/record -photo a.png -next b.png -turn 20 -out rec.y4m
//	edgeconv run --source rec.y4m --json --no-time --listen off
package main

import (
	"errors"
	"flag"
	"fmt"
	"image"
	"image/color"
	"io"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"

	"github.com/edgeconv/edgeconv/camera"
	"github.com/edgeconv/edgeconv/internal/scenegen"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("record", flag.ContinueOnError)
	fs.SetOutput(stderr)
	photo := fs.String("photo", "", "the sheet: a PNG or JPEG photo")
	scene := fs.Bool("scene", false, "the sheet: a scene of MNIST test digits (from data/mnist, found upward)")
	out := fs.String("out", "", "the recording to write (.y4m)")
	frames := fs.Int("frames", 90, "number of frames (30 per second)")
	seed := fs.Uint64("seed", 1, "random seed of the camera's path (and of the scene)")
	quality := fs.Int("jpeg", 0, "compress every frame at this JPEG quality, as an MJPEG webcam (0: none)")
	shake := fs.Float64("shake", 1, "multiply the hand's shake")
	turn := fs.Float64("turn", 4, "largest angle in degrees the sheet turns to while the camera moves")
	noise := fs.Float64("noise", 1, "multiply the sensor's noise")
	zoom := fs.Float64("zoom", 1, "scale the sheet in the frame (under 1: a camera held further away)")
	cover := fs.Bool("cover", false, "rest a finger over the sheet for a second while the camera is still")
	next := fs.String("next", "", "a second sheet (PNG or JPEG photo) that replaces the first while the camera moves")
	table := fs.String("table", "", "the table's colour as R,G,B (0-255 each; default a dark textured table)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *out == "" || (*photo == "") == !*scene || fs.NArg() > 0 || *frames < 1 || *quality < 0 || *quality > 100 ||
		!(*shake > 0) || !(*turn > 0 && *turn <= 90) || !(*zoom > 0 && *zoom <= 4) || !(*noise > 0) {
		fmt.Fprintln(stderr, "usage: record (-photo FILE | -scene) -out REC.y4m [-frames N] [-seed N] [-jpeg Q] [-shake F] [-turn DEG] [-zoom F] [-noise F] [-cover] [-next FILE] [-table R,G,B]")
		return 2
	}
	p := scenegen.RecordParams{Frames: *frames, JPEG: *quality, Shake: *shake, Turn: *turn, Zoom: *zoom, Noise: *noise, Cover: *cover}
	if *table != "" {
		c, ok := parseRGB(*table)
		if !ok {
			fmt.Fprintf(stderr, "record: -table %q: want R,G,B, each 0 to 255\n", *table)
			return 2
		}
		p.Table = c
	}
	if *next != "" {
		img, err := decode(*next)
		if err != nil {
			fmt.Fprintln(stderr, "record:", err)
			return 1
		}
		p.Next = img
	}
	if err := record(*photo, *scene, *out, *seed, p, stdout); err != nil {
		fmt.Fprintln(stderr, "record:", err)
		return 1
	}
	return 0
}

// parseRGB reads "R,G,B", each a whole number from 0 to 255, as an opaque
// colour.
func parseRGB(s string) (color.RGBA, bool) {
	parts := strings.Split(s, ",")
	if len(parts) != 3 {
		return color.RGBA{}, false
	}
	var c [3]uint8
	for i, part := range parts {
		v, err := strconv.ParseUint(strings.TrimSpace(part), 10, 8)
		if err != nil {
			return color.RGBA{}, false
		}
		c[i] = uint8(v)
	}
	return color.RGBA{c[0], c[1], c[2], 255}, true
}

func record(photo string, scene bool, out string, seed uint64, p scenegen.RecordParams, stdout io.Writer) error {
	rng := rand.New(rand.NewPCG(seed, 0x7ec))
	var sheet image.Image
	if scene {
		dir, err := scenegen.FindDataDir()
		if err != nil {
			return err
		}
		m, err := scenegen.LoadTest(dir)
		if err != nil {
			return err
		}
		sc := scenegen.Generate(rng, m, scenegen.CleanSheet(800, 600))
		if len(sc.Digits) == 0 {
			return errors.New("the scene has no digits; try another -seed")
		}
		sheet = sc.RGB
		fmt.Fprintf(stdout, "%s: digits %s\n", out, sc.Want())
	} else {
		img, err := decode(photo)
		if err != nil {
			return err
		}
		sheet = img
	}
	return scenegen.WriteRecording(out, rng, sheet, p)
}

// decode reads a PNG or JPEG photo through camera.ReadFrame, which checks
// the size in the header before decoding and turns a phone photo upright.
func decode(name string) (image.Image, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	img, err := camera.ReadFrame(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return img, nil
}
