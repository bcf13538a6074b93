// Package alloctest checks the zero-allocation property of a steady-state
// path in tests (the kernels, the plans' passes, classifying, reading a
// frame, the camera loop and its outputs): warm up, count with
// testing.AllocsPerRun, report.
package alloctest

import "testing"

// Zero fails t unless f allocates nothing once warmed up: f runs warm
// times (buffers grown, caches filled), then testing.AllocsPerRun over runs
// calls must count 0. what names the case in the failure.
func Zero(t testing.TB, what string, warm, runs int, f func()) {
	t.Helper()
	for range warm {
		f()
	}
	if got := testing.AllocsPerRun(runs, f); got != 0 {
		t.Errorf("%s: %v allocations per call, want 0", what, got)
	}
}

// SkipShort skips t with -short, for an allocation test whose set-up (a
// model, the test scenes, a whole loop) is slow: the purego and emulated
// arm64 passes run with -short, and the native pass measures the same
// code.
func SkipShort(t testing.TB) {
	t.Helper()
	if testing.Short() {
		t.Skip("allocation test skipped in -short mode")
	}
}
