package firmware

import (
	"errors"
	"testing"
	"time"

	"periph.io/x/conn/v3/gpio"
	"periph.io/x/conn/v3/gpio/gpiotest"
	"periph.io/x/conn/v3/i2c/i2ctest"
)

// outPin counts the writes to a fake pin.
type outPin struct {
	gpiotest.Pin
	writes []gpio.Level
}

func (p *outPin) Out(l gpio.Level) error {
	p.writes = append(p.writes, l)
	return p.Pin.Out(l)
}

func TestLED(t *testing.T) {
	pin := &outPin{Pin: gpiotest.Pin{N: "GPIO17", Num: 17}}
	led := &LED{Pin: pin}
	confident := &Reading{Text: []byte("42"), Confident: true}
	unsure := &Reading{Text: []byte("4?"), Confident: false}
	for _, r := range []*Reading{unsure, confident, confident, confident, unsure, confident} {
		led.Frame(&Frame{Reading: r})
	}
	led.Status(errors.New("camera went away"))
	want := []gpio.Level{gpio.Low, gpio.High, gpio.Low, gpio.High, gpio.Low}
	if len(pin.writes) != len(want) {
		t.Fatalf("writes %v, want %v", pin.writes, want)
	}
	for i := range want {
		if pin.writes[i] != want[i] {
			t.Fatalf("writes %v, want %v", pin.writes, want)
		}
	}
	if pin.Read() != gpio.Low || led.Err() != nil {
		t.Errorf("level %v, err %v", pin.Read(), led.Err())
	}
}

// ht16k33Init is what ht16k33.NewI2C writes: oscillator on, display on,
// no blinking, full brightness.
func ht16k33Init(addr uint16) []i2ctest.IO {
	return []i2ctest.IO{
		{Addr: addr, W: []byte{0x21}},
		{Addr: addr, W: []byte{0x81}},
		{Addr: addr, W: []byte{0x81}},
		{Addr: addr, W: []byte{0xEF}},
	}
}

// ht16k33Digits is the RAM write of four columns of digits and the colon.
func ht16k33Digits(addr uint16, d0, d1, d3, d4 byte) []i2ctest.IO {
	return []i2ctest.IO{
		{Addr: addr, W: []byte{0x00, d0, 0}},
		{Addr: addr, W: []byte{0x02, d1, 0}},
		{Addr: addr, W: []byte{0x04, 0, 0}},
		{Addr: addr, W: []byte{0x06, d3, 0}},
		{Addr: addr, W: []byte{0x08, d4, 0}},
	}
}

// TestSevenSegment checks the exact bytes sent to an HT16K33 backpack.
func TestSevenSegment(t *testing.T) {
	var ops []i2ctest.IO
	ops = append(ops, ht16k33Init(0x70)...)
	ops = append(ops, ht16k33Digits(0x70, 0, 0, 0, 0)...) // blank at start
	// "1234567\n89": the first four digits of the first line, the 3 low
	// (decimal point lit).
	ops = append(ops, ht16k33Digits(0x70, 0x06, 0x5B, 0x4F|0x80, 0x66)...)
	// "80": two digits, then blanks.
	ops = append(ops, ht16k33Digits(0x70, 0x7F, 0x3F, 0, 0)...)
	ops = append(ops, ht16k33Digits(0x70, 0, 0, 0, 0)...) // Halt
	bus := &i2ctest.Playback{Ops: ops}
	d, err := NewSevenSegment(bus, HT16K33Addr)
	if err != nil {
		t.Fatal(err)
	}
	r := readingOf("1234567\n89", 2)
	if err := d.Show(r); err != nil {
		t.Fatal(err)
	}
	if err := d.Show(readingOf("80", -1)); err != nil {
		t.Fatal(err)
	}
	if err := d.Halt(); err != nil {
		t.Fatal(err)
	}
	if err := bus.Close(); err != nil {
		t.Fatal(err)
	}
}

// readingOf returns a reading of text with digit low marked Low.
func readingOf(text string, low int) *Reading {
	r := &Reading{Text: []byte(text), Confident: low < 0, Digits: frameOf(text).Digits}
	for i := range r.Digits {
		r.Digits[i].Low = i == low
	}
	return r
}

// TestDisplayOutput: readings reach the display from its goroutine; the
// loop is never held up by it.
func TestDisplayOutput(t *testing.T) {
	var ops []i2ctest.IO
	ops = append(ops, ht16k33Init(0x71)...)
	ops = append(ops, ht16k33Digits(0x71, 0, 0, 0, 0)...)
	ops = append(ops, ht16k33Digits(0x71, 0x6F, 0x07, 0, 0)...) // "97"
	bus := &i2ctest.Playback{Ops: ops}
	d, err := NewSevenSegment(bus, 0x71)
	if err != nil {
		t.Fatal(err)
	}
	o := NewDisplayOutput(d)
	o.Frame(&Frame{Reading: readingOf("97", -1), Changed: true})
	o.Frame(&Frame{Reading: readingOf("55", -1), Changed: false}) // not a change: ignored
	deadline := time.Now().Add(5 * time.Second)
	for {
		bus.Lock()
		n := bus.Count
		bus.Unlock()
		if n == len(ops) || time.Now().After(deadline) {
			break
		}
		time.Sleep(time.Millisecond)
	}
	if err := o.Close(); err != nil {
		t.Fatal(err)
	}
	if err := bus.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestOLED draws a reading on an SSD1306 through a recording bus: the
// initialisation and a frame of pixels go to address 0x3C.
func TestOLED(t *testing.T) {
	bus := &i2ctest.Record{}
	d, err := NewOLED(bus)
	if err != nil {
		t.Fatal(err)
	}
	n := len(bus.Ops)
	if err := d.Show(readingOf("2025", 1)); err != nil {
		t.Fatal(err)
	}
	data := 0
	lit := 0
	for _, op := range bus.Ops[n:] {
		if op.Addr != 0x3C {
			t.Fatalf("write to %#x", op.Addr)
		}
		if len(op.W) > 1 && op.W[0] == 0x40 { // data
			data += len(op.W) - 1
			for _, b := range op.W[1:] {
				for ; b != 0; b &= b - 1 {
					lit++
				}
			}
		}
	}
	if data == 0 || lit < 200 {
		t.Errorf("%d data bytes with %d pixels lit after Show", data, lit)
	}
}

// TestOpenErrors: bad display specs are refused before any bus is opened,
// and a GPIO line that does not exist is an error, not a panic.
func TestOpenErrors(t *testing.T) {
	for _, spec := range []string{"lcd", "ht16k33@0x1ff", "ht16k33@x", "ssd1306@0x3d", ""} {
		if _, _, err := OpenDisplay("", spec); !errors.Is(err, errDisplay) {
			t.Errorf("OpenDisplay(%q) = %v, want errDisplay", spec, err)
		}
	}
	if _, err := OpenLED("NO_SUCH_GPIO_LINE"); err == nil {
		t.Error("OpenLED of a missing line succeeded")
	}
}
