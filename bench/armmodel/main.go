// Command armmodel models the NEON kernels on the Raspberry Pi's cores,
// since no Pi is at hand: it builds edgeconv for arm64, disassembles every
// assembly kernel of engine/kernel with llvm-objdump, finds their inner
// loops (a backward branch and what it jumps over), and has llvm-mca
// schedule each loop on cortex-a53 (Pi 3, Zero 2 W), cortex-a72 (Pi 4)
// and cortex-a76 (Pi 5). It prints, per loop and core, the cycles per
// iteration, the FLOP (float) or multiply-accumulates (int8) per cycle
// against the core's own peak (llvm-mca on a block of independent FMLAs,
// SDOTs or SMULLs), and from those and the network's shapes a predicted
// batch-1 latency of the classifier at each Pi's clock.
//
// The model's limits: llvm-mca's scheduling models are approximations of
// the cores (in-order cortex-a53 especially); memory is not modelled (every
// load hits L1), nor the loops' set-up, the edges of the tiles, im2col,
// requantisation or anything outside the kernels, nor the extraction that
// `run` does before it classifies. The latencies are lower bounds of the
// classifier's arithmetic, for comparing kernels and cores, not
// measurements.
//
//	go run ./bench/armmodel [-spec SPEC] [-out docs/arm-model.md]
//
// make arm-model runs it (it needs Debian's llvm: llvm-mca, llvm-objdump).
package main

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/edgeconv/edgeconv/engine"
)

// core is a Pi's processor and the clocks it runs at.
type core struct {
	cpu    string // the core
	model  string // llvm-mca's -mcpu for it
	dot    bool   // has the dot-product extension (SDOT)
	boards []board
}

type board struct {
	name string
	ghz  float64
}

// LLVM has no scheduling model of its own for cortex-a76: -mcpu=cortex-a76
// gets cortex-a57's, which issues one FMLA a cycle where the a76 issues
// two. Neoverse N1 is the a76's design in a server (the same pipelines),
// and LLVM 15 and later model it.
var cores = []core{
	{"cortex-a53", "cortex-a53", false, []board{{"Pi Zero 2 W", 1.0}, {"Pi 3 B+", 1.4}}},
	{"cortex-a72", "cortex-a72", false, []board{{"Pi 4", 1.5}, {"Pi 4 (2022+)", 1.8}}},
	{"cortex-a76", "neoverse-n1", true, []board{{"Pi 5", 2.4}}},
}

func main() {
	spec := flag.String("spec", "conv 6x6 6 s1 relu; conv 5x5 12 s2 relu; conv 4x4 24 s2 relu; dense 200 relu keep=0.75; dense 11",
		"the network whose batch-1 latency is predicted (default: the embedded model's)")
	out := flag.String("out", "", "also write the report to this file (written to a temporary name and renamed)")
	mca := flag.String("mca", "llvm-mca", "llvm-mca")
	objdump := flag.String("objdump", "llvm-objdump", "llvm-objdump")
	flag.Parse()
	if err := run(os.Stdout, *spec, *out, *mca, *objdump); err != nil {
		fmt.Fprintln(os.Stderr, "armmodel:", err)
		os.Exit(1)
	}
}

func run(stdout io.Writer, specText, out, mca, objdump string) error {
	spec, err := engine.ParseSpec(specText)
	if err != nil {
		return err
	}
	for _, tool := range []string{mca, objdump} {
		if _, err := exec.LookPath(tool); err != nil {
			return fmt.Errorf("%s not found (apt-get install -y llvm)", tool)
		}
	}
	dir, err := os.MkdirTemp("", "armmodel")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	bin := filepath.Join(dir, "edgeconv")
	build := exec.Command("go", "build", "-o", bin, "./cmd/edgeconv")
	build.Env = append(os.Environ(), "GOARCH=arm64", "CGO_ENABLED=0")
	if b, err := build.CombinedOutput(); err != nil {
		return fmt.Errorf("go build for arm64: %v\n%s", err, b)
	}
	kernels, err := kernelLoops(objdump, bin)
	if err != nil {
		return err
	}
	v, err := exec.Command(mca, "--version").Output()
	if err != nil {
		return fmt.Errorf("%s --version: %v", mca, err)
	}
	version := "llvm-mca " + strings.TrimSpace(regexp.MustCompile(`version (\S+)`).FindString(string(v)))
	if n := regexp.MustCompile(`version (\d+)`).FindStringSubmatch(string(v)); n != nil {
		if major, _ := strconv.Atoi(n[1]); major < 15 {
			return fmt.Errorf("%s is LLVM %d: Neoverse N1 (the Pi 5's cortex-a76) needs LLVM 15 or later (apt-get install -y llvm-19; make arm-model MCA=llvm-mca-19)", mca, major)
		}
	}
	m := &modeller{mca: mca, dir: dir, version: version}
	var rep bytes.Buffer
	if err := report(&rep, m, kernels, spec); err != nil {
		return err
	}
	if _, err := stdout.Write(rep.Bytes()); err != nil {
		return err
	}
	if out == "" {
		return nil
	}
	tmp := out + ".tmp"
	if err := os.WriteFile(tmp, rep.Bytes(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, out)
}

// loop is the inner loop of a kernel: its instructions, one a line in
// llvm-mca's syntax, the backward branch to a label.
type loop struct {
	kernel string
	insns  []string
	flops  int // float operations per iteration (a multiply-add counts two)
	macs   int // integer multiply-accumulates per iteration
	dot    bool
}

var insnRe = regexp.MustCompile(`^\s*([0-9a-f]+):\s+(\S+)\s*(.*)$`)

// kernelLoops disassembles the assembly kernels of engine/kernel in bin
// and returns their innermost loops that do arithmetic.
func kernelLoops(objdump, bin string) ([]loop, error) {
	syms, err := exec.Command(objdump, "-t", bin).Output()
	if err != nil {
		return nil, fmt.Errorf("%s -t: %v", objdump, err)
	}
	var names []string
	for _, l := range strings.Split(string(syms), "\n") {
		f := strings.Fields(l)
		if len(f) > 0 && strings.Contains(f[len(f)-1], "engine/kernel.") && strings.HasSuffix(f[len(f)-1], ".abi0") {
			names = append(names, f[len(f)-1])
		}
	}
	if len(names) == 0 {
		return nil, errors.New("no assembly kernels of engine/kernel in the arm64 binary")
	}
	sort.Strings(names)
	var loops []loop
	for _, name := range names {
		// +dotprod: the SDOT kernels' instructions decode (they are WORDs
		// in the Go source).
		dis, err := exec.Command(objdump, "-d", "--mattr=+dotprod", "--no-show-raw-insn", "--disassemble-symbols="+name, bin).Output()
		if err != nil {
			return nil, fmt.Errorf("%s -d %s: %v", objdump, name, err)
		}
		short := strings.TrimSuffix(strings.TrimPrefix(name[strings.LastIndex(name, "/")+1:], "kernel."), ".abi0")
		loops = append(loops, innerLoops(short, dis)...)
	}
	return loops, nil
}

type insn struct {
	addr     uint64
	op, args string
	target   uint64 // a branch's target, 0 if none
}

// innerLoops returns the innermost loops of one disassembled function that
// hold arithmetic: spans [target, branch] of backward branches that hold no
// other backward branch.
func innerLoops(kernel string, dis []byte) []loop {
	var code []insn
	sc := bufio.NewScanner(bytes.NewReader(dis))
	for sc.Scan() {
		m := insnRe.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		addr, _ := strconv.ParseUint(m[1], 16, 64)
		args := m[3]
		if i := strings.Index(args, " <"); i >= 0 {
			args = args[:i]
		}
		in := insn{addr: addr, op: m[2], args: strings.TrimSpace(args)}
		if isBranch(in.op) {
			f := strings.Fields(strings.ReplaceAll(in.args, ",", " "))
			if len(f) > 0 {
				if t, err := strconv.ParseUint(strings.TrimPrefix(f[len(f)-1], "0x"), 16, 64); err == nil {
					in.target = t
				}
			}
		}
		code = append(code, in)
	}
	var loops []loop
	for j, b := range code {
		if b.target == 0 || b.target > b.addr {
			continue
		}
		i := 0
		for i < j && code[i].addr < b.target {
			i++
		}
		inner := true
		for k := i; k < j; k++ {
			if code[k].target != 0 && code[k].target <= code[k].addr && code[k].target >= b.target {
				inner = false
			}
		}
		if !inner {
			continue
		}
		l := loop{kernel: kernel}
		for _, in := range code[i:j] {
			l.insns = append(l.insns, in.op+"\t"+in.args)
			f, m, d := work(in.op, in.args)
			l.flops += f
			l.macs += m
			l.dot = l.dot || d
		}
		l.insns = append(l.insns, b.op+"\t"+branchTo(b.args, "top"))
		l.insns = append([]string{"top:"}, l.insns...)
		if l.flops > 0 || l.macs > 0 {
			loops = append(loops, l)
		}
	}
	return loops
}

func isBranch(op string) bool {
	return op == "b" || strings.HasPrefix(op, "b.") || op == "cbz" || op == "cbnz" || op == "tbz" || op == "tbnz"
}

// branchTo replaces a branch's target address (its last operand) with
// label.
func branchTo(args, label string) string {
	i := strings.LastIndex(args, ",")
	if i < 0 {
		return label
	}
	return args[:i+1] + " " + label
}

// work returns the float operations and the integer multiply-accumulates
// of one instruction, and whether it is a dot product.
func work(op, args string) (flops, macs int, dot bool) {
	lanes := func() int {
		switch {
		case strings.Contains(args, ".4s"):
			return 4
		case strings.Contains(args, ".2s"):
			return 2
		case strings.Contains(args, ".2d"):
			return 2
		}
		return 1
	}
	dst := strings.SplitN(args, ",", 2)[0]
	switch op {
	case "fmla", "fmls":
		return 2 * lanes(), 0, false
	case "fmul", "fadd", "fsub":
		if strings.HasPrefix(dst, "v") {
			return lanes(), 0, false
		}
	case "sdot", "udot":
		return 0, 4 * lanes(), true
	case "smull", "smull2", "umull", "umull2", "smlal", "smlal2", "umlal", "umlal2":
		switch {
		case strings.Contains(dst, ".8h"):
			return 0, 8, false
		case strings.Contains(dst, ".4s"):
			return 0, 4, false
		}
	}
	return 0, 0, false
}

// modeller runs llvm-mca on loops.
type modeller struct {
	mca     string
	dir     string
	version string // llvm-mca's
}

var cyclesRe = regexp.MustCompile(`Total Cycles:\s+(\d+)`)

const iterations = 500

// cycles returns the cycles per iteration that llvm-mca gives the loop's
// instructions on cpu.
func (m *modeller) cycles(cpu string, dot bool, insns []string) (float64, error) {
	f := filepath.Join(m.dir, "loop.s")
	if err := os.WriteFile(f, []byte(strings.Join(insns, "\n")+"\n"), 0o644); err != nil {
		return 0, err
	}
	args := []string{"-mtriple=aarch64", "-mcpu=" + cpu, "-iterations=" + strconv.Itoa(iterations)}
	if cpu == "neoverse-n1" {
		args = append(args, "-mattr=+dotprod") // N1, as the a76, has it
	}
	if dot {
		args = append(args, "-mattr=+dotprod")
	}
	b, err := exec.Command(m.mca, append(args, f)...).CombinedOutput()
	if err != nil {
		return 0, fmt.Errorf("llvm-mca %s: %v: %s", cpu, err, firstLine(b))
	}
	c := cyclesRe.FindSubmatch(b)
	if c == nil {
		return 0, fmt.Errorf("llvm-mca %s: no cycle count", cpu)
	}
	n, _ := strconv.Atoi(string(c[1]))
	return float64(n) / iterations, nil
}

func firstLine(b []byte) string {
	s, _, _ := strings.Cut(string(b), "\n")
	return s
}

// peaks returns the core's modelled peak float FLOP per cycle and int8
// multiply-accumulates per cycle: a loop of 16 independent FMLAs, and of
// 16 independent SDOTs (dot-product cores) or SMULL+SADALP pairs (the
// others, as the kernels without SDOT compute).
func (m *modeller) peaks(c core) (flop, mac float64, err error) {
	var fma, imac []string
	for i := range 16 {
		fma = append(fma, fmt.Sprintf("fmla\tv%d.4s, v30.4s, v31.4s", i))
		if c.dot {
			imac = append(imac, fmt.Sprintf("sdot\tv%d.4s, v30.16b, v31.16b", i))
		}
	}
	if !c.dot {
		// Eight products into eight registers, then eight accumulations:
		// no product waits for the one before.
		for i := range 8 {
			imac = append(imac, fmt.Sprintf("smull\tv%d.8h, v30.8b, v31.8b", 16+i))
		}
		for i := range 8 {
			imac = append(imac, fmt.Sprintf("sadalp\tv%d.4s, v%d.8h", i, 16+i))
		}
	}
	cf, err := m.cycles(c.model, false, fma)
	if err != nil {
		return 0, 0, err
	}
	ci, err := m.cycles(c.model, c.dot, imac)
	if err != nil {
		return 0, 0, err
	}
	macs := 16 * 16.0 // 16 SDOTs of 16 products
	if !c.dot {
		macs = 8 * 8.0 // 8 SMULLs of 8 products
	}
	return 16 * 8 / cf, macs / ci, nil
}

// result is a loop modelled on one core.
type result struct {
	cycles    float64
	perCycle  float64 // FLOP or MAC per cycle
	fracPeak  float64
	supported bool
}

func report(w io.Writer, m *modeller, loops []loop, spec engine.Spec) error {
	fmt.Fprintf(w, "# The NEON kernels on the Raspberry Pi's cores (llvm-mca)\n\n")
	fmt.Fprintf(w, "Written by `make arm-model` (bench/armmodel): llvm-mca's scheduling models, not measurements.\n")
	fmt.Fprintf(w, "Memory is not modelled (every load hits L1), nor anything outside the kernels' inner loops.\n\n")
	type peak struct{ flop, mac float64 }
	pk := map[string]peak{}
	fmt.Fprintf(w, "%s; cortex-a76 is modelled as Neoverse N1, its server twin (LLVM has no a76 model).\n\n", m.version)
	fmt.Fprintf(w, "## Modelled peaks per core\n\n| core | FLOP/cycle (FMLA .4s) | int8 MAC/cycle |\n|---|---|---|\n")
	for _, c := range cores {
		f, i, err := m.peaks(c)
		if err != nil {
			return err
		}
		pk[c.cpu] = peak{f, i}
		how := "SMULL+SADALP"
		if c.dot {
			how = "SDOT"
		}
		fmt.Fprintf(w, "| %s | %.1f | %.1f (%s) |\n", c.cpu, f, i, how)
	}
	fmt.Fprintf(w, "\n## Inner loops\n\nCycles per iteration, and FLOP (float) or multiply-accumulates (int8) per cycle as a share of the core's peak.\n\n")
	fmt.Fprintf(w, "| kernel | work/iteration | instructions |")
	for _, c := range cores {
		fmt.Fprintf(w, " %s |", c.cpu)
	}
	fmt.Fprintf(w, "\n|---|---|---|")
	for range cores {
		fmt.Fprintf(w, "---|")
	}
	fmt.Fprintln(w)
	res := make([]map[string]result, len(loops))
	for li, l := range loops {
		res[li] = map[string]result{}
		work := fmt.Sprintf("%d FLOP", l.flops)
		if l.macs > 0 {
			work = fmt.Sprintf("%d MAC", l.macs)
		}
		fmt.Fprintf(w, "| %s | %s | %d |", l.kernel, work, len(l.insns)-1)
		for _, c := range cores {
			if l.dot && !c.dot {
				fmt.Fprintf(w, " no SDOT |")
				continue
			}
			cy, err := m.cycles(c.model, l.dot, l.insns)
			if err != nil {
				return err
			}
			r := result{cycles: cy, supported: true}
			if l.flops > 0 {
				r.perCycle, r.fracPeak = float64(l.flops)/cy, float64(l.flops)/cy/pk[c.cpu].flop
			} else {
				r.perCycle, r.fracPeak = float64(l.macs)/cy, float64(l.macs)/cy/pk[c.cpu].mac
			}
			res[li][c.cpu] = r
			fmt.Fprintf(w, " %.1f cycles, %.1f/cycle (%.0f%%) |", cy, r.perCycle, 100*r.fracPeak)
		}
		fmt.Fprintln(w)
	}
	if err := predict(w, loops, res, spec); err != nil {
		fmt.Fprintln(w, "\n", err)
	}
	return nil
}

// predict prints the batch-1 latency of spec's arithmetic at each board's
// clock, every layer at the rate of the kernel that runs it at batch 1: the
// 8x8 float tile (the 4x8 int8 GemmInt8Windows one) for convolutions, whose
// rows are the output pixels, and the 1x8 one for dense layers, with the
// columns padded to the tile's 8.
func predict(w io.Writer, loops []loop, res []map[string]result, spec engine.Spec) error {
	net, err := engine.New(spec)
	if err != nil {
		return err
	}
	best := func(kernel, cpu string) (float64, bool) {
		r := 0.0
		for i, l := range loops {
			if l.kernel == kernel && res[i][cpu].supported {
				r = max(r, res[i][cpu].perCycle)
			}
		}
		return r, r > 0
	}
	fmt.Fprintf(w, "\n## Predicted batch-1 latency of the classifier's arithmetic\n\n`%s`: ", spec)
	var convF, denseF float64
	type layerWork struct {
		conv bool
		ops  float64 // multiply-adds, the output columns padded to 8
		ops8 float64 // the same for int8, whose kernel rows are padded to 4 k
	}
	var lw []layerWork
	for _, l := range net.Layers() {
		if l.Kind == engine.MaxPool {
			continue // comparisons, no multiply-adds
		}
		cols := float64((l.Out.C + 7) / 8 * 8)
		k := float64(l.In.Size())
		conv := l.Kind == engine.Conv
		if conv {
			k = float64(l.KH * l.KW * l.In.C)
		}
		ops := float64(l.Out.H*l.Out.W) * cols * k
		ops8 := ops
		if conv {
			ops8 = float64(l.Out.H*l.Out.W) * cols * float64(l.KH*((l.KW*l.In.C+3)/4*4))
		}
		if conv {
			convF += 2 * ops
		} else {
			denseF += 2 * ops
		}
		lw = append(lw, layerWork{conv, ops, ops8})
	}
	fmt.Fprintf(w, "%.2f MFLOP in convolutions, %.2f in dense layers, with the tiles' padding.\n\n", convF/1e6, denseF/1e6)
	fmt.Fprintf(w, "| board | core | GHz | float32 µs | int8 µs | digits/s (float32, int8) |\n|---|---|---|---|---|---|\n")
	for _, c := range cores {
		f8, ok1 := best("sgemm8x8NEON", c.cpu)
		f1, ok2 := best("sgemm1x8NEON", c.cpu)
		i4, i1 := "gemmInt8Req4x8NEON", "gemmInt8Req1x8NEON"
		if c.dot {
			i4, i1 = "gemmInt8Req4x8DotNEON", "gemmInt8Req1x8DotNEON"
		}
		q4, ok3 := best(i4, c.cpu)
		q1, ok4 := best(i1, c.cpu)
		if !(ok1 && ok2 && ok3 && ok4) {
			return fmt.Errorf("%s: a kernel the prediction needs has no modelled loop", c.cpu)
		}
		var fc, qc float64 // cycles
		for _, l := range lw {
			if l.conv {
				fc += 2 * l.ops / f8
				qc += l.ops8 / q4
			} else {
				fc += 2 * l.ops / f1
				qc += l.ops8 / q1
			}
		}
		for _, b := range c.boards {
			fu, qu := fc/(b.ghz*1e3), qc/(b.ghz*1e3)
			fmt.Fprintf(w, "| %s | %s | %.1f | %.1f | %.1f | %.0f, %.0f |\n", b.name, c.cpu, b.ghz, fu, qu, 1e6/fu, 1e6/qu)
		}
	}
	fmt.Fprintf(w, "\n`run` classifies the digits of each frame after extracting them; at 20 digits a frame the classifier's\n"+
		"share of a frame is 20 times the latency above (extraction, not modelled here, comes on top).\n")
	return nil
}
