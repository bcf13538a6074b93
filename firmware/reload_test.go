package firmware

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/edgeconv/edgeconv/camera"
	"github.com/edgeconv/edgeconv/model"
	"github.com/edgeconv/edgeconv/reading"
	"periph.io/x/conn/v3/physic"
)

// TestReloader runs a loop on a recording while a Reloader watches a
// model file: SIGHUP with an invalid file is one rejection (the old
// reader runs on), and a valid file is swapped in between two frames:
// every frame is processed once, in order, frames flow while a (slow)
// load runs, and the loop ends with the new reader.
func TestReloader(t *testing.T) {
	src, err := camera.NewFrames(sceneFrames(t, 100), &camera.ReplayOpts{FrameRate: 100 * physic.Hertz})
	if err != nil {
		t.Fatal(err)
	}
	out := &capturedOutput{}
	first := testReader(t)
	l, err := New(Options{Source: src, Reader: first, EveryFrame: true, Outputs: []Output{out}})
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "m.safetensors")
	os.WriteFile(file, []byte("not a model"), 0o644)
	cur, err := model.Default()
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var events []ModelEvent
	var swapped *reading.Reader
	var during []int // frames processed while each Open ran
	hup := make(chan os.Signal, 1)
	rejected := make(chan struct{})
	var rejectOnce sync.Once
	rl := &Reloader{File: file, Loop: l, Current: cur, Poll: 20 * time.Millisecond, Signal: hup,
		Open: func(f string) (*reading.Reader, *model.Model, error) {
			// A slow load: it ends only once the loop has processed
			// three more frames (or the recording), so a loop that
			// waited for it would stall here until the deadline.
			n0, _, _ := out.snapshot()
			n := 0
			for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
				n1, _, _ := out.snapshot()
				if n = len(n1) - len(n0); n >= 3 || len(n1) == 200 {
					break
				}
			}
			mu.Lock()
			during = append(during, n)
			mu.Unlock()
			data, err := os.ReadFile(f)
			if err != nil {
				return nil, nil, err
			}
			m, err := model.Load(f, data)
			if err != nil {
				return nil, nil, err
			}
			r, err := reading.New(m, reading.Options{Classifier: model.Options{Float: true}})
			mu.Lock()
			swapped = r
			mu.Unlock()
			return r, m, err
		},
		Report: func(e ModelEvent) {
			mu.Lock()
			events = append(events, e)
			mu.Unlock()
			if e.Status == ModelRejected {
				rejectOnce.Do(func() { close(rejected) })
			}
		}}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go rl.Run(ctx)
	hup <- syscall.SIGHUP
	go func() {
		// Once the invalid file is rejected (not on a clock: under
		// emulation the first check can come late), the float32 form of
		// the same network: other bytes, the same readings.
		<-rejected
		net, _ := cur.FloatNetwork()
		net.SaveFile(file)
	}()
	if err := l.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	cancel()
	frames, _, _ := out.snapshot()
	for i, f := range frames {
		if f != uint64(i+1) {
			t.Fatalf("frame %d is %d: a frame was dropped or repeated around the swap", i+1, f)
		}
	}
	if len(frames) != 200 {
		t.Errorf("%d frames, want 200", len(frames))
	}
	mu.Lock()
	defer mu.Unlock()
	if len(events) != 2 || events[0].Status != ModelRejected || !strings.Contains(events[0].Err.Error(), "malformed") ||
		events[1].Status != ModelSwitched || events[1].Previous != cur.String() {
		t.Fatalf("events %+v", events)
	}
	for _, n := range during {
		if n < 3 {
			t.Errorf("%d frames processed during a slow load: the loop waited for it", n)
		}
	}
	if l.Reader() != swapped {
		t.Error("the loop did not end with the new reader")
	}
	swapped.Close()
	if !strings.Contains(string(events[1].AppendJSON(nil)), `"status":"switched"`) {
		t.Errorf("JSON %s", events[1].AppendJSON(nil))
	}
	if _, err := l.SwapReader(ctx, first); !errors.Is(err, context.Canceled) {
		t.Errorf("a swap into a stopped loop: %v", err)
	}
}
