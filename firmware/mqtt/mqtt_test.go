package mqtt

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"

	"github.com/edgeconv/edgeconv/firmware"
	"github.com/edgeconv/edgeconv/internal/mosquitto"
	"github.com/edgeconv/edgeconv/reading"
)

// frame returns a frame whose stable reading has just changed to text.
func frame(seq uint64, text string) *firmware.Frame {
	r := &firmware.Reading{Frame: seq, Time: time.Now(), Text: []byte(text), Confident: true}
	for i, c := range text {
		r.Digits = append(r.Digits, reading.Digit{Digit: int(c - '0'), Confidence: 0.99, Box: image.Rect(10*i, 0, 10*i+8, 12)})
	}
	return &firmware.Frame{Seq: seq, Reading: r, Changed: true}
}

func newPublisher(t *testing.T, o Options) *Publisher {
	t.Helper()
	if o.Device == "" {
		o.Device = "meter1"
	}
	o.MinBackoff, o.MaxBackoff, o.Timeout = 50*time.Millisecond, 200*time.Millisecond, 3*time.Second
	o.Logf = t.Logf
	p, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

// TestPublish: the readings arrive in order as JSON, the availability,
// the last reading and the discovery message are retained for a
// subscriber that comes later, and a clean stop says offline.
func TestPublish(t *testing.T) {
	b := mosquitto.StartTest(t, mosquitto.Config{})
	url := "tcp://" + b.Addr()
	sub := mosquitto.Subscribe(t, url, "edgeconv/meter1/#", nil)
	var acked []time.Duration
	p := newPublisher(t, Options{Broker: url, Discovery: "homeassistant", Version: "test",
		Acked: func(d time.Duration) { acked = append(acked, d) }})
	if err := p.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	texts := []string{"12", "345", "6789"}
	for i, s := range texts {
		p.Frame(frame(uint64(i+1), s))
		p.Frame(&firmware.Frame{Seq: uint64(i + 100)}) // unchanged: not sent
	}
	got := sub.Wait(t, "edgeconv/meter1/reading", len(texts))
	if len(got) != len(texts) {
		t.Fatalf("%d readings, want %d", len(got), len(texts))
	}
	for i, m := range got {
		var r struct {
			Frame  uint64
			Text   string
			Digits []struct{ Digit int }
		}
		if err := json.Unmarshal([]byte(m.Payload), &r); err != nil {
			t.Fatalf("reading %q: %v", m.Payload, err)
		}
		if r.Text != texts[i] || r.Frame != uint64(i+1) || len(r.Digits) != len(texts[i]) {
			t.Errorf("reading %d: %s", i, m.Payload)
		}
	}
	if av := sub.Wait(t, "edgeconv/meter1/availability", 1); av[0].Payload != "online" {
		t.Errorf("availability %q", av[0].Payload)
	}

	late := mosquitto.Subscribe(t, url, "#", nil)
	for topic, want := range map[string]string{
		"edgeconv/meter1/availability":               "online",
		"edgeconv/meter1/reading":                    `"text":"6789"`,
		"homeassistant/sensor/meter1/reading/config": `"state_topic":"edgeconv/meter1/reading"`,
	} {
		m := late.Wait(t, topic, 1)[0]
		if !m.Retained || !strings.Contains(m.Payload, want) {
			t.Errorf("%s: %+v, want retained with %s", topic, m, want)
		}
	}
	if st := p.State(); !st.Connected || st.Published != 3 || st.Queued != 0 {
		t.Errorf("state %+v", st)
	}
	p.Close()
	if len(acked) != 3 || acked[0] <= 0 || acked[0] > 10*time.Second {
		t.Errorf("publish latencies %v, want 3", acked)
	}
	if av := sub.Wait(t, "edgeconv/meter1/availability", 2); av[1].Payload != "offline" {
		t.Errorf("after Close: availability %q", av[1].Payload)
	}
}

// TestQueueBound: readings queued while there is no connection are kept
// up to the bound, the oldest dropped and counted, and the rest delivered
// in order once connected.
func TestQueueBound(t *testing.T) {
	b := mosquitto.StartTest(t, mosquitto.Config{})
	url := "tcp://" + b.Addr()
	sub := mosquitto.Subscribe(t, url, "edgeconv/meter1/reading", nil)
	p := newPublisher(t, Options{Broker: url, Queue: 3})
	for i := range 5 {
		p.Frame(frame(uint64(i+1), fmt.Sprint(i)))
	}
	if st := p.State(); st.Queued != 3 || st.Dropped != 2 || st.Connected {
		t.Fatalf("before Start: %+v, want 3 queued and 2 dropped", st)
	}
	if err := p.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := sub.Wait(t, "edgeconv/meter1/reading", 3)
	for i, m := range got {
		if want := fmt.Sprintf(`"frame":%d,`, i+3); !strings.Contains(m.Payload, want) {
			t.Errorf("message %d: %s, want %s", i, m.Payload, want)
		}
	}
}

// TestTLS: an ssl:// broker whose certificate a throwaway authority
// signed is reached with --mqtt-ca; without it the certificate is refused
// and the publisher keeps trying in the background.
func TestTLS(t *testing.T) {
	dir := t.TempDir()
	ca, cert, key, err := mosquitto.TestCA(dir)
	if err != nil {
		t.Fatal(err)
	}
	b := mosquitto.StartTest(t, mosquitto.Config{CertFile: cert, KeyFile: key})
	url := "ssl://" + b.Addr()
	sub := mosquitto.Subscribe(t, url, "edgeconv/#", func(o *paho.ClientOptions) {
		p, _ := New(Options{Broker: url, CAFile: ca, Device: "x"})
		o.SetTLSConfig(p.tls)
	})
	p := newPublisher(t, Options{Broker: url, CAFile: ca})
	if err := p.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	p.Frame(frame(1, "42"))
	if m := sub.Wait(t, "edgeconv/meter1/reading", 1); !strings.Contains(m[0].Payload, `"text":"42"`) {
		t.Errorf("reading %s", m[0].Payload)
	}

	untrusted := newPublisher(t, Options{Broker: url, Device: "meter2"})
	if err := untrusted.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	if st := untrusted.State(); st.Connected || !strings.Contains(st.Err, "certificate") {
		t.Errorf("without the CA: %+v", st)
	}
	if _, err := New(Options{Broker: "ssl://127.0.0.1:1", CAFile: filepath.Join(dir, "server-key.pem"), Device: "x"}); err == nil {
		t.Error("a CA file without a certificate accepted")
	}
}

// TestRefused: a wrong password is one clear error from Start, after one
// attempt.
func TestRefused(t *testing.T) {
	b := mosquitto.StartTest(t, mosquitto.Config{Users: map[string]string{"meter": "right"}})
	p := newPublisher(t, Options{Broker: "tcp://" + b.Addr(), Username: "meter", Password: "wrong"})
	err := p.Start(context.Background())
	if !errors.Is(err, ErrRefused) {
		t.Fatalf("Start: %v, want ErrRefused", err)
	}
	time.Sleep(300 * time.Millisecond) // a retry would come after 50 ms
	if n := strings.Count(b.Log(), "not authorised"); n != 1 {
		t.Errorf("%d connection attempts, want 1:\n%s", n, b.Log())
	}
	good := newPublisher(t, Options{Broker: "tcp://" + b.Addr(), Username: "meter", Password: "right", Device: "meter2"})
	if err := good.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	if !good.State().Connected {
		t.Error("the right password did not connect")
	}
}

// TestContextStops: the end of Start's context stops the publisher as
// Close does, here while it waits to connect again to a broker that is
// not there.
func TestContextStops(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	p := newPublisher(t, Options{Broker: "tcp://" + addr})
	ctx, cancel := context.WithCancel(context.Background())
	if err := p.Start(ctx); err != nil {
		t.Fatal(err)
	}
	cancel()
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		t.Fatal("the publisher still runs after its context ended")
	}
}

func TestOptions(t *testing.T) {
	for _, o := range []Options{
		{Broker: "http://127.0.0.1", Device: "a"},
		{Broker: "tcp://user:pw@127.0.0.1", Device: "a"},
		{Broker: "tcp://127.0.0.1/topic", Device: "a"},
		{Broker: "tcp://127.0.0.1", Device: "a/b"},
		{Broker: "tcp://127.0.0.1", Device: ""},
		{Broker: "tcp://127.0.0.1", Device: "a", CAFile: "ca.pem"},
		{Broker: "tcp://127.0.0.1", Device: "a", Queue: -1},
	} {
		if _, err := New(o); err == nil {
			t.Errorf("%+v accepted", o)
		}
	}
	p, err := New(Options{Broker: "mqtt://broker.lan", Device: "a"})
	if err != nil || p.server.String() != "tcp://broker.lan:1883" {
		t.Errorf("mqtt://broker.lan: %v %v", p.server, err)
	}
	for host, want := range map[string]string{"pi-kitchen.local": "pi-kitchen", "a b": "a_b", "": "edgeconv"} {
		if got := SanitizeDevice(host); got != want {
			t.Errorf("SanitizeDevice(%q) = %q, want %q", host, got, want)
		}
	}
}

// TestStatsAndStatus: the statistics come every StatsEvery, not
// retained; the camera's failure and its end, and the model, are retained.
func TestStatsAndStatus(t *testing.T) {
	b := mosquitto.StartTest(t, mosquitto.Config{})
	url := "tcp://" + b.Addr()
	sub := mosquitto.Subscribe(t, url, "edgeconv/meter1/#", nil)
	p := newPublisher(t, Options{Broker: url, StatsEvery: 100 * time.Millisecond,
		Stats: func() firmware.Stats { return firmware.Stats{Frames: 42, FPS: 9.96} }})
	if err := p.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	p.Status(errors.New("camera: rpicam-vid exited"))
	p.Status(nil)
	p.Model([]byte(`{"event":"model","status":"running"}`))
	st := sub.Wait(t, "edgeconv/meter1/stats", 2)
	if !strings.Contains(st[0].Payload, `"frames":42`) || !strings.Contains(st[0].Payload, `"fps":9.9`) || st[0].Retained {
		t.Errorf("stats %+v", st[0])
	}
	cam := sub.Wait(t, "edgeconv/meter1/camera", 2)
	if cam[0].Payload != `{"ok":false,"error":"camera: rpicam-vid exited"}` || cam[1].Payload != `{"ok":true}` {
		t.Errorf("camera %+v", cam)
	}
	late := mosquitto.Subscribe(t, url, "edgeconv/meter1/#", nil)
	if m := late.Wait(t, "edgeconv/meter1/model", 1)[0]; !m.Retained || !strings.Contains(m.Payload, `"running"`) {
		t.Errorf("model %+v", m)
	}
	if m := late.Wait(t, "edgeconv/meter1/camera", 1)[0]; !m.Retained || m.Payload != `{"ok":true}` {
		t.Errorf("camera, retained: %+v", m)
	}
}
