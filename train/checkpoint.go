package train

import (
	"fmt"
	"strconv"
	"time"

	"github.com/edgeconv/edgeconv/engine"
	"github.com/edgeconv/edgeconv/engine/safetensors"
)

// Checkpoint metadata keys, beside the model's own (engine.ArchKey …).
const (
	keyIter       = "train.iteration"
	keyEpoch      = "train.epoch"
	keyPos        = "train.position"
	keyIterations = "train.iterations"
	keyBatch      = "train.batch"
	keySeed       = "train.seed"
	keyWorkers    = "train.workers"
	keyEvalEvery  = "train.eval_every"
	keyLRMin      = "train.lr_min"
	keyLRMax      = "train.lr_max"
	keyLRDecay    = "train.lr_decay"
	keyAdamT      = "adam.t"
	keyMaxAcc     = "train.max_accuracy"
	keyMaxAt      = "train.max_at"
	keyAugment    = "train.augment"
	keyNegatives  = "train.negatives"
	keyStyle      = "train.style_digits"
	keyStrokes    = "train.stroke_augment"
	keyPrior      = "train.prior"
	keyElastic    = "train.elastic"
	keyModelPath  = "run.model"
	keyCkptEvery  = "run.checkpoint_every"
	keyCkptTime   = "run.checkpoint_interval"
	tensorAdamM   = "adam.m"
	tensorAdamV   = "adam.v"
)

func ftoa(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// SaveCheckpoint writes the whole state of the run, and where it writes
// (opts), to opts.CheckpointPath, atomically. The file is also a valid
// float32 model (model.Open and engine.LoadFile read it).
func (t *Trainer) SaveCheckpoint(opts RunOptions) error {
	path := opts.CheckpointPath
	meta, ts := t.Net.SafeTensors()
	meta[engine.FormatKey] = engine.FormatCheckpoint
	for k, v := range map[string]string{
		keyIter: strconv.Itoa(t.Iter), keyEpoch: strconv.Itoa(t.epoch), keyPos: strconv.Itoa(t.pos),
		keyIterations: strconv.Itoa(t.Iterations), keyBatch: strconv.Itoa(t.Batch),
		keySeed: strconv.FormatUint(t.Seed, 10), keyWorkers: strconv.Itoa(t.Workers),
		keyEvalEvery: strconv.Itoa(t.EvalEvery),
		keyLRMin:     ftoa(t.Schedule.Min), keyLRMax: ftoa(t.Schedule.Max), keyLRDecay: ftoa(t.Schedule.Decay),
		keyAdamT: strconv.Itoa(t.Adam.T), keyMaxAcc: ftoa(t.MaxAccuracy), keyMaxAt: strconv.Itoa(t.MaxAt),
		keyAugment: strconv.FormatBool(t.Augment), keyElastic: ftoa(t.Elastic),
		keyNegatives: strconv.Itoa(t.Synth.Negatives), keyStyle: strconv.Itoa(t.Synth.Digits),
		keyStrokes: strconv.FormatBool(t.Synth.Strokes), keyPrior: ftoa(t.Synth.Prior),
		keyModelPath: modelPathFrom(path, opts.ModelPath), keyCkptEvery: strconv.Itoa(opts.CheckpointEvery),
		keyCkptTime: opts.CheckpointInterval.String(),
	} {
		meta[k] = v
	}
	n := len(t.Net.Params)
	ts = append(ts,
		safetensors.Tensor{Name: tensorAdamM, DType: "F32", Shape: []int{n}, Data: safetensors.Float32s(t.Adam.M)},
		safetensors.Tensor{Name: tensorAdamV, DType: "F32", Shape: []int{n}, Data: safetensors.Float32s(t.Adam.V)})
	return safetensors.WriteFile(path, meta, ts)
}

// Resume restores a run from the checkpoint at path, and where it writes:
// the RunOptions it was saved with, CheckpointPath set to path (a
// checkpoint written before these were saved gives ModelPath "" and no
// periodic checkpoints). workers overrides the saved worker count when
// positive (the run then stays reproducible only for the new count);
// iterations overrides the total number of steps when positive.
func Resume(path string, trainSet, testSet *Dataset, workers, iterations int) (*Trainer, RunOptions, error) {
	opts := RunOptions{CheckpointPath: path}
	meta, ts, err := safetensors.ReadFile(path)
	if err != nil {
		return nil, opts, err
	}
	if meta[engine.FormatKey] != engine.FormatCheckpoint {
		return nil, opts, fmt.Errorf("train: %s is not a checkpoint (format %q)", path, meta[engine.FormatKey])
	}
	// engine.FromSafeTensors allocates the network only when the file
	// holds its parameters.
	net, err := engine.FromSafeTensors(meta, ts)
	if err != nil {
		return nil, opts, fmt.Errorf("%s: %w", path, err)
	}
	if v, ok := meta[keyModelPath]; ok {
		opts.ModelPath = modelPathAt(path, v)
	}
	if v, ok := meta[keyCkptEvery]; ok {
		if opts.CheckpointEvery, err = strconv.Atoi(v); err != nil || opts.CheckpointEvery < 0 {
			return nil, opts, fmt.Errorf("%s: checkpoint interval %q is not a step count", path, v)
		}
	}
	if v, ok := meta[keyCkptTime]; ok {
		if opts.CheckpointInterval, err = time.ParseDuration(v); err != nil || opts.CheckpointInterval < 0 {
			return nil, opts, fmt.Errorf("%s: checkpoint interval %q is not a duration", path, v)
		}
	}
	t := &Trainer{Net: net, Adam: NewAdam(len(net.Params))}
	t.Spec = net.Spec
	ints := []struct {
		key string
		dst *int
	}{
		{keyIter, &t.Iter}, {keyEpoch, &t.epoch}, {keyPos, &t.pos}, {keyIterations, &t.Iterations},
		{keyBatch, &t.Batch}, {keyWorkers, &t.Workers}, {keyEvalEvery, &t.EvalEvery},
		{keyAdamT, &t.Adam.T}, {keyMaxAt, &t.MaxAt},
	}
	for _, f := range ints {
		v, err := safetensors.MetaInt(meta, f.key)
		if err != nil {
			return nil, opts, fmt.Errorf("%s: %w", path, err)
		}
		*f.dst = int(v)
	}
	floats := []struct {
		key string
		dst *float64
	}{{keyLRMin, &t.Schedule.Min}, {keyLRMax, &t.Schedule.Max}, {keyLRDecay, &t.Schedule.Decay}, {keyMaxAcc, &t.MaxAccuracy}}
	for _, f := range floats {
		v, err := safetensors.Meta(meta, f.key)
		if err == nil {
			*f.dst, err = strconv.ParseFloat(v, 64)
		}
		if err != nil {
			return nil, opts, fmt.Errorf("%s: checkpoint %s: %w", path, f.key, err)
		}
	}
	if t.Augment, err = strconv.ParseBool(meta[keyAugment]); err != nil {
		return nil, opts, fmt.Errorf("%s: checkpoint augment flag: %w", path, err)
	}
	// Checkpoints written before the synthetic samples existed have
	// none of their keys: such a run had none.
	for _, f := range []struct {
		key string
		dst *int
	}{{keyNegatives, &t.Synth.Negatives}, {keyStyle, &t.Synth.Digits}} {
		if _, ok := meta[f.key]; !ok {
			continue
		}
		v, err := safetensors.MetaInt(meta, f.key)
		if err != nil {
			return nil, opts, fmt.Errorf("%s: %w", path, err)
		}
		*f.dst = int(v)
	}
	if v, ok := meta[keyElastic]; ok { // older checkpoints: none
		if t.Elastic, err = strconv.ParseFloat(v, 64); err != nil {
			return nil, opts, fmt.Errorf("%s: checkpoint elastic distortion: %w", path, err)
		}
	}
	if v, ok := meta[keyPrior]; ok {
		if t.Synth.Prior, err = strconv.ParseFloat(v, 64); err != nil {
			return nil, opts, fmt.Errorf("%s: checkpoint prior: %w", path, err)
		}
	}
	if v, ok := meta[keyStrokes]; ok {
		if t.Synth.Strokes, err = strconv.ParseBool(v); err != nil {
			return nil, opts, fmt.Errorf("%s: checkpoint stroke augmentation flag: %w", path, err)
		}
	}
	if t.Seed, err = strconv.ParseUint(meta[keySeed], 10, 64); err != nil {
		return nil, opts, fmt.Errorf("%s: checkpoint seed: %w", path, err)
	}
	if t.pos < 0 || t.pos > trainSet.N+t.Synth.Negatives+t.Synth.Digits || t.epoch < 0 || t.Iter < 0 || t.Adam.T != t.Iter {
		return nil, opts, fmt.Errorf("%s: checkpoint position (iteration %d, epoch %d, position %d, adam step %d) is inconsistent", path, t.Iter, t.epoch, t.pos, t.Adam.T)
	}
	found := 0
	for _, tensor := range ts {
		var dst []float32
		switch tensor.Name {
		case tensorAdamM:
			dst = t.Adam.M
		case tensorAdamV:
			dst = t.Adam.V
		default:
			continue
		}
		if tensor.DType != "F32" || len(tensor.Shape) != 1 || tensor.Shape[0] != len(dst) {
			return nil, opts, fmt.Errorf("%s: %s is %s %v, want F32 [%d]", path, tensor.Name, tensor.DType, tensor.Shape, len(dst))
		}
		safetensors.ToFloat32s(dst, tensor.Data)
		found++
	}
	if found != 2 {
		return nil, opts, fmt.Errorf("%s: checkpoint lacks the optimiser moments", path)
	}
	if workers > 0 {
		t.Workers = workers
	}
	if iterations > 0 {
		t.Iterations = iterations
	}
	if err := t.setup(trainSet, testSet); err != nil {
		return nil, opts, err
	}
	return t, opts, nil
}
