package sysmem

import (
	"os"
	"testing"
)

func TestCgroupLimit(t *testing.T) {
	for _, c := range []struct {
		name  string
		files map[string]string
		want  uint64
	}{
		{"v2", map[string]string{"/proc/self/cgroup": "0::/system.slice/edgeconv.service\n",
			"/sys/fs/cgroup/system.slice/edgeconv.service/memory.max": "268435456\n"}, 256 << 20},
		{"v2 unlimited", map[string]string{"/proc/self/cgroup": "0::/user.slice\n",
			"/sys/fs/cgroup/user.slice/memory.max": "max\n"}, 0},
		{"v2 in a container", map[string]string{"/proc/self/cgroup": "0::/docker/abc\n",
			"/sys/fs/cgroup/memory.max": "1073741824\n"}, 1 << 30},
		{"v1", map[string]string{"/proc/self/cgroup": "5:devices:/\n4:memory:/app\n0::/\n",
			"/sys/fs/cgroup/memory/app/memory.limit_in_bytes": "536870912\n"}, 512 << 20},
		{"v1 unlimited", map[string]string{"/proc/self/cgroup": "4:cpu,memory:/\n",
			"/sys/fs/cgroup/memory/memory.limit_in_bytes": "9223372036854771712\n"}, 0},
		{"none", map[string]string{}, 0},
	} {
		read := func(name string) ([]byte, error) {
			if s, ok := c.files[name]; ok {
				return []byte(s), nil
			}
			return nil, os.ErrNotExist
		}
		if got := cgroupLimit(read); got != c.want {
			t.Errorf("%s: %d, want %d", c.name, got, c.want)
		}
	}
}
