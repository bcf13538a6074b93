package firmware

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/edgeconv/edgeconv/camera"
	"github.com/edgeconv/edgeconv/extract"
	"github.com/edgeconv/edgeconv/model"
	"periph.io/x/conn/v3/physic"
)

// startPreview runs a loop on a paced, looping recording of the scenes with
// a web preview served by an httptest server.
func startPreview(t *testing.T, rate physic.Frequency) (*Loop, *Web, *httptest.Server, context.CancelFunc) {
	t.Helper()
	web := &Web{Model: "test", MaxClients: 200}
	l, ctx, cancel := runLoop(t, rate, web)
	web.Start(ctx)
	srv := httptest.NewServer(web.Handler())
	t.Cleanup(func() {
		srv.CloseClientConnections()
		srv.Close()
	})
	return l, web, srv, cancel
}

// runLoop runs a loop on a paced, looping recording of the scenes with web
// as its output, without fusion, until the test ends or the returned cancel
// is called.
func runLoop(t *testing.T, rate physic.Frequency, web *Web) (*Loop, context.Context, context.CancelFunc) {
	t.Helper()
	src, err := camera.NewFrames(sceneFrames(t, 6), &camera.ReplayOpts{Loop: true, FrameRate: rate})
	if err != nil {
		t.Fatal(err)
	}
	web.Source = src.String()
	// The scenes change every six frames: under emulation the loop reads
	// one frame of a scene in several, too few for fusion to confirm a
	// reading before the next scene comes (Fuser's own tests cover it), so
	// these tests of the page show each frame's reading.
	l, err := New(Options{Source: src, Reader: testReader(t), Outputs: []Output{web}, NoFusion: true})
	if err != nil {
		t.Fatal(err)
	}
	web.Stats = l.Stats
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := l.Run(ctx); err != nil {
			t.Error(err)
		}
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	return l, ctx, cancel
}

func get(t *testing.T, url string) (*http.Response, []byte) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %s: %s", url, resp.Status, b)
	}
	return resp, b
}

func TestWebPreview(t *testing.T) {
	if testing.Short() && runtime.GOARCH == "arm64" {
		// make test runs arm64 under qemu-user with -short: too slow for a
		// 30 fps live reading to settle reliably. The native run covers it.
		t.Skip("timed live-reading test; skipped in the emulated short run")
	}
	sc := loadScenes(t)
	_, _, srv, _ := startPreview(t, 30*physic.Hertz)

	// The state: wait until a reading is stable.
	var st struct {
		Seq     uint64
		Reading struct{ Text string }
		Frame   []webDigit
		FPS     float64
		Latency map[string]float64 `json:"latency_ms"`
		Error   string
	}
	// Generous: under qemu on a loaded machine a stable reading takes a while.
	deadline := time.Now().Add(60 * time.Second)
	for st.Reading.Text == "" && time.Now().Before(deadline) {
		_, b := get(t, srv.URL+"/state.json")
		if err := json.Unmarshal(b, &st); err != nil {
			t.Fatalf("%v: %s", err, b)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if st.Reading.Text != sc[0].text && st.Reading.Text != sc[1].text {
		t.Errorf("state reading %q", st.Reading.Text)
	}
	if len(st.Frame) == 0 || st.Latency["extract"] <= 0 || st.Error != "" {
		t.Errorf("state %+v", st)
	}

	resp, b := get(t, srv.URL+"/frame.jpg")
	img, err := jpeg.Decode(strings.NewReader(string(b)))
	if err != nil || img.Bounds().Dx() != 640 || img.Bounds().Dy() != 480 || resp.Header.Get("Content-Type") != "image/jpeg" {
		t.Errorf("frame.jpg: %v %v %s", err, img.Bounds(), resp.Header.Get("Content-Type"))
	}
	_, b = get(t, srv.URL+"/crops.png")
	if crops, err := png.Decode(strings.NewReader(string(b))); err != nil || crops.Bounds().Dy() < cellH {
		t.Errorf("crops.png: %v", err)
	}
	_, b = get(t, srv.URL+"/")
	for _, want := range []string{"edgeconv live", "/events", `id="frame"`, `id="crops"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("page has no %q", want)
		}
	}

	// MJPEG: three consecutive parts, each a JPEG of a newer frame.
	resp, err = http.Get(srv.URL + "/stream.mjpg")
	if err != nil {
		t.Fatal(err)
	}
	mt, params, err := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/x-mixed-replace" {
		t.Fatalf("stream content type %q", resp.Header.Get("Content-Type"))
	}
	mr := multipart.NewReader(resp.Body, params["boundary"])
	last := ""
	for i := range 3 {
		part, err := mr.NextPart()
		if err != nil {
			t.Fatalf("part %d: %v", i, err)
		}
		if _, err := jpeg.Decode(part); err != nil {
			t.Fatalf("part %d: %v", i, err)
		}
		if seq := part.Header.Get("X-Frame"); seq == last {
			t.Errorf("part %d repeats frame %s", i, seq)
		} else {
			last = seq
		}
	}
	resp.Body.Close()

	// Server-sent events.
	resp, err = http.Get(srv.URL + "/events")
	if err != nil {
		t.Fatal(err)
	}
	sr := bufio.NewScanner(resp.Body)
	sr.Buffer(nil, 1<<20)
	events := 0
	for events < 2 && sr.Scan() {
		if data, ok := strings.CutPrefix(sr.Text(), "data: "); ok {
			var v map[string]any
			if err := json.Unmarshal([]byte(data), &v); err != nil {
				t.Fatalf("event: %v", err)
			}
			events++
		}
	}
	resp.Body.Close()
	if events != 2 {
		t.Errorf("%d events", events)
	}
}

// serveWeb starts a preview with nothing to show and serves it until the
// test ends.
func serveWeb(t *testing.T) (*Web, *httptest.Server) {
	w := &Web{}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	w.Start(ctx)
	srv := httptest.NewServer(w.Handler())
	t.Cleanup(srv.Close)
	return w, srv
}

// TestWebShowsCameraError: a camera failure appears in the state (and so
// on the page) until frames come back.
func TestWebShowsCameraError(t *testing.T) {
	w, srv := serveWeb(t)
	w.Status(errors.New("camera: rpicam-vid stopped after 5 frames: exit status 3"))
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		_, b := get(t, srv.URL+"/state.json")
		if strings.Contains(string(b), "exit status 3") {
			_, page := get(t, srv.URL+"/")
			if !strings.Contains(string(page), "exit status 3") {
				t.Error("the page does not show the error")
			}
			w.Status(nil)
			for time.Now().Before(deadline) {
				_, b := get(t, srv.URL+"/state.json")
				if !strings.Contains(string(b), "exit status 3") {
					return
				}
				time.Sleep(20 * time.Millisecond)
			}
			t.Fatal("the error stays after frames came back")
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("the error never showed")
}

// TestWebManyClients: 50 clients streaming MJPEG (plus one that never
// reads) each receive frames while the loop runs, and the loop goes on. What
// they cost the loop's frame rate is a measurement, not a pass mark on a
// shared machine: the test logs it in alternating rounds (no clients,
// clients), and bench/previewload measures it under 5,000 idle connections
// and 100 stalled streams.
func TestWebManyClients(t *testing.T) {
	const rate = 30
	l, _, srv, _ := startPreview(t, rate*physic.Hertz)
	measure := func(d time.Duration) float64 {
		f0 := l.Stats().Frames
		time.Sleep(d)
		return float64(l.Stats().Frames-f0) / d.Seconds()
	}
	d := 2 * time.Second
	rounds := 3
	if testing.Short() {
		d, rounds = time.Second, 2
	}
	time.Sleep(300 * time.Millisecond) // warm up
	paced := false
	for round := 0; round < rounds; round++ {
		alone := measure(d)
		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		var frames [50]atomic.Int64
		for i := range frames {
			wg.Add(1)
			go func() {
				defer wg.Done()
				req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+"/stream.mjpg", nil)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					return
				}
				defer resp.Body.Close()
				_, params, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
				mr := multipart.NewReader(resp.Body, params["boundary"])
				for {
					p, err := mr.NextPart()
					if err != nil {
						return
					}
					io.Copy(io.Discard, p)
					frames[i].Add(1)
				}
			}()
		}
		// A client that connects and never reads.
		stuck, err := http.Get(srv.URL + "/stream.mjpg")
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(300 * time.Millisecond)
		busy := measure(d)
		cancel()
		stuck.Body.Close()
		wg.Wait()
		t.Logf("round %d: loop %.1f fps alone, %.1f fps with 51 MJPEG clients (ratio %.3f)", round, alone, busy, busy/alone)
		if alone < rate*0.8 {
			continue // the machine could not pace the camera even without clients
		}
		paced = true
		for i := range frames {
			if frames[i].Load() < 2 {
				t.Errorf("round %d: client %d received %d frames", round, i, frames[i].Load())
			}
		}
		if busy == 0 {
			t.Errorf("round %d: the loop stopped while 51 clients streamed", round)
		}
	}
	if !paced {
		// Under emulation or on a loaded machine the loop cannot keep up
		// with the camera even alone: there is no rate to protect.
		t.Skipf("the loop never reached %d fps alone: the machine is too slow or too busy to measure", rate)
	}
}

// TestAnnotateColour: the preview shows the frame in its colours, a red
// patch red, and the boxes on top.
func TestAnnotateColour(t *testing.T) {
	sc := loadScenes(t)[0]
	f := image.NewYCbCr(sc.img.Rect, image.YCbCrSubsampleRatio420)
	if err := camera.CopyFrame(f, sc.img); err != nil {
		t.Fatal(err)
	}
	// A red patch at (100..140, 60..80): the chroma of RGB (200, 30, 30).
	_, cb, cr := color.RGBToYCbCr(200, 30, 30)
	for y := 30; y < 40; y++ {
		for x := 50; x < 70; x++ {
			f.Cb[y*f.CStride+x], f.Cr[y*f.CStride+x] = cb, cr
		}
	}
	ds := extract.NewExtractor(extract.Options{}).Extract(f, nil)
	rs := make([]model.Result, len(ds))
	rgba := annotate(nil, f, ds, rs, nil)
	if c := rgba.RGBAAt(120, 70); int(c.R) < int(c.G)+60 || int(c.R) < int(c.B)+60 {
		t.Errorf("the red patch is %v in the preview", c)
	}
	if c := rgba.RGBAAt(5, 470); max(c.R, c.G, c.B)-min(c.R, c.G, c.B) > 8 {
		t.Errorf("grey paper is %v in the preview", c)
	}
	if len(ds) == 0 {
		t.Fatal("no digits")
	}
	b := ds[0].Box.Inset(-2)
	if c := rgba.RGBAAt(b.Min.X, b.Min.Y); c != colOK && c != colLow {
		t.Errorf("box corner is %v, want a box colour", c)
	}
}
