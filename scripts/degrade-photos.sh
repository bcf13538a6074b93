#!/bin/sh
# How reading holds up when the photos get worse: each labelled photo folder
# (a LABELS.tsv as in ../shared/photos) is copied through ImageMagick once per
# degradation (blur, noise light and heavy, noise through a JPEG encoder,
# dim light, overexposure, JPEG saved again at 75 and heavily at 30, a
# camera's sharpening, a camera shaken across and upright, a turned camera
# (cropped to the photo, and whole on a dark table), a phone tilted toward
# the sheet's top (keystone: the top edge 5% narrower a side, and steep: 20%),
# a photo sideways or upside down with no orientation in its file or
# mirrored as a webcam app may save it, a downscale, an enlargement to a
# phone's resolution, a lamp's glare on the page, a fold's crease (a thin
# dark line) across it, light falling from side to side (a hand between
# the lamp and the page), a shadow's sharp edge across the writing (a phone
# held over the page: 40% of the light behind it), haze toward grey at the
# edges,
# a lens's corners dark, a sheet bent in a wave, a webcam's low resolution,
# a rolling shutter's shear, yellow, pink and blue paper, the sheet on a
# wooden desk, straight and turned by 8°, on a grey one and on a white one, a
# pen lying on the sheet beside the writing, a notebook's spiral down its
# side) and
# read by `edgeconv eval --photos`; one line per degradation and folder, the
# sharp photos first.
#
#   scripts/degrade-photos.sh DIR...     e.g. ../shared/photos ../shared/photos2
#
# Needs ImageMagick (convert) and bin/edgeconv (make build). EDGECONV_MODEL
# names another model file. Synthetic degradations point at causes; the
# photos other people take are the test.
set -eu
cd "$(dirname "$0")/.."
[ $# -gt 0 ] || { echo "usage: $0 DIR..." >&2; exit 2; }
command -v convert >/dev/null || { echo "$0: needs ImageMagick (apt-get install imagemagick)" >&2; exit 1; }
[ -x bin/edgeconv ] || make build
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
model=${EDGECONV_MODEL:+--model $EDGECONV_MODEL}

# name|ImageMagick arguments|output format prefix
degradations='sharp|||
blur-1.2px|-blur 0x1.2|
blur-2px|-blur 0x2|
noise|-attenuate 0.6 +noise Gaussian|
noise-heavy|-attenuate 1.6 +noise Gaussian|
noise-jpeg|-attenuate 1.2 +noise Gaussian -quality 60|jpg:
dim|-level 0%,100%,0.5 +level 20%,70%|
overexposed|-level 0%,65%|
jpeg-q75|-quality 75|jpg:
jpeg-q30|-quality 30|jpg:
sharpened|-unsharp 0x1.5+1+0|
shaken|-motion-blur 0x3|
shaken-upright|-motion-blur 0x3+90|
turned-8deg|-virtual-pixel edge -distort SRT 8|
turned-12deg|-virtual-pixel background -background gray(70) +distort SRT 12 +repage|
keystone|-virtual-pixel background -background gray(70) -distort Perspective 0,0,%[fx:w*0.05],0,%[fx:w],0,%[fx:w*0.95],0,0,%[fx:h],0,%[fx:h],%[fx:w],%[fx:h],%[fx:w],%[fx:h]|
keystone-steep|-virtual-pixel background -background gray(70) -distort Perspective 0,0,%[fx:w*0.2],0,%[fx:w],0,%[fx:w*0.8],0,0,%[fx:h],0,%[fx:h],%[fx:w],%[fx:h],%[fx:w],%[fx:h]|
sideways|-rotate 90|
upside-down|-rotate 180|
mirrored|-flop|
half-size|-resize 50%|
enlarged-3x|-filter Lanczos -resize 300% -quality 92|jpg:
glare|-fx u+(1-u)*0.85*exp(-((i/w-0.6)^2+(j/h-0.4)^2)/0.03)|
crease|-fx u*(1-0.35*exp(-((j/h-0.45-0.2*(i/w-0.5))*h/3)^2))|
shadow-edge|-fx u*(1-0.6/(1+exp((i-0.45*w-0.3*(j-h/2))/5)))|
dimmed-across|( +clone -sparse-color barycentric 0,0,white,%[w],0,gray35 ) -compose multiply -composite|
haze|-background grey60 -vignette 0x300|
dark-corners|-background black -vignette 0x200|
bent|-virtual-pixel edge -wave 25x1000|
low-res|-resize 40% -resize 250%|
rolling-shear|-virtual-pixel edge -distort AffineProjection 1,0,0.08,1,0,0|
yellow-paper|( +clone -fill #ffe680 -colorize 100 ) -compose multiply -composite|
pink-paper|( +clone -fill #ffc7d1 -colorize 100 ) -compose multiply -composite|
blue-paper|( +clone -fill #a8d9ff -colorize 100 ) -compose multiply -composite|
on-wood-table|-bordercolor rgb(150,100,60) -border 10%|
turned-on-wood-table|-background rgb(150,100,60) -rotate 8 -bordercolor rgb(150,100,60) -border 10%|
on-grey-table|-bordercolor rgb(100,100,100) -border 10%|
on-white-table|-bordercolor white -border 10%|
pen-on-sheet|-fx (j>h*0.25&&j<h*0.75&&abs(i-w*0.93-(j-h*0.25)*0.08*w/h)<0.008*w)?0.18:u|
spiral|-fx (abs(hypot((i-w*0.035)/(w*0.011),(mod(j,h*0.062)-h*0.031)/(h*0.02))-1)<0.22)?0.2:u|'

set -f # the ImageMagick arguments hold * and ( ), which are no file patterns
echo "$degradations" | while IFS='|' read -r name args fmt; do
	[ -n "$name" ] || continue
	for dir in "$@"; do
		out="$work/$name/$(basename "$dir")"
		mkdir -p "$out"
		cp "$dir/LABELS.tsv" "$out/"
		tail -n +2 "$dir/LABELS.tsv" | cut -f1 | while read -r f; do
			mkdir -p "$(dirname "$out/$f")"
			if [ -z "$args" ]; then
				cp "$dir/$f" "$out/$f"
			else
				# shellcheck disable=SC2086 # args is a list of arguments
				convert "$dir/$f" $args "$fmt$out/$f"
			fi
		done
		# shellcheck disable=SC2086
		total=$(bin/edgeconv eval $model --photos "$out" | grep '^total')
		printf '%-15s %-10s %s\n' "$name" "$(basename "$dir")" "$total"
	done
done
