package dashboard

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/edgeconv/edgeconv/internal/servetest"
)

// serve serves srv on a loopback port until the test ends, and returns its
// address and a context that ends with the test.
func serve(t *testing.T, srv *Server) (string, context.Context) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	return servetest.Loopback(t, ctx, cancel, srv.Serve), ctx
}

// TestStalledPagesDoNotSlowTraining: pages that stop reading hold nothing
// the training waits for. With every stream slot held by a page whose
// first message (a long history, megabytes) waits in a full socket, the
// recorder's hooks stay quick over 200 steps that each add a point and
// wake the pages, and a new page still gets the whole history (a stalled
// page makes room).
func TestStalledPagesDoNotSlowTraining(t *testing.T) {
	if testing.Short() {
		t.Skip("runs in the native pass without -short")
	}
	trainSet, testSet := data(t)
	tr := smallTrainer(t, 100000, 1, trainSet, testSet)
	h := &History{Name: "long", Arch: tr.Spec.String()}
	for i := range 20000 {
		h.Train = append(h.Train, TrainPoint{Iter: i, Accuracy: 0.5, Loss: 1.2345678, LR: 0.001234, ImagesPerSec: 12345.678})
	}
	const slots = 4
	rec := NewRecorder(h, tr.Net, testSet, tr.Batch, 1)
	srv := &Server{Rec: rec, Test: testSet, MaxClients: slots}
	addr, ctx := serve(t, srv)
	for range slots {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		c.(*net.TCPConn).SetReadBuffer(4 << 10)
		io.WriteString(c, "GET /events HTTP/1.1\r\nHost: "+addr+"\r\n\r\n")
	}
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if n, stalled := srv.streams.Stalled(); n == slots && stalled == slots {
			break
		}
		if time.Now().After(deadline) {
			n, stalled := srv.streams.Stalled()
			t.Fatalf("after 30 s, %d streams of which %d stalled", n, stalled)
		}
	}

	var worst time.Duration
	for range 200 {
		loss, correct := tr.Step()
		t0 := time.Now()
		rec.Step(tr.Iter, loss, tr.LearningRate(), correct)
		worst = max(worst, time.Since(t0))
	}
	m, err := tr.Evaluate(testSet)
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Now()
	rec.Eval(tr.Iter, m)
	t.Logf("with %d stalled pages: the slowest Step hook took %v, the Eval hook %v", slots, worst, time.Since(t0))
	// Generous, for a loaded machine: a hook that waited for a page
	// would wait seconds (the write bound is 10 s).
	if worst > 100*time.Millisecond {
		t.Errorf("a Step hook took %v with stalled pages", worst)
	}

	req, _ := http.NewRequestWithContext(ctx, "GET", "http://"+addr+"/events", nil)
	c := &http.Client{Timeout: 20 * time.Second}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("a new page among %d stalled ones: %s", slots, resp.Status)
	}
	br := bufio.NewReaderSize(resp.Body, 1<<20)
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			t.Fatalf("reading the first message: %v", err)
		}
		if strings.HasPrefix(line, "data: ") {
			if !strings.HasPrefix(line, `data: {"reset":true`) || !strings.Contains(line, `{"iteration":19999,`) || !strings.Contains(line, `{"iteration":200,`) {
				t.Errorf("the first message is not the whole history: %.200s…", line)
			}
			break
		}
	}
}
