// Package sysmem tells how much memory the program may use, so that a
// command can refuse a size that comes from its input (a batch, a worker
// count, a model's architecture) before it allocates it, with a clear
// error, instead of dying of the Go runtime's fatal out-of-memory error.
package sysmem

import (
	"fmt"
	"math"
	"strconv"
)

// Limit returns the bytes this process may allocate at most, and what sets
// that limit: the machine's memory or the address-space limit (ulimit -v,
// prlimit --as), whichever is smaller, and on 32-bit systems the 3 GiB a
// process can address. It returns 0, "" where it cannot tell.
func Limit() (bytes int64, what string) {
	bytes, what = limit()
	if strconv.IntSize == 32 && (bytes == 0 || bytes > 3<<30) {
		bytes, what = 3<<30, "a 32-bit address space"
	}
	return bytes, what
}

// share is the part of Limit that one structure may take: the Go runtime,
// the rest of the program and the garbage collector's slack need the
// remainder.
const share = 0.75

// Check returns an error when need bytes, for what (e.g. "the training
// plan"), are more than three quarters of Limit, and nil when they fit or
// the limit is unknown.
func Check(what string, need int64) error {
	lim, by := Limit()
	if lim <= 0 || float64(need) <= share*float64(lim) {
		return nil
	}
	return fmt.Errorf("%s needs about %s of memory; this machine allows %s (%s)", what, gib(need), gib(lim), by)
}

func gib(n int64) string {
	if n >= 1<<30 || n <= 0 {
		return strconv.FormatFloat(math.Round(float64(n)/(1<<30)*10)/10, 'f', -1, 64) + " GiB"
	}
	return strconv.FormatInt((n+1<<20-1)>>20, 10) + " MiB"
}
