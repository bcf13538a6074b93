package firmware

import "github.com/edgeconv/edgeconv/engine/safetensors"

// newInt8 returns the recognizer of an int8 model file, or errNoInt8 for
// another kind of file. Until package quant lands every model is float32.
func newInt8(meta map[string]string, ts []safetensors.Tensor, name string, float bool) (Recognizer, error) {
	return nil, errNoInt8
}
