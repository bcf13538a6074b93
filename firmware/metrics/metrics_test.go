package metrics

import (
	"errors"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/edgeconv/edgeconv/firmware"
	"github.com/edgeconv/edgeconv/firmware/mqtt"
	"github.com/edgeconv/edgeconv/internal/looptest"
)

func scrape(t *testing.T, m *Metrics) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	return string(body)
}

// TestMetrics runs frames through a loop and reads the exposition: the
// loop's counters, the stage histograms, the readings, a camera restart,
// the MQTT state and the model, before and after a switch.
func TestMetrics(t *testing.T) {
	var l *firmware.Loop
	m := New(Options{Stats: func() firmware.Stats { return l.Stats() },
		MQTT: func() mqtt.State { return mqtt.State{Connected: true, Queued: 3, Dropped: 2, Published: 7} }})
	l, step := looptest.Stepper(t, m)
	for range 4 {
		step()
	}
	m.Acked(3 * time.Millisecond)
	m.Status(errors.New("camera: gone"))
	m.Status(nil)
	m.Model(firmware.ModelEvent{Status: firmware.ModelRunning, Model: "default int8", SHA256: "aaaa"})
	m.Model(firmware.ModelEvent{Status: firmware.ModelSwitched, Model: "new.safetensors int8", SHA256: "bbbb"})
	m.Model(firmware.ModelEvent{Status: firmware.ModelRejected, Model: "new.safetensors int8", SHA256: "bbbb", Err: errors.New("bad")})
	out := scrape(t, m)
	for _, want := range []string{
		"edgeconv_frames_total 4\n",
		"edgeconv_frames_dropped_total 0\n",
		`edgeconv_stage_seconds_count{stage="recognize"} 4` + "\n",
		"edgeconv_readings_total 4\n",
		"edgeconv_camera_restarts_total 1\n",
		"edgeconv_mqtt_connected 1\n",
		"edgeconv_mqtt_queue_depth 3\n",
		`edgeconv_mqtt_publish_seconds_bucket{le="0.005"} 1` + "\n",
		`edgeconv_model_info{model="new.safetensors int8",sha256="bbbb"} 1` + "\n",
		`edgeconv_model_reloads_total{result="rejected"} 1` + "\n",
		`edgeconv_model_reloads_total{result="switched"} 1` + "\n",
		"go_goroutines ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in the metrics", want)
		}
	}
	if strings.Contains(out, `sha256="aaaa"`) {
		t.Error("the old model is still reported after the switch")
	}
}
