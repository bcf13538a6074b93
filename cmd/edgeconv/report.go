package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/edgeconv/edgeconv/dashboard"
)

func init() {
	commands = append(commands, &Command{
		Name:      "report",
		UsageLine: "edgeconv report [--out DIR] RUN [RUN...]",
		Short:     "draw training runs' curves (one run's report, or runs compared)",
		Long: `
Report draws the history of training runs. A RUN is the folder that
'edgeconv train --report' wrote, a history file (.history.json), or a
checkpoint (its history is kept beside it).

With one RUN it draws that run's curves and distributions again
(curves.png, distributions.png, history.csv) into --out. With several it
draws their accuracy and cross-entropy curves on one chart, the test set's
solid and the training batches' faint, a colour per run, into
--out/compare.png, and prints each run's last and best test accuracy.
Flags may come before or after the runs.
`,
		SetFlags: func(fs *flag.FlagSet) func(context.Context, Env, []string) error {
			o := &reportOptions{fs: fs}
			fs.StringVar(&o.out, "out", ".", "folder to write the pictures into")
			return o.run
		},
	})
}

type reportOptions struct {
	out string
	fs  *flag.FlagSet
}

func (o *reportOptions) run(ctx context.Context, env Env, args []string) error {
	var paths []string
	for len(args) > 0 {
		if a := args[0]; strings.HasPrefix(a, "-") && a != "-" {
			if err := o.fs.Parse(args); err != nil {
				return usagef("%v", err)
			}
			args = o.fs.Args()
			continue
		}
		paths, args = append(paths, args[0]), args[1:]
	}
	if len(paths) == 0 {
		return usagef("no runs given")
	}
	if len(paths) > 4 {
		return usagef("at most 4 runs on one chart, not %d", len(paths))
	}
	runs := make([]*dashboard.History, len(paths))
	names := make([]string, len(paths))
	for i, p := range paths {
		path := p
		if strings.HasSuffix(p, ".safetensors") {
			path = dashboard.HistoryPath(p)
		}
		h, err := dashboard.ReadHistory(path)
		if err != nil {
			return err
		}
		runs[i], names[i] = h, runName(p)
	}
	// Runs of the same name (two report folders called "report") are
	// called by their paths.
	seen := map[string]bool{}
	for _, n := range names {
		if seen[n] {
			for i, p := range paths {
				names[i] = filepath.Clean(p)
			}
			break
		}
		seen[n] = true
	}
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		return err
	}
	if len(runs) == 1 {
		if err := dashboard.WriteReport(o.out, runs[0], dashboard.Grid{}, nil); err != nil {
			return err
		}
		fmt.Fprintf(env.Stderr, "report of %s written to %s\n", names[0], o.out)
	} else {
		path := filepath.Join(o.out, dashboard.CompareFile)
		if err := dashboard.Compare(path, names, runs); err != nil {
			return err
		}
		fmt.Fprintf(env.Stderr, "%d runs compared in %s\n", len(runs), path)
	}
	for i, h := range runs {
		last, best := dashboard.TestPoint{}, dashboard.TestPoint{}
		for _, p := range h.Test {
			if p.Accuracy > best.Accuracy {
				best = p
			}
			last = p
		}
		fmt.Fprintf(env.Stdout, "%s: %s; test accuracy %.2f%% at iteration %d, best %.2f%% at %d\n",
			names[i], h.Arch, 100*last.Accuracy, last.Iter, 100*best.Accuracy, best.Iter)
	}
	return nil
}

// runName is what a run is called on the chart: its report folder's name,
// or its file's without the extensions.
func runName(path string) string {
	base := filepath.Base(filepath.Clean(path))
	for _, ext := range []string{".history.json", ".json", ".safetensors", ".ckpt"} {
		base = strings.TrimSuffix(base, ext)
	}
	return base
}
