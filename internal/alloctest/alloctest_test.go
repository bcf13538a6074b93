package alloctest

import (
	"fmt"
	"testing"
)

// recorder is a testing.TB that keeps what Errorf reports.
type recorder struct {
	testing.TB
	errors []string
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

var sink []byte

// TestZero: a function that allocates on every call is reported, with its
// name and count; one that allocates only while warming up is not.
func TestZero(t *testing.T) {
	r := &recorder{TB: t}
	Zero(r, "make", 0, 10, func() { sink = make([]byte, 100) })
	if len(r.errors) != 1 || r.errors[0] != "make: 1 allocations per call, want 0" {
		t.Errorf("allocating function: reported %q", r.errors)
	}
	r = &recorder{TB: t}
	var buf []byte
	Zero(r, "grown", 1, 10, func() {
		if buf == nil {
			buf = make([]byte, 100)
		}
		sink = buf
	})
	if len(r.errors) != 0 {
		t.Errorf("function that allocates only while warming up: reported %q", r.errors)
	}
}
