package main

import (
	"bytes"
	"errors"
	"fmt"
	"math"

	"github.com/edgeconv/edgeconv/engine"
	"github.com/edgeconv/edgeconv/engine/safetensors"
	"github.com/edgeconv/edgeconv/firmware"
	"github.com/edgeconv/edgeconv/quant"
)

// classifier runs a digit model over MNIST-style 28x28 images. The commands
// that read images (predict, read) use it, so that they take a float32 or an
// int8 model file alike.
type classifier interface {
	// classify writes the n×classes probabilities of the n images in
	// pixels, (n, 28, 28, 1) with ink 1 on paper 0, into probs.
	classify(pixels []float32, n int, probs []float32)
	classes() int
	close()
}

// loadClassifier opens a model file ("" for the model embedded in the
// firmware) for inference on batches of up to batch images on one core.
func loadClassifier(path string, batch int) (classifier, error) {
	data, name, err := firmware.ModelBytes(path)
	if err != nil {
		return nil, err
	}
	meta, ts, err := safetensors.Read(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	net, err := engine.FromSafeTensors(meta, ts)
	if errors.Is(err, engine.ErrNotFloat32) {
		q, qerr := quant.FromSafeTensors(meta, ts)
		if qerr != nil {
			return nil, fmt.Errorf("%s: %w", name, qerr)
		}
		return &int8Classifier{q: q, plan: quant.NewPlan(q, batch, 1), px: make([]uint8, batch*q.InputSize())}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return &floatClassifier{plan: engine.NewPlan(net, batch, engine.PlanOptions{Workers: 1})}, nil
}

type floatClassifier struct{ plan *engine.Plan }

func (c *floatClassifier) classes() int { return c.plan.Network().Classes() }
func (c *floatClassifier) close()       { c.plan.Close() }

func (c *floatClassifier) classify(pixels []float32, n int, probs []float32) {
	size, k, batch := c.plan.Network().InputSize(), c.classes(), c.plan.Batch()
	for s := 0; s < n; s += batch {
		m := min(batch, n-s)
		logits := c.plan.Forward(pixels[s*size:(s+m)*size], m)
		for i := range m {
			softmaxInto(probs[(s+i)*k:(s+i+1)*k], logits[i*k:(i+1)*k])
		}
	}
}

// int8Classifier runs an int8 model: the images are rounded to the uint8
// pixels it was calibrated on, the int32 logits scaled back for softmax.
type int8Classifier struct {
	q      *quant.Network
	plan   *quant.Plan
	px     []uint8
	logits []float32
}

func (c *int8Classifier) classes() int { return c.q.Classes() }
func (c *int8Classifier) close()       { c.plan.Close() }

func (c *int8Classifier) classify(pixels []float32, n int, probs []float32) {
	size, k, batch := c.q.InputSize(), c.classes(), c.plan.Batch()
	scale := c.q.LogitScale()
	c.logits = append(c.logits[:0], make([]float32, k)...)
	for s := 0; s < n; s += batch {
		m := min(batch, n-s)
		for i, v := range pixels[s*size : (s+m)*size] {
			c.px[i] = uint8(min(255, max(0, v*255+0.5)))
		}
		logits := c.plan.Forward(c.px, m)
		for i := range m {
			for j := range k {
				c.logits[j] = float32(logits[i*k+j]) * scale
			}
			softmaxInto(probs[(s+i)*k:(s+i+1)*k], c.logits)
		}
	}
}

// softmaxInto writes the probabilities of one sample's logits into dst.
func softmaxInto(dst, logits []float32) {
	zmax := float32(math.Inf(-1))
	for _, z := range logits {
		zmax = max(zmax, z)
	}
	var sum float64
	for i, z := range logits {
		e := math.Exp(float64(z - zmax))
		dst[i] = float32(e)
		sum += e
	}
	for i := range dst {
		dst[i] = float32(float64(dst[i]) / sum)
	}
}

func argmax32(v []float32) int {
	best := 0
	for i, x := range v {
		if x > v[best] {
			best = i
		}
	}
	return best
}
