//go:build !purego

package kernel

import (
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// TestAVX2Detected fails when the CPU lists AVX2 and FMA in /proc/cpuinfo,
// which the kernel reads independently of golang.org/x/sys/cpu, but the
// AVX2 implementations are not available: every AVX2 test would then skip
// and the Generic code alone would pass.
func TestAVX2Detected(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("/proc/cpuinfo is Linux's")
	}
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		t.Skipf("no /proc/cpuinfo: %v", err)
	}
	var flags []string
	for line := range strings.Lines(string(b)) {
		if name, value, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(name) == "flags" {
			flags = strings.Fields(value)
			break
		}
	}
	if !slices.Contains(flags, "avx2") || !slices.Contains(flags, "fma") {
		t.Skipf("the CPU does not list avx2 and fma (flags: %d)", len(flags))
	}
	for _, family := range []string{familyFloat32, familyInt8} {
		if !implAvailable(family, "AVX2") {
			t.Errorf("the CPU has AVX2 and FMA, but the %s AVX2 implementation is not available", family)
		}
	}
}
