package firmware

import (
	"context"
	"os"
	"strconv"
	"time"

	"github.com/edgeconv/edgeconv/model"
	"github.com/edgeconv/edgeconv/reading"
)

// Model event statuses.
const (
	ModelRunning  = "running"  // the model run started with
	ModelSwitched = "switched" // a new file was taken into use
	ModelRejected = "rejected" // a new file failed; the old model runs on
)

// ModelEvent reports the model the loop reads with: at the start, after a
// switch, and when a new file is rejected.
type ModelEvent struct {
	Time   time.Time
	Status string // ModelRunning, ModelSwitched or ModelRejected
	// Model names the model running after the event (Model.String) and
	// SHA256 its file's hash; Previous is the one before a switch.
	Model, SHA256, Previous string
	// File is the model file watched; Err is why it was rejected.
	File string
	Err  error
}

// AppendJSON appends e as one JSON object.
func (e *ModelEvent) AppendJSON(dst []byte) []byte {
	dst = append(dst, `{"event":"model","time":"`...)
	dst = e.Time.UTC().AppendFormat(dst, "2006-01-02T15:04:05.000Z07:00")
	dst = append(dst, `","status":"`...)
	dst = append(dst, e.Status...)
	dst = append(dst, `","model":`...)
	dst = strconv.AppendQuote(dst, e.Model)
	dst = append(dst, `,"sha256":"`...)
	dst = append(dst, e.SHA256...)
	dst = append(dst, '"')
	if e.File != "" {
		dst = append(dst, `,"file":`...)
		dst = strconv.AppendQuote(dst, e.File)
	}
	if e.Previous != "" {
		dst = append(dst, `,"previous":`...)
		dst = strconv.AppendQuote(dst, e.Previous)
	}
	if e.Err != nil {
		dst = append(dst, `,"error":`...)
		dst = strconv.AppendQuote(dst, e.Err.Error())
	}
	return append(dst, '}')
}

// String returns e as a line for a terminal.
func (e *ModelEvent) String() string {
	switch e.Status {
	case ModelSwitched:
		return "model switched to " + e.Model + " (sha256 " + e.SHA256[:min(12, len(e.SHA256))] + ") from " + e.Previous
	case ModelRejected:
		return "model file rejected, " + e.Model + " runs on: " + e.Err.Error()
	}
	return "model " + e.Model + " (sha256 " + e.SHA256[:min(12, len(e.SHA256))] + ")"
}

// Reloader watches a model file and switches the loop to it when it
// changes, once it is whole and valid. The file (and its sum file,
// FILE.sha256, when there is one) must keep its size and time for one
// poll before it is tried, so that a copy in progress (scp writes in
// place) is not read half-written; a file that fails is reported once and
// tried again only when it changes. A signal on Signal (SIGHUP) tries the
// file at once.
type Reloader struct {
	// File is the model file.
	File string
	// Loop is the loop whose reader is swapped.
	Loop *Loop
	// Open opens the file, validates it completely and returns a reader
	// of it and its model; the old reader keeps running meanwhile.
	Open func(file string) (*reading.Reader, *model.Model, error)
	// Current is the model running at the start.
	Current *model.Model
	// Poll is the period of the file's checks; 0 means 1 s.
	Poll time.Duration
	// Signal, if set, makes the reloader try the file at once.
	Signal <-chan os.Signal
	// Report receives every switch and rejection, on the reloader's
	// goroutine.
	Report func(ModelEvent)
}

// fileState is what the reloader compares to notice a change.
type fileState struct {
	size, sumSize int64
	mod, sumMod   time.Time
	ok            bool
}

func statModel(file string) fileState {
	var s fileState
	if fi, err := os.Stat(file); err == nil {
		s.size, s.mod, s.ok = fi.Size(), fi.ModTime(), true
	}
	if fi, err := os.Stat(file + ".sha256"); err == nil {
		s.sumSize, s.sumMod = fi.Size(), fi.ModTime()
	}
	return s
}

// Run watches the file until ctx is done.
func (r *Reloader) Run(ctx context.Context) {
	poll := r.Poll
	if poll <= 0 {
		poll = time.Second
	}
	tick := time.NewTicker(poll)
	defer tick.Stop()
	tried := statModel(r.File) // the state the running model came from
	last := tried
	cur := r.Current
	for {
		force := false
		select {
		case <-ctx.Done():
			return
		case <-r.Signal:
			force = true
		case <-tick.C:
		}
		st := statModel(r.File)
		steady := st == last
		last = st
		if !force && (st == tried || !steady || !st.ok) {
			continue
		}
		tried = st
		rd, m, err := r.Open(r.File)
		ev := ModelEvent{Time: time.Now(), File: r.File, Model: cur.String(), SHA256: cur.SHA256()}
		if err == nil && m.SHA256() == cur.SHA256() {
			rd.Close() // the same bytes: nothing to switch
			continue
		}
		if err == nil {
			r.Loop.WarmUp(rd)
			old, serr := r.Loop.SwapReader(ctx, rd)
			if serr != nil { // stopping
				rd.Close()
				return
			}
			old.Close()
			ev.Status, ev.Previous, ev.Model, ev.SHA256 = ModelSwitched, cur.String(), m.String(), m.SHA256()
			cur = m
		} else {
			ev.Status, ev.Err = ModelRejected, err
		}
		if r.Report != nil {
			r.Report(ev)
		}
	}
}
