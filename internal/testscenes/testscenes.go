// Package testscenes loads the rendered scenes in firmware/testdata, which
// the tests of firmware, reading and the command line read: MNIST test
// digits written on ruled paper and photographed under uneven light
// (internal/scenegen, seed 42, the Hard family at 640x480), each with its
// true text in a .json beside it.
package testscenes

import (
	"encoding/json"
	"image"
	"image/draw"
	_ "image/png" // the scenes are PNG files
	"os"
	"path/filepath"
	"runtime"
	"sync"
)

// Names are the scenes, in the order Load returns them: scene00 has 17
// digits, scene03 23.
var Names = []string{"scene00", "scene03"}

// Scene is one test scene.
type Scene struct {
	Name  string
	Path  string      // the PNG file
	Image *image.Gray // its grey levels
	Text  string      // the true text: lines separated by "\n"
}

// Dir returns the directory that holds the scenes.
func Dir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "firmware", "testdata")
}

// Load returns the scenes, decoded once per process. The images are shared:
// do not change them.
func Load() ([]Scene, error) { return load() }

var load = sync.OnceValues(func() ([]Scene, error) {
	var scenes []Scene
	for _, n := range Names {
		path := filepath.Join(Dir(), n+".png")
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		img, _, err := image.Decode(f)
		f.Close()
		if err != nil {
			return nil, err
		}
		g := image.NewGray(img.Bounds())
		draw.Draw(g, g.Rect, img, img.Bounds().Min, draw.Src)
		var truth struct{ Text string }
		js, err := os.ReadFile(filepath.Join(Dir(), n+".json"))
		if err == nil {
			err = json.Unmarshal(js, &truth)
		}
		if err != nil {
			return nil, err
		}
		scenes = append(scenes, Scene{Name: n, Path: path, Image: g, Text: truth.Text})
	}
	return scenes, nil
})
