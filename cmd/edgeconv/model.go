package main

import (
	"errors"
	"fmt"

	"github.com/edgeconv/edgeconv/model"
	"github.com/edgeconv/edgeconv/train"
)

// openModel opens the model file at path, float32, int8 or a checkpoint,
// or the embedded model when path is "".
func openModel(path string) (*model.Model, error) {
	if path == "" {
		return model.Default()
	}
	return model.Open(path)
}

// loadMNIST loads one split of the MNIST data in dir; when the files are
// not there, the error says how to fetch them.
func loadMNIST(dir string, split train.Split) (*train.Dataset, error) {
	ds, err := train.LoadMNIST(dir, split)
	if errors.Is(err, train.ErrNoData) {
		return nil, fmt.Errorf("no MNIST data in %s; fetch it with: make data", dir)
	}
	return ds, err
}

// loadTrainTest loads both splits of the MNIST data in dir.
func loadTrainTest(dir string) (trainSet, testSet *train.Dataset, err error) {
	if trainSet, err = loadMNIST(dir, train.Train); err != nil {
		return nil, nil, err
	}
	if testSet, err = loadMNIST(dir, train.Test); err != nil {
		return nil, nil, err
	}
	return trainSet, testSet, nil
}
