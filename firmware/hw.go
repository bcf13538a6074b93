package firmware

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"sync"

	"periph.io/x/conn/v3/gpio"
	"periph.io/x/conn/v3/i2c"
	"periph.io/x/devices/v3/ht16k33"
	"periph.io/x/devices/v3/ssd1306"

	"github.com/edgeconv/edgeconv/internal/overlay"
)

// LED is an Output that drives a GPIO line high while a confident reading
// is shown and low otherwise (and while the camera is away). It writes the
// line only when its level changes.
type LED struct {
	Pin gpio.PinOut

	mu    sync.Mutex
	known bool
	on    bool
	err   error
}

// Frame implements Output.
func (l *LED) Frame(f *Frame) { l.set(f.Reading.Confident) }

// Status implements Output: the line goes low while the camera is away.
func (l *LED) Status(err error) {
	if err != nil {
		l.set(false)
	}
}

func (l *LED) set(on bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.known && on == l.on {
		return
	}
	lv := gpio.Low
	if on {
		lv = gpio.High
	}
	if err := l.Pin.Out(lv); err != nil {
		if l.err == nil {
			l.err = fmt.Errorf("firmware: LED %s: %w", l.Pin, err)
		}
		return
	}
	l.known, l.on = true, on
}

// Err returns the first error writing the line.
func (l *LED) Err() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.err
}

// Display shows a reading on a small hardware display.
type Display interface {
	// Show displays r (its first line, as much as fits). It may take
	// milliseconds (an I2C transfer).
	Show(r *Reading) error
	String() string
}

// DisplayOutput is an Output that shows each new reading on a Display from
// its own goroutine, so that a slow bus never holds up the loop: a reading
// that arrives while the display is busy replaces the one waiting.
type DisplayOutput struct {
	d    Display
	mu   sync.Mutex
	next *Reading // waiting to be shown
	err  error
	kick chan struct{}
	done chan struct{}
}

// NewDisplayOutput starts the display's goroutine; Close stops it.
func NewDisplayOutput(d Display) *DisplayOutput {
	o := &DisplayOutput{d: d, kick: make(chan struct{}, 1), done: make(chan struct{})}
	go o.run()
	return o
}

// Frame implements Output.
func (o *DisplayOutput) Frame(f *Frame) {
	if !f.Changed {
		return
	}
	o.mu.Lock()
	if o.next == nil {
		o.next = &Reading{}
	}
	o.next.copyFrom(f.Reading)
	o.mu.Unlock()
	select {
	case o.kick <- struct{}{}:
	default:
	}
}

// Status implements Output: a camera failure blanks the display.
func (o *DisplayOutput) Status(err error) {
	if err == nil {
		return
	}
	o.mu.Lock()
	if o.next == nil {
		o.next = &Reading{}
	}
	o.next.copyFrom(&Reading{})
	o.mu.Unlock()
	select {
	case o.kick <- struct{}{}:
	default:
	}
}

func (o *DisplayOutput) run() {
	var r Reading
	for range o.kick {
		o.mu.Lock()
		if o.next == nil {
			o.mu.Unlock()
			continue
		}
		r.copyFrom(o.next)
		o.mu.Unlock()
		if err := o.d.Show(&r); err != nil {
			o.mu.Lock()
			if o.err == nil {
				o.err = fmt.Errorf("firmware: display %s: %w", o.d, err)
			}
			o.mu.Unlock()
		}
	}
	close(o.done)
}

// Close waits for the display to finish the reading it is showing and
// stops the goroutine. It returns the first error showing a reading.
func (o *DisplayOutput) Close() error {
	close(o.kick)
	<-o.done
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.err
}

// SevenSegment is a Display on an HT16K33 4-digit seven-segment backpack
// (Adafruit 878 and its kin): the first four digits of the reading's first
// line, a low-confidence digit with its decimal point lit, blank when there
// is no digit.
type SevenSegment struct {
	dev  *ht16k33.Dev
	name string
}

// HT16K33Addr is the backpack's default I2C address.
const HT16K33Addr = 0x70

// NewSevenSegment initialises the HT16K33 at addr on bus (oscillator on,
// display on, no blinking, full brightness) and blanks it.
func NewSevenSegment(bus i2c.Bus, addr uint16) (*SevenSegment, error) {
	dev, err := ht16k33.NewI2C(bus, addr)
	if err != nil {
		return nil, fmt.Errorf("firmware: ht16k33 at %#x: %w", addr, err)
	}
	s := &SevenSegment{dev: dev, name: fmt.Sprintf("ht16k33@%#x", addr)}
	return s, s.Show(&Reading{})
}

func (s *SevenSegment) String() string { return s.name }

// segments are the seven-segment patterns of 0..9 (bit 0 is segment a,
// bit 6 is g, bit 7 the decimal point).
var segments = [10]uint16{0x3F, 0x06, 0x5B, 0x4F, 0x66, 0x6D, 0x7D, 0x07, 0x7F, 0x6F}

// sevenSegColumns are the HT16K33 columns of the four digits; column 2
// drives the colon.
var sevenSegColumns = [4]int{0, 1, 3, 4}

// Show implements Display.
func (s *SevenSegment) Show(r *Reading) error {
	var cols [5]uint16
	n := 0
	for _, d := range r.Digits {
		if d.Line != 0 || n == 4 {
			break
		}
		v := segments[d.Digit]
		if d.Low {
			v |= 0x80
		}
		cols[sevenSegColumns[n]] = v
		n++
	}
	for c, v := range cols {
		if err := s.dev.WriteColumn(c, v); err != nil {
			return err
		}
	}
	return nil
}

// Halt blanks the display.
func (s *SevenSegment) Halt() error { return s.Show(&Reading{}) }

// OLED is a Display on a 128x64 SSD1306 OLED: the reading's first line in
// large digits, "?" under low-confidence ones.
type OLED struct {
	dev *ssd1306.Dev
	img *image.Gray
}

// NewOLED initialises the SSD1306 at its usual address 0x3C on bus.
func NewOLED(bus i2c.Bus) (*OLED, error) {
	dev, err := ssd1306.NewI2C(bus, &ssd1306.DefaultOpts)
	if err != nil {
		return nil, fmt.Errorf("firmware: ssd1306: %w", err)
	}
	return &OLED{dev: dev, img: image.NewGray(dev.Bounds())}, nil
}

func (o *OLED) String() string { return o.dev.String() }

// Show implements Display.
func (o *OLED) Show(r *Reading) error {
	draw.Draw(o.img, o.img.Rect, image.Black, image.Point{}, draw.Src)
	var text, marks []byte
	for _, d := range r.Digits {
		if d.Line != 0 || len(text) == 5 {
			break
		}
		text = append(text, byte('0'+d.Digit))
		if d.Low {
			marks = append(marks, '?')
		} else {
			marks = append(marks, ' ')
		}
	}
	rgba := image.NewRGBA(o.img.Rect)
	white, black := color.RGBA{255, 255, 255, 255}, color.RGBA{0, 0, 0, 255}
	overlay.Text(rgba, 2, 4, string(text), 3, white, black)
	for i, m := range marks {
		if m != ' ' {
			overlay.Text(rgba, 2+i*21+7, 48, "?", 1, white, black)
		}
	}
	draw.Draw(o.img, o.img.Rect, rgba, image.Point{}, draw.Src)
	return o.dev.Draw(o.img.Rect, o.img, image.Point{})
}

// Halt turns the display off.
func (o *OLED) Halt() error { return o.dev.Halt() }

var errDisplay = errors.New("firmware: --display is ht16k33[@ADDR] or ssd1306")
