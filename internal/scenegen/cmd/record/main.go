// Command record writes a replayable Y4M recording (640x480, 4:2:0 with
// its chroma) of a sheet filmed by a hand-held camera that slides it into
// view, pans, zooms, turns and tilts, drifts in exposure and white
// balance, is passed over by a finger and then holds still
// (scenegen.Record). The sheet is a photo, or a scene of MNIST digits
// rendered on the spot (-scene), whose digits it prints.
//
//	go run ./internal/scenegen/cmd/record -photo sheet.jpg -out rec.y4m
//	go run ./internal/scenegen/cmd/record -scene -seed 3 -out rec.y4m
//	edgeconv run --source rec.y4m --json --no-time --listen off
package main

import (
	"errors"
	"flag"
	"fmt"
	"image"
	"io"
	"math/rand/v2"
	"os"

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
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *out == "" || (*photo == "") == !*scene || fs.NArg() > 0 || *frames < 1 || *quality < 0 || *quality > 100 {
		fmt.Fprintln(stderr, "usage: record (-photo FILE | -scene) -out REC.y4m [-frames N] [-seed N] [-jpeg Q]")
		return 2
	}
	if err := record(*photo, *scene, *out, *frames, *seed, *quality, stdout); err != nil {
		fmt.Fprintln(stderr, "record:", err)
		return 1
	}
	return 0
}

func record(photo string, scene bool, out string, frames int, seed uint64, quality int, stdout io.Writer) error {
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
		f, err := os.Open(photo)
		if err != nil {
			return err
		}
		// ReadFrame checks the size in the header before decoding and
		// turns a phone photo upright.
		img, err := camera.ReadFrame(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", photo, err)
		}
		sheet = img
	}
	return scenegen.WriteRecording(out, rng, sheet, scenegen.RecordParams{Frames: frames, JPEG: quality})
}
