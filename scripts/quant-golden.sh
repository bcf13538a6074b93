#!/bin/sh
# Regenerates quant/testdata/small.int8.safetensors and quant/testdata/golden.txt:
# trains the small fixture network on MNIST (400 iterations), quantises it and
# records the SHA-256 of its int32 logits on the first 2,000 test images. Then
# checks the hash on this machine, with the purego tag and, when
# qemu-aarch64-static is installed, on arm64 with and without the dot-product
# extension. Run from the repository root after `make data`.
set -eu
go test -count=1 -run '^TestGolden$' ./quant -args -update
go test -count=1 -run '^TestGolden$' ./quant
go test -count=1 -tags purego -run '^TestGolden$' ./quant
if command -v qemu-aarch64-static >/dev/null 2>&1; then
	GOARCH=arm64 go test -count=1 -exec 'qemu-aarch64-static -cpu max' -run '^TestGolden$' ./quant
	GOARCH=arm64 go test -count=1 -exec 'qemu-aarch64-static -cpu cortex-a72' -run '^TestGolden$' ./quant
fi
git status --short quant/testdata
