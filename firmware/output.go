package firmware

import (
	"io"
	"sync"
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
