// Package webguard holds the bounds edgeconv's web pages are served
// within: the Pi's live preview (firmware.Web) and the training dashboard
// (dashboard.Server). Both serve a page and long-lived streams to browsers
// on a machine that has better things to do, so both share one set of
// habits:
//
//   - Serve listens with a Listener that holds at most a set number of
//     connections; a new one takes the place of one idle or not yet
//     talking, or of a stalled stream (Streams), so clients that never
//     read cannot lock out a viewer.
//   - A request's header must arrive within HeaderTimeout, a kept-alive
//     connection waits IdleTimeout at most, any write must be taken within
//     WriteTimeout, and headers are at most MaxHeaderBytes.
//   - CheckHost answers only a Host that names the listen address (DNS
//     rebinding) and only GET and HEAD.
//   - Headers forbids framing, type sniffing, referrers and caching.
//   - Streams bounds the streaming clients and evicts the one stalled the
//     longest when a new one comes.
//
// Callers listen on loopback unless told otherwise: that choice is the
// command's (edgeconv run --listen, edgeconv train --listen).
package webguard

import (
	"context"
	"net"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// The time bounds. A request's header must arrive within HeaderTimeout; a
// kept-alive connection may wait IdleTimeout for its next request; any
// write (a page, an image, one message of a stream) must be taken within
// WriteTimeout; a stream whose write has waited StallAfter is stalled, and
// a new client may take its place.
const (
	HeaderTimeout = 5 * time.Second
	IdleTimeout   = 30 * time.Second
	WriteTimeout  = 10 * time.Second
	StallAfter    = time.Second
	// newGrace is how long a connection that has not sent its request is
	// safe from eviction: a viewer's connection sends it at once.
	newGrace = time.Second
	// MaxHeaderBytes bounds a request's header (the server's default is 1 MiB).
	MaxHeaderBytes = 16 << 10
	// sendBuffer is each connection's socket send buffer (Linux doubles
	// it): a few frames, more than a LAN's bandwidth-delay product.
	sendBuffer = 64 << 10
)

// Options are what Serve bounds and allows.
type Options struct {
	// MaxConns bounds the connections held.
	MaxConns int
	// AllowHosts are the host names, besides the listen address's, that a
	// request's Host may name ("*": any); see CheckHost.
	AllowHosts []string
	// Streams, if set, are the server's streaming clients: a connection
	// beyond MaxConns may take the place of the one stalled the longest.
	Streams *Streams
	// Flag names the command's flag that adds AllowHosts, for the error
	// a refused Host gets ("edgeconv run --allow-host").
	Flag string
}

// Serve serves h on l until ctx is done, within the bounds of the package
// comment: CheckHost and Headers wrap h. It returns nil once ctx is done.
func Serve(ctx context.Context, l net.Listener, h http.Handler, o Options) error {
	var evict func() bool
	if o.Streams != nil {
		evict = o.Streams.EvictStalled
	}
	cl := NewListener(l, o.MaxConns, evict)
	// Headers outside the Host check, so that its refusals carry them
	// too (setting them twice, when h sets them, is harmless).
	srv := &http.Server{Handler: Headers(CheckHost(h, l.Addr(), o.AllowHosts, o.Flag)),
		ReadHeaderTimeout: HeaderTimeout, IdleTimeout: IdleTimeout, MaxHeaderBytes: MaxHeaderBytes,
		ConnState:   cl.ConnState,
		BaseContext: func(net.Listener) context.Context { return ctx }}
	// A request has no body, so no ReadTimeout: it would also cancel a
	// stream's context once it passed. Streams bound each write instead.
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		srv.Shutdown(sctx)
		srv.Close()
	}()
	err := srv.Serve(cl)
	if err == http.ErrServerClosed {
		err = nil
	}
	return err
}

// Listener holds at most max connections.
// A connection beyond that takes the place of, in this order, the one idle
// (kept alive between requests) the longest, one that has sent no request
// for newGrace, or a stalled stream (evictStream); when there is none, the
// new connection is closed. So idle or stalled clients cannot lock out a
// viewer, and what the connections cost is bounded.
type Listener struct {
	net.Listener
	max         int
	evictStream func() bool

	mu    sync.Mutex
	conns map[net.Conn]*connInfo
}

// connInfo is a connection's state as the server last reported it.
type connInfo struct {
	state http.ConnState
	since time.Time
}

// NewListener bounds l to max connections; evictStream, if not nil, is
// asked to make room when no idle or silent connection can. The server
// must report to the listener's ConnState.
func NewListener(l net.Listener, max int, evictStream func() bool) *Listener {
	return &Listener{Listener: l, max: max, evictStream: evictStream, conns: make(map[net.Conn]*connInfo)}
}

// Accept returns the next connection that may be served.
func (l *Listener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		if l.admit(c, time.Now()) {
			if tc, ok := c.(*net.TCPConn); ok {
				// The kernel grows a send buffer to megabytes: a client
				// that never reads would take seconds of frames before its
				// write waited and it could be told stalled.
				tc.SetWriteBuffer(sendBuffer)
			}
			return c, nil
		}
		c.Close()
	}
}

// admit records c, closing a victim first when the limit is reached; it
// returns false when c must be refused.
func (l *Listener) admit(c net.Conn, now time.Time) bool {
	l.mu.Lock()
	var victim net.Conn
	if len(l.conns) >= l.max {
		victim = l.victimLocked(now)
		delete(l.conns, victim)
	}
	ok := len(l.conns) < l.max
	if ok {
		l.conns[c] = &connInfo{state: http.StateNew, since: now}
	}
	l.mu.Unlock()
	if victim != nil {
		victim.Close()
	}
	if !ok && l.evictStream != nil && l.evictStream() {
		// The evicted stream's connection closes as its handler returns,
		// at once: until then there is one more than max.
		l.mu.Lock()
		l.conns[c] = &connInfo{state: http.StateNew, since: now}
		l.mu.Unlock()
		ok = true
	}
	return ok
}

// victimLocked returns the idle connection waiting the longest, else the
// oldest that has sent no request for newGrace, else nil.
func (l *Listener) victimLocked(now time.Time) net.Conn {
	var idle, fresh net.Conn
	var idleSince, freshSince time.Time
	for c, in := range l.conns {
		switch {
		case in.state == http.StateIdle && (idle == nil || in.since.Before(idleSince)):
			idle, idleSince = c, in.since
		case in.state == http.StateNew && now.Sub(in.since) >= newGrace && (fresh == nil || in.since.Before(freshSince)):
			fresh, freshSince = c, in.since
		}
	}
	if idle != nil {
		return idle
	}
	return fresh
}

// ConnState is the server's ConnState hook.
func (l *Listener) ConnState(c net.Conn, s http.ConnState) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if s == http.StateClosed || s == http.StateHijacked {
		delete(l.conns, c)
		return
	}
	if in := l.conns[c]; in != nil {
		in.state, in.since = s, time.Now()
	}
}

// CheckHost returns h behind a check of each request's Host header, the
// defence against DNS rebinding (a web page whose name an attacker points
// at this machine would otherwise read the camera or the training): the Host must name the
// address the server listens on (listen), or be one of allow ("*" allows
// any). An IP address is the listen address (any of the machine's when it
// listens on all of them; any loopback one when on loopback); "localhost"
// is allowed on a loopback or all-address listener, and the machine's host
// name (and NAME.local, as mDNS announces a Pi) on any but a loopback one.
// Other hosts get 403 Forbidden, with a message naming flag, the
// command's flag that allows more hosts. Requests other than GET and HEAD get 405
// and the connection is closed without reading their body.
func CheckHost(h http.Handler, listen net.Addr, allow []string, flag string) http.Handler {
	var ip net.IP
	if a, ok := listen.(*net.TCPAddr); ok {
		ip = a.IP
	} else if host, _, err := net.SplitHostPort(listen.String()); err == nil {
		ip = net.ParseIP(host)
	}
	all := ip == nil || ip.IsUnspecified()
	loopback := !all && ip.IsLoopback()
	names := make([]string, 0, len(allow)+3)
	for _, a := range allow {
		names = append(names, normHost(a))
	}
	if all || loopback {
		names = append(names, "localhost")
	}
	if name, err := os.Hostname(); err == nil && !loopback {
		names = append(names, normHost(name), normHost(name)+".local")
	}
	allowed := func(host string) bool {
		host = normHost(host)
		switch {
		case host == "" || slices.Contains(names, "*") || slices.Contains(names, host):
			return true // an HTTP/1.0 request without a Host is no browser's
		case strings.HasSuffix(host, ".localhost"):
			return all || loopback
		}
		hip := net.ParseIP(host)
		switch {
		case hip == nil:
			return false
		case all:
			return true
		case loopback:
			return hip.IsLoopback()
		}
		return hip.Equal(ip)
	}
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			rw.Header().Set("Connection", "close")
			rw.Header().Set("Allow", "GET, HEAD")
			http.Error(rw, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		if !allowed(r.Host) {
			http.Error(rw, "host "+r.Host+" not allowed: give it to "+flag, http.StatusForbidden)
			return
		}
		h.ServeHTTP(rw, r)
	})
}

// normHost is host without its port and brackets, in lower case, without
// a final dot.
func normHost(host string) string {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.Trim(host, "[]"), ".")
	if i := strings.IndexByte(host, '%'); i >= 0 {
		host = host[:i] // an IPv6 zone: fe80::1%eth0
	}
	return strings.ToLower(host)
}

// Headers sets, on every response of h, the headers that keep other sites
// from framing the page or a browser from guessing a type, and keep what
// is served out of caches and referrers. Scripts and styles may come from
// the server itself or be inline; nothing else is loaded.
func Headers(h http.Handler) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		hd := rw.Header()
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Content-Security-Policy", "default-src 'self'; script-src 'self' 'unsafe-inline'; "+
			"style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
		hd.Set("Referrer-Policy", "no-referrer")
		hd.Set("Cache-Control", "no-store")
		h.ServeHTTP(rw, r)
	})
}

// Streams is a server's set of streaming clients (MJPEG, server-sent
// events), at most Max. When all are taken, a new client takes the place
// of the one stalled the longest (whose write has waited StallAfter), so
// clients that stop reading cannot lock out a viewer.
type Streams struct {
	Max int

	mu sync.Mutex
	m  map[*Stream]struct{}
	n  atomic.Int32
}

// Stream is one streaming client.
type Stream struct {
	rc      *http.ResponseController
	cancel  context.CancelFunc
	writing atomic.Int64 // unix nanoseconds at which the pending write began; 0: none
	evicted atomic.Bool
}

// Len returns the number of streaming clients.
func (s *Streams) Len() int { return int(s.n.Load()) }

// Join registers a streaming client, or refuses it with 503 Service
// Unavailable (ok false). The client's context ends when it is evicted;
// release must be called when its handler returns.
func (s *Streams) Join(rw http.ResponseWriter, r *http.Request) (ctx context.Context, c *Stream, release func(), ok bool) {
	ctx, cancel := context.WithCancel(r.Context())
	c = &Stream{rc: http.NewResponseController(rw), cancel: cancel}
	s.mu.Lock()
	if s.m == nil {
		s.m = make(map[*Stream]struct{})
	}
	if len(s.m) >= s.Max && !s.evictStalledLocked(time.Now()) {
		s.mu.Unlock()
		cancel()
		rw.Header().Set("Retry-After", "1")
		http.Error(rw, "too many clients", http.StatusServiceUnavailable)
		return nil, nil, nil, false
	}
	s.m[c] = struct{}{}
	s.n.Store(int32(len(s.m)))
	s.mu.Unlock()
	release = func() {
		cancel()
		s.mu.Lock()
		delete(s.m, c)
		s.n.Store(int32(len(s.m)))
		s.mu.Unlock()
	}
	return ctx, c, release, true
}

// Stalled returns the number of clients and how many of them are stalled.
func (s *Streams) Stalled() (n, stalled int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.m {
		if w := c.writing.Load(); w != 0 && time.Since(time.Unix(0, w)) > StallAfter {
			stalled++
		}
	}
	return len(s.m), stalled
}

// EvictStalled evicts the stream stalled the longest and reports whether
// there was one.
func (s *Streams) EvictStalled() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.evictStalledLocked(time.Now())
}

func (s *Streams) evictStalledLocked(now time.Time) bool {
	var victim *Stream
	oldest := now.Add(-StallAfter).UnixNano()
	for c := range s.m {
		if t := c.writing.Load(); t != 0 && t <= oldest {
			victim, oldest = c, t
		}
	}
	if victim == nil {
		return false
	}
	delete(s.m, victim)
	s.n.Store(int32(len(s.m)))
	// The flag first: a client that sets its own deadline after ours sees
	// it and stops; one that set it before has it overridden.
	victim.evicted.Store(true)
	victim.cancel()
	victim.rc.SetWriteDeadline(now)
	return true
}

// Write sends parts to the client as one message: flushed, within
// WriteTimeout, marked as pending while it waits. It reports whether the
// client took it.
func (c *Stream) Write(rw http.ResponseWriter, parts ...[]byte) bool {
	c.writing.Store(time.Now().UnixNano())
	defer c.writing.Store(0)
	c.rc.SetWriteDeadline(time.Now().Add(WriteTimeout))
	if c.evicted.Load() {
		return false
	}
	for _, p := range parts {
		if _, err := rw.Write(p); err != nil {
			return false
		}
	}
	return c.rc.Flush() == nil
}
