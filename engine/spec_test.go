package engine

import (
	"strings"
	"testing"
)

// checkShapes fails t unless the layers' output shapes, joined by spaces,
// are want.
func checkShapes(t *testing.T, net *Network, want string) {
	t.Helper()
	var shapes []string
	for _, l := range net.Layers() {
		shapes = append(shapes, l.Out.String())
	}
	if got := strings.Join(shapes, " "); got != want {
		t.Errorf("shapes %s, want %s", got, want)
	}
}

func TestParseSpec(t *testing.T) {
	spec, err := ParseSpec(seed99Spec)
	if err != nil {
		t.Fatal(err)
	}
	net, _ := New(spec)
	checkShapes(t, net, "28x28x6 14x14x12 7x7x24 1x1x200 1x1x10")
	if got := len(net.Params); got != 6*6*6+6+5*5*6*12+12+4*4*12*24+24+1176*200+200+200*10+10 {
		t.Errorf("%d parameters", got)
	}
	if got := spec.Params(); got != int64(len(net.Params)) {
		t.Errorf("Spec.Params() = %d, the network has %d", got, len(net.Params))
	}
	// Counted without allocating: far more than New could make.
	wide, err := ParseSpec("conv 1x1 1024 s1; dense 300; dense 10")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := wide.Params(), int64(2*1024)+int64(28*28*1024+1)*300+301*10; got != want {
		t.Errorf("wide spec: Params() = %d, want %d", got, want)
	}
	// 0.985 million multiply-adds, as DESIGN.md's cost model says.
	if got := net.FLOPs(); got != 2*(169344+352800+225792+235200+2000) {
		t.Errorf("FLOPs %d", got)
	}
	again, err := ParseSpec(spec.String())
	if err != nil || again.String() != spec.String() {
		t.Errorf("round trip: %q, %v", again.String(), err)
	}
	multi := "# seed99\ninput 28x28x1\nconv 6x6 6 relu # stride 1 by default\nconv 5x5 12 s2 relu\nconv 4x4 24 s2 relu\ndense 200 relu keep=0.75\ndense 10\n"
	if s, err := ParseSpec(multi); err != nil || s.String() != spec.String() {
		t.Errorf("multi-line form: %q, %v", s.String(), err)
	}
}

func TestParseSpecErrors(t *testing.T) {
	cases := map[string]string{
		"":                              "no layers",
		"conv 3x3 4 relu":               "last layer",
		"dense 10 relu":                 "last layer",
		"pool 2x2; dense 10":            "unknown layer",
		"conv 3 4; dense 10":            "kernel size",
		"conv 3x3 0; dense 10":          "output size",
		"conv 3x3 4 s0; dense 10":       "stride",
		"conv 3x3 4 keep=1.5; dense 10": "keep probability",
		"conv 3x3 4 fast; dense 10":     "unknown option",
		// 2.1e11 parameters, 7.7e11 bytes for a dense layer's input
		// (issue 14): refused from the shapes, before anything is allocated.
		"conv 1x1 16384 s1; dense 16384; dense 10": "more than 268435456 parameters",
		"input 4096x4096x4; dense 10":              "input shape",
		"input 4096x4096x1; conv 3x3 2; dense 10":  "more than 16777216",
		"input 4096x4096x16; dense 10":             "input shape",
		"input 4x4x1; conv 5x5 2 valid; dense 10":  "kernel larger",
		"dense 10; input 28x28x1":                  "before the layers",
		"dense 1":                                  "at least 2",
		"conv 99x99 4; dense 10":                   "out of range",
	}
	for text, want := range cases {
		_, err := ParseSpec(text)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseSpec(%q) = %v, want an error mentioning %q", text, err, want)
		}
	}
}

func TestConvOutputTensorFlowRule(t *testing.T) {
	cases := []struct {
		in, k, s   int
		pad        Padding
		out, front int
	}{
		{28, 6, 1, Same, 28, 2}, // total 5: 2 before, 3 after
		{28, 5, 2, Same, 14, 1}, // total 3
		{14, 4, 2, Same, 7, 1},  // total 2
		{9, 3, 2, Same, 5, 1},
		{7, 4, 2, Valid, 2, 0},
		{8, 2, 2, Valid, 4, 0},
	}
	for _, c := range cases {
		out, front := convOutput(c.in, c.k, c.s, c.pad)
		if out != c.out || front != c.front {
			t.Errorf("convOutput(%d, %d, %d, %v) = %d, %d; want %d, %d", c.in, c.k, c.s, c.pad, out, front, c.out, c.front)
		}
	}
}
