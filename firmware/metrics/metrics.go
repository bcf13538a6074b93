// Package metrics exposes what `edgeconv run` does to Prometheus
// (prometheus/client_golang), at /metrics beside the preview: frames
// processed, captured and dropped, each stage's latency as a histogram,
// readings and their confidence, camera failures and restarts, the MQTT
// output's connection and queue, and the model running (its name and
// SHA-256 as labels) with its switches and rejections.
//
// A Metrics is a firmware.Output and a firmware.Observer: the loop hands
// it every frame and its timings, and it counts them with atomic
// operations that allocate nothing. The counters the loop already keeps
// (frames, drops, camera errors) and the MQTT state are read when
// Prometheus scrapes.
package metrics

import (
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/edgeconv/edgeconv/firmware"
	"github.com/edgeconv/edgeconv/firmware/mqtt"
)

// Options configures Metrics.
type Options struct {
	// Stats returns the loop's counters.
	Stats func() firmware.Stats
	// MQTT, if set, returns the MQTT output's state.
	MQTT func() mqtt.State
}

// Metrics is the registry of run's metrics.
type Metrics struct {
	reg      *prometheus.Registry
	stages   [firmware.NumStages]prometheus.Observer
	readings prometheus.Counter
	conf     prometheus.Histogram
	lowest   prometheus.Gauge
	digits   prometheus.Gauge
	restarts prometheus.Counter
	acked    prometheus.Histogram
	model    *prometheus.GaugeVec
	events   *prometheus.CounterVec

	mu      sync.Mutex // guards failing
	failing bool
}

// Latency buckets in seconds: 1 ms to 1 s.
var latencyBuckets = []float64{.001, .002, .005, .01, .02, .03, .05, .075, .1, .2, .5, 1}

// New returns the metrics, registered with the Go runtime's and the
// process's.
func New(o Options) *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	m.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	stage := prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "edgeconv_stage_seconds", Help: "Time of each stage of a frame (capture, wait, extract, recognize, output, total).",
		Buckets: latencyBuckets,
	}, []string{"stage"})
	for s := firmware.StageCapture; s < firmware.NumStages; s++ {
		m.stages[s] = stage.WithLabelValues(s.String())
	}
	m.readings = prometheus.NewCounter(prometheus.CounterOpts{Name: "edgeconv_readings_total", Help: "Changes of the stable reading."})
	m.conf = prometheus.NewHistogram(prometheus.HistogramOpts{Name: "edgeconv_reading_digit_confidence",
		Help: "Confidence of each digit of each new reading.", Buckets: []float64{.5, .6, .7, .8, .9, .95, .99, 1}})
	m.lowest = prometheus.NewGauge(prometheus.GaugeOpts{Name: "edgeconv_reading_confidence_min", Help: "Lowest digit confidence of the current reading."})
	m.digits = prometheus.NewGauge(prometheus.GaugeOpts{Name: "edgeconv_reading_digits", Help: "Digits in the current reading."})
	m.restarts = prometheus.NewCounter(prometheus.CounterOpts{Name: "edgeconv_camera_restarts_total", Help: "Times frames came back after the camera failed."})
	m.acked = prometheus.NewHistogram(prometheus.HistogramOpts{Name: "edgeconv_mqtt_publish_seconds",
		Help:    "Time from a message's queueing to the broker's acknowledgement.",
		Buckets: []float64{.001, .002, .005, .01, .02, .05, .1, .2, .5, 1, 5, 30, 300}})
	m.model = prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "edgeconv_model_info",
		Help: "The model running: 1 with its name, precision and file's SHA-256."}, []string{"model", "sha256"})
	m.events = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "edgeconv_model_reloads_total",
		Help: "New model files switched to or rejected."}, []string{"result"})
	m.events.WithLabelValues(firmware.ModelSwitched)
	m.events.WithLabelValues(firmware.ModelRejected)
	m.reg.MustRegister(stage, m.readings, m.conf, m.lowest, m.digits, m.restarts, m.acked, m.model, m.events, &loopCollector{o})
	return m
}

// Handler serves the metrics.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// Frame implements firmware.Output.
func (m *Metrics) Frame(f *firmware.Frame) {
	if !f.Changed {
		return
	}
	m.readings.Inc()
	lowest := 1.0
	for _, d := range f.Reading.Digits {
		c := float64(d.Confidence)
		m.conf.Observe(c)
		lowest = min(lowest, c)
	}
	if len(f.Reading.Digits) == 0 {
		lowest = 0
	}
	m.lowest.Set(lowest)
	m.digits.Set(float64(len(f.Reading.Digits)))
}

// Status implements firmware.Output: a recovery after a failure counts
// as a restart.
func (m *Metrics) Status(err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err == nil && m.failing {
		m.restarts.Inc()
	}
	m.failing = err != nil
}

// Observe implements firmware.Observer.
func (m *Metrics) Observe(t *firmware.Timings, digits int) {
	for s, d := range t {
		m.stages[s].Observe(d.Seconds())
	}
}

// Acked records an MQTT message's publish latency (mqtt.Options.Acked).
func (m *Metrics) Acked(d time.Duration) { m.acked.Observe(d.Seconds()) }

// Model records a model event: the model running, and the switch or the
// rejection.
func (m *Metrics) Model(e firmware.ModelEvent) {
	if e.Status != firmware.ModelRejected {
		m.model.Reset()
		m.model.WithLabelValues(e.Model, e.SHA256).Set(1)
	}
	if e.Status != firmware.ModelRunning {
		m.events.WithLabelValues(e.Status).Inc()
	}
}

// loopCollector reads the loop's counters and the MQTT state at scrape
// time.
type loopCollector struct{ o Options }

var (
	descFrames   = prometheus.NewDesc("edgeconv_frames_total", "Frames processed.", nil, nil)
	descCaptured = prometheus.NewDesc("edgeconv_frames_captured_total", "Frames captured.", nil, nil)
	descDropped  = prometheus.NewDesc("edgeconv_frames_dropped_total", "Frames replaced by a newer one before the loop got to them.", nil, nil)
	descFPS      = prometheus.NewDesc("edgeconv_fps", "Frames processed per second, over the last 128.", nil, nil)
	descCamErr   = prometheus.NewDesc("edgeconv_camera_errors_total", "Camera failures.", nil, nil)
	descCamUp    = prometheus.NewDesc("edgeconv_camera_up", "1 while frames flow, 0 while the camera fails.", nil, nil)
	descMQTTUp   = prometheus.NewDesc("edgeconv_mqtt_connected", "1 while connected to the MQTT broker.", nil, nil)
	descMQTTQ    = prometheus.NewDesc("edgeconv_mqtt_queue_depth", "MQTT messages waiting for the broker.", nil, nil)
	descMQTTDrop = prometheus.NewDesc("edgeconv_mqtt_dropped_total", "MQTT messages dropped from the full queue.", nil, nil)
	descMQTTSent = prometheus.NewDesc("edgeconv_mqtt_published_total", "MQTT messages the broker acknowledged.", nil, nil)
)

func (c *loopCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descFrames, descCaptured, descDropped, descFPS, descCamErr, descCamUp} {
		ch <- d
	}
	if c.o.MQTT != nil {
		for _, d := range []*prometheus.Desc{descMQTTUp, descMQTTQ, descMQTTDrop, descMQTTSent} {
			ch <- d
		}
	}
}

func (c *loopCollector) Collect(ch chan<- prometheus.Metric) {
	if c.o.Stats != nil {
		st := c.o.Stats()
		ch <- prometheus.MustNewConstMetric(descFrames, prometheus.CounterValue, float64(st.Frames))
		ch <- prometheus.MustNewConstMetric(descCaptured, prometheus.CounterValue, float64(st.Captured))
		ch <- prometheus.MustNewConstMetric(descDropped, prometheus.CounterValue, float64(st.Dropped))
		ch <- prometheus.MustNewConstMetric(descFPS, prometheus.GaugeValue, st.FPS)
		ch <- prometheus.MustNewConstMetric(descCamErr, prometheus.CounterValue, float64(st.Errors))
		ch <- prometheus.MustNewConstMetric(descCamUp, prometheus.GaugeValue, b2f(st.Err == ""))
	}
	if c.o.MQTT != nil {
		q := c.o.MQTT()
		ch <- prometheus.MustNewConstMetric(descMQTTUp, prometheus.GaugeValue, b2f(q.Connected))
		ch <- prometheus.MustNewConstMetric(descMQTTQ, prometheus.GaugeValue, float64(q.Queued))
		ch <- prometheus.MustNewConstMetric(descMQTTDrop, prometheus.CounterValue, float64(q.Dropped))
		ch <- prometheus.MustNewConstMetric(descMQTTSent, prometheus.CounterValue, float64(q.Published))
	}
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
