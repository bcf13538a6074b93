package firmware

import (
	"image"
	"sync"
	"testing"

	"github.com/edgeconv/edgeconv/camera"
	"github.com/edgeconv/edgeconv/internal/testscenes"
	"github.com/edgeconv/edgeconv/model"
	"github.com/edgeconv/edgeconv/model/modeltest"
	"github.com/edgeconv/edgeconv/reading"
)

// scene is one of the test scenes (internal/testscenes) and its true text.
type scene struct {
	name string
	img  *image.YCbCr
	text string
}

func loadScenes(t testing.TB) []scene {
	t.Helper()
	var scenes []scene
	for _, s := range testscenes.Load(t) {
		scenes = append(scenes, scene{s.Name, s.Frame, s.Text})
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

// testReader returns a reader of the embedded model run in float32, with
// digits under 0.8 marked low.
func testReader(t testing.TB) *reading.Reader {
	t.Helper()
	m := modeltest.Default(t)
	r, err := reading.New(m, reading.Options{Classifier: model.Options{Float: true}, MinConfidence: 0.8})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Close)
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
