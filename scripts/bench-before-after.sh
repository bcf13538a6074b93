#!/bin/sh
# bench-before-after.sh REV [AFTER]: time REV and AFTER (default HEAD) side
# by side on this machine and print one table of medians.
#
# Both trees come out of git (git archive: uncommitted changes do not
# count) into a temporary directory, with data/mnist linked in from this
# repository (make data). Each tree builds its edgeconv binary and the test
# binaries of the packages that hold BenchmarkFrame (firmware),
# BenchmarkRead (extract before the reading package, reading after it) and
# BenchmarkInference (bench). Then ROUNDS rounds (default 3) run every
# measurement once per tree, alternating which tree goes first, so a load
# that comes and goes on a shared machine falls on both; the table shows
# each measurement's median over the rounds:
#   - the Go benchmarks' median-ms (or ns/op where they report no median),
#     on one core (-cpu 1) except bench's, whose allcores case wants them all,
#     and for those that report the digits they found, the time per digit
#     (the trees' extractors do not find the same digits);
#   - `edgeconv read` of the scenes in extract/testdata/scenes and `edgeconv
#     eval` of the MNIST test set on one worker, each on the clock and on the
#     CPU (cpu-s: user and system time, which a loaded machine barely moves;
#     it needs /usr/bin/time), and `edgeconv bench --json`'s batch-1
#     latency (µs) and batch-100 throughput (images/s, higher is better), all with the same model file: REV's
#     embedded one (--model), so both trees run the same weights.
#
# BENCHTIME (default 1s) is go test's -benchtime. KEEP=1 keeps the
# temporary directory. It takes about 15 minutes with the defaults.
set -eu

usage="usage: scripts/bench-before-after.sh REV [AFTER]"
before=${1:?$usage}
after=${2:-HEAD}
rounds=${ROUNDS:-3}
benchtime=${BENCHTIME:-1s}
GO=${GO:-go}

repo=$(git rev-parse --show-toplevel)
[ -f "$repo/data/mnist/t10k-images-idx3-ubyte.gz" ] || { echo "no data/mnist: run make data" >&2; exit 1; }
tmp=$(mktemp -d)
if [ "${KEEP:-}" = 1 ]; then echo "keeping $tmp" >&2; else trap 'rm -rf "$tmp"' EXIT; fi

# prepare SIDE REV: the tree of REV in $tmp/SIDE/src and its binaries in
# $tmp/SIDE.
prepare() {
	side=$1 rev=$2
	mkdir -p "$tmp/$side/src/data"
	git -C "$repo" archive "$rev" | tar -x -C "$tmp/$side/src"
	ln -s "$repo/data/mnist" "$tmp/$side/src/data/mnist"
	readpkg=$(cd "$tmp/$side/src" && grep -l '^func BenchmarkRead(' ./*/*_test.go | head -1 | xargs dirname)
	echo "$readpkg" >"$tmp/$side/readpkg"
	(
		cd "$tmp/$side/src"
		$GO build -o "$tmp/$side/edgeconv" ./cmd/edgeconv
		$GO test -c -o "$tmp/$side/frame.test" ./firmware
		$GO test -c -o "$tmp/$side/read.test" "$readpkg"
		$GO test -c -o "$tmp/$side/inference.test" ./bench
	)
	echo "$side: $(git -C "$repo" log -1 --format='%h %s' "$rev" | cut -c1-70); BenchmarkRead in $readpkg" >&2
}
prepare before "$before"
prepare after "$after"

# Every tree reads the same files with the same weights.
model=$tmp/model.safetensors
if git -C "$repo" cat-file -e "$before:model/default.safetensors" 2>/dev/null; then
	git -C "$repo" show "$before:model/default.safetensors" >"$model"
else
	git -C "$repo" show "$before:firmware/model/default.safetensors" >"$model"
fi
photos=$(ls "$tmp/after/src/extract/testdata/scenes/"*.png)

# gobench SIDE TESTBIN PKGDIR ARGS...: run a test binary in its package's
# folder and append "name side value" rows for each benchmark line.
gobench() {
	side=$1 testbin=$2 dir=$3
	shift 3
	(cd "$tmp/$side/src/$dir" && "$tmp/$side/$testbin" -test.run '^$' -test.benchtime "$benchtime" "$@") |
		awk -v side="$side" '/^Benchmark/ {
			name = $1; sub(/-[0-9]+$/, "", name)
			v = ""; unit = ""; digits = 0
			for (i = 2; i < NF; i++) {
				if ($(i+1) == "median-ms") { v = $i; unit = "ms" }
				if ($(i+1) == "ns/op" && unit == "") { v = $i / 1e6; unit = "ms" }
				if ($(i+1) == "digits") digits = $i
			}
			if (v == "") next
			print name, side, v
			# The trees find different numbers of digits in a frame: the
			# time per digit compares the classifiers.
			if (digits > 0) print name "(per-digit)", side, v / digits
		}' >>"$tmp/rows"
}

# wall SIDE NAME CMD...: append the seconds CMD takes, on the clock and on
# the CPU (user and system): the CPU time barely moves when other work
# shares the machine, the clock time does.
wall() {
	side=$1 name=$2
	shift 2
	/usr/bin/time -o "$tmp/time" -f '%e %U %S' "$@" >/dev/null
	read -r e u s <"$tmp/time"
	echo "$name(s) $side $e" >>"$tmp/rows"
	echo "$name(cpu-s) $side $(echo "$u + $s" | bc)" >>"$tmp/rows"
}

measure() {
	side=$1
	exe=$tmp/$side/edgeconv
	gobench "$side" frame.test firmware -test.bench '^BenchmarkFrame$' -test.cpu 1
	gobench "$side" read.test "$(cat "$tmp/$side/readpkg")" -test.bench '^BenchmarkRead$' -test.cpu 1
	gobench "$side" inference.test bench -test.bench '^BenchmarkInference$'
	# shellcheck disable=SC2086 # photos is a list of paths without spaces
	wall "$side" "edgeconv-read-$(echo "$photos" | wc -l)-scenes" "$exe" read --model "$model" $photos
	extra=
	if "$exe" eval --help 2>&1 | grep -q -- --negatives; then extra="--negatives 0 --style 0"; fi
	# shellcheck disable=SC2086
	wall "$side" "edgeconv-eval-mnist-10000-1worker" "$exe" eval --workers 1 --model "$model" --data "$tmp/$side/src/data/mnist" $extra
	"$exe" bench --json --model "$model" --data "$tmp/$side/src/data/mnist" --rounds 1 --duration 2s |
		awk -v side="$side" -F'[":, ]+' '/"infer_b1_us"|"infer_b100_img_s_(1core|all)"/ { print "edgeconv-bench-" $2, side, $3 }' >>"$tmp/rows"
}

: >"$tmp/rows"
i=1
while [ "$i" -le "$rounds" ]; do
	echo "round $i of $rounds" >&2
	if [ $((i % 2)) = 1 ]; then measure before; measure after; else measure after; measure before; fi
	i=$((i + 1))
done

echo "rounds: $rounds, alternating; ms unless the name says; lower is better except the images/s rows (img_s)"
awk '
	{ key = $1 SUBSEP $2; n[key]++; v[key, n[key]] = $3; if (!($1 in seen)) { seen[$1] = 1; order[++m] = $1 } }
	function median(key,   k, i, j, t, a) {
		k = n[key]
		for (i = 1; i <= k; i++) a[i] = v[key, i]
		for (i = 2; i <= k; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j+1] = a[j]; a[j+1] = t }
		return k % 2 ? a[(k+1)/2] : (a[k/2] + a[k/2+1]) / 2
	}
	END {
		printf "%-55s %12s %12s %8s\n", "measurement", "before", "after", "after/before"
		for (i = 1; i <= m; i++) {
			name = order[i]
			if (!((name SUBSEP "before") in n) || !((name SUBSEP "after") in n)) { printf "%-55s (only in one tree)\n", name; continue }
			b = median(name SUBSEP "before"); a = median(name SUBSEP "after")
			printf "%-55s %12.4g %12.4g %8.2f\n", name, b, a, b ? a / b : 0
		}
	}' "$tmp/rows"
