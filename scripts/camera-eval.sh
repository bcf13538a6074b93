#!/bin/sh
# Evaluate digit extraction: segmentation on generated scenes (needs
# data/mnist, see make data), counts and rows on the real photographs in
# ../shared/photos (when present), debug images of every photo and of the
# scenes with errors, and the benchmarks.
#
#   scripts/camera-eval.sh [outdir]     (default: a new temporary directory)
#
# View OUT/*-boxes.png (boxes, one colour per line) and OUT/*-digits.png
# (the 28x28 images, one row per line).
set -eu
cd "$(dirname "$0")/.."
out=${1:-$(mktemp -d)}
mkdir -p "$out"
EDGECONV_CAMERA_DEBUG=$(cd "$out" && pwd) go test ./extract -run 'TestPhotos|TestGenerated|TestCommittedScenes' -v -count=1 |
	grep -E 'photos:|_A4|[0-9]+x[0-9]+: |large digits:|committed scenes:|^(ok|FAIL|---)'
go test ./extract -run '^$' -bench Extract -benchtime 2s
echo "debug images in $out"
