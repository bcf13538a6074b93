// Package modeltest makes models for tests: the embedded one, an int8
// network read back from its file, and models with the NotDigit class made
// from a real network (the embedded model), so that tests can follow the
// 11th class end to end with digits that read right, and with a NotDigit
// class whose choices the test knows.
package modeltest

import (
	"errors"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/edgeconv/edgeconv/engine"
	"github.com/edgeconv/edgeconv/model"
	"github.com/edgeconv/edgeconv/quant"
)

// NotDigitAs returns an 11-class float32 network whose digit logits are
// those of the embedded model (model.Default, dequantised) and whose
// NotDigit logit is the logit of digit plus margin: every image whose best
// digit is digit, the new network reads as not a digit, and it rejects
// nothing else (the embedded model's own NotDigit output, if it has one,
// is left out). It is made with engine.New from the model's spec with an
// 11-unit last layer, and the model's weights copied in.
func NotDigitAs(digit int, margin float32) (*engine.Network, error) {
	if digit < 0 || digit >= model.Digits {
		return nil, errors.New("modeltest: NotDigitAs needs a digit 0-9")
	}
	m, err := model.Default()
	if err != nil {
		return nil, err
	}
	net, err := m.FloatNetwork()
	if err != nil {
		return nil, err
	}
	spec := net.Spec
	spec.Layers = append([]engine.LayerSpec(nil), spec.Layers...)
	spec.Layers[len(spec.Layers)-1].Out = model.Digits + 1
	out, err := engine.New(spec)
	if err != nil {
		return nil, err
	}
	from, to := net.Layers(), out.Layers()
	last := len(from) - 1
	for i := range last {
		copy(to[i].Weights, from[i].Weights)
		copy(to[i].Bias, from[i].Bias)
	}
	// The last dense layer's weights are (In, Out): column c is class c.
	const d, n11 = model.Digits, model.Digits + 1
	w, w11, k := from[last].Weights, to[last].Weights, net.Classes()
	for i := range from[last].In.Size() {
		copy(w11[i*n11:i*n11+d], w[i*k:i*k+d])
		w11[i*n11+model.NotDigit] = w[i*k+digit]
	}
	copy(to[last].Bias[:d], from[last].Bias[:d])
	to[last].Bias[model.NotDigit] = from[last].Bias[digit] + margin
	out.ParamsChanged()
	return out, nil
}

// Quantize returns net quantised to int8, calibrated on images, (n, 28,
// 28) pixel bytes.
func Quantize(net *engine.Network, images []uint8) (*quant.Network, error) {
	n := len(images) / model.Size
	calib := make([][]float32, n)
	for i := range calib {
		calib[i] = make([]float32, model.Size)
		model.ScalePixels(calib[i], images[i*model.Size:(i+1)*model.Size])
	}
	return quant.Quantize(net, calib, quant.Options{})
}

// Default returns the embedded model (model.Default), failing the test if
// it does not open.
func Default(tb testing.TB) *model.Model {
	tb.Helper()
	m, err := model.Default()
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

// DefaultCopy returns a copy of the embedded model's float32 network (its
// spec and weights) for a test to change: FloatNetwork's is shared, and a
// change to it would be a change to the model for every test after.
func DefaultCopy(tb testing.TB) *engine.Network {
	tb.Helper()
	orig, err := Default(tb).FloatNetwork()
	if err != nil {
		tb.Fatal(err)
	}
	net, err := engine.New(orig.Spec)
	if err != nil {
		tb.Fatal(err)
	}
	copy(net.Params, orig.Params)
	return net
}

// Int8 returns q as a model opened from its file, as a user's would be:
// written to a temporary folder, then model.Open.
func Int8(tb testing.TB, q *quant.Network) *model.Model {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "q.int8.safetensors")
	if err := q.SaveFile(path); err != nil {
		tb.Fatal(err)
	}
	m, err := model.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

// NotDigitModel returns NotDigitAs(digit, margin) and the float32 model of
// it, named "no-DIGITs".
func NotDigitModel(tb testing.TB, digit int, margin float32) (*engine.Network, *model.Model) {
	tb.Helper()
	net, err := NotDigitAs(digit, margin)
	if err != nil {
		tb.Fatal(err)
	}
	m, err := model.FromNetwork(net, fmt.Sprintf("no-%ds", digit))
	if err != nil {
		tb.Fatal(err)
	}
	return net, m
}
