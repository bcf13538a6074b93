// Package testscenes loads the rendered scenes in firmware/testdata, which
// the tests of firmware, reading and the command line read: MNIST test
// digits written on ruled paper and photographed under uneven light
// (internal/scenegen, seed 42, the Hard family at 640x480), each with its
// true text in a .json beside it. Each scene comes as the camera delivers
// a frame, 4:2:0 YCbCr (camera.ReadFrame), and as grey levels.
package testscenes

import (
	"encoding/json"
	"image"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"

	"github.com/edgeconv/edgeconv/camera"
	"github.com/edgeconv/edgeconv/internal/scenegen"
)

// Names are the scenes, in the order Load returns them: scene00 has 17
// digits, scene03 23.
var Names = []string{"scene00", "scene03"}

// Scene is one test scene.
type Scene struct {
	Name  string
	Path  string       // the PNG file
	Frame *image.YCbCr // the picture as a camera frame (its chroma neutral: the scenes are grey)
	Gray  *image.Gray  // its grey levels, the frame's Y plane
	Text  string       // the true text: lines separated by "\n"
}

// Dir returns the directory that holds the scenes.
func Dir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "firmware", "testdata")
}

// Load returns the scenes, decoded once per process, and fails the test if
// they do not load. The images are shared: do not change them.
func Load(tb testing.TB) []Scene {
	tb.Helper()
	ss, err := load()
	if err != nil {
		tb.Fatal(err)
	}
	return ss
}

// Scenes is Load for programs (bench/fleetload): the scenes, or why they
// did not load.
func Scenes() ([]Scene, error) { return load() }

var load = sync.OnceValues(func() ([]Scene, error) {
	var scenes []Scene
	for _, n := range Names {
		path := filepath.Join(Dir(), n+".png")
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		frame, err := camera.ReadFrame(f)
		f.Close()
		if err != nil {
			return nil, err
		}
		g := image.NewGray(frame.Rect)
		for y := range g.Rect.Dy() {
			copy(g.Pix[y*g.Stride:(y+1)*g.Stride], frame.Y[y*frame.YStride:])
		}
		var truth struct{ Text string }
		js, err := os.ReadFile(filepath.Join(Dir(), n+".json"))
		if err == nil {
			err = json.Unmarshal(js, &truth)
		}
		if err != nil {
			return nil, err
		}
		scenes = append(scenes, Scene{Name: n, Path: path, Frame: frame, Gray: g, Text: truth.Text})
	}
	return scenes, nil
})

// MNIST returns the MNIST test digits for the scenes a test generates,
// from the data/mnist found above the working directory; it skips the test
// when the files are not there (make data fetches them).
func MNIST(tb testing.TB) *scenegen.MNIST {
	tb.Helper()
	dir, err := scenegen.FindDataDir()
	if err != nil {
		tb.Skipf("MNIST not available (%v); run make data", err)
	}
	m, err := scenegen.LoadTest(dir)
	if err != nil {
		tb.Fatal(err)
	}
	return m
}
