package main

import "github.com/edgeconv/edgeconv/model"

// openModel opens the model file at path, float32, int8 or a checkpoint,
// or the embedded model when path is "".
func openModel(path string) (*model.Model, error) {
	if path == "" {
		return model.Default()
	}
	return model.Open(path)
}
