#!/bin/sh
# train-kill9.sh: the acceptance of issue 14 for training. It trains with
# the default flags (ITER iterations, default 2000, so that it is quick)
# once without interruption, then again killed with SIGKILL at a random
# moment, and runs the resume command the killed run printed, from the same
# folder. It prints the iteration of the last checkpoint before the kill and
# how long before the kill it was written, compares the two models byte for
# byte and lists temporary files left behind. Needs bin/edgeconv (make
# build) and data/mnist (make data).
set -eu
cd "$(dirname "$0")/.."
exe=$(pwd)/bin/edgeconv
data=$(pwd)/data/mnist
iter=${ITER:-2000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/whole" "$tmp/killed"

start=$(date +%s.%N)
(cd "$tmp/whole" && "$exe" train --iterations "$iter" --data "$data" --quiet >/dev/null 2>"$tmp/whole.log")
took=$(echo "$(date +%s.%N) - $start" | bc)
echo "uninterrupted: $iter iterations in ${took}s"

cd "$tmp/killed"
"$exe" train --iterations "$iter" --data "$data" --quiet >/dev/null 2>"$tmp/killed.log" &
pid=$!
# A random moment between 5% and 95% of the uninterrupted run's time
# (DELAY=seconds: that moment instead).
delay=${DELAY:-}
[ -n "$delay" ] || delay=$(awk -v t="$took" -v r="$(od -An -N2 -tu2 /dev/urandom)" 'BEGIN { printf "%.2f", t * (0.05 + 0.9 * r / 65535) }')
sleep "$delay"
kill -9 "$pid"
wait "$pid" 2>/dev/null || true
killed_at=$(date +%s.%N)
last=$(grep -o 'checkpoint at iteration [0-9]*' "$tmp/killed.log" | tail -1 | grep -o '[0-9]*$')
ckpt=$(ls models/*.ckpt.safetensors)
age=$(echo "$killed_at - $(date -r "$ckpt" +%s.%N)" | bc)
echo "killed -9 after ${delay}s; last checkpoint at iteration $last, written ${age}s before the kill"
resume=$(sed -n 's/.*continue it with: edgeconv \(.*\))$/\1/p' "$tmp/killed.log" | head -1)
echo "resume command printed: edgeconv $resume"
# The printed command as a shell reads it, with this edgeconv.
if ! eval "\"\$exe\" $resume" >"$tmp/resume.out" 2>"$tmp/resume.log"; then
	cat "$tmp/resume.log"
	exit 1
fi
grep 'resumed at iteration' "$tmp/resume.out" | sed 's/^ */resume: /'
if cmp "$tmp/whole/models/seed99.safetensors" "$tmp/killed/models/seed99.safetensors"; then
	echo "models: byte-identical ($(stat -c %s "$tmp/killed/models/seed99.safetensors") bytes, at the original path models/seed99.safetensors)"
else
	echo "models: DIFFER"
	exit 1
fi
left=$(find "$tmp/killed" -name '*tmp*' | wc -l)
echo "temporary files left: $left"
ls -A "$tmp/killed/models"
