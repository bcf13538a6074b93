// Command fleetload measures the MQTT output of a fleet (issue 17): it
// starts one local Mosquitto (internal/mosquitto, on 127.0.0.1), a
// subscriber to every device's readings, and -devices simulated devices,
// each a process of its own that runs the real MQTT output
// (firmware/mqtt.Publisher) at -fps frames a second for -duration, its
// reading changing every -change frames. The readings replayed are those
// of the test scenes (firmware/testdata), read once by the real reader
// (extraction and the embedded model): a device does not run the vision
// itself, since a hundred vision loops at 10 fps need some twenty cores
// and the load run is of the broker and the publishing.
//
// It reports the readings published and received, those lost (produced
// but never received), duplicated and out of order, messages a second,
// the broker's and the devices' CPU (as a share of one core), the publish
// latency (from a reading's queueing in the device to the broker's
// acknowledgement, mqtt.Options.Acked) and the latency from a reading's
// making (its "time") to the subscriber.
//
//	go run ./bench/fleetload -devices 100 -duration 60s
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"

	"github.com/edgeconv/edgeconv/firmware"
	"github.com/edgeconv/edgeconv/firmware/mqtt"
	"github.com/edgeconv/edgeconv/internal/mosquitto"
	"github.com/edgeconv/edgeconv/internal/testscenes"
	"github.com/edgeconv/edgeconv/model"
	"github.com/edgeconv/edgeconv/reading"
)

// deviceReport is what a device process prints when it ends.
type deviceReport struct {
	Produced  int    `json:"produced"`
	Published uint64 `json:"published"`
	Dropped   uint64 `json:"dropped"`
	Queued    int    `json:"queued"`
	// Acked holds each reading's publish latency in microseconds: from
	// its queueing to the broker's acknowledgement.
	Acked []int64 `json:"acked_us"`
}

func main() {
	devices := flag.Int("devices", 100, "simulated devices (processes)")
	duration := flag.Duration("duration", 60*time.Second, "how long each device runs")
	fps := flag.Float64("fps", 10, "frames a second of each device")
	change := flag.Int("change", 5, "frames between reading changes")
	outage := flag.Duration("outage", 0, "kill the broker with SIGKILL a third into the run and start it again after this long (0: no outage)")
	// A device process's flags.
	device := flag.String("device", "", "run as the device of this name (internal)")
	broker := flag.String("broker", "", "the broker's URL (device mode)")
	readings := flag.String("readings", "", "the readings to replay, JSON (device mode)")
	flag.Parse()
	if *device != "" {
		if err := runDevice(*device, *broker, *readings, *fps, *change, *duration); err != nil {
			log.Fatalf("device %s: %v", *device, err)
		}
		return
	}
	if err := run(*devices, *duration, *fps, *change, *outage); err != nil {
		log.Fatal(err)
	}
}

// sceneReadings reads the test scenes once with the embedded model and
// returns their readings.
func sceneReadings() ([]firmware.Reading, error) {
	scenes, err := testscenes.Scenes()
	if err != nil {
		return nil, err
	}
	m, err := model.Default()
	if err != nil {
		return nil, err
	}
	rd, err := reading.New(m, reading.Options{MinConfidence: 0.8})
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	var out []firmware.Reading
	for _, s := range scenes {
		r := rd.Read(s.Frame)
		fr := firmware.Reading{Text: append([]byte(nil), r.Text...), Digits: append([]reading.Digit(nil), r.Digits...), Confident: r.Confident}
		out = append(out, fr)
	}
	return out, nil
}

// received is the subscriber's record of one device.
type received struct {
	frames []uint64
}

func run(devices int, duration time.Duration, fps float64, change int, outage time.Duration) error {
	dir, err := os.MkdirTemp("", "fleetload")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	rs, err := sceneReadings()
	if err != nil {
		return err
	}
	data, _ := json.Marshal(rs)
	rfile := filepath.Join(dir, "readings.json")
	if err := os.WriteFile(rfile, data, 0o644); err != nil {
		return err
	}
	// With an outage, the broker saves its sessions every second, so that
	// the subscriber's outlives the kill.
	b, err := mosquitto.Start(dir, mosquitto.Config{Persist: outage > 0})
	if err != nil {
		return err
	}
	defer b.Stop()
	url := "tcp://" + b.Addr()

	// The subscriber: every device's readings, QoS 1.
	var mu sync.Mutex
	got := map[string]*received{}
	var lat []time.Duration
	var total int
	sub := paho.NewClient(paho.NewClientOptions().AddBroker(url).SetClientID("fleetload-subscriber").
		SetProtocolVersion(4).SetOrderMatters(true).SetCleanSession(outage == 0).
		SetAutoReconnect(true).SetMaxReconnectInterval(200 * time.Millisecond))
	if t := sub.Connect(); !t.WaitTimeout(10*time.Second) || t.Error() != nil {
		return fmt.Errorf("subscriber: %v", t.Error())
	}
	defer sub.Disconnect(0)
	if t := sub.Subscribe("edgeconv/+/reading", 1, func(_ paho.Client, m paho.Message) {
		now := time.Now()
		var r struct {
			Time  time.Time
			Frame uint64
		}
		if err := json.Unmarshal(m.Payload(), &r); err != nil {
			log.Printf("%s: %v", m.Topic(), err)
			return
		}
		name := strings.Split(m.Topic(), "/")[1]
		mu.Lock()
		g := got[name]
		if g == nil {
			g = &received{}
			got[name] = g
		}
		g.frames = append(g.frames, r.Frame)
		lat = append(lat, now.Sub(r.Time))
		total++
		mu.Unlock()
	}); !t.WaitTimeout(10*time.Second) || t.Error() != nil {
		return fmt.Errorf("subscribe: %v", t.Error())
	}

	if outage > 0 {
		time.Sleep(1500 * time.Millisecond) // the subscription saved
	}
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	cpu0, err := procCPU(b.Pid())
	if err != nil {
		return err
	}
	start := time.Now()
	reports := make([]deviceReport, devices)
	var devCPU time.Duration
	var wg sync.WaitGroup
	var firstErr error
	for i := range devices {
		name := fmt.Sprintf("dev%03d", i)
		cmd := exec.Command(exe, "-device", name, "-broker", url, "-readings", rfile,
			"-fps", strconv.FormatFloat(fps, 'g', -1, 64), "-change", strconv.Itoa(change), "-duration", duration.String())
		cmd.Stderr = os.Stderr
		cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
		wg.Add(1)
		go func() {
			defer wg.Done()
			out, err := cmd.Output()
			mu.Lock()
			defer mu.Unlock()
			if err == nil {
				err = json.Unmarshal(out, &reports[i])
			}
			if err != nil && firstErr == nil {
				firstErr = fmt.Errorf("%s: %v", name, err)
			}
			if cmd.ProcessState != nil {
				devCPU += cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
			}
		}()
		// Spread the starts over a frame, as devices booted at
		// different times would be.
		time.Sleep(time.Duration(float64(time.Second) / fps / float64(devices)))
	}
	var brokerCPU time.Duration // of the broker killed
	if outage > 0 {
		time.Sleep(time.Until(start.Add(duration / 3)))
		c, err := procCPU(b.Pid())
		if err != nil {
			return err
		}
		brokerCPU = c - cpu0
		b.Kill()
		fmt.Printf("broker killed (SIGKILL) at %.1f s for %v\n", time.Since(start).Seconds(), outage)
		time.Sleep(outage)
		if err := b.Restart(); err != nil {
			return err
		}
		cpu0 = 0
	}
	wg.Wait()
	elapsed := time.Since(start)
	if firstErr != nil {
		return firstErr
	}
	produced := 0
	for _, r := range reports {
		produced += r.Produced
	}
	// The last messages in flight.
	deadline := time.Now().Add(10*time.Second + outage)
	for {
		mu.Lock()
		n := total
		mu.Unlock()
		if n >= produced || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	cpu1, err := procCPU(b.Pid())
	if err != nil {
		return err
	}
	var self syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &self)

	mu.Lock()
	defer mu.Unlock()
	lost, dups, disorder := 0, 0, 0
	for i, r := range reports {
		g := got[fmt.Sprintf("dev%03d", i)]
		seen := map[uint64]bool{}
		if g != nil {
			for k, f := range g.frames {
				if seen[f] {
					dups++
				}
				seen[f] = true
				if k > 0 && f < g.frames[k-1] {
					disorder++
				}
			}
		}
		lost += r.Produced - len(seen)
	}
	var dropped uint64
	for _, r := range reports {
		dropped += r.Dropped
	}
	var pub []time.Duration
	for _, r := range reports {
		for _, us := range r.Acked {
			pub = append(pub, time.Duration(us)*time.Microsecond)
		}
	}
	q := quantiles(lat)
	pq := quantiles(pub)
	secs := elapsed.Seconds()
	fmt.Printf("fleetload: %d devices (processes) at %.0f fps, a reading change every %d frames, %v each, one mosquitto on 127.0.0.1\n",
		devices, fps, change, duration)
	fmt.Printf("readings: %d produced, %d received, %d lost, %d duplicated, %d out of order (an earlier frame after a later one), %d dropped from full queues\n",
		produced, total, lost, dups, disorder, dropped)
	fmt.Printf("rate: %.0f readings/s published and delivered (%.1f s)\n", float64(total)/secs, secs)
	fmt.Printf("publish latency, queued to the broker's PUBACK (%d messages): p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
		len(pub), ms(pq(0.5)), ms(pq(0.99)), ms(pq(1)))
	fmt.Printf("end to end, reading made to subscriber: p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
		ms(q(0.5)), ms(q(0.99)), ms(q(1)))
	fmt.Printf("CPU (share of one core over the run): broker %.1f%%, %d devices %.1f%% (%.2f%% each), subscriber %.1f%%\n",
		100*(brokerCPU+cpu1-cpu0).Seconds()/secs, devices, 100*devCPU.Seconds()/secs, 100*devCPU.Seconds()/secs/float64(devices),
		100*(tv(self.Utime)+tv(self.Stime)).Seconds()/secs)
	if lost > 0 || dups > 0 || disorder > 0 {
		return fmt.Errorf("%d readings lost, %d duplicated, %d out of order", lost, dups, disorder)
	}
	return nil
}

// quantiles sorts d and returns its quantile function.
func quantiles(d []time.Duration) func(p float64) time.Duration {
	slices.Sort(d)
	return func(p float64) time.Duration {
		if len(d) == 0 {
			return 0
		}
		return d[min(len(d)-1, int(p*float64(len(d))))]
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func tv(t syscall.Timeval) time.Duration {
	return time.Duration(t.Sec)*time.Second + time.Duration(t.Usec)*time.Microsecond
}

// procCPU returns a process's user and system CPU time from
// /proc/PID/stat (in clock ticks of 10 ms, Linux's USER_HZ).
func procCPU(pid int) (time.Duration, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	s := string(data)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
	// Fields from the state (3rd of the line): utime is the 14th, stime
	// the 15th.
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(ut+st) * 10 * time.Millisecond, nil
}

// runDevice is a simulated device: the MQTT output of `edgeconv run` fed
// the replayed readings at fps frames a second.
func runDevice(name, broker, file string, fps float64, change int, duration time.Duration) error {
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	var rs []firmware.Reading
	if err := json.Unmarshal(data, &rs); err != nil {
		return err
	}
	var mu sync.Mutex
	var acked []int64
	p, err := mqtt.New(mqtt.Options{Broker: broker, Device: name, Discovery: "homeassistant",
		Acked: func(d time.Duration) {
			mu.Lock()
			acked = append(acked, d.Microseconds())
			mu.Unlock()
		},
		MinBackoff: 100 * time.Millisecond, MaxBackoff: 2 * time.Second,
		Logf: func(f string, a ...any) { log.Printf(name+": "+f, a...) }})
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := p.Start(ctx); err != nil {
		return err
	}
	tick := time.NewTicker(time.Duration(float64(time.Second) / fps))
	defer tick.Stop()
	end := time.After(duration)
	var seq uint64
	produced := 0
	f := &firmware.Frame{}
loop:
	for {
		select {
		case <-end:
			break loop
		case t := <-tick.C:
			seq++
			if seq%uint64(change) != 1 && change > 1 {
				continue
			}
			r := &rs[produced%len(rs)]
			r.Frame, r.Time = seq, t
			*f = firmware.Frame{Seq: seq, Time: t, Reading: r, Changed: true}
			p.Frame(f)
			produced++
		}
	}
	if err := p.Close(); err != nil {
		return err
	}
	st := p.State()
	mu.Lock()
	defer mu.Unlock()
	return json.NewEncoder(os.Stdout).Encode(deviceReport{Produced: produced, Published: st.Published, Dropped: st.Dropped, Queued: st.Queued, Acked: acked})
}
