package dashboard

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"image/png"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/edgeconv/edgeconv/internal/webguard"
	"github.com/edgeconv/edgeconv/train"
)

//go:embed page.html uplot/uPlot.iife.min.js uplot/uPlot.min.css uplot/LICENSE
var files embed.FS

// minGap is the shortest time between two messages to a client: updates
// that come faster (a point every few milliseconds on a small network)
// are sent together.
const minGap = 200 * time.Millisecond

// Server serves the live dashboard of a run that Rec records:
//
//	/                 the page (charts drawn by the embedded uPlot)
//	/uplot/...        uPlot's script, style and licence
//	/events           server-sent events: the whole history first, then what was added
//	/history.json     the history so far
//	/digits.png       the latest grid of test digits (DrawGrid)
//
// It never slows the training: the recorder's hooks only append under a
// lock, and each client's goroutine copies what it has not been sent,
// encodes it and writes it within the web guard's bounds (at most
// MaxClients streams, a stalled one evicted for a new one, 10 s for a
// write). A page opened at any time gets the history so far in its
// first message.
type Server struct {
	Rec  *Recorder
	Test *train.Dataset // the test set, for the grid's images
	// MaxClients bounds the pages open at once (event streams); 0 means 16.
	MaxClients int
	// MaxConns bounds the connections; 0 means 64.
	MaxConns int
	// AllowHosts are the host names, besides the listen address's, a
	// request's Host may name (webguard.CheckHost).
	AllowHosts []string

	once    sync.Once
	streams webguard.Streams

	gridMu   sync.Mutex
	gridIter int
	gridPNG  []byte
}

func (s *Server) init() {
	s.once.Do(func() {
		if s.MaxClients <= 0 {
			s.MaxClients = 16
		}
		if s.MaxConns <= 0 {
			s.MaxConns = 64
		}
		s.streams.Max = s.MaxClients
	})
}

// Handler returns the dashboard's handler, with the web guard's headers.
func (s *Server) Handler() http.Handler {
	s.init()
	mux := http.NewServeMux()
	static := func(name, typ string) http.HandlerFunc {
		b, err := files.ReadFile(name)
		if err != nil {
			panic("dashboard: " + err.Error()) // embedded above
		}
		return func(rw http.ResponseWriter, r *http.Request) {
			rw.Header().Set("Content-Type", typ)
			rw.Write(b)
		}
	}
	mux.HandleFunc("GET /{$}", static("page.html", "text/html; charset=utf-8"))
	mux.HandleFunc("GET /uplot/uPlot.iife.min.js", static("uplot/uPlot.iife.min.js", "text/javascript; charset=utf-8"))
	mux.HandleFunc("GET /uplot/uPlot.min.css", static("uplot/uPlot.min.css", "text/css; charset=utf-8"))
	mux.HandleFunc("GET /uplot/LICENSE", static("uplot/LICENSE", "text/plain; charset=utf-8"))
	mux.HandleFunc("GET /history.json", s.serveHistory)
	mux.HandleFunc("GET /digits.png", s.serveDigits)
	mux.HandleFunc("GET /events", s.serveEvents)
	return webguard.Headers(mux)
}

// Serve serves the dashboard on l until ctx is done, within the web
// guard's bounds (webguard.Serve).
func (s *Server) Serve(ctx context.Context, l net.Listener) error {
	s.init()
	return webguard.Serve(ctx, l, s.Handler(), webguard.Options{MaxConns: s.MaxConns, AllowHosts: s.AllowHosts,
		Streams: &s.streams, Flag: "edgeconv train --allow-host"})
}

// Linger waits, when pages are open, for the last messages to reach
// them (how the run ended), at most a little longer than the gap between
// two messages: the caller stops the server after it.
func (s *Server) Linger() {
	if s.streams.Len() > 0 {
		time.Sleep(2*minGap + 100*time.Millisecond)
	}
}

func (s *Server) serveHistory(rw http.ResponseWriter, r *http.Request) {
	b, err := json.Marshal(s.Rec.History())
	if err != nil {
		http.Error(rw, err.Error(), http.StatusInternalServerError)
		return
	}
	rw.Header().Set("Content-Type", "application/json")
	http.NewResponseController(rw).SetWriteDeadline(time.Now().Add(webguard.WriteTimeout))
	rw.Write(b)
}

// serveDigits draws the grid once per evaluation, whatever the number of
// clients.
func (s *Server) serveDigits(rw http.ResponseWriter, r *http.Request) {
	s.gridMu.Lock()
	g := s.Rec.Grid()
	if g.N == 0 || s.Test == nil {
		s.gridMu.Unlock()
		http.Error(rw, "no evaluation yet", http.StatusNotFound)
		return
	}
	if s.gridPNG == nil || s.gridIter != g.Iter {
		var buf bytes.Buffer
		png.Encode(&buf, DrawGrid(g, s.Test))
		s.gridPNG, s.gridIter = buf.Bytes(), g.Iter
	}
	b, iter := s.gridPNG, s.gridIter
	s.gridMu.Unlock()
	rw.Header().Set("Content-Type", "image/png")
	rw.Header().Set("X-Iteration", strconv.Itoa(iter))
	http.NewResponseController(rw).SetWriteDeadline(time.Now().Add(webguard.WriteTimeout))
	rw.Write(b)
}

func (s *Server) serveEvents(rw http.ResponseWriter, r *http.Request) {
	ctx, c, release, ok := s.streams.Join(rw, r)
	if !ok {
		return
	}
	defer release()
	rw.Header().Set("Content-Type", "text/event-stream")
	// A browser reconnects a second after the stream breaks, and is then
	// sent the whole history again.
	if !c.Write(rw, []byte("retry: 1000\n\n")) {
		return
	}
	var cur cursor
	var msg []byte
	gap := time.NewTimer(0)
	defer gap.Stop()
	for {
		u, next, more, ok := s.Rec.since(cur)
		if ok {
			b, err := json.Marshal(u)
			if err != nil {
				return
			}
			msg = fmt.Appendf(msg[:0], "data: %s\n\n", b)
			if !c.Write(rw, msg) {
				return
			}
			cur = next
		}
		select {
		case <-ctx.Done():
			return
		case <-more:
		}
		gap.Reset(minGap)
		select {
		case <-ctx.Done():
			return
		case <-gap.C:
		}
	}
}
