#!/bin/sh
# fuzz.sh: run every fuzz target of the repository (every func FuzzX in a
# _test.go file) for FUZZTIME each, one after the other, and print the
# executions and the outcome of each. `make fuzz` (10 minutes a target)
# and `make fuzz-short` (a few seconds, in `make test`) run it.
#
#   FUZZTIME     time per target (default 10m)
#   FUZZMINTIME  -fuzzminimizetime (default 5s: minimising a large
#                input for long stalls the run)
#   FUZZPAR      -parallel, the fuzzing processes per target (default:
#                the CPUs)
#   FUZZONLY     a regular expression: only the targets it matches
#
# It exits 1 when any target failed; a failing input is saved under the
# package's testdata/fuzz/ for `go test` to rerun.
set -eu
cd "$(dirname "$0")/.."
GO=${GO:-go}
time=${FUZZTIME:-10m}
mintime=${FUZZMINTIME:-5s}
par=${FUZZPAR:-}
only=${FUZZONLY:-.}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
fail=0
summary=""
# Each package with fuzz targets, and its targets, from the source.
for dir in $(grep -rl --include='*_test.go' '^func Fuzz' . | grep -v '/_' | xargs -n1 dirname | sort -u); do
	for target in $(grep -h '^func Fuzz' "$dir"/*_test.go | sed 's/^func \(Fuzz[A-Za-z0-9_]*\).*/\1/' | sort -u); do
		echo "$dir $target" | grep -Eq -- "$only" || continue
		echo "fuzz: $dir $target for $time"
		status=ok
		if ! $GO test -run '^$' -fuzz "^$target\$" -fuzztime "$time" -fuzzminimizetime "$mintime" \
			${par:+-parallel "$par"} "$dir" >"$log" 2>&1; then
			status=FAIL
			fail=1
			cat "$log"
		fi
		execs=$(grep -o 'execs: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
		line=$(printf '%-28s %-26s %12s execs  %s' "$dir" "$target" "${execs:-?}" "$status")
		# As each target ends too: a long run's log tells how far it got.
		echo "$line"
		summary="$summary$line
"
	done
done
printf '\n%s' "$summary"
exit $fail
