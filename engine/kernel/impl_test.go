package kernel

import (
	"fmt"
	"os"
	"slices"
	"testing"
)

// requireSIMDEnv names the variable that makes an unavailable
// implementation fail the tests instead of skipping them: CI (.ci/run) sets
// it, so that a runner whose CPU lost a feature, or a broken detection,
// cannot pass while testing only the Generic code.
const requireSIMDEnv = "EDGECONV_REQUIRE_SIMD"

// beyondCIBaseline reports whether implementation name needs CPU features
// that a CI runner need not have (AVX-512: the runner is only known to have
// AVX2 and FMA). It skips where they are missing even with requireSIMDEnv
// set; TestVNNIDetected fails instead when /proc/cpuinfo lists them and it
// is not available, so a machine that has them cannot skip it silently.
func beyondCIBaseline(name string) bool { return name == "AVX512VNNI" }

// runner is what eachImpl needs of *testing.T and *testing.B.
type runner[T any] interface {
	testing.TB
	Run(name string, f func(T)) bool
}

// eachImpl runs f once per implementation of family, as subtests (or
// sub-benchmarks) named after them: every registered SIMD implementation
// selected in turn, then the Generic code. f runs the public entry points,
// which dispatch to the selected one; impl is its name. An implementation
// this CPU cannot run is skipped, or fails when EDGECONV_REQUIRE_SIMD is
// set. The dispatch is reset when tb ends.
func eachImpl[T runner[T]](tb T, family string, f func(tb T, impl string)) {
	tb.Helper()
	tb.Cleanup(func() { resetImpls(family) })
	for _, name := range implNames(family) {
		tb.Run(name, func(tb T) {
			if !selectImpl(family, name) {
				if os.Getenv(requireSIMDEnv) != "" && !beyondCIBaseline(name) {
					tb.Fatalf("%s implementation %s is not supported by this CPU, and %s is set", family, name, requireSIMDEnv)
				}
				tb.Skipf("%s implementation %s is not supported by this CPU", family, name)
			}
			f(tb, name)
		})
	}
	tb.Run("Generic", func(tb T) {
		selectImpl(family, "")
		f(tb, "Generic")
	})
}

// simdAvailable reports whether family has an implementation this CPU
// runs, besides the Generic code.
func simdAvailable(family string) bool {
	return slices.ContainsFunc(implNames(family), func(name string) bool { return implAvailable(family, name) })
}

// TestSelectImpl checks the registry: selecting an implementation turns
// its switch on and its family's others off, the empty name turns them all
// off, an unknown name selects nothing, and resetImpls restores the
// switches as they were at start-up.
func TestSelectImpl(t *testing.T) {
	for _, family := range []string{familyFloat32, familyInt8} {
		start := make(map[string]bool)
		for _, im := range implementations {
			if im.family == family {
				if *im.toggle != im.available {
					t.Errorf("%s %s: switch %v at start-up, available %v", family, im.name, *im.toggle, im.available)
				}
				start[im.name] = *im.toggle
			}
		}
		check := func(what string, want func(name string) bool) {
			t.Helper()
			for _, im := range implementations {
				if im.family == family && *im.toggle != want(im.name) {
					t.Errorf("%s, %s: %s switch %v, want %v", family, what, im.name, *im.toggle, want(im.name))
				}
			}
		}
		for _, name := range implNames(family) {
			if got := selectImpl(family, name); got != implAvailable(family, name) {
				t.Errorf("selectImpl(%s, %s) = %v, available %v", family, name, got, implAvailable(family, name))
			}
			check("select "+name, func(n string) bool { return n == name && implAvailable(family, name) })
		}
		if !selectImpl(family, "") {
			t.Errorf("selectImpl(%s, \"\") = false", family)
		}
		check("select Generic", func(string) bool { return false })
		if selectImpl(family, "no such kernel") {
			t.Errorf("selectImpl(%s, unknown) = true", family)
		}
		resetImpls(family)
		check("reset", func(name string) bool { return start[name] })
	}
}

// wantPanic fails t unless fn panics with want, one of the constant
// messages of errors.go; what names the call in the failure.
func wantPanic(t testing.TB, what, want string, fn func()) {
	t.Helper()
	defer func() {
		if r := recover(); r != want {
			t.Errorf("%s: panic %v, want %q", what, r, want)
		}
	}()
	fn()
}

// panicCase is a call, fn, that must panic with want (wantPanics).
type panicCase struct {
	want string
	fn   func()
}

// wantPanics runs wantPanic on each case, named in a failure by its index.
func wantPanics(t testing.TB, cases []panicCase) {
	t.Helper()
	for i, c := range cases {
		wantPanic(t, fmt.Sprintf("case %d", i), c.want, c.fn)
	}
}
