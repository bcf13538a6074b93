package firmware

import (
	"net"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"time"
)

// The preview's time bounds. A request's header must arrive within
// headerTimeout; a kept-alive connection may wait idleTimeout for its next
// request; any write (a page, an image, one frame of a stream) must be
// taken within writeTimeout; a stream whose write has waited stallAfter is
// stalled, and a new client may take its place.
const (
	headerTimeout = 5 * time.Second
	idleTimeout   = 30 * time.Second
	writeTimeout  = 10 * time.Second
	stallAfter    = time.Second
	// newGrace is how long a connection that has not sent its request is
	// safe from eviction: a viewer's connection sends it at once.
	newGrace = time.Second
	// maxHeaderBytes bounds a request's header (the server's default is 1 MiB).
	maxHeaderBytes = 16 << 10
	// sendBuffer is each connection's socket send buffer (Linux doubles
	// it): a few frames, more than a LAN's bandwidth-delay product.
	sendBuffer = 64 << 10
)

// connLimit is the preview's listener: it holds at most max connections.
// A connection beyond that takes the place of, in this order, the one idle
// (kept alive between requests) the longest, one that has sent no request
// for newGrace, or a stalled stream (evictStream); when there is none, the
// new connection is closed. So idle or stalled clients cannot lock out a
// viewer, and what the connections cost is bounded.
type connLimit struct {
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

func newConnLimit(l net.Listener, max int, evictStream func() bool) *connLimit {
	return &connLimit{Listener: l, max: max, evictStream: evictStream, conns: make(map[net.Conn]*connInfo)}
}

// Accept returns the next connection that may be served.
func (l *connLimit) Accept() (net.Conn, error) {
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
func (l *connLimit) admit(c net.Conn, now time.Time) bool {
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
func (l *connLimit) victimLocked(now time.Time) net.Conn {
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

// connState is the server's ConnState hook.
func (l *connLimit) connState(c net.Conn, s http.ConnState) {
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
// at this machine would otherwise read the camera): the Host must name the
// address the server listens on (listen), or be one of allow ("*" allows
// any). An IP address is the listen address (any of the machine's when it
// listens on all of them; any loopback one when on loopback); "localhost"
// is allowed on a loopback or all-address listener, and the machine's host
// name (and NAME.local, as mDNS announces a Pi) on any but a loopback one.
// Other hosts get 403 Forbidden. Requests other than GET and HEAD get 405
// and the connection is closed without reading their body.
func CheckHost(h http.Handler, listen net.Addr, allow []string) http.Handler {
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
			http.Error(rw, "host "+r.Host+" not allowed: give it to edgeconv run --allow-host", http.StatusForbidden)
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

// securityHeaders sets, on every response of h, the headers that keep other
// sites from framing the preview or a browser from guessing a type, and
// keep the frames out of caches and referrers.
func securityHeaders(h http.Handler) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		hd := rw.Header()
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("X-Frame-Options", "DENY")
		// The page's script and style are inline; nothing else is loaded.
		hd.Set("Content-Security-Policy", "default-src 'self'; script-src 'self' 'unsafe-inline'; "+
			"style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
		hd.Set("Referrer-Policy", "no-referrer")
		hd.Set("Cache-Control", "no-store")
		h.ServeHTTP(rw, r)
	})
}
