package main

import (
	"context"
	"net"
	"strings"
	"sync"
	"testing"

	"periph.io/x/conn/v3/gpio"
	"periph.io/x/conn/v3/gpio/gpioreg"
	"periph.io/x/conn/v3/gpio/gpiotest"
	"periph.io/x/conn/v3/i2c"
	"periph.io/x/conn/v3/i2c/i2creg"
	"periph.io/x/conn/v3/physic"
)

// fakeBus is an I2C bus that takes every transfer and records Close.
type fakeBus struct {
	mu     sync.Mutex
	closed bool
}

func (b *fakeBus) String() string                    { return "fake" }
func (b *fakeBus) Tx(addr uint16, w, r []byte) error { return nil }
func (b *fakeBus) SetSpeed(f physic.Frequency) error { return nil }

func (b *fakeBus) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = true
	return nil
}

func (b *fakeBus) isClosed() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.closed
}

// TestRunReleasesHardware: when run fails after it opened the GPIO line
// and the I2C display (here: the preview's port is taken), it still turns
// the LED off and closes the bus.
func TestRunReleasesHardware(t *testing.T) {
	pin := &gpiotest.Pin{N: "EDGECONV_TEST_LED", Num: -1, L: gpio.High}
	if err := gpioreg.Register(pin); err != nil {
		t.Fatal(err)
	}
	bus := &fakeBus{}
	if err := i2creg.Register("edgeconv-test-i2c", nil, -1, func() (i2c.BusCloser, error) { return bus, nil }); err != nil {
		t.Fatal(err)
	}
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	code, _, stderr := edgeconv(t, context.Background(), "run", "--source", sceneDir(t, 1), "--quiet",
		"--gpio", pin.N, "--display", "ht16k33", "--i2c", "edgeconv-test-i2c", "--listen", taken.Addr().String())
	if code != 1 || !strings.Contains(stderr, "--listen") {
		t.Fatalf("exit %d, stderr %q; want 1 and the --listen error", code, stderr)
	}
	if pin.Read() != gpio.Low {
		t.Error("the LED was left on")
	}
	if !bus.isClosed() {
		t.Error("the I2C bus was left open")
	}
}
