#!/bin/sh
# Read the development photographs (../shared/photos, ../shared/photos2)
# with a model and score each one against its LABELS.tsv, digit by digit
# (the read text aligned with the labels), then the generated scenes of
# MNIST test digits and the scene conditions likewise.
#
#   scripts/camera-photos.sh [MODEL]   (default: the embedded int8 model;
#                                       a float32 or int8 file, relative to
#                                       the repository's root)
#
# `edgeconv eval --photos DIR` scores a folder of photos from the command
# line the same way.
set -eu
cd "$(dirname "$0")/.."
EDGECONV_CAMERA_MODEL=${1:-} go test ./reading -run 'TestPhotosRead|TestGeneratedScenesRead|TestConditionsRead' -v -count=1 |
	grep -E 'A4.png|want|got|scenes:|photos2?, |condition|below target|^ +[a-z]+ +[0-9]|^(ok|FAIL|---)'
