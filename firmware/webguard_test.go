package firmware

import (
	"bufio"
	"context"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/edgeconv/edgeconv/internal/servetest"
	"periph.io/x/conn/v3/physic"
)

// servePreview runs a loop at 30 fps with web served by Serve on a real
// loopback listener, and returns the listener's address.
func servePreview(t *testing.T, web *Web) string {
	t.Helper()
	_, ctx, cancel := runLoop(t, 30*physic.Hertz, web)
	return servetest.Loopback(t, ctx, cancel, web.Serve)
}

// rawGet sends a GET of path with host on a new TCP connection and reads
// the response's status and header; the connection is returned open (the
// body unread).
func rawGet(t *testing.T, addr, path, host string) (net.Conn, *bufio.Reader, *http.Response) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if _, err := io.WriteString(c, "GET "+path+" HTTP/1.1\r\nHost: "+host+"\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(c)
	c.SetReadDeadline(time.Now().Add(30 * time.Second))
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	return c, br, resp
}

// TestWebIdleConnections: 150 clients that make one request and keep the
// connection open do not pile up: beyond MaxConns the server closes the
// ones idle the longest, and a viewer is still served. (Without a limit the
// 150 stayed open, each with its goroutine and buffers.)
func TestWebIdleConnections(t *testing.T) {
	const maxConns, clients = 20, 150
	addr := servePreview(t, &Web{MaxConns: maxConns})
	conns := make([]net.Conn, clients)
	for i := range conns {
		c, br, resp := rawGet(t, addr, "/state.json", addr)
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 && resp.StatusCode != 503 { // 503: no frame yet
			t.Fatalf("client %d: %s", i, resp.Status)
		}
		conns[i] = &bufConn{c, br}
	}
	// Which of them did the server close? A closed one reads EOF at once;
	// an open one would wait for the deadline (the idle timeout is 30 s).
	var mu sync.Mutex
	closed := 0
	var wg sync.WaitGroup
	for _, c := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.SetReadDeadline(time.Now().Add(3 * time.Second))
			_, err := c.Read(make([]byte, 1))
			var ne net.Error
			if err != nil && !(errors.As(err, &ne) && ne.Timeout()) {
				mu.Lock()
				closed++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if closed < clients-maxConns {
		t.Errorf("%d of %d idle connections closed, want at least %d (MaxConns %d)", closed, clients, clients-maxConns, maxConns)
	}
	_, _, resp := rawGet(t, addr, "/state.json", addr)
	if resp.StatusCode != 200 {
		t.Errorf("a viewer after the idle clients: %s", resp.Status)
	}
}

// bufConn is a connection whose reads go through the reader that read its
// response.
type bufConn struct {
	net.Conn
	r *bufio.Reader
}

func (c *bufConn) Read(p []byte) (int, error) { return c.r.Read(p) }

// TestWebStalledStreams: clients that open the stream and never read hold
// every stream slot; a viewer that comes then takes the place of one of
// them and receives frames (it was refused with 503 while they stayed,
// 10 s each).
func TestWebStalledStreams(t *testing.T) {
	const slots = 8
	web := &Web{MaxClients: slots}
	addr := servePreview(t, web)
	for range slots + 4 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		c.(*net.TCPConn).SetReadBuffer(4 << 10) // stalls sooner
		io.WriteString(c, "GET /stream.mjpg HTTP/1.1\r\nHost: "+addr+"\r\n\r\n")
	}
	// Wait until the slots are all held by stalled streams.
	deadline := time.Now().Add(60 * time.Second)
	for {
		n, stalled := web.streams.Stalled()
		if n == slots && stalled == slots {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 60 s, %d streams of which %d stalled", n, stalled)
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Logf("%d stalled streams after %v", slots, time.Since(deadline.Add(-60*time.Second)))
	t0 := time.Now()
	req, _ := http.NewRequest("GET", "http://"+addr+"/stream.mjpg", nil)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	resp, err := http.DefaultClient.Do(req.WithContext(ctx))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("a viewer among %d stalled streams: %s", slots, resp.Status)
	}
	_, params, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	mr := multipart.NewReader(resp.Body, params["boundary"])
	for i := range 3 {
		p, err := mr.NextPart()
		if err != nil {
			t.Fatalf("frame %d: %v", i, err)
		}
		io.Copy(io.Discard, p)
		if i == 0 {
			t.Logf("first frame after %v", time.Since(t0))
		}
	}
	// Generous, for a loaded machine: the stalled client is evicted at
	// once, the frame comes with the next encoding (15 per second).
	if d := time.Since(t0); d > 5*time.Second {
		t.Errorf("three frames took %v", d)
	}
}

// TestWebHost: the preview answers only a Host that names its address (or
// an allowed name): another name is what a DNS-rebinding page sends.
func TestWebHost(t *testing.T) {
	addr := servePreview(t, &Web{AllowHosts: []string{"pi.example"}})
	_, port, _ := net.SplitHostPort(addr)
	for host, want := range map[string]int{
		addr:                       200,
		"localhost:" + port:        200,
		"LOCALHOST.:" + port:       200,
		"pi.example":               200,
		"evil.example:" + port:     403,
		"pi.example.evil.com":      403,
		"192.168.1.10:" + port:     403,
		"[::2]:" + port:            403,
		"127.0.0.1.nip.io:" + port: 403,
	} {
		_, _, resp := rawGet(t, addr, "/", host)
		if resp.StatusCode != want {
			t.Errorf("Host %q: %s, want %d", host, resp.Status, want)
		}
	}
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	io.WriteString(c, "POST / HTTP/1.1\r\nHost: "+addr+"\r\nContent-Length: 1000000\r\n\r\n")
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil || resp.StatusCode != 405 || !resp.Close {
		t.Errorf("POST: %v %v, want 405 and the connection closed", resp, err)
	}
}

// TestWebHeaders: every response of the preview forbids framing and type
// sniffing, sends no referrer and is not cached.
func TestWebHeaders(t *testing.T) {
	addr := servePreview(t, &Web{})
	for _, path := range []string{"/", "/frame.jpg", "/state.json", "/crops.png", "/stream.mjpg", "/events", "/nothing"} {
		_, _, resp := rawGet(t, addr, path, addr)
		h := resp.Header
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("X-Frame-Options") != "DENY" ||
			!strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'none'") ||
			h.Get("Referrer-Policy") != "no-referrer" || h.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: %s, header %v", path, resp.Status, h)
		}
	}
}
