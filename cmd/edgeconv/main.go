// Command edgeconv trains, evaluates and runs the codelab's digit
// convnets: `edgeconv help` lists its commands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"sort"
	"strings"
	"syscall"

	"github.com/edgeconv/edgeconv/internal/sysmem"
)

func main() {
	// The collector lets the heap grow to twice what is live before it
	// collects; on a small machine or under an address-space limit that
	// growth, not the data, runs out of memory. A soft limit at three
	// quarters of what the process may use makes it collect first
	// (GOMEMLIMIT, when set, wins).
	if lim, _ := sysmem.Limit(); lim > 0 && os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(lim / 4 * 3)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Env is what a command may touch: its streams. Commands receive it rather
// than using os.Std*, so that tests run them without a subprocess.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
}

// Command is one subcommand, in the style of the go command.
type Command struct {
	Name      string
	UsageLine string // "edgeconv train [flags]"
	Short     string // one line for the command list
	Long      string // the help text before the flag list
	// SetFlags registers the command's flags and returns the function that
	// runs it with the remaining arguments.
	SetFlags func(fs *flag.FlagSet) func(ctx context.Context, env Env, args []string) error
}

var commands []*Command

func lookup(name string) *Command {
	for _, c := range commands {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// usageError is a mistake in how the command was invoked: exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// exitError carries a specific exit status with its message.
type exitError struct {
	code int
	err  error
}

func (e exitError) Error() string { return e.err.Error() }
func (e exitError) Unwrap() error { return e.err }

// run is the whole program: it returns the exit status. Help asked for goes
// to stdout (status 0); usage errors to stderr (2); failures to stderr as one
// "edgeconv: …" line (1).
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	env := Env{Stdin: stdin, Stdout: stdout, Stderr: stderr}
	if len(args) == 0 {
		mainUsage(stderr)
		return 2
	}
	name := args[0]
	switch name {
	case "help", "-h", "-help", "--help":
		return help(args[1:], stdout, stderr)
	}
	cmd := lookup(name)
	if cmd == nil {
		fmt.Fprintf(stderr, "edgeconv %s: unknown command\nRun 'edgeconv help' for usage.\n", name)
		return 2
	}
	fs := flag.NewFlagSet(cmd.Name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	runFn := cmd.SetFlags(fs)
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			commandHelp(cmd, stdout)
			return 0
		}
		return usageFail(cmd, err, stderr)
	}
	err := runCommand(ctx, runFn, env, fs.Args())
	var ue usageError
	var ee exitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ue):
		return usageFail(cmd, err, stderr)
	case errors.As(err, &ee):
		fmt.Fprintf(stderr, "edgeconv: %v\n", ee.err)
		return ee.code
	default:
		fmt.Fprintf(stderr, "edgeconv: %v\n", err)
		return 1
	}
}

// runCommand runs a command's function, turning a panic into an error: a
// bug gets exit status 1 and one line, not 2 (reserved for usage errors)
// and a hundred lines of goroutines. GOTRACEBACK=all (or system, crash)
// prints the stack as well. A panic on another goroutine still ends the
// program as the runtime does; so does the runtime's fatal out-of-memory
// error, which the commands prevent by checking sizes against memory first.
func runCommand(ctx context.Context, fn func(context.Context, Env, []string) error, env Env, args []string) (err error) {
	defer func() {
		p := recover()
		if p == nil {
			return
		}
		switch os.Getenv("GOTRACEBACK") {
		case "all", "system", "crash", "2":
			env.Stderr.Write(debug.Stack())
		}
		msg := strings.Join(strings.Fields(fmt.Sprint(p)), " ")
		err = fmt.Errorf("internal error: %s (a bug: please report it with the command line; GOTRACEBACK=all shows where)", msg)
	}()
	return fn(ctx, env, args)
}

func usageFail(cmd *Command, err error, stderr io.Writer) int {
	fmt.Fprintf(stderr, "edgeconv %s: %v\nusage: %s\nRun 'edgeconv help %s' for details.\n", cmd.Name, err, cmd.UsageLine, cmd.Name)
	return 2
}

func mainUsage(w io.Writer) {
	fmt.Fprint(w, "edgeconv trains and runs small convolutional networks for handwritten digits.\n\nUsage:\n\n\tedgeconv <command> [flags] [arguments]\n\nThe commands are:\n\n")
	sorted := append([]*Command(nil), commands...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Name < sorted[j].Name })
	for _, c := range sorted {
		fmt.Fprintf(w, "\t%-10s %s\n", c.Name, c.Short)
	}
	fmt.Fprint(w, "\nUse \"edgeconv help <command>\" for more information about a command.\n")
}

func help(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		mainUsage(stdout)
		return 0
	}
	cmd := lookup(args[0])
	if cmd == nil || len(args) > 1 {
		fmt.Fprintf(stderr, "edgeconv help %s: unknown help topic. Run 'edgeconv help'.\n", strings.Join(args, " "))
		return 2
	}
	commandHelp(cmd, stdout)
	return 0
}

func commandHelp(cmd *Command, w io.Writer) {
	fmt.Fprintf(w, "usage: %s\n\n%s\n", cmd.UsageLine, strings.TrimSpace(cmd.Long))
	fs := flag.NewFlagSet(cmd.Name, flag.ContinueOnError)
	cmd.SetFlags(fs)
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	if n > 0 {
		fmt.Fprint(w, "\nFlags:\n")
		fs.SetOutput(w)
		fs.PrintDefaults()
	}
}
