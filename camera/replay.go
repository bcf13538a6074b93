package camera

import (
	"bufio"
	"bytes"
	"fmt"
	"image"
	"io"
	"os"
	"time"

	"periph.io/x/conn/v3/physic"
)

// ReplayOpts sets how a recording is played.
type ReplayOpts struct {
	// Loop starts the recording again after its last frame. Without it,
	// Capture returns io.EOF after the last frame.
	Loop bool
	// FrameRate paces Capture with a timer so that frames come no faster
	// than this rate, like a camera's. 0 delivers them as fast as they are
	// asked for.
	FrameRate physic.Frequency
}

// Replay is a Source that plays recorded frames: frames in memory, image
// files, raw I420 streams or YUV4MPEG2 streams.
//
// Halt interrupts a Capture waiting for its frame time (it returns
// ErrHalted) and does not change the position in the recording.
type Replay struct {
	name   string
	rect   image.Rectangle
	rate   physic.Frequency
	period time.Duration
	loop   bool
	fr     frameReader
	closer io.Closer

	// intr.capMu serialises Capture and the final Close, and guards these.
	n     int // frames served since the start or the last rewind
	timer *time.Timer
	next  time.Time

	intr *interrupts
}

// frameReader reads the frames of one recording.
type frameReader interface {
	// readFrame fills dst, whose size has been checked, with the next
	// frame. It returns io.EOF, and leaves dst alone, at a clean end.
	readFrame(dst *image.YCbCr) error
	// rewind goes back to the first frame.
	rewind() error
}

func newReplay(name string, w, h int, fr frameReader, closer io.Closer, o *ReplayOpts) *Replay {
	if o == nil {
		o = &ReplayOpts{}
	}
	t := time.NewTimer(time.Hour)
	t.Stop()
	return &Replay{
		name:   name,
		rect:   image.Rect(0, 0, w, h),
		rate:   o.FrameRate,
		period: o.FrameRate.Period(),
		loop:   o.Loop,
		fr:     fr,
		closer: closer,
		timer:  t,
		intr:   newInterrupts(),
	}
}

// NewFrames returns a Replay of frames held in memory, 4:2:0 frames as
// NewFrame makes them, which must all have the same size. Capture copies
// them; the slice and the frames must not be changed while the Replay is in
// use.
func NewFrames(frames []*image.YCbCr, o *ReplayOpts) (*Replay, error) {
	if len(frames) == 0 {
		return nil, errNoFrames
	}
	for i, f := range frames {
		if err := checkFrame(f); err != nil {
			return nil, fmt.Errorf("camera: frame %d: %w", i, err)
		}
	}
	sz := frames[0].Rect.Size()
	for i, f := range frames[1:] {
		if s := f.Rect.Size(); s != sz {
			return nil, fmt.Errorf("%w: frame %d is %dx%d, frame 0 is %dx%d", ErrSize, i+1, s.X, s.Y, sz.X, sz.Y)
		}
	}
	return newReplay(fmt.Sprintf("frames(%d)", len(frames)), sz.X, sz.Y, &memFrames{frames: frames}, nil, o), nil
}

// NewY4M returns a Replay of the YUV4MPEG2 stream r, whose header it reads
// now; see parseY4MHeader for the headers accepted. 4:2:0 chroma is read as
// it is; 4:2:2 and 4:4:4 chroma is brought to 4:2:0, each sample the
// rounded mean of those of its 2 (4:2:2) or 2x2 (4:4:4) pixels; mono
// streams give neutral chroma (128); an alpha plane is skipped. Looping
// needs r to be an io.Seeker that can seek.
func NewY4M(r io.Reader, o *ReplayOpts) (*Replay, error) {
	return newY4M("y4m", r, nil, o)
}

// OpenY4M opens the YUV4MPEG2 file at path. Close closes the file.
func OpenY4M(path string, o *ReplayOpts) (*Replay, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("camera: %w", err)
	}
	r, err := newY4M(path, f, f, o)
	if err != nil {
		f.Close()
		return nil, err
	}
	return r, nil
}

func newY4M(name string, r io.Reader, c io.Closer, o *ReplayOpts) (*Replay, error) {
	sr := &streamReader{name: name, r: r, br: bufio.NewReaderSize(r, 64<<10), y4m: true}
	if magic, _ := sr.br.Peek(len(y4mMagic)); len(magic) > 0 && string(magic) != y4mMagic {
		return nil, fmt.Errorf("camera: %s: not a YUV4MPEG2 stream", name)
	}
	line, err := sr.br.ReadSlice('\n')
	if err != nil {
		if err == io.EOF && len(line) == 0 {
			return nil, fmt.Errorf("camera: %s: empty file", name)
		}
		return nil, fmt.Errorf("camera: %s: bad YUV4MPEG2 header: %w", name, err)
	}
	h, err := parseY4MHeader(bytes.TrimRight(line, "\r\n"))
	if err != nil {
		return nil, fmt.Errorf("%w (in %s)", err, name)
	}
	sr.w, sr.h, sr.sub, sr.alpha = h.w, h.h, h.sub, h.alpha
	switch h.sub {
	case sub422:
		sr.scratch = make([]byte, 2*((h.w+1)/2))
	case sub444:
		sr.scratch = make([]byte, 2*h.w)
	}
	if err := sr.setSeek(int64(len(line)), o); err != nil {
		return nil, err
	}
	return newReplay(name, h.w, h.h, sr, c, o), nil
}

// NewI420 returns a Replay of the raw I420 stream r of width×height frames
// whose Y rows are stride bytes apart (0 means width: a packed stream such
// as ffmpeg's yuv420p; RPiCamStride(width) for a recording of rpicam-vid's
// output). The U and V planes have (stride+1)/2 bytes per row, of which the
// first (width+1)/2 are the image, and (height+1)/2 rows. Looping needs r to
// be an io.Seeker that can seek.
func NewI420(r io.Reader, width, height, stride int, o *ReplayOpts) (*Replay, error) {
	return newI420("i420", r, nil, width, height, stride, o)
}

// OpenI420 opens the raw I420 file at path; see NewI420. Close closes the
// file.
func OpenI420(path string, width, height, stride int, o *ReplayOpts) (*Replay, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("camera: %w", err)
	}
	r, err := newI420(path, f, f, width, height, stride, o)
	if err != nil {
		f.Close()
		return nil, err
	}
	return r, nil
}

func newI420(name string, r io.Reader, c io.Closer, width, height, stride int, o *ReplayOpts) (*Replay, error) {
	l, err := newI420Layout(width, height, stride)
	if err != nil {
		return nil, err
	}
	sr := &streamReader{
		name:   name,
		r:      r,
		br:     bufio.NewReaderSize(r, 64<<10),
		w:      l.w,
		h:      l.h,
		rowPad: l.stride - l.w,
		cPad:   (l.stride+1)/2 - (l.w+1)/2,
	}
	if err := sr.setSeek(-1, o); err != nil {
		return nil, err
	}
	return newReplay(name, l.w, l.h, sr, c, o), nil
}

func (r *Replay) String() string {
	return fmt.Sprintf("%s %dx%d", r.name, r.rect.Dx(), r.rect.Dy())
}

// Bounds implements Source.
func (r *Replay) Bounds() image.Rectangle {
	return r.rect
}

// FrameRate implements FrameRater: the pacing rate, 0 when unpaced.
func (r *Replay) FrameRate() physic.Frequency {
	return r.rate
}

// Capture implements Source. At the end of a recording that does not loop it
// returns io.EOF.
func (r *Replay) Capture(dst *image.YCbCr) error {
	halt, err := r.intr.beginCapture(dst, r.rect.Dx(), r.rect.Dy())
	if err != nil {
		return err
	}
	defer r.intr.capMu.Unlock()
	if err := r.pace(halt); err != nil {
		return err
	}
	err = r.fr.readFrame(dst)
	if err == io.EOF && r.loop {
		if r.n == 0 {
			return errNoFrames
		}
		if err = r.fr.rewind(); err != nil {
			return err
		}
		r.n = 0
		err = r.fr.readFrame(dst)
	}
	if err != nil {
		return err
	}
	r.n++
	return nil
}

// pace waits for the next frame time.
func (r *Replay) pace(halt <-chan struct{}) error {
	if r.period <= 0 {
		return nil
	}
	now := time.Now()
	if r.next.IsZero() || now.Sub(r.next) > r.period {
		// First frame, or late by more than a frame: start again from now
		// rather than rushing to catch up.
		r.next = now
	}
	if d := r.next.Sub(now); d > 0 {
		r.timer.Reset(d)
		select {
		case <-r.timer.C:
		case <-halt:
			r.timer.Stop()
			return ErrHalted
		case <-r.intr.done:
			r.timer.Stop()
			return ErrClosed
		}
	}
	r.next = r.next.Add(r.period)
	return nil
}

// Halt implements conn.Resource: it interrupts a Capture waiting for its
// frame time.
func (r *Replay) Halt() error {
	r.intr.halt()
	return nil
}

// Close implements io.Closer. It interrupts a waiting Capture and closes the
// file, if the Replay opened one.
func (r *Replay) Close() error {
	if !r.intr.closeCapture() {
		return nil
	}
	defer r.intr.capMu.Unlock()
	r.timer.Stop()
	if r.closer != nil {
		if err := r.closer.Close(); err != nil {
			return fmt.Errorf("camera: %w", err)
		}
	}
	return nil
}

// memFrames plays frames held in memory.
type memFrames struct {
	frames []*image.YCbCr
	i      int
}

func (m *memFrames) readFrame(dst *image.YCbCr) error {
	if m.i >= len(m.frames) {
		return io.EOF
	}
	copyFrame(dst, m.frames[m.i])
	m.i++
	return nil
}

func (m *memFrames) rewind() error {
	m.i = 0
	return nil
}

// streamReader reads raw I420 or YUV4MPEG2 frames.
type streamReader struct {
	name    string
	r       io.Reader
	seeker  io.Seeker // nil when the stream cannot seek
	br      *bufio.Reader
	start   int64 // offset of the first frame
	y4m     bool
	w, h    int
	rowPad  int       // bytes after each Y row
	sub     chromaSub // how the chroma planes are stored
	cPad    int       // bytes after each chroma row (4:2:0 only)
	alpha   int       // bytes after the chroma planes, skipped
	scratch []byte    // two chroma rows as stored (4:2:2, 4:4:4)
	n       int       // index of the next frame, for messages
}

var y4mFrameTag = []byte("FRAME")

// setSeek records where the first frame starts (offset, or the current
// position when offset < 0) if the stream can seek, and fails if looping was
// asked for and it cannot.
func (s *streamReader) setSeek(offset int64, o *ReplayOpts) error {
	if sk, ok := s.r.(io.Seeker); ok {
		if pos, err := sk.Seek(0, io.SeekCurrent); err == nil {
			s.seeker = sk
			if offset < 0 {
				offset = pos
			}
			s.start = offset
		}
	}
	if s.seeker == nil && o != nil && o.Loop {
		return fmt.Errorf("%w (%s)", errNotLoop, s.name)
	}
	return nil
}

func (s *streamReader) readFrame(dst *image.YCbCr) error {
	if s.y4m {
		line, err := s.br.ReadSlice('\n')
		switch {
		case err == io.EOF && len(line) == 0:
			return io.EOF
		case err == bufio.ErrBufferFull:
			return fmt.Errorf("camera: %s: frame %d: FRAME header too long", s.name, s.n)
		case err == io.EOF:
			return s.truncated(io.ErrUnexpectedEOF)
		case err != nil:
			return fmt.Errorf("camera: %s: %w", s.name, err)
		}
		if !bytes.HasPrefix(line, y4mFrameTag) {
			if len(line) > 16 {
				line = line[:16]
			}
			return fmt.Errorf("camera: %s: frame %d: expected a FRAME header, found %q", s.name, s.n, line)
		}
	}
	for y := 0; y < s.h; y++ {
		row := dst.Y[y*dst.YStride : y*dst.YStride+s.w]
		if n, err := io.ReadFull(s.br, row); err != nil {
			if err == io.EOF && y == 0 && n == 0 && !s.y4m {
				return io.EOF
			}
			return s.truncated(err)
		}
		if s.rowPad > 0 {
			if _, err := s.br.Discard(s.rowPad); err != nil {
				return s.truncated(err)
			}
		}
	}
	if s.sub == subMono {
		fillChroma(dst)
	}
	for _, p := range [2][]byte{dst.Cb, dst.Cr} {
		if err := s.readChroma(p, dst.CStride); err != nil {
			return s.truncated(err)
		}
	}
	if s.alpha > 0 {
		if _, err := s.br.Discard(s.alpha); err != nil {
			return s.truncated(err)
		}
	}
	s.n++
	return nil
}

// readChroma reads one chroma plane of the stream into the 4:2:0 plane p,
// whose rows are stride bytes apart.
func (s *streamReader) readChroma(p []byte, stride int) error {
	cw, ch := chromaSize(s.w, s.h)
	switch s.sub {
	case sub420:
		for y := 0; y < ch; y++ {
			if _, err := io.ReadFull(s.br, p[y*stride:y*stride+cw]); err != nil {
				return err
			}
			if s.cPad > 0 {
				if _, err := s.br.Discard(s.cPad); err != nil {
					return err
				}
			}
		}
	case sub422, sub444:
		// Rows of sw samples, two at a time; the last row of an odd
		// height counts twice.
		sw := cw
		if s.sub == sub444 {
			sw = s.w
		}
		a, b := s.scratch[:sw], s.scratch[sw:2*sw]
		for y := 0; y < ch; y++ {
			if _, err := io.ReadFull(s.br, a); err != nil {
				return err
			}
			if 2*y+1 < s.h {
				if _, err := io.ReadFull(s.br, b); err != nil {
					return err
				}
			} else {
				copy(b, a)
			}
			row := p[y*stride : y*stride+cw]
			if s.sub == sub422 {
				for x := range row {
					row[x] = uint8((int(a[x]) + int(b[x]) + 1) >> 1)
				}
				continue
			}
			for x := range row {
				x0, x1 := 2*x, min(2*x+1, sw-1)
				row[x] = uint8((int(a[x0]) + int(a[x1]) + int(b[x0]) + int(b[x1]) + 2) >> 2)
			}
		}
	}
	return nil
}

func (s *streamReader) truncated(err error) error {
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return fmt.Errorf("camera: %s: frame %d is truncated: %w", s.name, s.n, err)
}

func (s *streamReader) rewind() error {
	if s.seeker == nil {
		return fmt.Errorf("%w (%s)", errNotLoop, s.name)
	}
	if _, err := s.seeker.Seek(s.start, io.SeekStart); err != nil {
		return fmt.Errorf("camera: %s: %w", s.name, err)
	}
	s.br.Reset(s.r)
	s.n = 0
	return nil
}
