package main

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"

	"github.com/edgeconv/edgeconv/internal/mosquitto"
)

// published is what the test needs of a reading: its frame and text.
type published struct {
	Frame uint64
	Text  string
}

func parsePublished(t *testing.T, line string) published {
	t.Helper()
	var p published
	if err := json.Unmarshal([]byte(line), &p); err != nil {
		t.Fatalf("not a reading: %q: %v", line, err)
	}
	return p
}

// TestRunMQTTOutage runs edgeconv run on a looping recording, publishing
// to a real Mosquitto, and kills the broker with SIGKILL and starts it
// again while run goes on: every reading run printed, those of the outage
// included, reaches a subscriber with a persistent session (QoS 1), in
// order, none twice but as QoS 1 allows (a reading sent again because the
// outage cut off its acknowledgement, at once after itself). Then run itself is killed with SIGKILL, and the
// broker publishes its last will: offline.
func TestRunMQTTOutage(t *testing.T) {
	if testing.Short() {
		t.Skip("the broker outage takes 10 s: skipped in -short mode (the native run has it)")
	}
	b := mosquitto.StartTest(t, mosquitto.Config{Persist: true})
	url := "tcp://" + b.Addr()
	sub := mosquitto.Subscribe(t, url, "edgeconv/meter/#", func(o *paho.ClientOptions) {
		o.SetClientID("outage-subscriber").SetCleanSession(false).
			SetAutoReconnect(true).SetMaxReconnectInterval(200 * time.Millisecond)
	})
	time.Sleep(1500 * time.Millisecond) // the broker saves the subscriber's session every second

	dir := t.TempDir()
	// The host's build: under qemu-user a test cannot run an arm64
	// binary of its own.
	host, err := exec.Command("go", "env", "GOHOSTARCH").Output()
	if err != nil {
		t.Fatal(err)
	}
	exe := buildEdgeconv(t, dir, strings.TrimSpace(string(host)))
	cmd := exec.Command(exe, "run", "--source", sceneDir(t, 6)+",loop,fps=20", "--float",
		"--listen", "off", "--json", "--mqtt", url, "--device", "meter")
	stdout, stderr := startPiped(t, cmd)
	var mu sync.Mutex
	var printed []published
	scanned := make(chan struct{})
	go func() {
		defer close(scanned)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			p := parsePublished(t, sc.Text())
			mu.Lock()
			printed = append(printed, p)
			mu.Unlock()
		}
	}()
	nPrinted := func() int {
		mu.Lock()
		defer mu.Unlock()
		return len(printed)
	}
	const topic = "edgeconv/meter/reading"
	sub.Wait(t, topic, 2)
	b.Kill()
	killedAt := nPrinted()
	time.Sleep(2 * time.Second)
	during := nPrinted() - killedAt
	if during < 3 {
		t.Fatalf("%d readings during the outage, want several", during)
	}
	if err := b.Restart(); err != nil {
		t.Fatal(err)
	}
	want := nPrinted() + 2
	sub.Wait(t, topic, want)

	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	// Every line run wrote before it died is read before Wait closes the
	// pipe: Wait first could drop the last, published, reading.
	<-scanned
	cmd.Wait()
	// The last will: offline.
	sub.WaitFor(t, "edgeconv/meter/availability", func(m []mosquitto.Message) bool {
		return len(m) > 0 && m[len(m)-1].Payload == "offline"
	})

	// QoS 1 delivers at least once: a reading whose acknowledgement the
	// broker's death cut off is sent again after the reconnection, the same
	// reading of the same frame, and counts once.
	var got []published
	for _, m := range sub.Messages(topic) {
		p := parsePublished(t, m.Payload)
		if n := len(got); n > 0 && got[n-1] == p {
			t.Logf("reading of frame %d received again (QoS 1)", p.Frame)
			continue
		}
		got = append(got, p)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) > len(printed) {
		t.Fatalf("%d readings received, %d printed (outage from reading %d to %d):\nreceived %+v\nprinted  %+v",
			len(got), len(printed), killedAt, killedAt+during, got, printed)
	}
	for i, p := range got {
		if p != printed[i] {
			t.Fatalf("reading %d received %+v, printed %+v (outage from reading %d to %d)",
				i, p, printed[i], killedAt, killedAt+during)
		}
	}
	t.Logf("%d readings received in order, %d of them made during the 2 s outage", len(got), during)
	if !strings.Contains(stderr.String(), "connected to "+url) {
		t.Errorf("no reconnection logged:\n%s", stderr.String())
	}
	if n := strings.Count(stderr.String(), "mqtt:"); n > 3 {
		t.Errorf("%d lines about MQTT for one outage:\n%s", n, stderr.String())
	}
}

// TestRunMQTTRefused: a wrong password stops run at the start with one
// line, after one attempt; the password never appears on the command line.
func TestRunMQTTRefused(t *testing.T) {
	b := mosquitto.StartTest(t, mosquitto.Config{Users: map[string]string{"meter": "s3cret"}})
	creds := filepath.Join(t.TempDir(), "mqtt.pw")
	if err := os.WriteFile(creds, []byte("meter:wrong\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := edgeconv(t, context.Background(), "run", "--source", sceneDir(t, 1), "--listen", "off",
		"--mqtt", "tcp://"+b.Addr(), "--mqtt-credentials", creds, "--device", "meter")
	if code != 1 || strings.Count(strings.TrimSpace(stderr), "\n") != 1 || !strings.Contains(stderr, "refused the user name or password") {
		t.Errorf("exit %d, stderr:\n%s", code, stderr)
	}
	time.Sleep(300 * time.Millisecond)
	if n := strings.Count(b.Log(), "not authorised"); n != 1 {
		t.Errorf("%d refused attempts, want 1", n)
	}

	t.Setenv(envMQTTUser, "meter")
	t.Setenv(envMQTTPassword, "s3cret")
	code, stdout, stderr := edgeconv(t, context.Background(), "run", "--source", sceneDir(t, 6), "--listen", "off",
		"--mqtt", "tcp://"+b.Addr(), "--device", "meter", "--quiet")
	if code != 0 || strings.Count(stdout, "\n") != 2 {
		t.Errorf("with the password from the environment: exit %d\n%s%s", code, stdout, stderr)
	}
}
