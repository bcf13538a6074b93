package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"os/signal"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/edgeconv/edgeconv/camera"
	"github.com/edgeconv/edgeconv/firmware"
	"github.com/edgeconv/edgeconv/firmware/metrics"
	"github.com/edgeconv/edgeconv/firmware/mqtt"
	"github.com/edgeconv/edgeconv/internal/webguard"
	"github.com/edgeconv/edgeconv/model"
	"github.com/edgeconv/edgeconv/reading"
)

func init() {
	commands = append(commands, &Command{
		Name:      "run",
		UsageLine: "edgeconv run [--source SPEC] [--model FILE] [--float] [flags]",
		Short:     "read digits live from a camera",
		Long: `
Run reads handwritten digits live from a camera: each frame goes through the
digit extraction and the network, and the frames are fused: each digit is
followed from frame to frame as the camera moves and its classes are
summed, so that a digit misread in a frame, or hidden by a finger for a
second, does not change the reading, and a new sheet replaces the old one
within a few frames. The fused reading (the digits in reading order) is
reported once it has been the same for --stable frames; --no-fuse reports
instead the text that each of --stable frames in a row read alone. The loop
always works on the newest frame, dropping frames it has no time for.

--source names the camera or a recording as camera.Open reads it:

	rpicam[:640x480@30]        the Pi camera through rpicam-vid
	/dev/video0[:640x480]      a V4L2 webcam
	rec.y4m, rec.i420:WxH      a recording (add ,loop to repeat, ,fps=N to pace)
	frames/                    a folder of .png/.jpg images
	(empty)                    the first camera found

Recordings are read frame by frame (none is dropped, so two runs print the
same readings); cameras drop stale frames.

The model is compiled in: seed99r (seed99 with batch norm, folded, and an
11th class, "not a digit") quantised to int8, run in integers; what it
calls not a digit is left out of the reading. --float runs its weights
dequantised in float32, --model FILE runs another model file (int8 or
float32, 10 or 11 classes; see docs/pi.md). run watches that file (every
--model-poll, and on SIGHUP): a new version is opened and validated
completely (its architecture and tensors, its SHA-256 against FILE.sha256
when there is one, a test inference on 100 digits) while the old model
runs, then switched to between two frames; a file that fails is reported
and the old model runs on. Each switch or rejection is a line on stdout (a
JSON object with "event":"model" under --json), on MQTT and in the metrics.

Outputs: a line on stdout whenever the reading changes (--json: one JSON
object per line with the text, each digit's confidence and box, and the
time); a live preview at http://LISTEN/ (the annotated frame, the 28x28
crops, fps and latencies; /stream.mjpg, /events and /state.json for
programs; /metrics for Prometheus). The preview answers only requests that name its address or
localhost (or, listening on all addresses, the machine's name): give the
other names it is reached by (a DNS name, a reverse proxy's) with
--allow-host, so that no web page can read the camera by pointing a name it
owns at this machine. It holds at most 256 connections and 64 streams, and
closes clients that are idle or do not read. --pprof serves the profiler
on a loopback address only, unless --pprof-remote; a GPIO line (--gpio GPIO17) lit while a confident reading is
shown; an I2C display (--display ht16k33 or ssd1306, on --i2c bus).

--mqtt tcp://HOST[:1883] (or ssl://HOST[:8883], checked against --mqtt-ca)
publishes to an MQTT broker, under PREFIX/DEVICE/ (--mqtt-prefix, --device:
the host name by default): each change of the reading as the JSON line of
--json (QoS 1, retained), the availability (online, and offline as the last
will), the model, the camera's failures and, every minute, the statistics;
Home Assistant's discovery (--mqtt-discovery) makes the reading a sensor
with no configuration. The user name and password come from a file
(--mqtt-credentials, one line user:password) or the environment
(EDGECONV_MQTT_USERNAME, EDGECONV_MQTT_PASSWORD), never the command line. A
broker that refuses them stops run at the start; one that is away is tried
again with back-off while up to --mqtt-queue messages wait, the oldest
dropped first. See docs/fleet.md.

If the camera dies or is unplugged, run reports it (stderr and the preview
page), retries with back-off and resumes when frames come back. SIGINT or
SIGTERM stops it cleanly (exit 0), writing --profile's file.
`,
		SetFlags: func(fs *flag.FlagSet) func(context.Context, Env, []string) error {
			o := &runOptions{}
			fs.StringVar(&o.source, "source", "", "camera or recording (see above; default: the first camera found)")
			fs.StringVar(&o.model, "model", "", "model file (default: the embedded model)")
			fs.BoolVar(&o.float, "float", false, "run in float32 instead of int8 (an int8 model's weights dequantised)")
			fs.StringVar(&o.listen, "listen", "127.0.0.1:8080", "address of the web preview (\"off\" for none)")
			fs.StringVar(&o.gpio, "gpio", "", "GPIO line to light while a confident reading is shown, e.g. GPIO17")
			fs.StringVar(&o.i2c, "i2c", "", "I2C bus of the display (\"\": the first; \"1\": /dev/i2c-1)")
			fs.StringVar(&o.display, "display", "", "I2C display: ht16k33[@0x70] (4-digit seven-segment) or ssd1306 (128x64 OLED)")
			fs.StringVar(&o.allowHost, "allow-host", "", "comma-separated host names the preview may be reached by, besides its address (\"*\": any)")
			fs.StringVar(&o.pprof, "pprof", "", "serve net/http/pprof on this loopback address, e.g. 127.0.0.1:6060")
			fs.BoolVar(&o.pprofRemote, "pprof-remote", false, "allow --pprof on an address that is not loopback (anyone reaching it can profile the process)")
			fs.IntVar(&o.frames, "frames", 0, "stop after N frames (0: run until stopped)")
			fs.BoolVar(&o.json, "json", false, "print readings as JSON lines")
			fs.BoolVar(&o.noTime, "no-time", false, "leave the time out of the JSON lines (to compare runs)")
			fs.IntVar(&o.stable, "stable", 3, "frames the fused reading must stay the same to be reported")
			fs.BoolVar(&o.noFuse, "no-fuse", false, "read each frame alone instead of fusing frames")
			fs.Float64Var(&o.minConf, "min-confidence", 0.8, "confidence under which a digit is marked low")
			fs.StringVar(&o.everyFrame, "every-frame", "auto", "process every frame instead of the newest: true, false or auto (true for recordings)")
			fs.BoolVar(&o.quiet, "quiet", false, "no status messages on stderr")
			fs.StringVar(&o.mqtt, "mqtt", "", "MQTT broker to publish to: tcp://HOST[:PORT] or ssl://HOST[:PORT]")
			fs.StringVar(&o.mqttCA, "mqtt-ca", "", "PEM file of the authority that signed the ssl:// broker's certificate")
			fs.StringVar(&o.mqttCreds, "mqtt-credentials", "", "file holding the broker's user:password (or set EDGECONV_MQTT_USERNAME and EDGECONV_MQTT_PASSWORD)")
			fs.StringVar(&o.device, "device", "", "device name in MQTT topics and Home Assistant (default: the host name)")
			fs.StringVar(&o.mqttPrefix, "mqtt-prefix", "edgeconv", "first level of the MQTT topics")
			fs.StringVar(&o.mqttDiscovery, "mqtt-discovery", "homeassistant", "Home Assistant's discovery prefix (\"off\": no discovery)")
			fs.DurationVar(&o.modelPoll, "model-poll", time.Second, "how often --model FILE is checked for a new version")
			fs.IntVar(&o.mqttQueue, "mqtt-queue", 1000, "messages kept while the broker is away (the oldest dropped first)")
			o.prof.register(fs)
			return o.run
		},
	})
}

type runOptions struct {
	source, model, listen, gpio, i2c, display, pprof, everyFrame string
	allowHost                                                    string
	mqtt, mqttCA, mqttCreds, device, mqttPrefix, mqttDiscovery   string
	mqttQueue                                                    int
	modelPoll                                                    time.Duration
	float, json, noTime, quiet, noFuse, pprofRemote              bool
	frames, stable                                               int
	minConf                                                      float64
	prof                                                         profileFlags
}

func (o *runOptions) run(ctx context.Context, env Env, args []string) (err error) {
	if len(args) > 0 {
		return usagef("unexpected arguments %q", args)
	}
	if o.frames < 0 || o.stable < 1 {
		return usagef("--frames must be ≥ 0 and --stable ≥ 1")
	}
	if !(o.minConf >= 0 && o.minConf <= 1) {
		return usagef("--min-confidence is between 0 and 1")
	}
	if o.pprof != "" && !o.pprofRemote && !loopbackAddr(o.pprof) {
		return usagef("--pprof %s is not a loopback address: anyone who reaches it could profile the process (add --pprof-remote to allow it)", o.pprof)
	}
	var allow []string
	for _, h := range strings.Split(o.allowHost, ",") {
		if h = strings.TrimSpace(h); h != "" {
			allow = append(allow, h)
		}
	}
	switch o.everyFrame {
	case "auto", "true", "false":
	default:
		return usagef("--every-frame is true, false or auto")
	}
	if o.i2c != "" && o.display == "" {
		return usagef("--i2c needs --display")
	}
	stopProfile, err := o.prof.start()
	if err != nil {
		return err
	}
	defer stopProfile()
	var logMu sync.Mutex
	logf := func(format string, a ...any) {
		if o.quiet {
			return
		}
		logMu.Lock()
		fmt.Fprintf(env.Stderr, "edgeconv run: "+format+"\n", a...)
		logMu.Unlock()
	}

	// The loop is made once its outputs are; the publisher, the metrics
	// and the preview, made before, read its statistics through stats.
	// The MQTT options are checked before the model and the camera are
	// opened.
	var loop *firmware.Loop
	var running atomic.Pointer[firmware.Loop]
	stats := func() firmware.Stats {
		if l := running.Load(); l != nil {
			return l.Stats()
		}
		return firmware.Stats{}
	}
	var pub *mqtt.Publisher
	mo := metrics.Options{Stats: stats}
	if o.mqtt != "" {
		mo.MQTT = func() mqtt.State { return pub.State() } // scraped once pub is made
	}
	met := metrics.New(mo)
	if o.mqtt != "" {
		if pub, err = o.publisher(logf, stats, met.Acked); err != nil {
			return err
		}
	}

	reader, m, err := o.openReader(o.model)
	if err != nil {
		return err
	}
	// The loop's reader when it stops: the first, or the last switched to.
	defer func() {
		if loop != nil {
			reader = loop.Reader()
		}
		reader.Close()
	}()
	rec := reader.Classifier()
	src, err := camera.Open(o.source)
	if err != nil {
		return err
	}
	defer src.Close()
	recording := camera.IsRecording(src)
	every := o.everyFrame == "true" || o.everyFrame == "auto" && recording
	logf("%s on %s (%dx%d)", rec, src, src.Bounds().Dx(), src.Bounds().Dy())

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	printer := &firmware.Printer{W: env.Stdout, JSON: o.json, NoTime: o.noTime}
	outputs := []firmware.Output{printer}
	var closers []func() error
	var servers sync.WaitGroup
	// Every return, an early one too, stops the servers and releases the
	// hardware, the last opened first.
	defer func() {
		cancel()
		servers.Wait()
		for i := len(closers) - 1; i >= 0; i-- {
			if cerr := closers[i](); cerr != nil && err == nil {
				err = cerr
			}
		}
	}()

	if o.gpio != "" {
		led, err := firmware.OpenLED(o.gpio)
		if err != nil {
			return err
		}
		outputs = append(outputs, led)
		closers = append(closers, func() error {
			led.Status(errors.New("stopping")) // turn it off
			return led.Err()
		})
	}
	if o.display != "" {
		d, bus, err := firmware.OpenDisplay(o.i2c, o.display)
		if err != nil {
			return err
		}
		do := firmware.NewDisplayOutput(d)
		outputs = append(outputs, do)
		closers = append(closers, func() error {
			err := do.Close()
			if h, ok := d.(interface{ Halt() error }); ok {
				h.Halt()
			}
			bus.Close()
			return err
		})
	}

	outputs = append(outputs, met)
	var web *firmware.Web
	serveErr := make(chan error, 2)
	if o.listen != "off" && o.listen != "" {
		l, err := net.Listen("tcp", o.listen)
		if err != nil {
			return fmt.Errorf("--listen: %w", err)
		}
		web = &firmware.Web{Model: rec.String(), Source: src.String(), AllowHosts: allow, Metrics: met.Handler(), Stats: stats}
		outputs = append(outputs, web)
		logf("preview on http://%s/", l.Addr())
		servers.Add(1)
		go func() {
			defer servers.Done()
			if err := web.Serve(ctx, l); err != nil {
				serveErr <- fmt.Errorf("preview: %w", err)
				cancel()
			}
		}()
	}
	if o.pprof != "" {
		l, err := net.Listen("tcp", o.pprof)
		if err != nil {
			return fmt.Errorf("--pprof: %w", err)
		}
		logf("pprof on http://%s/debug/pprof/", l.Addr())
		mux := http.NewServeMux()
		mux.HandleFunc("/debug/pprof/", pprof.Index)
		mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
		mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
		mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
		mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
		srv := &http.Server{Handler: webguard.CheckHost(mux, l.Addr(), allow, "edgeconv run --allow-host"),
			ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 30 * time.Second}
		servers.Add(1)
		go func() {
			defer servers.Done()
			go func() { <-ctx.Done(); srv.Close() }()
			if err := srv.Serve(l); err != nil && err != http.ErrServerClosed {
				serveErr <- fmt.Errorf("pprof: %w", err)
				cancel()
			}
		}()
	}

	if pub != nil {
		outputs = append(outputs, pub)
		closers = append(closers, pub.Close)
		if err := pub.Start(ctx); err != nil {
			return err
		}
		logf("MQTT: %s, readings on %s", o.mqtt, pub.Topic("reading"))
	}

	loop, err = firmware.New(firmware.Options{
		Source: src, Reader: reader, Stable: o.stable, NoFusion: o.noFuse,
		EveryFrame: every, MaxFrames: o.frames, Outputs: outputs, Logf: logf,
	})
	if err != nil {
		return err
	}
	running.Store(loop)
	// The model: reported at the start (MQTT, metrics), and switched when
	// its file changes or on SIGHUP.
	report := func(e firmware.ModelEvent) {
		met.Model(e)
		if pub != nil {
			pub.Model(e.AppendJSON(nil))
		}
		if web != nil && e.Status == firmware.ModelSwitched {
			web.SetModel(e.Model)
		}
		if e.Status != firmware.ModelRunning {
			printer.Event(e.String(), e.AppendJSON(nil))
			logf("%s", e.String())
		}
	}
	report(firmware.ModelEvent{Time: time.Now(), Status: firmware.ModelRunning, Model: m.String(), SHA256: m.SHA256(), File: o.model})
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	if o.model != "" {
		rl := &firmware.Reloader{File: o.model, Loop: loop, Current: m, Open: o.openReader,
			Poll: o.modelPoll, Signal: hup, Report: report}
		servers.Add(1)
		go func() {
			defer servers.Done()
			rl.Run(ctx)
		}()
	} else {
		servers.Add(1)
		go func() {
			defer servers.Done()
			for {
				select {
				case <-ctx.Done():
					return
				case <-hup:
					logf("SIGHUP: the model is the embedded one; give --model FILE to reload it")
				}
			}
		}()
	}
	runErr := loop.Run(ctx)
	cancel()
	servers.Wait()
	st := loop.Stats()
	logf("%s", summary(st))
	if runErr == nil {
		select {
		case runErr = <-serveErr:
		default:
		}
	}
	if runErr == nil {
		runErr = printer.Err()
	}
	return runErr
}

// openReader opens a model file (the embedded model for ""), validates it
// completely (model.Open checks the architecture and every tensor; the
// SHA-256 against FILE.sha256 when there is one; a test inference,
// Model.SelfTest, in the arithmetic it will run in) and returns a reader
// of it.
func (o *runOptions) openReader(path string) (*reading.Reader, *model.Model, error) {
	m, err := openModel(path)
	if err != nil {
		return nil, nil, err
	}
	if path != "" {
		if err := m.CheckSum(path + ".sha256"); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, nil, err
		}
	}
	mo := model.Options{Float: o.float}
	if _, err := m.SelfTest(mo); err != nil {
		return nil, nil, err
	}
	r, err := reading.New(m, reading.Options{Classifier: mo, MinConfidence: float32(o.minConf)})
	if err != nil {
		return nil, nil, err
	}
	return r, m, nil
}

// Environment variables of the broker's credentials.
const (
	envMQTTUser     = "EDGECONV_MQTT_USERNAME"
	envMQTTPassword = "EDGECONV_MQTT_PASSWORD"
)

// publisher returns the MQTT output of the flags: the credentials from
// --mqtt-credentials or the environment.
func (o *runOptions) publisher(logf func(string, ...any), stats func() firmware.Stats, acked func(time.Duration)) (*mqtt.Publisher, error) {
	user, pass := os.Getenv(envMQTTUser), os.Getenv(envMQTTPassword)
	if o.mqttCreds != "" {
		data, err := os.ReadFile(o.mqttCreds)
		if err != nil {
			return nil, fmt.Errorf("--mqtt-credentials: %w", err)
		}
		line, _, _ := strings.Cut(string(data), "\n")
		var ok bool
		if user, pass, ok = strings.Cut(strings.TrimRight(line, "\r"), ":"); !ok || user == "" {
			return nil, fmt.Errorf("--mqtt-credentials: %s: want one line user:password", o.mqttCreds)
		}
	}
	device := o.device
	if device == "" {
		host, _ := os.Hostname()
		device = mqtt.SanitizeDevice(host)
	}
	discovery := o.mqttDiscovery
	if discovery == "off" {
		discovery = ""
	}
	p, err := mqtt.New(mqtt.Options{Broker: o.mqtt, CAFile: o.mqttCA, Username: user, Password: pass,
		Device: device, Prefix: o.mqttPrefix, Discovery: discovery, Queue: o.mqttQueue,
		Stats: stats, Acked: acked, Version: buildVersion(), Logf: logf})
	if err != nil {
		return nil, fmt.Errorf("--mqtt: %w", err)
	}
	return p, nil
}

// summary is the closing line: frames, rate, median latencies and peak
// memory.
func summary(st firmware.Stats) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d frames (%d captured, %d dropped, %d camera errors), %.1f fps; median ms:",
		st.Frames, st.Captured, st.Dropped, st.Errors, st.FPS)
	for s := firmware.StageWait; s <= firmware.StageTotal; s++ {
		fmt.Fprintf(&b, " %s %.2f", s, float64(st.Median[s])/1e6)
	}
	if kb := peakRSS(); kb > 0 {
		fmt.Fprintf(&b, "; peak RSS %.1f MB", float64(kb)/1024)
	}
	return b.String()
}

// peakRSS returns the process's peak resident memory in KiB (VmHWM), or 0
// where /proc is not there.
func peakRSS() int {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var kb int
			fmt.Sscanf(strings.TrimSpace(v), "%d", &kb)
			return kb
		}
	}
	return 0
}

// loopbackAddr reports whether addr (host:port) names only loopback
// addresses: an IP of 127.0.0.0/8 or ::1, or localhost.
func loopbackAddr(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
