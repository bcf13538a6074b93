package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/pkg/profile"
)

// profileFlags are the --profile and --profile-dir flags shared by the
// long-running commands.
type profileFlags struct {
	mode, dir string
}

// profileModes are the values of --profile, in the order the help lists
// them.
var profileModes = []struct {
	name string
	mode func(*profile.Profile)
}{
	{"cpu", profile.CPUProfile},
	{"mem", profile.MemProfile},
	{"allocs", profile.MemProfileAllocs},
	{"block", profile.BlockProfile},
	{"mutex", profile.MutexProfile},
	{"trace", profile.TraceProfile},
}

// profileModeNames lists the values of --profile: "cpu, mem, ... or trace".
func profileModeNames() string {
	names := make([]string, len(profileModes))
	for i, m := range profileModes {
		names[i] = m.name
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

func (p *profileFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&p.mode, "profile", "", "write a pprof profile: "+profileModeNames())
	fs.StringVar(&p.dir, "profile-dir", "prof", "directory for the --profile output")
}

// start begins profiling if asked and returns the function that stops it and
// writes the file. The caller defers it, so that an interrupted run still
// writes its profile (pkg/profile's own signal hook, which would exit 0, is
// disabled).
func (p *profileFlags) start() (stop func(), err error) {
	if p.mode == "" {
		return func() {}, nil
	}
	var mode func(*profile.Profile)
	for _, m := range profileModes {
		if m.name == p.mode {
			mode = m.mode
		}
	}
	if mode == nil {
		return nil, usagef("--profile %q: want %s", p.mode, profileModeNames())
	}
	if err := os.MkdirAll(p.dir, 0o755); err != nil {
		return nil, fmt.Errorf("profile directory: %w", err)
	}
	prof := profile.Start(mode, profile.ProfilePath(p.dir), profile.NoShutdownHook, profile.Quiet)
	return prof.Stop, nil
}
