package webguard

import (
	"net"
	"net/http"
	"testing"
)

// TestCheckHost: which Host each kind of listen address accepts.
func TestCheckHost(t *testing.T) {
	ok := http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})
	for _, c := range []struct {
		listen string
		allow  []string
		host   string
		want   bool
	}{
		{"127.0.0.1:8080", nil, "127.0.0.1:8080", true},
		{"127.0.0.1:8080", nil, "127.0.0.2", true},
		{"127.0.0.1:8080", nil, "[::1]:8080", true},
		{"127.0.0.1:8080", nil, "app.localhost:8080", true},
		{"127.0.0.1:8080", nil, "192.168.1.5:8080", false},
		{"127.0.0.1:8080", nil, "attacker.example:8080", false},
		{"0.0.0.0:8080", nil, "192.168.1.5:8080", true},
		{"0.0.0.0:8080", nil, "[fe80::1]:8080", true},
		{"0.0.0.0:8080", nil, "[fe80::1%25eth0]:8080", true},
		{"0.0.0.0:8080", nil, "[fe80::1%eth0]:8080", true},
		{"0.0.0.0:8080", nil, "localhost", true},
		{"0.0.0.0:8080", nil, "attacker.example", false},
		{"[::]:8080", []string{"camera.home.arpa"}, "Camera.Home.Arpa:8080", true},
		{"192.168.1.5:8080", nil, "192.168.1.5:8080", true},
		{"192.168.1.5:8080", nil, "127.0.0.1:8080", false},
		{"192.168.1.5:8080", nil, "localhost:8080", false},
		{"192.168.1.5:8080", []string{"*"}, "anything.example", true},
		{"192.168.1.5:8080", nil, "", true},
	} {
		addr, err := net.ResolveTCPAddr("tcp", c.listen)
		if err != nil {
			t.Fatal(err)
		}
		rec := &statusRecorder{header: http.Header{}, status: 200}
		r, _ := http.NewRequest("GET", "/", nil)
		r.Host = c.host
		CheckHost(ok, addr, c.allow, "--allow-host").ServeHTTP(rec, r)
		if got := rec.status == 200; got != c.want {
			t.Errorf("listen %s, allow %q, Host %q: status %d, want allowed %v", c.listen, c.allow, c.host, rec.status, c.want)
		}
	}
}

// statusRecorder records a response's status.
type statusRecorder struct {
	header http.Header
	status int
}

func (r *statusRecorder) Header() http.Header         { return r.header }
func (r *statusRecorder) Write(b []byte) (int, error) { return len(b), nil }
func (r *statusRecorder) WriteHeader(s int)           { r.status = s }
