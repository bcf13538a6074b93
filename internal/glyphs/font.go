package glyphs

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// Kind says how a font's glyphs are drawn.
type Kind uint8

const (
	// Outline glyphs are filled contours (TrueType, OpenType).
	Outline Kind = iota + 1
	// Stroke glyphs are polylines drawn with a pen (Hershey fonts).
	Stroke
)

// Font is a source of glyphs. Its methods may be called from several
// goroutines at once.
type Font struct {
	name   string
	kind   Kind
	strk   map[rune]*Glyph
	outl   map[rune]*Glyph // loaded outline glyphs, filled by ParseOutline
	runes  []rune
	xh, ch float64 // x-height and cap height in em units, 0 when unknown
}

// Name returns the name the font was parsed with.
func (f *Font) Name() string { return f.name }

// Kind returns whether the font is an outline or a stroke font.
func (f *Font) Kind() Kind { return f.kind }

// Runes returns the runes the font has a visible glyph for, in ascending
// order.
func (f *Font) Runes() []rune { return f.runes }

// Has reports whether the font has a visible glyph for r.
func (f *Font) Has(r rune) bool {
	if f.kind == Stroke {
		return f.strk[r] != nil
	}
	return f.outl[r] != nil
}

// Glyph returns r's shape in em units (y down, origin on the baseline).
// The glyph is shared: callers must not change it (Map and Transform
// return copies). It returns false when the font has no visible glyph
// for r.
func (f *Font) Glyph(r rune) (*Glyph, bool) {
	var g *Glyph
	if f.kind == Stroke {
		g = f.strk[r]
	} else {
		g = f.outl[r]
	}
	return g, g != nil
}

// CapHeight returns the height of the capital letters in em units: from
// the font's OS/2 table, else measured on 'H'.
func (f *Font) CapHeight() float64 { return f.ch }

// XHeight returns the height of the lower-case letters in em units: from
// the font's OS/2 table, else measured on 'x'.
func (f *Font) XHeight() float64 { return f.xh }

// ppem is the size at which outlines are loaded: 1 em = 1024 units of
// 1/64, enough precision for any size they are drawn at.
const ppem = 1024

// maxRune bounds the runes an outline font is searched for: the Latin,
// Greek, punctuation, arrow and mathematical blocks.
const maxRune = 0x2300

// ParseOutline reads a TrueType or OpenType font and loads the outline of
// every rune below U+2300 that it has, flattened to polygons (quadratic
// curves in 8 pieces, cubic ones in 12).
func ParseOutline(name string, data []byte) (*Font, error) {
	sf, err := sfnt.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("glyphs: %s: %w", name, err)
	}
	f := &Font{name: name, kind: Outline, outl: map[rune]*Glyph{}}
	var buf sfnt.Buffer
	for r := rune(0x21); r < maxRune; r++ {
		x, err := sf.GlyphIndex(&buf, r)
		if err != nil || x == 0 {
			continue
		}
		segs, err := sf.LoadGlyph(&buf, x, fixed.I(ppem), nil)
		if err != nil || len(segs) == 0 {
			continue
		}
		adv, err := sf.GlyphAdvance(&buf, x, fixed.I(ppem), 0)
		if err != nil {
			continue
		}
		g := &Glyph{Advance: unit(adv)}
		var cur []Point
		last := Point{}
		flush := func() {
			if len(cur) > 2 {
				g.Fill = append(g.Fill, cur)
			}
			cur = nil
		}
		for _, s := range segs {
			p := [3]Point{pt(s.Args[0]), pt(s.Args[1]), pt(s.Args[2])}
			switch s.Op {
			case sfnt.SegmentOpMoveTo:
				flush()
				cur = append(cur, p[0])
				last = p[0]
			case sfnt.SegmentOpLineTo:
				cur = append(cur, p[0])
				last = p[0]
			case sfnt.SegmentOpQuadTo:
				for i := 1; i <= 8; i++ {
					t := float64(i) / 8
					cur = append(cur, quad(last, p[0], p[1], t))
				}
				last = p[1]
			case sfnt.SegmentOpCubeTo:
				for i := 1; i <= 12; i++ {
					t := float64(i) / 12
					cur = append(cur, cube(last, p[0], p[1], p[2], t))
				}
				last = p[2]
			}
		}
		flush()
		if len(g.Fill) == 0 {
			continue
		}
		f.outl[r] = g
		f.runes = append(f.runes, r)
	}
	if len(f.runes) == 0 {
		return nil, fmt.Errorf("glyphs: %s: no visible glyphs", name)
	}
	f.measure()
	return f, nil
}

func unit(v fixed.Int26_6) float64 { return float64(v) / 64 / ppem }

func pt(p fixed.Point26_6) Point { return Point{unit(p.X), unit(p.Y)} }

func quad(a, b, c Point, t float64) Point {
	u := 1 - t
	return Point{u*u*a.X + 2*u*t*b.X + t*t*c.X, u*u*a.Y + 2*u*t*b.Y + t*t*c.Y}
}

func cube(a, b, c, d Point, t float64) Point {
	u := 1 - t
	return Point{u*u*u*a.X + 3*u*u*t*b.X + 3*u*t*t*c.X + t*t*t*d.X,
		u*u*u*a.Y + 3*u*u*t*b.Y + 3*u*t*t*c.Y + t*t*t*d.Y}
}

// measure sets the cap and x-heights from 'H' and 'x' (or 'X' and 'o').
func (f *Font) measure() {
	height := func(rs ...rune) float64 {
		for _, r := range rs {
			if g, ok := f.Glyph(r); ok {
				return -g.Bounds(Identity, 0).Min.Y
			}
		}
		return 0
	}
	f.ch = height('H', 'X', 'E', '1')
	f.xh = height('x', 'o', 'n')
	if f.xh == 0 {
		f.xh = 0.7 * f.ch
	}
}

// ASCII is the charset of the Hershey files that follow ASCII order: the
// 96 glyphs of a file are the runes ' ' to DEL.
var ASCII = func() []rune {
	rs := make([]rune, 96)
	for i := range rs {
		rs[i] = rune(32 + i)
	}
	return rs
}()

// hersheyEm is the Hershey unit in ems: capitals are 21 units tall, which
// makes the cap height 0.66 em, as in common outline fonts.
const hersheyEm = 32

// hersheyBaseline is the y coordinate of the baseline in Hershey units.
const hersheyBaseline = 9

// ParseHershey reads a Hershey font in James Hurt's format (.jhf: one glyph
// per record: a 5-column number, a 3-column vertex count, then the left
// and right bounds and the vertices as pairs of letters offset from 'R',
// " R" lifting the pen). charset gives the rune of each record in order
// (0 skips one); records beyond it are ignored.
func ParseHershey(name string, data []byte, charset []rune) (*Font, error) {
	f := &Font{name: name, kind: Stroke, strk: map[rune]*Glyph{}}
	recs, err := hersheyRecords(string(data))
	if err != nil {
		return nil, fmt.Errorf("glyphs: %s: %w", name, err)
	}
	for i, rec := range recs {
		if i >= len(charset) || charset[i] == 0 {
			continue
		}
		g, err := hersheyGlyph(rec)
		if err != nil {
			return nil, fmt.Errorf("glyphs: %s: record %d: %w", name, i+1, err)
		}
		if g.Empty() {
			continue
		}
		r := charset[i]
		if f.strk[r] == nil {
			f.runes = append(f.runes, r)
		}
		f.strk[r] = g
	}
	if len(f.runes) == 0 {
		return nil, fmt.Errorf("glyphs: %s: no visible glyphs", name)
	}
	slices.Sort(f.runes)
	f.measure()
	return f, nil
}

// hersheyRecords splits the file into records. A record may continue on
// the next lines: its length comes from its vertex count.
func hersheyRecords(s string) ([]string, error) {
	var recs []string
	lines := strings.Split(strings.ReplaceAll(s, "\r", ""), "\n")
	for i := 0; i < len(lines); i++ {
		ln := lines[i]
		if strings.TrimSpace(ln) == "" {
			continue
		}
		if len(ln) < 10 {
			return nil, fmt.Errorf("line %d: short record %q", i+1, ln)
		}
		n, err := strconv.Atoi(strings.TrimSpace(ln[5:8]))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("line %d: bad vertex count %q", i+1, ln[5:8])
		}
		want := 8 + 2*n
		for len(ln) < want && i+1 < len(lines) {
			i++
			ln += lines[i]
		}
		if len(ln) < want {
			return nil, fmt.Errorf("line %d: record has %d of %d characters", i+1, len(ln), want)
		}
		recs = append(recs, ln[:want])
	}
	return recs, nil
}

var errHersheyCoord = errors.New("vertex out of range")

// hersheyGlyph decodes one record into em units.
func hersheyGlyph(rec string) (*Glyph, error) {
	body := rec[8:]
	left, right := int(body[0])-'R', int(body[1])-'R'
	g := &Glyph{Advance: float64(right-left) / hersheyEm}
	var cur []Point
	for i := 2; i+1 < len(body); i += 2 {
		if body[i] == ' ' && body[i+1] == 'R' {
			if len(cur) > 0 {
				g.Strokes = append(g.Strokes, cur)
			}
			cur = nil
			continue
		}
		x, y := int(body[i])-'R', int(body[i+1])-'R'
		if x < -50 || x > 50 || y < -50 || y > 50 {
			return nil, errHersheyCoord
		}
		cur = append(cur, Point{float64(x-left) / hersheyEm, float64(y-hersheyBaseline) / hersheyEm})
	}
	if len(cur) > 0 {
		g.Strokes = append(g.Strokes, cur)
	}
	return g, nil
}
