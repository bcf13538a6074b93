package model

import (
	"errors"
	"fmt"
	"math"

	"github.com/edgeconv/edgeconv/engine"
	"github.com/edgeconv/edgeconv/internal/sysmem"
	"github.com/edgeconv/edgeconv/quant"
)

// Options configures a Classifier. The zero value classifies 32 images per
// pass on the calling goroutine, in the model's own precision.
type Options struct {
	// Batch is the number of images per forward pass; Classify takes any
	// number and runs as many passes as it needs. 0 means 32.
	Batch int
	// Workers is the number of goroutines sharing each pass (the caller's
	// included); 0 means 1.
	Workers int
	// Float runs an int8 model as the float32 network of its dequantised
	// weights (quant.Dequantize). A float32 model runs in float32 anyway.
	Float bool
}

// DefaultBatch is the batch of a Classifier whose Options.Batch is 0.
const DefaultBatch = 32

// maxWorkers bounds Options.Workers: far more than any machine this runs
// on has cores, and small enough that the plans' buffers cannot exhaust
// memory.
const maxWorkers = 1024

// Result is the classification of one image.
type Result struct {
	// Class is the most probable class: 0 to 9, or NotDigit.
	Class int
	// Confidence is its softmax probability, 0 to 1.
	Confidence float32
}

// Classifier classifies 28x28 digit images with a model. It holds the
// network's plan and every buffer, so after the first call of a given size
// Classify allocates nothing. A Classifier serves one goroutine; Close
// releases its worker goroutines.
type Classifier struct {
	m         *Model
	precision Precision
	batch     int
	classes   int
	float     *engine.Plan
	int8      *quant.Plan
	scale     float64   // int8: the real value of one logit unit
	x         []float32 // float32: (batch, 28, 28, 1) input
	logits    []float32 // (n, classes) of the last Classify
	probs     []float32 // (n, classes)
	results   []Result  // (n)
}

// NewClassifier prepares the model for classifying images in batches of
// opts.Batch on opts.Workers goroutines.
func (m *Model) NewClassifier(opts Options) (*Classifier, error) {
	if opts.Batch == 0 {
		opts.Batch = DefaultBatch
	}
	if opts.Workers == 0 {
		opts.Workers = 1
	}
	if opts.Batch < 1 || opts.Workers < 1 || opts.Workers > maxWorkers {
		return nil, errors.New("model: a classifier needs a positive batch and 1 to 1024 workers")
	}
	// The batch and the workers come from the command line: a plan that
	// would not fit in memory is an error, not a fatal out-of-memory.
	if err := sysmem.Check(fmt.Sprintf("model: a classifier of batch %d on %d workers", opts.Batch, opts.Workers),
		m.spec.PlanBytes(opts.Batch, engine.PlanOptions{Workers: opts.Workers})); err != nil {
		return nil, err
	}
	c := &Classifier{m: m, batch: opts.Batch, classes: m.Classes()}
	if m.q != nil && !opts.Float {
		c.precision = Int8
		c.int8 = quant.NewPlan(m.q, opts.Batch, opts.Workers)
		c.scale = float64(m.q.LogitScale())
		return c, nil
	}
	net, err := m.FloatNetwork()
	if err != nil {
		return nil, err
	}
	c.precision = Float32
	c.float = engine.NewPlan(net, opts.Batch, engine.PlanOptions{Workers: opts.Workers})
	c.x = make([]float32, opts.Batch*Size)
	return c, nil
}

// Close stops the classifier's worker goroutines.
func (c *Classifier) Close() {
	if c.float != nil {
		c.float.Close()
	}
	if c.int8 != nil {
		c.int8.Close()
	}
}

// Model returns the model the classifier runs.
func (c *Classifier) Model() *Model { return c.m }

// Precision returns the arithmetic the classifier runs in: Float32 for a
// float32 model or an int8 one run with Options.Float, else Int8.
func (c *Classifier) Precision() Precision { return c.precision }

// Classes returns the number of classes.
func (c *Classifier) Classes() int { return c.classes }

// String names the model and the arithmetic, e.g. "default int8" or
// "default (dequantised) float32".
func (c *Classifier) String() string {
	s := c.m.Label()
	if c.precision != c.m.precision {
		s += " (dequantised)"
	}
	return s + " " + c.precision.String()
}

// Classify classifies the images of pixels, n = len(pixels)/Size of them,
// each 28x28 row-major bytes as MNIST stores them and the extractor makes
// them: ink 255 on paper 0. A float32 network reads each pixel as p/255
// (ScalePixels), as it was trained; an int8 network reads the bytes as
// they are, as it was calibrated. The result, (n), and Logits and Probs
// belong to the classifier until the next call.
//
// Classify panics if len(pixels) is not a multiple of Size.
func (c *Classifier) Classify(pixels []uint8) []Result {
	if len(pixels)%Size != 0 {
		panic("model: Classify takes whole 28x28 images")
	}
	n, k := len(pixels)/Size, c.classes
	if cap(c.results) < n {
		c.results = make([]Result, n)
		c.logits = make([]float32, n*k)
		c.probs = make([]float32, n*k)
	}
	c.results, c.logits, c.probs = c.results[:n], c.logits[:n*k], c.probs[:n*k]
	for s := 0; s < n; s += c.batch {
		m := min(c.batch, n-s)
		px := pixels[s*Size : (s+m)*Size]
		lg := c.logits[s*k : (s+m)*k]
		if c.int8 != nil {
			// The prediction is the argmax of the integers (their float
			// images can tie where the integers do not).
			q := c.int8.Forward(px, m)
			for i := range m {
				c.results[s+i].Class = argmax(q[i*k : (i+1)*k])
			}
			for i, v := range q {
				lg[i] = float32(float64(v) * c.scale)
			}
		} else {
			x := c.x[:m*Size]
			ScalePixels(x, px)
			copy(lg, c.float.Forward(x, m))
			for i := range m {
				c.results[s+i].Class = argmax(lg[i*k : (i+1)*k])
			}
		}
	}
	for i := range c.results {
		r := &c.results[i]
		p := c.probs[i*k : (i+1)*k]
		softmax(p, c.logits[i*k:(i+1)*k])
		r.Confidence = p[r.Class]
	}
	return c.results
}

// Logits returns the last Classify's logits, (n, classes): the real values
// of the network's outputs (an int8 network's integers times their scale).
func (c *Classifier) Logits() []float32 { return c.logits }

// Probs returns the last Classify's softmax probabilities, (n, classes).
func (c *Classifier) Probs() []float32 { return c.probs }

// LikeliestDigit returns, for image i of the last Classify, the most
// probable of the ten digit classes and its probability: what the image
// reads as when it must be a digit (a photo cut around one digit), whatever
// the not-a-digit class says.
func (c *Classifier) LikeliestDigit(i int) Result {
	p := c.probs[i*c.classes : i*c.classes+Digits]
	k := argmax(p)
	return Result{Class: k, Confidence: p[k]}
}

// Mean returns the class and confidence of the mean of the probabilities
// of images i to j-1 of the last Classify: what several views of one digit
// (the image and a variation of it) read as together.
func (c *Classifier) Mean(i, j int) Result {
	k := c.classes
	if i < 0 || j > len(c.probs)/k || i >= j {
		panic("model: Mean of images outside the last Classify")
	}
	best, bestP := 0, float32(-1)
	for cl := range k {
		var sum float32
		for n := i; n < j; n++ {
			sum += c.probs[n*k+cl]
		}
		if sum > bestP {
			best, bestP = cl, sum
		}
	}
	return Result{Class: best, Confidence: bestP / float32(j-i)}
}

// Loss returns the softmax cross-entropy of image i of the last Classify
// against class label, computed from its logits in float64.
func (c *Classifier) Loss(i, label int) float64 {
	z := c.logits[i*c.classes : (i+1)*c.classes]
	zmax := z[argmax(z)]
	var sum float64
	for _, v := range z {
		sum += math.Exp(float64(v - zmax))
	}
	return math.Log(sum) - float64(z[label]-zmax)
}

// pixelScale maps a pixel to the float32 networks' input, p/255 rounded to
// float32.
var pixelScale = func() (t [256]float32) {
	for p := range t {
		t[p] = float32(p) / 255
	}
	return t
}()

// ScalePixels writes the float32 networks' input for pixel bytes: each
// pixel p becomes p/255 (the same float32 as float32(p)/255), so ink is 1
// and paper 0. Training and inference both feed networks through it.
// len(dst) must be at least len(src).
func ScalePixels(dst []float32, src []uint8) {
	dst = dst[:len(src)]
	for i, p := range src {
		dst[i] = pixelScale[p]
	}
}

// ResultOf returns the most probable class of the class probabilities p
// (the first on a tie) and its probability: the Result of probabilities a
// reader has revised.
func ResultOf(p []float32) Result {
	c := argmax(p)
	return Result{Class: c, Confidence: p[c]}
}

// argmax returns the index of the largest of v, the first on a tie.
func argmax[T int32 | float32](v []T) int {
	best := 0
	for i, x := range v {
		if x > v[best] {
			best = i
		}
	}
	return best
}

// softmax writes the probabilities of one image's logits into p.
func softmax(p, logits []float32) {
	zmax := logits[argmax(logits)]
	var sum float64
	for i, z := range logits {
		e := math.Exp(float64(z - zmax))
		p[i] = float32(e)
		sum += e
	}
	inv := 1 / sum
	for i := range p {
		p[i] = float32(float64(p[i]) * inv)
	}
}
