package camera

import (
	"image"
	"sync"
)

// interrupts ends the waits of a source's Capture, as the sources that wait
// (Replay, Webcam, RPiCam) all do it: Halt ends the waits of the moment,
// Close every wait for good. A Capture takes the halt channel of its start
// (begin) and waits on it and on done. capMu serialises the Captures with
// each other and with the device work of Close (and of Webcam's Halt);
// each source says what else it guards.
type interrupts struct {
	capMu sync.Mutex

	mu     sync.Mutex
	closed bool
	halted chan struct{} // closed and replaced by halt
	done   chan struct{} // closed by close
}

func newInterrupts() *interrupts {
	return &interrupts{halted: make(chan struct{}), done: make(chan struct{})}
}

// begin returns the channel that the next halt closes, or ErrClosed after
// close.
func (i *interrupts) begin() (<-chan struct{}, error) {
	i.mu.Lock()
	defer i.mu.Unlock()
	if i.closed {
		return nil, ErrClosed
	}
	return i.halted, nil
}

// beginCapture starts a Capture into dst, which must take a w×h frame: it
// checks dst, takes capMu and returns begin's channel. On success the
// caller holds capMu until it returns.
func (i *interrupts) beginCapture(dst *image.YCbCr, w, h int) (<-chan struct{}, error) {
	if err := checkDst(dst, w, h); err != nil {
		return nil, err
	}
	i.capMu.Lock()
	halted, err := i.begin()
	if err != nil {
		i.capMu.Unlock()
		return nil, err
	}
	return halted, nil
}

// since returns ErrClosed if close came, else ErrHalted if halt came since
// begin returned halted, else nil.
func (i *interrupts) since(halted <-chan struct{}) error {
	i.mu.Lock()
	defer i.mu.Unlock()
	switch {
	case i.closed:
		return ErrClosed
	case i.halted != halted:
		return ErrHalted
	}
	return nil
}

// isClosed reports whether close came.
func (i *interrupts) isClosed() bool {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.closed
}

// halt wakes the Captures waiting at this moment (none after close).
func (i *interrupts) halt() {
	i.mu.Lock()
	defer i.mu.Unlock()
	if !i.closed {
		close(i.halted)
		i.halted = make(chan struct{})
	}
}

// close wakes every Capture for good. It reports whether this call closed,
// false when an earlier one did.
func (i *interrupts) close() bool {
	i.mu.Lock()
	defer i.mu.Unlock()
	if i.closed {
		return false
	}
	i.closed = true
	close(i.done)
	return true
}

// closeCapture is close for a Close with device work to do: when this call
// closed, it waits for the Capture in progress, if any, to return and
// holds capMu, which the caller releases.
func (i *interrupts) closeCapture() bool {
	if !i.close() {
		return false
	}
	i.capMu.Lock()
	return true
}
