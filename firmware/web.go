package firmware

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"html/template"
	"image"
	"image/jpeg"
	"image/png"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/edgeconv/edgeconv/camera"
	"github.com/edgeconv/edgeconv/extract"
	"github.com/edgeconv/edgeconv/internal/webguard"
	"github.com/edgeconv/edgeconv/model"
	"github.com/edgeconv/edgeconv/reading"
)

// Web is an Output serving a live preview over HTTP:
//
//	/             the page: the annotated frame, the digit crops, the reading, fps and latencies
//	/frame.jpg    the latest annotated frame (boxes and digits drawn)
//	/crops.png    the latest frame's 28x28 candidate images with their classes
//	/stream.mjpg  the annotated frames as MJPEG (multipart/x-mixed-replace)
//	/events       server-sent events: the state (as /state.json) after each encoded frame
//	/state.json   the reading, this frame's digits, statistics and camera status
//
// The loop never waits for the web: Frame copies the frame into the
// encoder's buffer only when the encoder is idle (otherwise the frame is
// skipped), and one encoder goroutine turns it into a JPEG, a PNG and a
// JSON state, once per frame however many clients there are. Every client
// is sent the latest encoding when it is ready for one, so a slow client
// skips frames instead of queueing them, and memory stays bounded: each
// client holds at most one shared encoding.
//
// Serve bounds what clients may hold: MaxConns connections, of which
// MaxClients streams; a header within 5 s, 30 s idle between requests, 10 s
// to take any write. When the connections or the streams are all taken, a
// new client takes the place of one that is idle or stalled (a stream whose
// write has waited a second), so clients that never read cannot lock out a
// viewer. It answers only requests whose Host names the address it listens
// on or AllowHosts (webguard.CheckHost: DNS rebinding), and every response carries
// headers that forbid framing and sniffing.
type Web struct {
	// MaxFPS bounds the encoding rate; 0 means 15.
	MaxFPS float64
	// MaxClients bounds the streaming clients (MJPEG and events); 0
	// means 64.
	MaxClients int
	// MaxConns bounds the connections Serve holds; 0 means 256.
	MaxConns int
	// AllowHosts are the host names, besides the listen address's, that
	// a request's Host may name ("*": any); see webguard.CheckHost.
	AllowHosts []string
	// Stats, if set, is called for the statistics shown.
	Stats func() Stats
	// Model and Source are shown on the page; SetModel changes the model
	// shown while it runs.
	Model, Source string
	// Metrics, if set, is served at /metrics (Prometheus's exposition).
	Metrics http.Handler

	once     sync.Once
	kick     chan struct{}
	newModel atomic.Pointer[string]

	mu      sync.Mutex // guards in, busy, status
	in      webInput
	busy    bool // the encoder owns in
	status  string
	lastEnc time.Time

	cur       atomic.Pointer[encoded]
	changedMu sync.Mutex
	changed   chan struct{} // closed when cur changes

	streams    webguard.Streams
	lastWanted atomic.Int64 // unix nanoseconds of the last request
	encodes    atomic.Uint64
	encodeNs   atomic.Int64 // duration of the last frame's encoding
}

// webInput is the encoder's copy of a frame.
type webInput struct {
	seq     uint64
	t       time.Time
	img     *image.YCbCr
	cands   []extract.Digit // every candidate of the frame
	results []model.Result  // and its class
	digits  []reading.Digit // the frame's digits
	reading Reading
	fresh   bool // img holds a frame not yet encoded
}

// encoded is one encoded state, shared read-only by all clients.
type encoded struct {
	seq   uint64
	jpeg  []byte
	png   []byte
	state []byte // JSON
}

func (w *Web) init() {
	w.once.Do(func() {
		w.kick = make(chan struct{}, 1)
		w.changed = make(chan struct{})
		if w.MaxFPS <= 0 {
			w.MaxFPS = 15
		}
		if w.MaxClients <= 0 {
			w.MaxClients = 64
		}
		if w.MaxConns <= 0 {
			w.MaxConns = 256
		}
		w.streams.Max = w.MaxClients
	})
}

// Frame implements Output. It allocates nothing in steady state and never
// blocks on the encoder.
func (w *Web) Frame(f *Frame) {
	w.init()
	now := f.Time
	watched := w.streams.Len() > 0 || time.Since(time.Unix(0, w.lastWanted.Load())) < 3*time.Second
	w.mu.Lock()
	if w.busy || now.Sub(w.lastEnc) < time.Duration(float64(time.Second)/w.MaxFPS) ||
		(!watched && now.Sub(w.lastEnc) < time.Second) {
		w.mu.Unlock()
		return
	}
	in := &w.in
	if in.img == nil || in.img.Rect.Size() != f.Image.Rect.Size() {
		in.img = image.NewYCbCr(image.Rectangle{Max: f.Image.Rect.Size()}, image.YCbCrSubsampleRatio420)
	}
	if err := camera.CopyFrame(in.img, f.Image); err != nil {
		w.mu.Unlock() // not a frame: nothing to show
		return
	}
	in.cands = append(in.cands[:0], f.Read.Candidates...)
	in.results = append(in.results[:0], f.Read.Results...)
	in.digits = append(in.digits[:0], f.Read.Digits...)
	in.reading.copyFrom(f.Reading)
	in.seq, in.t, in.fresh = f.Seq, f.Time, true
	w.busy = true
	w.lastEnc = now
	w.mu.Unlock()
	select {
	case w.kick <- struct{}{}:
	default:
	}
}

// Status implements Output: the error is shown on the page until frames
// come back.
func (w *Web) Status(err error) {
	w.init()
	w.mu.Lock()
	if err != nil {
		w.status = err.Error()
	} else {
		w.status = ""
	}
	w.mu.Unlock()
	select {
	case w.kick <- struct{}{}:
	default:
	}
}

// run is the encoder goroutine.
func (w *Web) run(ctx context.Context) {
	var (
		rgba  *image.RGBA
		crops *image.RGBA
		jbuf  bytes.Buffer
		pbuf  bytes.Buffer
		penc  = png.Encoder{CompressionLevel: png.BestSpeed}
	)
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-w.kick:
		case <-tick.C: // refresh statistics and status while no frame comes
		}
		w.mu.Lock()
		in := &w.in
		status := w.status
		fresh := in.fresh
		w.busy = true // the encoder owns in until it is done
		w.mu.Unlock()
		prev := w.cur.Load()
		e := &encoded{}
		if fresh {
			t0 := time.Now()
			rgba = annotate(rgba, in.img, in.cands, in.results, in.digits)
			jbuf.Reset()
			jpeg.Encode(&jbuf, rgba, &jpeg.Options{Quality: 75})
			crops = cropSheet(crops, in.cands, in.results, in.digits)
			pbuf.Reset()
			penc.Encode(&pbuf, crops)
			e.seq = in.seq
			e.jpeg = bytes.Clone(jbuf.Bytes())
			e.png = bytes.Clone(pbuf.Bytes())
			w.encodeNs.Store(int64(time.Since(t0)))
		} else if prev != nil {
			e.seq, e.jpeg, e.png = prev.seq, prev.jpeg, prev.png
		}
		e.state = w.stateJSON(in, status, e.seq)
		w.mu.Lock()
		in.fresh = false
		w.busy = false
		w.mu.Unlock()
		w.encodes.Add(1)
		w.cur.Store(e)
		w.changedMu.Lock()
		close(w.changed)
		w.changed = make(chan struct{})
		w.changedMu.Unlock()
	}
}

// webDigit is one digit of the current frame in the state JSON.
type webDigit struct {
	Digit      int     `json:"digit"`
	Confidence float32 `json:"confidence"`
	Box        [4]int  `json:"box"`
	Line       int     `json:"line"`
	Low        bool    `json:"low,omitempty"`
}

// webState is the JSON of /state.json and /events.
type webState struct {
	Seq       uint64             `json:"seq"`
	Time      time.Time          `json:"time"`
	Model     string             `json:"model,omitempty"`
	Source    string             `json:"source,omitempty"`
	Reading   json.RawMessage    `json:"reading"`
	Frame     []webDigit         `json:"frame"`
	FPS       float64            `json:"fps"`
	Frames    uint64             `json:"frames"`
	Dropped   uint64             `json:"dropped"`
	Median    map[string]float64 `json:"latency_ms"`
	P95       map[string]float64 `json:"latency_p95_ms"`
	Error     string             `json:"error,omitempty"`
	ErrorAt   *time.Time         `json:"error_since,omitempty"`
	Errors    uint64             `json:"errors"`
	Clients   int                `json:"clients"`
	Encodings uint64             `json:"encodings"`
	// EncodeMs is the time the preview took to draw and encode its last
	// frame, on its own goroutine (not part of the loop's latency).
	EncodeMs float64 `json:"encode_ms"`
}

// stateJSON is called by the encoder, which owns in.
func (w *Web) stateJSON(in *webInput, status string, seq uint64) []byte {
	s := webState{Seq: seq, Time: time.Now().UTC(), Model: w.model(), Source: w.Source,
		Frame: make([]webDigit, 0, len(in.digits)), Clients: w.streams.Len(), Encodings: w.encodes.Load(),
		Median: map[string]float64{}, P95: map[string]float64{}, Error: status,
		EncodeMs: ms(time.Duration(w.encodeNs.Load()))}
	s.Reading = in.reading.AppendJSON(nil, true)
	for _, d := range in.digits {
		s.Frame = append(s.Frame, webDigit{Digit: d.Digit, Confidence: round3(d.Confidence),
			Box: [4]int{d.Box.Min.X, d.Box.Min.Y, d.Box.Max.X, d.Box.Max.Y}, Line: d.Line, Low: d.Low})
	}
	if w.Stats != nil {
		st := w.Stats()
		s.FPS, s.Frames, s.Dropped, s.Errors = round3f(st.FPS), st.Frames, st.Dropped, st.Errors
		for i := range st.Median {
			s.Median[Stage(i).String()] = ms(st.Median[i])
			s.P95[Stage(i).String()] = ms(st.P95[i])
		}
		if st.Err != "" {
			s.Error = st.Err
			t := st.ErrSince.UTC()
			s.ErrorAt = &t
		}
	}
	b, _ := json.Marshal(s)
	return b
}

func ms(d time.Duration) float64 { return round3f(float64(d) / 1e6) }
func round3(v float32) float32   { return float32(round3f(float64(v))) }
func round3f(v float64) float64 {
	return float64(int64(v*1000+0.5)) / 1000
}

// latest waits (up to d) for an encoding and returns it, or nil.
func (w *Web) latest(ctx context.Context, d time.Duration) *encoded {
	if e := w.cur.Load(); e != nil {
		return e
	}
	t := time.NewTimer(d)
	defer t.Stop()
	for {
		w.changedMu.Lock()
		ch := w.changed
		w.changedMu.Unlock()
		if e := w.cur.Load(); e != nil {
			return e
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return nil
		case <-t.C:
			return nil
		}
	}
}

// next waits for an encoding newer than prev.
func (w *Web) next(ctx context.Context, prev *encoded) *encoded {
	for {
		w.changedMu.Lock()
		ch := w.changed
		w.changedMu.Unlock()
		if e := w.cur.Load(); e != nil && e != prev {
			return e
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return nil
		}
	}
}

//go:embed web.html
var pageHTML string

var pageTmpl = template.Must(template.New("page").Parse(pageHTML))

// Handler returns the preview's HTTP handler. Serve starts the encoder;
// a caller that only uses Handler must call Start.
func (w *Web) Handler() http.Handler {
	w.init()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", w.servePage)
	mux.HandleFunc("GET /frame.jpg", func(rw http.ResponseWriter, r *http.Request) {
		w.serveBlob(rw, r, "image/jpeg", func(e *encoded) []byte { return e.jpeg })
	})
	mux.HandleFunc("GET /crops.png", func(rw http.ResponseWriter, r *http.Request) {
		w.serveBlob(rw, r, "image/png", func(e *encoded) []byte { return e.png })
	})
	mux.HandleFunc("GET /state.json", func(rw http.ResponseWriter, r *http.Request) {
		w.serveBlob(rw, r, "application/json", func(e *encoded) []byte { return e.state })
	})
	mux.HandleFunc("GET /stream.mjpg", w.serveMJPEG)
	mux.HandleFunc("GET /events", w.serveEvents)
	if w.Metrics != nil {
		mux.Handle("GET /metrics", w.Metrics)
	}
	return webguard.Headers(mux)
}

// SetModel changes the name of the model shown, after a model switch; it
// may be called from any goroutine.
func (w *Web) SetModel(name string) { w.newModel.Store(&name) }

func (w *Web) model() string {
	if m := w.newModel.Load(); m != nil {
		return *m
	}
	return w.Model
}

// Start runs the encoder until ctx is done.
func (w *Web) Start(ctx context.Context) {
	w.init()
	go w.run(ctx)
}

// Serve starts the encoder and serves the preview on l until ctx is done,
// within the bounds the type's comment describes.
func (w *Web) Serve(ctx context.Context, l net.Listener) error {
	w.Start(ctx)
	return webguard.Serve(ctx, l, w.Handler(), webguard.Options{MaxConns: w.MaxConns, AllowHosts: w.AllowHosts,
		Streams: &w.streams, Flag: "edgeconv run --allow-host"})
}

func (w *Web) wanted() { w.lastWanted.Store(time.Now().UnixNano()) }

func noCache(rw http.ResponseWriter, typ string) {
	h := rw.Header()
	h.Set("Content-Type", typ)
	h.Set("Cache-Control", "no-store")
}

func (w *Web) servePage(rw http.ResponseWriter, r *http.Request) {
	w.wanted()
	e := w.latest(r.Context(), 3*time.Second)
	var st map[string]any
	seq := uint64(0)
	if e != nil {
		json.Unmarshal(e.state, &st)
		seq = e.seq
	}
	noCache(rw, "text/html; charset=utf-8")
	http.NewResponseController(rw).SetWriteDeadline(time.Now().Add(webguard.WriteTimeout))
	pageTmpl.Execute(rw, map[string]any{"Seq": seq, "State": st, "Model": w.model(), "Source": w.Source})
}

func (w *Web) serveBlob(rw http.ResponseWriter, r *http.Request, typ string, part func(*encoded) []byte) {
	w.wanted()
	e := w.latest(r.Context(), 3*time.Second)
	if e == nil || part(e) == nil {
		http.Error(rw, "no frame yet", http.StatusServiceUnavailable)
		return
	}
	noCache(rw, typ)
	rw.Header().Set("X-Frame", strconv.FormatUint(e.seq, 10))
	http.NewResponseController(rw).SetWriteDeadline(time.Now().Add(webguard.WriteTimeout))
	rw.Write(part(e))
}

func (w *Web) serveMJPEG(rw http.ResponseWriter, r *http.Request) {
	ctx, c, release, ok := w.streams.Join(rw, r)
	if !ok {
		return
	}
	defer release()
	const boundary = "edgeconvframe"
	noCache(rw, "multipart/x-mixed-replace; boundary="+boundary)
	var prev *encoded
	var head []byte
	sent := uint64(0)
	for {
		e := w.next(ctx, prev)
		if e == nil {
			return
		}
		prev = e
		if e.jpeg == nil || e.seq == sent {
			continue // a state-only update: no new frame
		}
		sent = e.seq
		head = fmt.Appendf(head[:0], "--%s\r\nContent-Type: image/jpeg\r\nContent-Length: %d\r\nX-Frame: %d\r\n\r\n", boundary, len(e.jpeg), e.seq)
		if !c.Write(rw, head, e.jpeg, crlf) {
			return
		}
	}
}

var crlf = []byte("\r\n")

func (w *Web) serveEvents(rw http.ResponseWriter, r *http.Request) {
	ctx, c, release, ok := w.streams.Join(rw, r)
	if !ok {
		return
	}
	defer release()
	noCache(rw, "text/event-stream")
	// A browser reconnects a second after the stream breaks.
	if !c.Write(rw, []byte("retry: 1000\n\n")) {
		return
	}
	var prev *encoded
	var msg []byte
	for {
		e := w.next(ctx, prev)
		if e == nil {
			return
		}
		prev = e
		msg = fmt.Appendf(msg[:0], "id: %d\ndata: %s\n\n", e.seq, e.state)
		if !c.Write(rw, msg) {
			return
		}
	}
}
