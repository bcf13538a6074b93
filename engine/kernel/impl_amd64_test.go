//go:build !purego

package kernel

import (
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// cpuFlags returns the flags the kernel lists for the first CPU in
// /proc/cpuinfo, which it reads independently of golang.org/x/sys/cpu; it
// skips the test where there is none.
func cpuFlags(t *testing.T) []string {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("/proc/cpuinfo is Linux's")
	}
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		t.Skipf("no /proc/cpuinfo: %v", err)
	}
	for line := range strings.Lines(string(b)) {
		if name, value, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(name) == "flags" {
			return strings.Fields(value)
		}
	}
	return nil
}

// TestAVX2Detected fails when the CPU lists AVX2 and FMA in /proc/cpuinfo
// but the AVX2 implementations are not available: every AVX2 test would
// then skip and the Generic code alone would pass.
func TestAVX2Detected(t *testing.T) {
	flags := cpuFlags(t)
	if !slices.Contains(flags, "avx2") || !slices.Contains(flags, "fma") {
		t.Skipf("the CPU does not list avx2 and fma (flags: %d)", len(flags))
	}
	for _, family := range []string{familyFloat32, familyInt8} {
		if !implAvailable(family, "AVX2") {
			t.Errorf("the CPU has AVX2 and FMA, but the %s AVX2 implementation is not available", family)
		}
	}
}

// TestVNNIDetected is TestAVX2Detected for the int8 AVX512-VNNI kernels,
// which skip even in CI where the CPU lacks the features (see
// beyondCIBaseline): where it lists them, they must run.
func TestVNNIDetected(t *testing.T) {
	flags := cpuFlags(t)
	for _, f := range []string{"avx512f", "avx512vl", "avx512_vnni", "bmi2"} {
		if !slices.Contains(flags, f) {
			t.Skipf("the CPU does not list %s", f)
		}
	}
	if !implAvailable(familyInt8, "AVX512VNNI") {
		t.Error("the CPU has AVX512F, AVX512VL, AVX512_VNNI and BMI2, but the int8 AVX512VNNI implementation is not available")
	}
}
