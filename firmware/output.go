package firmware

import (
	"io"
	"sync"
	"time"
)

// Printer is an Output that writes a line to W whenever the stable reading
// changes: JSON (see Reading.AppendJSON) or a line of text.
type Printer struct {
	W io.Writer
	// JSON selects JSON lines; NoTime leaves their "time" out (for
	// comparing runs).
	JSON, NoTime bool

	mu  sync.Mutex
	buf []byte
	err error
}

// Frame implements Output.
func (p *Printer) Frame(f *Frame) {
	if !f.Changed {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.JSON {
		p.buf = f.Reading.AppendJSON(p.buf[:0], !p.NoTime)
	} else {
		p.buf = f.Reading.AppendText(p.buf[:0])
	}
	p.buf = append(p.buf, '\n')
	if _, err := p.W.Write(p.buf); err != nil && p.err == nil {
		p.err = err
	}
}

// Status implements Output: camera failures go to the log, not here.
func (p *Printer) Status(error) {}

// Err returns the first write error.
func (p *Printer) Err() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.err
}

// Event writes a line that is not a reading (a model switch): text, or
// the JSON object in JSON mode. It may be called from any goroutine.
func (p *Printer) Event(text string, json []byte) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.JSON {
		p.buf = append(append(p.buf[:0], json...), '\n')
	} else {
		p.buf = time.Now().AppendFormat(p.buf[:0], "15:04:05.000")
		p.buf = append(append(append(p.buf, "  "...), text...), '\n')
	}
	if _, err := p.W.Write(p.buf); err != nil && p.err == nil {
		p.err = err
	}
}
