package score

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// LabelsFile is the name of the labels file of a folder of photos.
const LabelsFile = "LABELS.tsv"

// FindShared returns the folder of photos shared/name (one with a
// LabelsFile) beside the repository, found by walking up from the working
// directory, or "" when there is none. The development photos live there,
// outside the repository: they are not ours to publish.
func FindShared(name string) string {
	d, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		p := filepath.Join(d, "shared", name)
		if _, err := os.Stat(filepath.Join(p, LabelsFile)); err == nil {
			return p
		}
		up := filepath.Dir(d)
		if up == d {
			return ""
		}
		d = up
	}
}

// Label is one photo's row of a LABELS.tsv file.
type Label struct {
	// File is the photo's path relative to the folder, with slashes.
	File string
	// Digits holds the photo's digits in reading order.
	Digits string
	// Columns holds every column of the row by its header name.
	Columns map[string]string
	// Line is the row's line number in the file, from 1.
	Line int
}

// ParseLabels reads a LABELS.tsv file: tab-separated, a header row naming
// the columns, among them "file" (a path relative to the folder, in any
// subfolder) and "digits" (the digits in reading order, possibly none);
// other columns are kept in Columns. Blank lines are skipped. A missing
// column, a malformed row or a label holding something other than digits
// is an error naming the line.
func ParseLabels(r io.Reader) ([]Label, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 1<<20)
	var header []string
	fileCol, digitsCol := -1, -1
	var out []Label
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		cols := strings.Split(line, "\t")
		if header == nil {
			header = cols
			for i, h := range cols {
				switch strings.TrimSpace(h) {
				case "file":
					fileCol = i
				case "digits":
					digitsCol = i
				}
			}
			if fileCol < 0 || digitsCol < 0 {
				return nil, fmt.Errorf("line %d: the header has no %q and %q columns (tab-separated)", n, "file", "digits")
			}
			continue
		}
		if len(cols) <= max(fileCol, digitsCol) {
			return nil, fmt.Errorf("line %d: %d columns, the header has %d", n, len(cols), len(header))
		}
		l := Label{File: strings.TrimSpace(cols[fileCol]), Digits: strings.TrimSpace(cols[digitsCol]),
			Columns: make(map[string]string, len(cols)), Line: n}
		for i, c := range cols {
			if i < len(header) {
				l.Columns[strings.TrimSpace(header[i])] = c
			}
		}
		if l.File == "" {
			return nil, fmt.Errorf("line %d: no file name", n)
		}
		if !filepath.IsLocal(filepath.FromSlash(l.File)) {
			return nil, fmt.Errorf("line %d: %q is not a path inside the folder", n, l.File)
		}
		for _, c := range []byte(l.Digits) {
			if c < '0' || c > '9' {
				return nil, fmt.Errorf("line %d: label %q of %s holds %q, not only digits", n, l.Digits, l.File, c)
			}
		}
		out = append(out, l)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if header == nil {
		return nil, fmt.Errorf("no header row")
	}
	return out, nil
}

// ReadLabels reads dir's LABELS.tsv.
func ReadLabels(dir string) ([]Label, error) {
	f, err := os.Open(filepath.Join(dir, LabelsFile))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	labels, err := ParseLabels(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, LabelsFile), err)
	}
	return labels, nil
}
