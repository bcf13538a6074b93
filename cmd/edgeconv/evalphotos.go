package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/edgeconv/edgeconv/internal/score"
	"github.com/edgeconv/edgeconv/reading"
)

// photoResult is one photo of eval --photos.
type photoResult struct {
	File  string `json:"file"`
	Label string `json:"label"`
	Text  string `json:"text"` // the reading, as read prints it
	score.Counts
	Accuracy  float64         `json:"accuracy"` // right of labelled
	Alignment score.Alignment `json:"alignment"`
	Error     string          `json:"error,omitempty"`
}

// photosReport is eval --photos' --json output.
type photosReport struct {
	Model    string        `json:"model"`
	Dir      string        `json:"dir"`
	Photos   []photoResult `json:"photos"`
	Total    score.Counts  `json:"total"`
	Accuracy float64       `json:"accuracy"`
	Failed   int           `json:"failed"` // photos that could not be read
}

// runPhotos is eval --photos: every photo of o.photos/LABELS.tsv read as
// read reads it, and scored against its label.
func (o *evalOptions) runPhotos(ctx context.Context, env Env) error {
	labels, err := score.ReadLabels(o.photos)
	if errors.Is(err, fs.ErrNotExist) {
		// Say what the file is and how to read photos without one.
		return fmt.Errorf("%s: no %s in it: a tab-separated list of file and digits in reading order, "+
			"a header line first (edgeconv help eval); 'edgeconv read %s' reads photos without labels",
			o.photos, score.LabelsFile, o.photos)
	}
	if err != nil {
		return err
	}
	if len(labels) == 0 {
		return fmt.Errorf("%s lists no photos", filepath.Join(o.photos, score.LabelsFile))
	}
	m, err := openModel(o.model)
	if err != nil {
		return err
	}
	r, err := reading.New(m, reading.Options{})
	if err != nil {
		return err
	}
	defer r.Close()
	rep := photosReport{Model: m.Name(), Dir: o.photos, Photos: []photoResult{}}
	if !o.json {
		fmt.Fprintf(env.Stdout, "%s: %d photos, model %s\n", o.photos, len(labels), rep.Model)
	}
	for _, l := range labels {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		path := filepath.Join(o.photos, filepath.FromSlash(l.File))
		res := photoResult{File: l.File, Label: l.Digits}
		read, _, _, err := readFile(r, path, nil)
		if err != nil {
			fmt.Fprintf(env.Stderr, "edgeconv: %s: %v\n", path, err)
			res.Error = err.Error()
			rep.Failed++
			rep.Photos = append(rep.Photos, res)
			continue
		}
		res.Text = read.Text
		got, breaks := score.Digits(read.Text)
		steps := score.Align(got, l.Digits)
		res.Counts = score.Count(steps)
		res.Accuracy = res.RightRate()
		res.Alignment = score.Draw(steps, breaks)
		rep.Total.Add(res.Counts)
		rep.Photos = append(rep.Photos, res)
		if !o.json {
			printPhoto(env.Stdout, res)
		}
	}
	rep.Accuracy = rep.Total.RightRate()
	if o.json {
		if err := writeJSON(env.Stdout, rep); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(env.Stdout, "\ntotal, %d photos: %v\n", len(labels)-rep.Failed, rep.Total)
	}
	if rep.Failed > 0 {
		return exitError{1, fmt.Errorf("%d of %d photos could not be read", rep.Failed, len(labels))}
	}
	return nil
}

// printPhoto prints a photo's counts and its alignment: the label, the
// reading, and under them a mark at each digit that is not right.
func printPhoto(w io.Writer, res photoResult) {
	fmt.Fprintf(w, "%s: %v\n", res.File, res.Counts)
	a := res.Alignment
	fmt.Fprintf(w, "  label  %s\n  read   %s\n", a.Want, a.Got)
	if strings.Trim(a.Marks, string(score.Right)+" ") != "" {
		fmt.Fprintf(w, "         %s\n", strings.TrimRight(strings.ReplaceAll(a.Marks, string(score.Right), " "), " "))
	}
}
