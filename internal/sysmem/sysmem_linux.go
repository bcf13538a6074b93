package sysmem

import (
	"os"
	"path"
	"strconv"
	"strings"
	"syscall"
)

func limit() (int64, string) {
	var ram uint64
	var info syscall.Sysinfo_t
	if syscall.Sysinfo(&info) == nil {
		ram = uint64(info.Totalram) * uint64(max(info.Unit, 1))
	}
	var as uint64
	var rl syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_AS, &rl) == nil && rl.Cur != ^uint64(0) {
		as = uint64(rl.Cur)
	}
	cg := cgroupLimit(os.ReadFile)
	best, what := uint64(0), ""
	for _, c := range []struct {
		n    uint64
		what string
	}{{ram, "its memory"}, {cg, "the cgroup's memory limit"}, {as, "the address-space limit"}} {
		if c.n > 0 && (best == 0 || c.n < best) {
			best, what = c.n, c.what
		}
	}
	return clamp(best), what
}

func clamp(n uint64) int64 { return int64(min(n, 1<<62)) }

// cgroupLimit returns the memory limit of the process's control group
// (systemd's MemoryMax=, a container's --memory), cgroup v2 or v1, or 0
// when there is none. read reads a file (os.ReadFile; tests pass a map).
func cgroupLimit(read func(string) ([]byte, error)) uint64 {
	b, err := read("/proc/self/cgroup")
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(b)) {
		// hierarchy-ID:controllers:path
		f := strings.SplitN(strings.TrimSpace(line), ":", 3)
		if len(f) != 3 {
			continue
		}
		var files []string
		switch {
		case f[0] == "0" && f[1] == "":
			files = []string{path.Join("/sys/fs/cgroup", f[2], "memory.max"), "/sys/fs/cgroup/memory.max"}
		case strings.Contains(","+f[1]+",", ",memory,"):
			files = []string{path.Join("/sys/fs/cgroup/memory", f[2], "memory.limit_in_bytes"), "/sys/fs/cgroup/memory/memory.limit_in_bytes"}
		default:
			continue
		}
		// Inside a container the path is often the host's while the
		// group is mounted at the root: the first file that exists.
		for _, name := range files {
			if b, err := read(name); err == nil {
				// "max" (v2) or a huge number (v1) is no limit.
				n, err := strconv.ParseUint(strings.TrimSpace(string(b)), 10, 64)
				if err == nil && n < 1<<60 {
					return n
				}
				break
			}
		}
	}
	return 0
}
