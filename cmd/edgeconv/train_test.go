package main

import (
	"bufio"
	"bytes"
	"context"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestTrainFlagRanges: every flag's range is checked, a value out of it is
// a usage error (issue 14: --lr-decay -5 was silently ignored, --lr-max
// 1e308 trained on through NaN and exited 0, --negatives -5 meant "the
// preset's"), and a network too large is refused from its spec.
func TestTrainFlagRanges(t *testing.T) {
	checkCLI(t, []cliCase{
		{[]string{"train", "--lr-decay", "-5"}, 2, "", "--lr-decay"},
		{[]string{"train", "--lr-decay", "NaN"}, 2, "", "--lr-decay"},
		{[]string{"train", "--lr-max", "1e308"}, 2, "", "--lr-max"},
		{[]string{"train", "--lr-max", "0"}, 2, "", "--lr-max"},
		{[]string{"train", "--lr-min", "-1"}, 2, "", "--lr-min"},
		{[]string{"train", "--workers", "100000"}, 2, "", "--workers"},
		{[]string{"train", "--workers", "0"}, 2, "", "--workers"},
		{[]string{"train", "--iterations", "0"}, 2, "", "--iterations"},
		{[]string{"train", "--iterations", "-3"}, 2, "", "--iterations"},
		{[]string{"train", "--batch", "-1"}, 2, "", "--batch"},
		{[]string{"train", "--eval-every", "-1"}, 2, "", "--eval-every"},
		{[]string{"train", "--negatives", "-5"}, 2, "", "--negatives"},
		{[]string{"train", "--style-digits", "-5"}, 2, "", "--style-digits"},
		{[]string{"train", "--prior", "1"}, 2, "", "--prior"},
		{[]string{"train", "--prior", "-0.5"}, 2, "", "--prior"},
		{[]string{"train", "--elastic", "7"}, 2, "", "--elastic"},
		{[]string{"train", "--elastic", "NaN"}, 2, "", "--elastic"},
		{[]string{"train", "--checkpoint-every", "-1"}, 2, "", "-checkpoint-every"},
		{[]string{"train", "--checkpoint-every", "soon"}, 2, "", "-checkpoint-every"},
		{[]string{"train", "--spec", "conv 1x1 16384 s1; dense 16384; dense 10", "--data", dataDir}, 2, "", "more than 268435456 parameters"},
	})
}

// smallTrain is the flags of a short run for the tests: a small network,
// default flags otherwise.
func smallTrain(out string) []string {
	return []string{"train", "--spec", "conv 5x5 4 s2 relu; dense 16 relu; dense 10", "--iterations", "60",
		"--eval-every", "20", "--data", dataDir, "--out", out}
}

// TestResumeKeepsTheRun: "train --resume CKPT" alone continues the run as
// it was saved, --workers and --out included (issue 14: the defaults of
// --workers and --out overrode the checkpoint's, so the printed command
// gave another model in another place), and flags that would change the
// result are refused unless they agree with the checkpoint.
func TestResumeKeepsTheRun(t *testing.T) {
	needData(t)
	dir := t.TempDir()
	whole := filepath.Join(dir, "whole.safetensors")
	args := append(smallTrain(whole), "--workers", "1", "--quiet")
	if code, _, stderr := edgeconv(t, context.Background(), args...); code != 0 {
		t.Fatalf("uninterrupted run: exit %d: %s", code, stderr)
	}
	want, err := os.ReadFile(whole)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "sub", "m.safetensors")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	args = append(smallTrain(out), "--workers", "1", "--quiet")
	code, _, stderr := edgeconv(t, ctx, args...)
	ckpt := filepath.Join(dir, "sub", "m.ckpt.safetensors")
	if code != 130 || !strings.Contains(stderr, "--resume "+ckpt) {
		t.Fatalf("interrupted: exit %d: %s", code, stderr)
	}
	for _, refused := range [][]string{{"--workers", "2"}, {"--seed", "2"}, {"--batch", "50"}, {"--lr-max", "0.01"},
		{"--augment"}, {"--elastic", "1"}, {"--preset", "seed98"}, {"--spec", "dense 10"}} {
		a := append([]string{"train", "--resume", ckpt, "--data", dataDir, "--quiet"}, refused...)
		if code, _, stderr := edgeconv(t, context.Background(), a...); code != 2 || !strings.Contains(stderr, refused[0]) {
			t.Errorf("resume with %q: exit %d, %s; want 2 naming the flag", refused, code, stderr)
		}
	}
	// Agreeing flags are fine; the rest of the settings come from the
	// checkpoint.
	code, stdout, stderr := edgeconv(t, context.Background(), "train", "--resume", ckpt, "--data", dataDir, "--quiet",
		"--seed", "1", "--workers", "1")
	if code != 0 || !strings.Contains(stdout, "resumed at iteration 0") {
		t.Fatalf("resume: exit %d\n%s%s", code, stdout, stderr)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatalf("the resumed run did not write the model to --out of the run it continues: %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Error("the resumed run's model differs from the uninterrupted run's")
	}
}

// TestTrainKill9: the acceptance test of issue 14. A run with default flags
// (a small network and few iterations, so that it is quick) is killed with
// SIGKILL at a random moment after it printed its resume command; that
// command, run as printed, writes the model at the original path, byte for
// byte the model of an uninterrupted run, having lost at most one
// checkpoint interval, and leaves no temporary file.
func TestTrainKill9(t *testing.T) {
	needData(t)
	dir, exe := nativeEdgeconv(t, "builds the binary and trains three times")
	data, err := filepath.Abs(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	flags := func(out string) []string {
		return []string{"train", "--spec", "conv 5x5 4 s2 relu; dense 16 relu; dense 10", "--iterations", "400",
			"--data", data, "--out", out, "--checkpoint-every", "40"}
	}
	whole := exec.Command(exe, flags(filepath.Join(dir, "whole", "m.safetensors"))...)
	start := time.Now()
	if out, err := whole.CombinedOutput(); err != nil {
		t.Fatalf("uninterrupted run: %v\n%s", err, out)
	}
	took := time.Since(start)
	want, err := os.ReadFile(filepath.Join(dir, "whole", "m.safetensors"))
	if err != nil {
		t.Fatal(err)
	}

	work := filepath.Join(dir, "work")
	if err := os.Mkdir(work, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, flags("models/m.safetensors")...)
	cmd.Dir = work
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	hint := make(chan string, 1)
	lines := make(chan struct{})
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			log.WriteString(sc.Text() + "\n")
			if _, c, ok := strings.Cut(sc.Text(), "continue it with: "); ok {
				hint <- strings.TrimSuffix(c, ")")
			}
		}
	}()
	var resume string
	select {
	case resume = <-hint:
	case <-time.After(time.Minute):
		cmd.Process.Kill()
		t.Fatal("no resume command printed in a minute")
	}
	// A random moment within the time the uninterrupted run took.
	time.Sleep(time.Duration(rand.Int64N(int64(took))))
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	<-lines
	var ckpts []int
	for _, m := range regexp.MustCompile(`checkpoint at iteration (\d+)`).FindAllStringSubmatch(log.String(), -1) {
		n, _ := strconv.Atoi(m[1])
		ckpts = append(ckpts, n)
	}
	for i, n := range ckpts {
		if n != 40*i {
			t.Errorf("checkpoints at %v, want one every 40 iterations", ckpts)
			break
		}
	}

	// The command as printed: the MNIST folder was given, so it names it
	// too (the checkpoint does not hold it). The paths have no spaces.
	argv := strings.Fields(resume)
	if len(argv) < 3 || argv[0] != "edgeconv" || !strings.Contains(resume, " --data "+data) {
		t.Fatalf("resume command %q", resume)
	}
	res := exec.Command(exe, argv[1:]...)
	res.Dir = work
	out, err := res.CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", resume, err, out)
	}
	m := regexp.MustCompile(`resumed at iteration (\d+)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("resumed run:\n%s", out)
	}
	at, _ := strconv.Atoi(string(m[1]))
	if last := ckpts[len(ckpts)-1]; at < last {
		t.Errorf("resumed at iteration %d, before the last checkpoint printed (%d)", at, last)
	}
	t.Logf("killed after checkpoints at %v; resumed at iteration %d", ckpts, at)
	got, err := os.ReadFile(filepath.Join(work, "models", "m.safetensors"))
	if err != nil {
		t.Fatalf("no model at the original path: %v\n%s", err, out)
	}
	if !bytes.Equal(got, want) {
		t.Error("the resumed model differs from the uninterrupted run's")
	}
	ents, _ := os.ReadDir(filepath.Join(work, "models"))
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	// The checkpoint with its history (the dashboard's curves), the model:
	// no temporary file.
	if strings.Join(names, " ") != "m.ckpt.history.json m.ckpt.safetensors m.safetensors" {
		t.Errorf("files left: %q", names)
	}
}
