package mqtt

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"sync"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"
	"github.com/eclipse/paho.mqtt.golang/packets"

	"github.com/edgeconv/edgeconv/firmware"
)

// Options configures a Publisher.
type Options struct {
	// Broker is the broker's URL: tcp://HOST:PORT (1883 if left out) or
	// ssl://HOST:PORT (8883), verified against CAFile or, without it, the
	// system's authorities. mqtt:// and mqtts:// are the same.
	Broker string
	// CAFile is a PEM file of the authorities that sign the broker's
	// certificate.
	CAFile string
	// Username and Password, if set, are sent to the broker.
	Username, Password string
	// Device names this device in topics, the client id and Home
	// Assistant: letters, digits, '-' and '_'.
	Device string
	// Prefix starts every topic but discovery's; "" means "edgeconv".
	Prefix string
	// Discovery is Home Assistant's discovery prefix ("homeassistant");
	// "" publishes no discovery.
	Discovery string
	// Queue bounds the messages kept while the broker is away; 0 means
	// 1000. The oldest is dropped (and counted) for a new one.
	Queue int
	// StatsEvery is the period of the loop's statistics; 0 means a
	// minute, a negative value none. Stats returns them.
	StatsEvery time.Duration
	Stats      func() firmware.Stats
	// MinBackoff and MaxBackoff bound the wait before connecting again:
	// it doubles from MinBackoff to MaxBackoff while the broker stays
	// away. 0 means 1 s and 1 minute.
	MinBackoff, MaxBackoff time.Duration
	// Timeout bounds a connection attempt and a message's acknowledgement;
	// 0 means 10 s.
	Timeout time.Duration
	// Version is the program's version, shown in Home Assistant.
	Version string
	// Acked, if set, is called on the publisher's goroutine with the
	// time from each message's queueing to the broker's acknowledgement
	// (the publish latency, an outage's wait included).
	Acked func(time.Duration)
	// Logf, if set, receives status messages: the first failure of each
	// outage and the return of the broker, never one per attempt.
	Logf func(format string, args ...any)
}

// A message's kind: which topic it goes to.
type kind uint8

const (
	kindReading kind = iota
	kindModel
	kindCamera
	kindStats
	kindAvailability
	numKinds
)

var kindTopics = [numKinds]string{"reading", "model", "camera", "stats", "availability"}

// entry is one queued message. Its payload's storage is reused.
type entry struct {
	kind    kind
	queued  time.Time
	payload []byte
}

// lostConn is Paho's notice of a lost connection: which client, and why.
type lostConn struct {
	c   paho.Client
	err error
}

// ErrRefused is the error of a broker that refused the user name and
// password: trying again would only fill its log.
var ErrRefused = errors.New("the broker refused the user name or password")

// Publisher is a firmware.Output that publishes the readings to an MQTT
// broker. Frame and Status copy what they publish into a bounded queue
// and return: a goroutine of its own connects, publishes and reconnects.
type Publisher struct {
	o      Options
	topics [numKinds]string
	server *url.URL
	tls    *tls.Config

	mu        sync.Mutex
	ring      []entry // the queue: n entries from head
	head, n   int
	dropped   uint64
	published uint64
	connected bool
	lastErr   string

	kick     chan struct{}
	lost     chan lostConn
	stop     chan struct{} // closed by halt: the run ends
	stopOnce sync.Once
	done     chan struct{}
	started  bool
}

var deviceName = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// SanitizeDevice turns a host name into a device name: its first label,
// with characters other than letters, digits, '-' and '_' replaced by '_'.
func SanitizeDevice(host string) string {
	b := []byte(host)
	for i, c := range b {
		if c == '.' {
			b = b[:i]
			break
		}
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			b[i] = '_'
		}
	}
	if len(b) > 64 {
		b = b[:64]
	}
	if len(b) == 0 {
		return "edgeconv"
	}
	return string(b)
}

// New checks the options and returns a Publisher; Start connects it.
func New(o Options) (*Publisher, error) {
	u, err := url.Parse(o.Broker)
	if err != nil {
		return nil, fmt.Errorf("mqtt: broker URL %q: %v", o.Broker, err)
	}
	secure := false
	switch u.Scheme {
	case "tcp", "mqtt":
		u.Scheme = "tcp"
	case "ssl", "tls", "mqtts":
		u.Scheme, secure = "ssl", true
	default:
		return nil, fmt.Errorf("mqtt: broker URL %q: the scheme is tcp:// or ssl://", o.Broker)
	}
	if u.User != nil {
		return nil, fmt.Errorf("mqtt: broker URL: give the user and password in a file or the environment, not in the URL")
	}
	if u.Hostname() == "" || u.Path != "" && u.Path != "/" || u.RawQuery != "" {
		return nil, fmt.Errorf("mqtt: broker URL %q: want tcp://HOST[:PORT] or ssl://HOST[:PORT]", o.Broker)
	}
	if u.Port() == "" {
		port := "1883"
		if secure {
			port = "8883"
		}
		u.Host += ":" + port
	}
	u.Path = ""
	if !deviceName.MatchString(o.Device) {
		return nil, fmt.Errorf("mqtt: device name %q: 1 to 64 letters, digits, '-' or '_'", o.Device)
	}
	if o.Prefix == "" {
		o.Prefix = "edgeconv"
	}
	if o.Queue == 0 {
		o.Queue = 1000
	}
	if o.Queue < 1 || o.Queue > 1<<20 {
		return nil, errors.New("mqtt: the queue holds 1 to 1048576 messages")
	}
	if o.StatsEvery == 0 {
		o.StatsEvery = time.Minute
	}
	if o.MinBackoff <= 0 {
		o.MinBackoff = time.Second
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = time.Minute
	}
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Second
	}
	p := &Publisher{o: o, server: u,
		ring: make([]entry, o.Queue),
		kick: make(chan struct{}, 1), lost: make(chan lostConn, 1),
		stop: make(chan struct{}), done: make(chan struct{}),
	}
	for k := range p.topics {
		p.topics[k] = o.Prefix + "/" + o.Device + "/" + kindTopics[k]
	}
	// Room for a reading of some thirty digits, so that a queue that has
	// not yet gone round once does not allocate in the camera loop.
	for i := range p.ring {
		p.ring[i].payload = make([]byte, 0, 512)
	}
	if secure {
		p.tls = &tls.Config{ServerName: u.Hostname(), MinVersion: tls.VersionTLS12}
		if o.CAFile != "" {
			pem, err := os.ReadFile(o.CAFile)
			if err != nil {
				return nil, fmt.Errorf("mqtt: %v", err)
			}
			pool := x509.NewCertPool()
			if !pool.AppendCertsFromPEM(pem) {
				return nil, fmt.Errorf("mqtt: %s holds no PEM certificate", o.CAFile)
			}
			p.tls.RootCAs = pool
		}
	} else if o.CAFile != "" {
		return nil, errors.New("mqtt: a CA file needs an ssl:// broker")
	}
	return p, nil
}

// Topic returns the topic of a message: "reading", "model", "camera",
// "stats" or "availability" under the prefix and the device name.
func (p *Publisher) Topic(name string) string {
	return p.o.Prefix + "/" + p.o.Device + "/" + name
}

func (p *Publisher) logf(format string, args ...any) {
	if p.o.Logf != nil {
		p.o.Logf(format, args...)
	}
}

// Frame implements firmware.Output: a changed reading is queued as JSON
// (Reading.AppendJSON, with its time). Once the queue's slots have held a
// reading as long as this one, it allocates nothing.
func (p *Publisher) Frame(f *firmware.Frame) {
	if !f.Changed {
		return
	}
	p.mu.Lock()
	e := p.slot()
	e.kind = kindReading
	e.payload = f.Reading.AppendJSON(e.payload[:0], true)
	p.mu.Unlock()
	p.wake()
}

// Status implements firmware.Output: a camera failure and its end are
// published (retained) on the camera topic: {"ok":false,"error":"..."}
// and {"ok":true}.
func (p *Publisher) Status(err error) {
	p.mu.Lock()
	e := p.slot()
	e.kind = kindCamera
	if err != nil {
		e.payload = append(e.payload[:0], `{"ok":false,"error":`...)
		e.payload = strconv.AppendQuote(e.payload, err.Error())
		e.payload = append(e.payload, '}')
	} else {
		e.payload = append(e.payload[:0], `{"ok":true}`...)
	}
	p.mu.Unlock()
	p.wake()
}

// Model queues a message about the model (retained on the model topic):
// payload is a JSON object, such as firmware.ModelEvent.AppendJSON writes.
func (p *Publisher) Model(payload []byte) {
	p.mu.Lock()
	e := p.slot()
	e.kind = kindModel
	e.payload = append(e.payload[:0], payload...)
	p.mu.Unlock()
	p.wake()
}

// slot returns the queue's next free entry, dropping the oldest when the
// queue is full. p.mu is held.
func (p *Publisher) slot() *entry {
	if p.n == len(p.ring) {
		p.head = (p.head + 1) % len(p.ring)
		p.n--
		p.dropped++
	}
	e := &p.ring[(p.head+p.n)%len(p.ring)]
	p.n++
	e.queued = time.Now()
	return e
}

func (p *Publisher) wake() {
	select {
	case p.kick <- struct{}{}:
	default:
	}
}

// State is the publisher's state, for the statistics and metrics.
type State struct {
	// Connected reports a connection to the broker.
	Connected bool
	// Queued is the number of messages waiting, Dropped the number
	// dropped from a full queue, Published the number the broker
	// acknowledged.
	Queued             int
	Dropped, Published uint64
	// Err is the last connection error ("" once connected).
	Err string
}

// State returns the publisher's state; it may be called from any
// goroutine.
func (p *Publisher) State() State {
	p.mu.Lock()
	defer p.mu.Unlock()
	return State{Connected: p.connected, Queued: p.n, Dropped: p.dropped, Published: p.published, Err: p.lastErr}
}

// Start makes the first connection and starts the publisher's goroutine,
// which runs until Close. A broker that refuses the credentials is an
// error (ErrRefused): the device's configuration is wrong, and trying
// again would not mend it. A broker that cannot be reached is not: the
// publisher keeps trying with back-off and queues the readings meanwhile.
func (p *Publisher) Start(ctx context.Context) error {
	if p.started {
		return errors.New("mqtt: Start called twice")
	}
	c, err := p.connect()
	if errors.Is(err, ErrRefused) {
		return err
	}
	p.started = true
	if err != nil {
		p.logf("mqtt: %v; trying again in the background", err)
	}
	go p.run(ctx, c)
	return nil
}

// newClient returns a paho client for one connection: a new client per
// connection keeps no state (stored messages, message ids) from the last
// one, so that what is sent again after an outage is the queue's to say.
func (p *Publisher) newClient() paho.Client {
	co := paho.NewClientOptions().
		AddBroker(p.server.String()).
		SetClientID("edgeconv-"+p.o.Device).
		SetCleanSession(true).
		SetProtocolVersion(4). // MQTT 3.1.1, without paho's second try in 3.1 when refused

		SetAutoReconnect(false).
		SetConnectRetry(false).
		SetConnectTimeout(p.o.Timeout).
		SetWriteTimeout(p.o.Timeout).
		SetKeepAlive(30*time.Second).
		SetPingTimeout(10*time.Second).
		SetOrderMatters(true).
		SetWill(p.topics[kindAvailability], "offline", 1, true).
		SetConnectionLostHandler(func(c paho.Client, err error) {
			// Paho calls this on a goroutine of its own: waiting here
			// for the publisher's goroutine loses no notice.
			select {
			case p.lost <- lostConn{c, err}:
			case <-p.done:
			}
		})
	if p.o.Username != "" || p.o.Password != "" {
		co.SetUsername(p.o.Username).SetPassword(p.o.Password)
	}
	if p.tls != nil {
		co.SetTLSConfig(p.tls)
	}
	return paho.NewClient(co)
}

// connect makes a connection and announces the device: online, and Home
// Assistant's discovery.
func (p *Publisher) connect() (paho.Client, error) {
	c := p.newClient()
	t := c.Connect()
	if !t.WaitTimeout(p.o.Timeout + time.Second) {
		c.Disconnect(0)
		return nil, p.fail(fmt.Errorf("%s: no answer in %v", p.server, p.o.Timeout))
	}
	if err := t.Error(); err != nil {
		switch t.(*paho.ConnectToken).ReturnCode() {
		case packets.ErrRefusedBadUsernameOrPassword, packets.ErrRefusedNotAuthorised:
			return nil, p.fail(fmt.Errorf("mqtt: %s: %w (%v)", p.server, ErrRefused, err))
		}
		return nil, p.fail(fmt.Errorf("%s: %v", p.server, err))
	}
	if err := p.send(c, kindAvailability, []byte("online")); err != nil {
		c.Disconnect(0)
		return nil, p.fail(err)
	}
	if p.o.Discovery != "" {
		if err := p.send(c, numKinds, p.discovery()); err != nil {
			c.Disconnect(0)
			return nil, p.fail(err)
		}
	}
	p.mu.Lock()
	p.connected, p.lastErr = true, ""
	p.mu.Unlock()
	return c, nil
}

func (p *Publisher) fail(err error) error {
	p.mu.Lock()
	p.connected, p.lastErr = false, err.Error()
	p.mu.Unlock()
	return err
}

// send publishes one message with QoS 1 and waits for the broker's
// acknowledgement. Everything but the statistics is retained. k ==
// numKinds is the discovery message.
func (p *Publisher) send(c paho.Client, k kind, payload []byte) error {
	topic, retain := "", k != kindStats
	if k == numKinds {
		topic = p.o.Discovery + "/sensor/" + p.o.Device + "/reading/config"
	} else {
		topic = p.topics[k]
	}
	t := c.Publish(topic, 1, retain, payload)
	if !t.WaitTimeout(p.o.Timeout) {
		return fmt.Errorf("%s: no acknowledgement in %v", p.server, p.o.Timeout)
	}
	return t.Error()
}

// run is the publisher's goroutine: it sends the queue in order, one
// message at a time, each removed once the broker acknowledged it, and
// connects again with back-off when the connection is lost.
func (p *Publisher) run(ctx context.Context, c paho.Client) {
	defer close(p.done)
	// The end of ctx stops the run as Close does: it waits on stop alone.
	defer context.AfterFunc(ctx, p.halt)()
	var (
		held    entry // the message taken from the queue, not yet acknowledged
		holding bool
		backoff = firmware.Backoff{Min: p.o.MinBackoff, Max: p.o.MaxBackoff}
		down    = c == nil // logged the outage
		ticks   <-chan time.Time
	)
	if p.o.StatsEvery > 0 && p.o.Stats != nil {
		tk := time.NewTicker(p.o.StatsEvery)
		defer tk.Stop()
		ticks = tk.C
	}
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	defer func() {
		if c != nil {
			p.flush(c, &held, holding)
			// The last will only follows a connection lost: a clean
			// stop says offline itself.
			p.send(c, kindAvailability, []byte("offline"))
			c.Disconnect(250)
		}
		p.fail(errors.New("stopped"))
	}()
	for {
		if c == nil {
			timer.Reset(backoff.Next())
			select {
			case <-p.stop:
				return
			case <-timer.C:
			}
			var err error
			if c, err = p.connect(); err != nil {
				if !down {
					p.logf("mqtt: %v; trying again with back-off up to %v", err, p.o.MaxBackoff)
					down = true
				}
				if errors.Is(err, ErrRefused) {
					backoff.Fail() // no storm of refused logins
				}
				continue
			}
			if down {
				p.logf("mqtt: connected to %s", p.server)
				down = false
			}
			backoff.Reset()
		}
		if !holding {
			p.mu.Lock()
			if p.n > 0 {
				e := &p.ring[p.head]
				held.kind, held.queued = e.kind, e.queued
				held.payload = append(held.payload[:0], e.payload...)
				p.head = (p.head + 1) % len(p.ring)
				p.n--
				holding = true
			}
			p.mu.Unlock()
		}
		if holding {
			// A fresh copy: paho may still hold the last payload when a
			// connection breaks mid-flight.
			if err := p.send(c, held.kind, append([]byte(nil), held.payload...)); err != nil {
				c = p.lose(c, err, &down)
				continue
			}
			holding = false
			p.mu.Lock()
			p.published++
			p.mu.Unlock()
			if p.o.Acked != nil {
				p.o.Acked(time.Since(held.queued))
			}
			continue
		}
		select {
		case <-p.stop:
			return
		case <-p.kick:
		case l := <-p.lost:
			if l.c == c { // not the late notice of an earlier connection
				c = p.lose(c, l.err, &down)
			}
		case <-ticks:
			if err := p.send(c, kindStats, p.statsJSON()); err != nil {
				c = p.lose(c, err, &down)
			}
		}
	}
}

// lose closes a broken connection and logs the outage's start.
func (p *Publisher) lose(c paho.Client, err error, down *bool) paho.Client {
	if err == nil {
		err = errors.New("connection lost")
	}
	c.Disconnect(0)
	p.fail(err)
	if !*down {
		p.logf("mqtt: %s: %v; queueing readings and connecting again", p.server, err)
		*down = true
	}
	return nil
}

// flush sends what is queued before a clean stop, for as long as the
// broker answers.
func (p *Publisher) flush(c paho.Client, held *entry, holding bool) {
	if holding && p.send(c, held.kind, held.payload) != nil {
		return
	}
	for {
		p.mu.Lock()
		if p.n == 0 {
			p.mu.Unlock()
			return
		}
		e := p.ring[p.head]
		payload := append([]byte(nil), e.payload...)
		p.head = (p.head + 1) % len(p.ring)
		p.n--
		p.mu.Unlock()
		if p.send(c, e.kind, payload) != nil {
			return
		}
		p.mu.Lock()
		p.published++
		p.mu.Unlock()
	}
}

// Close stops the publisher: it sends what is queued while the broker
// answers, publishes offline and disconnects.
func (p *Publisher) Close() error {
	p.halt()
	if p.started {
		<-p.done
	}
	return nil
}

// halt tells the publisher's goroutine to stop; Close and the end of
// Start's context may both call it.
func (p *Publisher) halt() { p.stopOnce.Do(func() { close(p.stop) }) }

// discovery returns Home Assistant's discovery message for the reading:
// a sensor whose state is the reading's text, with the rest of the JSON
// as its attributes, unavailable while the device is offline.
func (p *Publisher) discovery() []byte {
	id := "edgeconv_" + p.o.Device
	data, _ := json.Marshal(map[string]any{
		"name":                  "Reading",
		"unique_id":             id + "_reading",
		"state_topic":           p.topics[kindReading],
		"value_template":        "{{ value_json.text }}",
		"json_attributes_topic": p.topics[kindReading],
		"availability_topic":    p.topics[kindAvailability],
		"payload_available":     "online",
		"payload_not_available": "offline",
		"icon":                  "mdi:numeric",
		"device": map[string]any{
			"identifiers":  []string{id},
			"name":         p.o.Device,
			"manufacturer": "edgeconv",
			"model":        "edgeconv run",
			"sw_version":   p.o.Version,
		},
	})
	return data
}

// statsJSON returns the loop's and the publisher's statistics as JSON.
func (p *Publisher) statsJSON() []byte {
	st := p.o.Stats()
	ms := map[string]float64{}
	for s := firmware.StageCapture; s <= firmware.StageTotal; s++ {
		ms[s.String()] = float64(st.Median[s].Microseconds()) / 1000
	}
	q := p.State()
	data, _ := json.Marshal(map[string]any{
		"time":          time.Now().UTC().Format(time.RFC3339),
		"frames":        st.Frames,
		"captured":      st.Captured,
		"dropped":       st.Dropped,
		"fps":           float64(int(st.FPS*10)) / 10,
		"camera_errors": st.Errors,
		"camera_error":  st.Err,
		"median_ms":     ms,
		"mqtt_queued":   q.Queued,
		"mqtt_dropped":  q.Dropped,
		"mqtt_sent":     q.Published,
	})
	return data
}
