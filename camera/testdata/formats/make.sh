#!/bin/sh
# make.sh: the files of this folder, from firmware/testdata/scene00.png,
# by ImageMagick (Debian's imagemagick, with its WebP, HEIF and AVIF
# delegates): the formats phones and the web save that Go's standard library
# does not read. TestReadFrameFormats reads them.
#   scene00.webp   lossy WebP, as the web serves photos
#   scene00.heic   an iPhone's default format, small: only its header matters
#   scene00.avif   likewise
set -eu
cd "$(dirname "$0")"
src=../../../firmware/testdata/scene00.png
convert "$src" -quality 85 scene00.webp
convert "$src" -resize 64x48 -quality 50 scene00.heic
convert "$src" -resize 64x48 -quality 50 scene00.avif
