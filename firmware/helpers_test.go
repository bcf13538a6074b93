package firmware

import (
	"encoding/json"
	"image"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/edgeconv/edgeconv/camera"
)

// The scenes in testdata were rendered by internal/scenegen (seed 42,
// the Hard family at 640x480): MNIST test digits written on ruled paper,
// photographed under uneven light. Their .json holds the true text.
var sceneNames = []string{"scene00", "scene03"}

type scene struct {
	img  *image.YCbCr
	text string
}

var (
	scenesOnce sync.Once
	scenes     []scene
	scenesErr  error
)

func loadScenes(t testing.TB) []scene {
	t.Helper()
	scenesOnce.Do(func() {
		for _, n := range sceneNames {
			f, err := os.Open(filepath.Join("testdata", n+".png"))
			if err != nil {
				scenesErr = err
				return
			}
			g, err := camera.ReadFrame(f)
			f.Close()
			if err != nil {
				scenesErr = err
				return
			}
			var truth struct{ Text string }
			js, err := os.ReadFile(filepath.Join("testdata", n+".json"))
			if err == nil {
				err = json.Unmarshal(js, &truth)
			}
			if err != nil {
				scenesErr = err
				return
			}
			scenes = append(scenes, scene{g, truth.Text})
		}
	})
	if scenesErr != nil {
		t.Fatal(scenesErr)
	}
	return scenes
}

// sceneFrames returns each scene repeated reps times.
func sceneFrames(t testing.TB, reps int) []*image.YCbCr {
	var fs []*image.YCbCr
	for _, s := range loadScenes(t) {
		for range reps {
			fs = append(fs, s.img)
		}
	}
	return fs
}

var (
	recOnce sync.Once
	recErr  error
	recNet  Recognizer
)

// testRecognizer returns a float32 recognizer of the embedded model.
func testRecognizer(t testing.TB) Recognizer {
	t.Helper()
	r, err := LoadRecognizer("", true)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// capturedOutput records what the loop hands its outputs.
type capturedOutput struct {
	mu       sync.Mutex
	frames   []uint64
	readings []string
	statuses []error
}

func (c *capturedOutput) Frame(f *Frame) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.frames = append(c.frames, f.Seq)
	if f.Changed {
		c.readings = append(c.readings, string(f.Reading.Text))
	}
}

func (c *capturedOutput) Status(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.statuses = append(c.statuses, err)
}

func (c *capturedOutput) snapshot() (frames []uint64, readings []string, statuses []error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]uint64(nil), c.frames...), append([]string(nil), c.readings...), append([]error(nil), c.statuses...)
}

// staticSource serves one frame forever.
type staticSource struct{ img *image.YCbCr }

func (s staticSource) String() string          { return "static" }
func (s staticSource) Halt() error             { return nil }
func (s staticSource) Bounds() image.Rectangle { return s.img.Rect }
func (s staticSource) Capture(dst *image.YCbCr) error {
	return camera.CopyFrame(dst, s.img)
}
