package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/pkg/profile"
)

// profileFlags are the --profile and --profile-dir flags shared by the
// long-running commands.
type profileFlags struct {
	mode, dir string
}

func (p *profileFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&p.mode, "profile", "", "write a pprof profile: cpu, mem, allocs, block, mutex or trace")
	fs.StringVar(&p.dir, "profile-dir", "prof", "directory for the --profile output")
}

// start begins profiling if asked and returns the function that stops it and
// writes the file. The caller defers it, so that an interrupted run still
// writes its profile (pkg/profile's own signal hook, which would exit 0, is
// disabled).
func (p *profileFlags) start() (stop func(), err error) {
	var mode func(*profile.Profile)
	switch p.mode {
	case "":
		return func() {}, nil
	case "cpu":
		mode = profile.CPUProfile
	case "mem":
		mode = profile.MemProfile
	case "allocs":
		mode = profile.MemProfileAllocs
	case "block":
		mode = profile.BlockProfile
	case "mutex":
		mode = profile.MutexProfile
	case "trace":
		mode = profile.TraceProfile
	default:
		return nil, usagef("--profile %q: want cpu, mem, allocs, block, mutex or trace", p.mode)
	}
	if err := os.MkdirAll(p.dir, 0o755); err != nil {
		return nil, fmt.Errorf("profile directory: %w", err)
	}
	prof := profile.Start(mode, profile.ProfilePath(p.dir), profile.NoShutdownHook, profile.Quiet)
	return prof.Stop, nil
}
