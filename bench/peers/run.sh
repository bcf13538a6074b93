#!/bin/sh
# bench-peers: edgeconv side by side with PyTorch and ONNX Runtime on this
# machine, in one run. Installs what is missing (Debian packages
# python3-torch, libopenblas0-pthread and python3-onnx; onnxruntime-node into
# bench/peers/node_modules), selects the OpenBLAS pthread build for
# libblas.so.3/liblapack.so.3, then alternates ROUNDS rounds of edgeconv bench,
# PyTorch and ONNX Runtime on the same model and prints one table.
#
# Variables: GO (go), ROUNDS (3), DURATION (seconds per measurement, 2),
# THREADS (all cores), MODEL (a float32 model file; default
# models/seed99.safetensors, which make train writes, or if it is absent the
# seed99 preset with random weights, written to OUT/model.safetensors),
# OUT (bench/peers/out), SKIP_INSTALL=1 to install nothing.
set -eu
cd "$(dirname "$0")/../.."
GO=${GO:-go}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-2}
THREADS=${THREADS:-$(nproc)}
OUT=${OUT:-bench/peers/out}
PY=/usr/bin/python3 # Debian's: the first python3 on PATH may not see Debian's packages
if [ -z "${MODEL+set}" ] && [ -f models/seed99.safetensors ]; then
	MODEL=models/seed99.safetensors
fi
MODEL=${MODEL:-}

as_root() {
	if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
		echo "bench-peers: need root for: $*" >&2; exit 1
	fi
}

if [ "${SKIP_INSTALL:-}" != 1 ]; then
	missing=
	for p in python3-torch libopenblas0-pthread python3-onnx; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
	done
	command -v node >/dev/null || missing="$missing nodejs"
	command -v npm >/dev/null || missing="$missing npm"
	if [ -n "$missing" ]; then
		echo "bench-peers: apt-get install$missing"
		as_root apt-get update -qq
		# shellcheck disable=SC2086
		as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
	fi
	# Debian's PyTorch calls whatever libblas.so.3 is: the reference BLAS
	# makes training about 3x slower than OpenBLAS.
	ma=$($PY -c 'import sysconfig; print(sysconfig.get_config_var("MULTIARCH"))')
	for lib in libblas.so.3 liblapack.so.3; do
		want=/usr/lib/$ma/openblas-pthread/$lib
		now=$(update-alternatives --query "$lib-$ma" | sed -n 's/^Value: //p')
		if [ "$now" != "$want" ]; then
			echo "bench-peers: update-alternatives --set $lib-$ma $want (was $now)"
			as_root update-alternatives --set "$lib-$ma" "$want"
		fi
	done
	if [ ! -d bench/peers/node_modules/onnxruntime-node ]; then
		# The package's install script fetches CUDA libraries and fails without
		# this; the CPU binaries ship in the package itself.
		(cd bench/peers && ONNXRUNTIME_NODE_INSTALL=skip npm ci --no-audit --no-fund)
	fi
fi

mkdir -p "$OUT/rounds"
rm -f "$OUT"/rounds/*.json
$GO build -o "$OUT/edgeconv" ./cmd/edgeconv
if [ -n "$MODEL" ]; then
	$GO run ./bench/peers/export -out "$OUT" -model "$MODEL"
else
	$GO run ./bench/peers/export -out "$OUT" -preset seed99
fi
$PY -W ignore bench/peers/torch_peer.py export "$OUT"

# OpenMP threads that spin while waiting (GNU OpenMP's default) lose a whole
# time slice whenever another process holds a core: on a shared machine that
# made PyTorch's 2-thread training ten times slower. Passive waiting is
# PyTorch's best setting here, so that is what is compared.
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE}
r=1
while [ "$r" -le "$ROUNDS" ]; do
	echo "bench-peers: round $r of $ROUNDS" >&2
	"$OUT/edgeconv" bench --model "$OUT/model.safetensors" --json --workers "$THREADS" \
		--duration "${DURATION}s" >"$OUT/rounds/ours-$r.json"
	$PY -W ignore bench/peers/torch_peer.py bench "$OUT" --threads "$THREADS" --duration "$DURATION" \
		>"$OUT/rounds/torch-$r.json"
	node bench/peers/ort_peer.js "$OUT" --duration "$DURATION" >"$OUT/rounds/ort-$r.json"
	r=$((r + 1))
done
$PY bench/peers/table.py "$OUT" | tee "$OUT/table.txt"
