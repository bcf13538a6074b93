package extract

import (
	"image"
	"image/draw"
	_ "image/png"
	"os"
	"testing"
)

// TestDebugDump prints the internal state of the extractor on the image
// named by EDGECONV_DUMP (a development aid).
func TestDebugDump(t *testing.T) {
	p := os.Getenv("EDGECONV_DUMP")
	if p == "" {
		t.Skip("set EDGECONV_DUMP=image.png to dump the extractor's state")
	}
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	img, _, err := image.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	// The extractor reads a camera's frames in colour (YCbCr 4:2:0);
	// EDGECONV_DUMP_GRAY=1 reads the luma alone.
	rgb := image.NewRGBA(img.Bounds())
	draw.Draw(rgb, rgb.Rect, img, img.Bounds().Min, draw.Src)
	var in image.Image = ycbcr420(rgb)
	if os.Getenv("EDGECONV_DUMP_GRAY") != "" {
		g := image.NewGray(img.Bounds())
		draw.Draw(g, g.Rect, img, img.Bounds().Min, draw.Src)
		in = g
	}
	e := NewExtractor(Options{})
	e.Extract(in, nil)
	for _, c := range e.lab.comps {
		if c.area >= 10 {
			t.Logf("comp (%d,%d)-(%d,%d) area %d strong %v off %v edge %d line %d", c.x0, c.y0, c.x1, c.y1, c.area, c.strong, c.off, c.edge, c.line)
		}
	}
	t.Logf("sheet all %v small %v; steps %v marked %v inkLow %.3f inkHigh %.3f sharp %.3f blk %d typ %.3f noise %.3f inkFrom %.3f typPaper %.3f", e.sheet.all, e.small(), e.step.on, e.step.marked, e.paper.inkLow, e.paper.inkHigh, e.paper.sharp, e.paper.blk, e.paper.typ, e.paper.noise, e.paper.inkFrom, e.paper.typPaper)
	t.Logf("sheet edges %+v", e.edges.lines)
	// Each side's gate and rises (-1: none), the frame looked at again.
	if !e.angle.rot.on {
		for side := range 4 {
			along, across := e.sideLen(side)
			reach := int(edgeReach * float32(across))
			r := max(2, min(e.w, e.h)/160)
			e.edges.prof = grow(e.edges.prof, reach+1)
			gated := e.sideGated(side)
			var us []int
			for k := range edgeLines {
				if u, ok := e.riseAt(e.last.plane, side, lineAt(k, along), reach, r); ok {
					us = append(us, u)
				} else {
					us = append(us, -1)
				}
			}
			t.Logf("side %d: gated %v, rises %v", side, gated, us)
		}
	}
	for _, b := range e.rules.bands {
		t.Logf("band %+v", b)
	}
	for i, l := range e.group.lines {
		t.Logf("line %d: rank %d h %.1f wTyp %.1f span %.0f-%.0f n %d", i, l.rank, l.h, l.wTyp, l.top, l.bot, l.n)
	}
	for _, c := range e.group.cands {
		l := e.group.lines[0]
		for _, m := range e.group.lines {
			if m.rank == c.line {
				l = m
			}
		}
		t.Logf("cand line %d box %v w/h %.2f w/lh %.2f w/wTyp %.2f", c.line, c.box, float32(c.box.Dx())/float32(c.box.Dy()), float32(c.box.Dx())/l.h, float32(c.box.Dx())/l.wTyp)
	}
}
