package main

import (
	"context"
	"flag"
	"fmt"
	"runtime"
	"runtime/debug"
)

func init() {
	commands = append(commands, &Command{
		Name:      "version",
		UsageLine: "edgeconv version",
		Short:     "print the version and build of edgeconv",
		Long:      "Version prints edgeconv's module version, the Go version and the platform it was built for.",
		SetFlags: func(fs *flag.FlagSet) func(context.Context, Env, []string) error {
			return func(ctx context.Context, env Env, args []string) error {
				if len(args) > 0 {
					return usagef("unexpected arguments %q", args)
				}
				fmt.Fprintf(env.Stdout, "edgeconv %s %s %s/%s\n", buildVersion(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
				return nil
			}
		},
	})
}

// buildVersion returns the module version and the commit built from.
func buildVersion() string {
	version := "(devel)"
	if bi, ok := debug.ReadBuildInfo(); ok {
		version = bi.Main.Version
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				version += " " + s.Value[:12]
			}
		}
	}
	return version
}
