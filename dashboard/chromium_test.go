package dashboard

import (
	"context"
	"image"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/edgeconv/edgeconv/internal/chromium"
	"github.com/edgeconv/edgeconv/train"
)

// TestDashboardInChromium trains a small network, paced to last a few
// seconds, with the dashboard served, and loads the page in headless
// Chromium while it trains. The page must show curves that advance while
// it is open (its script received events after its first message, and
// the charts hold the new points), then a screenshot must show the curves,
// the distributions and red digits. EDGECONV_SCREENSHOT=FILE keeps the
// screenshot to look at. Skipped with -short (the purego, race and
// emulated passes): it is the same page.
func TestDashboardInChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("the browser test runs in the native pass without -short")
	}
	browser := chromium.Require(t)
	trainSet, testSet := data(t)
	tr := smallTrainer(t, 100000, 1, trainSet, testSet)
	rec := NewRecorder(&History{Name: "small", Arch: tr.Spec.String(), Iterations: tr.Iterations}, tr.Net, testSet, tr.Batch, 5)
	srv := &Server{Rec: rec, Test: testSet}
	host, ctx := serve(t, srv)
	addr := "http://" + host
	// The run goes on until the test is done: about 50 steps a second.
	rec.Start(0)
	ctx, stop := context.WithCancel(ctx)
	trained := make(chan error, 1)
	go func() {
		_, err := tr.Run(ctx, train.RunOptions{}, hooks(t, rec, 20*time.Millisecond))
		rec.Finish("interrupted")
		trained <- err
	}()
	defer func() {
		stop()
		if err := <-trained; err != nil {
			t.Error(err)
		}
	}()

	// The guard: another Host is refused, the page's library is served
	// from the binary with the guard's headers.
	req, _ := http.NewRequest("GET", addr+"/", nil)
	req.Host = "attacker.example"
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusForbidden {
		t.Errorf("a request for another host: %v %v, want 403", resp.Status, err)
	}
	resp, err := http.Get(addr + "/uplot/uPlot.iife.min.js")
	if err != nil {
		t.Fatal(err)
	}
	js, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || len(js) < 10000 || resp.Header.Get("X-Frame-Options") != "DENY" {
		t.Errorf("uPlot: %s, %d bytes, header %v", resp.Status, len(js), resp.Header)
	}

	// Two evaluations first, so that the grid and the bands exist.
	for deadline := time.Now().Add(60 * time.Second); len(rec.History().Test) < 2; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("no two evaluations after 60 s")
		}
	}

	// Chromium dumps the DOM once the page has loaded: a front server
	// holds the grid image the page asks for as it loads (the latest
	// grid) for two seconds, and the events of those seconds must have
	// reached the charts.
	front := func() *httptest.Server {
		var hold sync.Once
		f := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/digits.png" {
				hold.Do(func() { time.Sleep(2 * time.Second) })
			}
			srv.Handler().ServeHTTP(w, r)
		}))
		t.Cleanup(func() {
			f.CloseClientConnections()
			f.Close()
		})
		return f
	}
	dom := string(chromium.Headless(t, browser, front().URL+"/", "--dump-dom"))
	at := rec.History().Train
	attr := func(name string) int {
		m := regexp.MustCompile(name + `="(\d+)"`).FindStringSubmatch(dom)
		if m == nil {
			t.Fatalf("no %s in the page:\n%s", name, dom)
		}
		n, _ := strconv.Atoi(m[1])
		return n
	}
	first, points, updates := attr("data-first-train-points"), attr("data-train-points"), attr("data-updates")
	t.Logf("the page opened with %d training points, had %d after %d updates; the run was at iteration %d", first, points, updates, at[len(at)-1].Iter)
	// Opened after two evaluations (iteration 100, a point every 5
	// steps), the page shows the history so far at once.
	if first < 20 {
		t.Errorf("the page opened halfway shows %d training points, want the 20 or more of the run so far", first)
	}
	if points <= first || updates < 2 {
		t.Errorf("the curves did not advance while the page was open: %d training points at first, %d after %d updates", first, points, updates)
	}
	accChart := regexp.MustCompile(`id="accChart" data-points="(\d+)"`).FindStringSubmatch(dom)
	if accChart == nil || must(strconv.Atoi(accChart[1])) < points {
		t.Errorf("the accuracy chart does not hold the %d points: %v", points, accChart)
	}
	if !regexp.MustCompile(`<span id="status"[^>]*>training</span>`).MatchString(dom) {
		t.Errorf("the page does not show a run training:\n%s", dom)
	}
	if !regexp.MustCompile(`id="wrong">\d+ of 1000 misrecognised at iteration \d+<`).MatchString(dom) || attr("data-dist-points") < 2 {
		t.Errorf("no grid or distributions on the page:\n%s", dom)
	}
	if n := len(regexp.MustCompile(`<h2>weights · layer `).FindAllString(dom, -1)); n != 4 {
		t.Errorf("%d weight charts, want one per layer (4)", n)
	}

	img := chromium.Screenshot(t, browser, front().URL+"/")
	if st := rec.History(); st.Train[len(st.Train)-1].Iter <= at[len(at)-1].Iter {
		t.Errorf("the run stopped during the test")
	}
	// The layout: the accuracy and loss charts at the top left, the grid
	// of digits at the top right, the distributions below them.
	top, right, below := image.Rect(0, 60, 640, 520), image.Rect(650, 60, 1280, 560), image.Rect(0, 540, 1280, 900)
	orange, blue := countNear(img, top, [3]int{230, 126, 34}), countNear(img, top, [3]int{127, 179, 213})
	red := countRed(img, right)
	bands := 0
	for y := below.Min.Y; y < below.Max.Y; y++ {
		for x := below.Min.X; x < below.Max.X; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			if max(r, g, b)>>8-min(r, g, b)>>8 > 25 {
				bands++
			}
		}
	}
	t.Logf("screenshot: %d test-curve pixels, %d training-curve pixels, %d red digit pixels, %d coloured band pixels", orange, blue, red, bands)
	if orange < 150 || blue < 150 {
		t.Errorf("the screenshot shows no curves: %d test-curve and %d training-curve pixels", orange, blue)
	}
	if red < 300 {
		t.Errorf("the screenshot shows no red digits: %d red pixels", red)
	}
	if bands < 5000 {
		t.Errorf("the screenshot shows no distributions: %d coloured pixels", bands)
	}
}
