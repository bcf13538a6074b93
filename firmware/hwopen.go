package firmware

import (
	"fmt"
	"strconv"
	"strings"

	"periph.io/x/conn/v3/gpio/gpioreg"
	"periph.io/x/conn/v3/i2c"
	"periph.io/x/conn/v3/i2c/i2creg"
	"periph.io/x/host/v3"
)

// initHost loads periph's host drivers (on Linux the GPIO character-device
// driver and /dev/i2c-*) once.
func initHost() error {
	if _, err := host.Init(); err != nil {
		return fmt.Errorf("firmware: periph host: %w", err)
	}
	return nil
}

// OpenLED returns the LED output on the GPIO line named name, e.g.
// "GPIO17" (BCM numbering, the Pi's header pin 11).
func OpenLED(name string) (*LED, error) {
	if err := initHost(); err != nil {
		return nil, err
	}
	p := gpioreg.ByName(name)
	if p == nil {
		return nil, fmt.Errorf("firmware: no GPIO line %q (is the gpio group among yours?)", name)
	}
	return &LED{Pin: p}, nil
}

// OpenDisplay opens the I2C bus named bus ("" for the first, "1" for
// /dev/i2c-1) and the display that spec names: "ht16k33" or
// "ht16k33@0x71" for a seven-segment backpack, "ssd1306" for a 128x64
// OLED. The caller closes the bus after the display.
func OpenDisplay(bus, spec string) (Display, i2c.BusCloser, error) {
	kind, addrText, hasAddr := strings.Cut(spec, "@")
	addr := uint64(HT16K33Addr)
	if hasAddr {
		var err error
		if addr, err = strconv.ParseUint(addrText, 0, 7); err != nil {
			return nil, nil, fmt.Errorf("%w: bad address %q", errDisplay, addrText)
		}
	}
	if kind != "ht16k33" && kind != "ssd1306" || kind == "ssd1306" && hasAddr {
		return nil, nil, fmt.Errorf("%w, not %q", errDisplay, spec)
	}
	if err := initHost(); err != nil {
		return nil, nil, err
	}
	b, err := i2creg.Open(bus)
	if err != nil {
		return nil, nil, fmt.Errorf("firmware: I2C bus %q: %w (is I2C enabled and the i2c group among yours?)", bus, err)
	}
	var d Display
	if kind == "ht16k33" {
		d, err = NewSevenSegment(b, uint16(addr))
	} else {
		d, err = NewOLED(b)
	}
	if err != nil {
		b.Close()
		return nil, nil, err
	}
	return d, b, nil
}
