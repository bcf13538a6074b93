package glyphs

import (
	"embed"
	"fmt"
	"path"
	"strings"
	"sync"
)

//go:embed fonts/*.ttf fonts/*.otf fonts/*.jhf fonts/LICENSE-*.txt
var fontFiles embed.FS

// hersheyCharsets gives the runes of the Hershey files whose records do
// not follow ASCII order: each entry replaces the rune of the record
// whose ASCII slot is the key (0 drops the record).
var hersheyCharsets = map[string]map[byte]rune{
	// The lower-case mathematical symbols: the letters are in the
	// capitals' slots, and large variants of √ ∫ ( ) [ ] are dropped.
	"mathlow.jhf": func() map[byte]rune {
		m := map[byte]rune{'!': '±', '"': '∓', '#': '×', '$': '⋅', '&': '≦', '\'': '≧', '-': '−',
			':': '∏', ';': '∑', '?': '≠', '@': '≡', '^': '∝', '_': '∞', '`': '°',
			'a': '$', 'b': '√', 'c': 0, 'd': '⊂', 'e': '∪', 'f': '⊃', 'g': '∩', 'h': '∈', 'i': '→',
			'j': '↑', 'k': '←', 'l': '↓', 'm': '∂', 'n': '∇', 'o': 0, 'p': '∫', 'q': 0, 'r': 0,
			's': 0, 't': 0, 'u': 0, 'v': '∃', 'w': 'ℵ', 'x': '÷', 'y': '‖', 'z': '⊥', '|': '∠',
			'~': '∴', 0x7f: 0}
		for c := byte('A'); c <= 'Z'; c++ {
			m[c] = rune(c - 'A' + 'a')
		}
		return m
	}(),
	// The Greek simplex: Greek letters in the Latin letters' slots.
	"greeks.jhf": func() map[byte]rune {
		m := map[byte]rune{'Y': 0, 'Z': 0, '^': '↑', '`': '‘', 'y': 0, 'z': 0, 0x7f: 0}
		for i, r := range []rune("ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩ") {
			m[byte('A'+i)] = r
		}
		for i, r := range []rune("αβγδεζηθικλμνξοπρστυφχψω") {
			m[byte('a'+i)] = r
		}
		return m
	}(),
}

// charset returns the runes of a Hershey file's records.
func charset(name string) []rune {
	rs := append([]rune(nil), ASCII...)
	rs[0] = 0  // the space
	rs[95] = 0 // DEL: a filled box in most files
	for c, r := range hersheyCharsets[name] {
		rs[int(c)-32] = r
	}
	return rs
}

var embeddedCache sync.Map // name → *Font or error

// Embedded returns the embedded font of that file name (as Names lists
// it), parsed once and shared.
func Embedded(name string) (*Font, error) {
	if v, ok := embeddedCache.Load(name); ok {
		if err, isErr := v.(error); isErr {
			return nil, err
		}
		return v.(*Font), nil
	}
	data, err := fontFiles.ReadFile(path.Join("fonts", name))
	var f *Font
	switch {
	case err != nil || strings.HasPrefix(name, "LICENSE"):
		err = fmt.Errorf("glyphs: no embedded font %q", name)
	case strings.HasSuffix(name, ".jhf"):
		f, err = ParseHershey(name, data, charset(name))
	default:
		f, err = ParseOutline(name, data)
	}
	if err != nil {
		embeddedCache.Store(name, err)
		return nil, err
	}
	v, _ := embeddedCache.LoadOrStore(name, f)
	return v.(*Font), nil
}

// Names lists the embedded fonts' file names in order.
func Names() []string {
	ents, _ := fontFiles.ReadDir("fonts")
	var names []string
	for _, e := range ents {
		if !strings.HasPrefix(e.Name(), "LICENSE") {
			names = append(names, e.Name())
		}
	}
	return names
}

// License returns the licence text that covers the embedded font.
func License(name string) (string, error) {
	lic := map[string]string{"Breip": "breip", "BecauseWe": "bwht", "ComicNeue": "comic-neue",
		"DancingScript": "dancingscript", "KaushanScript": "kaushanscript", "Kristi": "kristi",
		"Humor-Sans": "humor-sans"}
	file := ""
	if strings.HasSuffix(name, ".jhf") {
		file = "hershey"
	}
	for prefix, l := range lic {
		if strings.HasPrefix(name, prefix) {
			file = l
		}
	}
	if file == "" {
		return "", fmt.Errorf("glyphs: no embedded font %q", name)
	}
	b, err := fontFiles.ReadFile("fonts/LICENSE-" + file + ".txt")
	return string(b), err
}
