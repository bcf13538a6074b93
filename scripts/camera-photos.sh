#!/bin/sh
# Read the photographs of ../shared/photos with a model and score each one
# against LABELS.tsv, digit by digit (the read text aligned with the
# labels), and the generated scenes of MNIST test digits likewise.
#
#   scripts/camera-photos.sh [MODEL]   (default: the embedded int8 model;
#                                       a float32 or int8 file, relative to
#                                       the repository's root)
set -eu
cd "$(dirname "$0")/.."
EDGECONV_CAMERA_MODEL=${1:-} go test ./extract -run 'TestPhotosRead|TestGeneratedScenesRead' -v -count=1 |
	grep -E 'A4.png|want|got|scenes:|int8|float32|^(ok|FAIL|---)'
