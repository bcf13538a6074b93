//go:build !race

package mqtt

import (
	"image"
	"testing"
	"time"

	"github.com/edgeconv/edgeconv/camera"
	"github.com/edgeconv/edgeconv/firmware"
	"github.com/edgeconv/edgeconv/internal/testscenes"
	"github.com/edgeconv/edgeconv/model"
	"github.com/edgeconv/edgeconv/reading"
)

// TestLoopAllocs proves that the publisher keeps the camera loop free of
// allocations: iterations whose reading changes every frame, queued for a
// broker that is away and dropped from the full queue, allocate nothing.
func TestLoopAllocs(t *testing.T) {
	if testing.Short() {
		t.Skip("allocation test skipped in -short mode")
	}
	scenes, err := testscenes.Load()
	if err != nil {
		t.Fatal(err)
	}
	var frames []*image.YCbCr
	for _, s := range scenes {
		frames = append(frames, s.Frame)
	}
	src, err := camera.NewFrames(frames, &camera.ReplayOpts{Loop: true})
	if err != nil {
		t.Fatal(err)
	}
	m, err := model.Default()
	if err != nil {
		t.Fatal(err)
	}
	rd, err := reading.New(m, reading.Options{MinConfidence: 0.8})
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	p, err := New(Options{Broker: "tcp://127.0.0.1:1", Device: "meter1", Queue: 4})
	if err != nil {
		t.Fatal(err)
	}
	l, err := firmware.New(firmware.Options{Source: src, Reader: rd, Stable: 1, NoFusion: true, Outputs: []firmware.Output{p}})
	if err != nil {
		t.Fatal(err)
	}
	img := camera.NewFrame(src)
	var seq uint64
	iteration := func() {
		start := time.Now()
		if err := src.Capture(img); err != nil {
			t.Fatal(err)
		}
		seq++
		end := time.Now()
		l.Step(img, seq, end, end.Sub(start))
	}
	for range 8 {
		iteration()
	}
	before := p.State()
	const runs = 20
	if allocs := testing.AllocsPerRun(runs, iteration); allocs != 0 {
		t.Errorf("one loop iteration with the publisher: %v allocations, want 0", allocs)
	}
	// AllocsPerRun runs the function once more to warm up.
	if st := p.State(); st.Queued != 4 || st.Dropped != before.Dropped+runs+1 {
		t.Errorf("the readings were not all queued: %+v, then %+v", before, st)
	}
}
