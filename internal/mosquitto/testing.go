package mosquitto

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"
)

// RequireEnv names the environment variable that makes a missing broker a
// test failure instead of a skip: CI sets it (.ci/run), so that the tests
// of the MQTT output cannot pass there without running.
const RequireEnv = "EDGECONV_REQUIRE_MOSQUITTO"

// StartTest starts a broker for a test in a temporary folder and stops it
// when the test ends. Without the broker installed it skips the test, or
// fails it when RequireEnv is set.
func StartTest(tb testing.TB, c Config) *Broker {
	tb.Helper()
	if !Available() {
		msg := "mosquitto is not installed (apt-get install mosquitto): the MQTT tests need a real broker"
		if os.Getenv(RequireEnv) != "" {
			tb.Fatal(msg + " and " + RequireEnv + " is set")
		}
		tb.Skip(msg)
	}
	b, err := Start(tb.TempDir(), c)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		b.Stop()
		if tb.Failed() {
			tb.Logf("broker log:\n%s", b.Log())
		}
	})
	return b
}

// TestCA writes a throwaway certificate authority and a server
// certificate it signed for 127.0.0.1 and localhost into dir, as PEM
// files: ca.pem, server.pem and server-key.pem. The keys are ECDSA P-256
// and live one day.
func TestCA(dir string) (caFile, certFile, keyFile string, err error) {
	ca := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "edgeconv test CA"},
		IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	caKey, caDER, err := issue(ca, nil, nil)
	if err != nil {
		return "", "", "", err
	}
	srvKey, srvDER, err := issue(&x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "localhost"},
		DNSNames: []string{"localhost"}, IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}, ca, caKey)
	if err != nil {
		return "", "", "", err
	}
	keyDER, err := x509.MarshalECPrivateKey(srvKey)
	if err != nil {
		return "", "", "", err
	}
	caFile, certFile, keyFile = filepath.Join(dir, "ca.pem"), filepath.Join(dir, "server.pem"), filepath.Join(dir, "server-key.pem")
	for _, f := range []struct {
		path, typ string
		der       []byte
	}{{caFile, "CERTIFICATE", caDER}, {certFile, "CERTIFICATE", srvDER}, {keyFile, "EC PRIVATE KEY", keyDER}} {
		if err := os.WriteFile(f.path, pem.EncodeToMemory(&pem.Block{Type: f.typ, Bytes: f.der}), 0o644); err != nil {
			return "", "", "", err
		}
	}
	return caFile, certFile, keyFile, nil
}

// Message is one message a Subscriber received.
type Message struct {
	Topic    string
	Payload  string
	Retained bool
}

// Subscriber is a real MQTT client (Paho) that records what it receives.
type Subscriber struct {
	C  paho.Client
	mu sync.Mutex
	m  []Message
}

// Subscribe connects a subscriber to the broker at url (QoS 1 on topic)
// for the rest of the test; tune, if set, adjusts its options (a client
// id and a persistent session, TLS).
func Subscribe(tb testing.TB, url, topic string, tune func(*paho.ClientOptions)) *Subscriber {
	tb.Helper()
	s := &Subscriber{}
	o := paho.NewClientOptions().AddBroker(url).SetClientID(fmt.Sprintf("sub-%d", time.Now().UnixNano())).
		SetOrderMatters(true).SetConnectTimeout(5 * time.Second).SetProtocolVersion(4)
	if tune != nil {
		tune(o)
	}
	handler := func(_ paho.Client, m paho.Message) {
		s.mu.Lock()
		s.m = append(s.m, Message{m.Topic(), string(m.Payload()), m.Retained()})
		s.mu.Unlock()
	}
	var once, first sync.Once
	subscribed := make(chan error, 1)
	subscribe := func(c paho.Client) {
		tk := c.Subscribe(topic, 1, handler)
		err := errors.New("no SUBACK in 10 s")
		if tk.WaitTimeout(10 * time.Second) {
			err = tk.Error()
		}
		first.Do(func() { subscribed <- err })
	}
	o.SetOnConnectHandler(func(c paho.Client) {
		// A clean session forgets the subscription with the connection;
		// a persistent one keeps it, and subscribing again would send
		// the retained messages again.
		if o.CleanSession {
			subscribe(c)
			return
		}
		once.Do(func() { subscribe(c) })
	})
	if !o.CleanSession {
		o.SetDefaultPublishHandler(handler) // the session's messages before the subscription is made again
	}
	s.C = paho.NewClient(o)
	if tk := s.C.Connect(); !tk.WaitTimeout(10*time.Second) || tk.Error() != nil {
		tb.Fatalf("subscriber: connect: %v", tk.Error())
	}
	tb.Cleanup(func() { s.C.Disconnect(0) })
	// paho runs the connect handler on its own goroutine: without this
	// wait a test could publish before the broker has the subscription
	// (seen under qemu), and the subscriber would get only what is retained.
	select {
	case err := <-subscribed:
		if err != nil {
			tb.Fatalf("subscriber: subscribe %s: %v", topic, err)
		}
	case <-time.After(20 * time.Second):
		tb.Fatalf("subscriber: subscribe %s: no SUBACK in 20 s", topic)
	}
	return s
}

// Messages returns the messages received on topic so far.
func (s *Subscriber) Messages(topic string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	var got []Message
	for _, m := range s.m {
		if m.Topic == topic {
			got = append(got, m)
		}
	}
	return got
}

// Wait returns the messages on topic once there are at least n, failing
// the test after 30 s.
func (s *Subscriber) Wait(tb testing.TB, topic string, n int) []Message {
	tb.Helper()
	return s.WaitFor(tb, topic, func(m []Message) bool { return len(m) >= n })
}

// WaitFor returns the messages on topic once done reports true of them,
// failing the test after 30 s.
func (s *Subscriber) WaitFor(tb testing.TB, topic string, done func([]Message) bool) []Message {
	tb.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		got := s.Messages(topic)
		if done(got) {
			return got
		}
		if time.Now().After(deadline) {
			tb.Fatalf("%d messages on %s, not what the test waits for: %v", len(got), topic, got)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// issue makes a P-256 key and the certificate of tmpl for it, valid from an
// hour ago for a day, signed by parent's key or, with parent nil, by its
// own (a certificate authority's).
func issue(tmpl, parent *x509.Certificate, parentKey *ecdsa.PrivateKey) (*ecdsa.PrivateKey, []byte, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	if parent == nil {
		parent, parentKey = tmpl, key
	}
	now := time.Now()
	tmpl.NotBefore, tmpl.NotAfter = now.Add(-time.Hour), now.Add(24*time.Hour)
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, parentKey)
	return key, der, err
}
