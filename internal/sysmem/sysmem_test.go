package sysmem

import (
	"runtime"
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	lim, what := Limit()
	if runtime.GOOS == "linux" && (lim <= 0 || what == "") {
		t.Fatalf("Limit() = %d, %q on Linux", lim, what)
	}
	if err := Check("a small buffer", 1<<20); err != nil {
		t.Errorf("1 MiB: %v", err)
	}
	if lim <= 0 {
		t.Skip("no limit known here")
	}
	err := Check("the plan", lim)
	if err == nil || !strings.HasPrefix(err.Error(), "the plan needs about ") || !strings.Contains(err.Error(), what) {
		t.Errorf("all of the memory: %v", err)
	}
	t.Logf("limit %s (%s); %v", gib(lim), what, err)
}
