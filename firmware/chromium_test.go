package firmware

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"periph.io/x/conn/v3/physic"

	"github.com/edgeconv/edgeconv/internal/chromium"
)

// TestPreviewInChromium loads the preview page in headless Chromium: the
// DOM shows the reading, and a screenshot shows the annotated frame (green
// boxes drawn). EDGECONV_SCREENSHOT=FILE keeps the screenshot to look at.
func TestPreviewInChromium(t *testing.T) {
	browser := chromium.Require(t)
	_, _, srv, _ := startPreview(t, 10*physic.Hertz)
	sc := loadScenes(t)
	var st struct{ Reading struct{ Text string } }
	deadline := time.Now().Add(10 * time.Second)
	for st.Reading.Text == "" && time.Now().Before(deadline) {
		_, b := get(t, srv.URL+"/state.json")
		json.Unmarshal(b, &st)
		time.Sleep(50 * time.Millisecond)
	}

	// A slow machine can load the page while it shows no reading ("—"):
	// the arm64 run under qemu, at 3 frames a second, once did, with a
	// reading in /state.json just before. So the page is loaded again, up
	// to five times, until it shows a scene's reading.
	var dom string
	found := false
	for try := 0; try < 5 && !found; try++ {
		dom = string(chromium.Headless(t, browser, srv.URL+"/", "--dump-dom"))
		// The text of the reading's element, as the script left it.
		reading := ""
		if _, after, ok := strings.Cut(dom, `<div id="reading">`); ok {
			reading, _, _ = strings.Cut(after, "</div>")
			reading = regexp.MustCompile(`<[^>]*>`).ReplaceAllString(reading, "")
		}
		for _, s := range sc {
			found = found || reading == s.text
		}
	}
	if !found || !strings.Contains(dom, "edgeconv live") || !strings.Contains(dom, `id="frame"`) {
		t.Errorf("the page's DOM shows no reading:\n%s", dom)
	}

	// The page keeps itself up to date from /events. Chromium dumps the DOM
	// once the page has loaded, so a front server holds the page's first
	// crops image for two seconds: the events of those seconds reach the
	// script first, and the frame number it writes must be past the one the
	// server put into the page.
	var hold sync.Once
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/crops.png" {
			hold.Do(func() { time.Sleep(2 * time.Second) })
		}
		srv.Config.Handler.ServeHTTP(w, r)
	}))
	defer front.Close()
	dom = string(chromium.Headless(t, browser, front.URL+"/", "--dump-dom"))
	front.CloseClientConnections()
	served := regexp.MustCompile(`let shown = \s*(\d+)\s*;`).FindStringSubmatch(dom)
	written := regexp.MustCompile(`id="seq">frame (\d+) · \d+ processed`).FindStringSubmatch(dom)
	if served == nil || written == nil {
		t.Fatalf("no frame numbers in the page:\n%s", dom)
	}
	first, _ := strconv.Atoi(served[1])
	last, _ := strconv.Atoi(written[1])
	t.Logf("the page was served at frame %d; its script showed frame %d when it had loaded", first, last)
	if last <= first {
		t.Errorf("the page did not update: served at frame %d, showing frame %d 2 s later", first, last)
	}

	img := chromium.Screenshot(t, browser, srv.URL+"/")
	// The frame sits at the top left: count the green box pixels there.
	green := 0
	for y := 40; y < 560; y++ {
		for x := 0; x < 680; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			if g>>8 > 170 && r>>8 < 110 && b>>8 < 150 {
				green++
			}
		}
	}
	if green < 300 {
		t.Errorf("the screenshot shows %d green box pixels: no annotated frame", green)
	}
}

// TestPreviewErrorInChromium: with the camera away from the start, the page
// still comes up and shows the error in its banner.
func TestPreviewErrorInChromium(t *testing.T) {
	browser := chromium.Require(t)
	w, srv := serveWeb(t)
	w.Status(errors.New("camera: rpicam-vid stopped after 0 frames: exit status 3"))
	dom := string(chromium.Headless(t, browser, srv.URL+"/", "--dump-dom"))
	if !regexp.MustCompile(`<div id="error" style="display: block;">camera: rpicam-vid stopped after 0 frames: exit status 3`).MatchString(dom) {
		t.Errorf("no visible error banner:\n%s", dom)
	}
}
