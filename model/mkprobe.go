//go:build ignore

// Mkprobe writes probe.png, the digits of SelfTest: the first ten of each
// class in MNIST's test set, one class a row (0 at the top), 28x28 each,
// as MNIST stores them (ink 255). Run from the repository after `make
// data`:
//
//	go run ./model/mkprobe.go
package main

import (
	"image"
	"image/png"
	"io"
	"log"
	"path/filepath"

	"github.com/edgeconv/edgeconv/internal/atomicfile"
	"github.com/edgeconv/edgeconv/train"
)

func main() {
	d, err := train.LoadMNIST(train.MNISTDir, train.Test)
	if err != nil {
		log.Fatal(err)
	}
	img := image.NewGray(image.Rect(0, 0, 10*28, 10*28))
	var n [10]int
	for i := 0; i < d.N; i++ {
		c := int(d.Labels[i])
		if n[c] == 10 {
			continue
		}
		px := d.Image(i)
		for y := range 28 {
			copy(img.Pix[(c*28+y)*img.Stride+n[c]*28:], px[y*28:(y+1)*28])
		}
		n[c]++
	}
	if err := atomicfile.Write(filepath.Join("model", "probe.png"), func(w io.Writer) error { return png.Encode(w, img) }); err != nil {
		log.Fatal(err)
	}
}
