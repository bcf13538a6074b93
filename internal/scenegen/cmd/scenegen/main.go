// Command scenegen writes generated test scenes for the digit extractor:
// for each scene NAME.png (the grey frame) and NAME.json (text, digit boxes
// and lines, the random choices), optionally NAME-rgb.png. -condition
// renders one of scenegen.Conditions instead of the Hard family
// (-condition list names them).
//
//	go run ./internal/scenegen/cmd/scenegen -n 4 -out extract/testdata/scenes
//	go run ./internal/scenegen/cmd/scenegen -condition pencil -rgb -n 8 -out /tmp/pencil
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"image"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"

	"github.com/edgeconv/edgeconv/internal/scenegen"
)

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	fs := flag.NewFlagSet("scenegen", flag.ContinueOnError)
	n := fs.Int("n", 4, "number of scenes")
	out := fs.String("out", "extract/testdata/scenes", "output directory")
	seed := fs.Uint64("seed", 1, "random seed")
	w := fs.Int("w", 640, "frame width")
	h := fs.Int("h", 480, "frame height")
	data := fs.String("data", "", "MNIST directory (default: data/mnist found upward)")
	rgb := fs.Bool("rgb", false, "also write the colour rendering")
	cond := fs.String("condition", "", "render this condition (\"list\" names them) instead of the Hard family")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *cond == "list" {
		for _, c := range scenegen.Conditions {
			fmt.Printf("%-10s %s\n", c.Name, c.Doc)
		}
		return 0
	}
	var render func(*rand.Rand, *scenegen.MNIST) *scenegen.Scene
	if *cond == "" {
		render = func(rng *rand.Rand, m *scenegen.MNIST) *scenegen.Scene {
			return scenegen.Generate(rng, m, scenegen.Hard(*w, *h))
		}
	} else {
		c, err := scenegen.ConditionNamed(*cond)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 2
		}
		render = func(rng *rand.Rand, m *scenegen.MNIST) *scenegen.Scene { return c.Render(rng, m, *w, *h) }
	}
	dir := *data
	if dir == "" {
		var err error
		if dir, err = scenegen.FindDataDir(); err != nil {
			fmt.Fprintln(os.Stderr, "scenegen:", err)
			return 1
		}
	}
	m, err := scenegen.LoadTest(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "scenegen:", err)
		return 1
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "scenegen:", err)
		return 1
	}
	rng := rand.New(rand.NewPCG(*seed, 0x5ce9e))
	for i := 0; i < *n; i++ {
		sc := render(rng, m)
		name := filepath.Join(*out, fmt.Sprintf("scene%02d", i))
		if err := writePNG(name+".png", sc.Gray); err != nil {
			fmt.Fprintln(os.Stderr, "scenegen:", err)
			return 1
		}
		if *rgb {
			if err := writePNG(name+"-rgb.png", sc.RGB); err != nil {
				fmt.Fprintln(os.Stderr, "scenegen:", err)
				return 1
			}
		}
		js, _ := json.MarshalIndent(sc, "", "\t")
		if err := os.WriteFile(name+".json", append(js, '\n'), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "scenegen:", err)
			return 1
		}
	}
	return 0
}

func writePNG(path string, img image.Image) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(f, img); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
